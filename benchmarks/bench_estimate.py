"""Benchmark: the full weighted EstimateTable at 1M respondents, against peers.

Builds 1,000,000 respondents × 20 binary metrics (about 5% missing answers) ×
5 segment variables (3, 4, 5, 6 and 10 levels) with unequal weights and times
:func:`analysis.table.estimate.values_table` (that is,
:func:`analysis.table.rows.estimate_rows` on a weights-only design): overall +
every metric × segment = 580 rows with estimate, linearised SE, Kish n_eff,
Wilson interval and flags.

Peers, timed in the same run:

* a hand-written numpy floor: per metric, bincount one joint cell of all five
  segment variables (n, Σw, Σw², Σwy, Σw²y) and sum down to each margin: the
  same sums, without intervals or a table;
* samplics' ``TaylorEstimator`` by domain, at 200,000 respondents (it is too
  slow for 1M in a benchmark), best of three like ours, checked against our
  estimates and SEs (relative difference);
* end to end, ``python -m analysis estimate FILE.csv --yes-column y --weight w
  --by seg`` on a 1M-row CSV against a script doing ``pandas.read_csv``,
  ``factorize`` and numpy ``bincount`` of the same sums, both as whole
  processes, run in turn (A B A B …), the ratio taken pair by pair; beside
  each, the seconds the whole command spends importing (every import of the
  run, lazy ones included, as ``python -X importtime`` counts them; median of
  three more runs).

Run: ``.venv/bin/python benchmarks/bench_estimate.py`` (about 2 minutes).
Targets: ≤ 1 s at 1M; ≤ 2× the numpy floor; ≥ 25× samplics at 200k; end to
end ≤ 1.5× the read_csv + bincount script.
"""

from __future__ import annotations

import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.table.estimate import values_table

LEVELS = (3, 4, 5, 6, 10)
N_METRICS = 20
MISSING = 0.05


def make_data(n: int, seed: int = 2025) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """Metrics (0/1 with NaN), segment codes and lognormal weights."""
    rng = np.random.default_rng(seed)
    segments = {f"seg{k}": rng.integers(0, k, n).astype(np.int16) for k in LEVELS}
    weights = rng.lognormal(0.0, 0.6, n)
    lift = 0.02 * segments["seg10"] - 0.05 * segments["seg3"]
    values = {}
    for m in range(N_METRICS):
        y = (rng.random(n) < 0.25 + 0.02 * m + lift).astype(np.float64)
        y[rng.random(n) < MISSING] = np.nan
        values[f"m{m:02d}"] = y
    return values, segments, weights


def numpy_floor(
    values: dict[str, Any], segments: dict[str, Any], weights: Any
) -> dict[str, list[Any]]:
    """Per metric: one joint-cell bincount of five sums, collapsed to margins."""
    shape = tuple(LEVELS)
    joint = np.zeros(weights.size, dtype=np.intp)
    for k, codes in zip(LEVELS, segments.values(), strict=True):
        joint = joint * k + codes
    size = int(np.prod(shape))
    w2 = weights * weights
    out: dict[str, list[Any]] = {}
    for name, y in values.items():
        missing = np.isnan(y)
        key = np.where(missing, size, joint)
        v = np.where(missing, 0.0, y)
        sums = np.stack(
            [
                np.bincount(key, minlength=size + 1)[:size],
                np.bincount(key, weights, minlength=size + 1)[:size],
                np.bincount(key, w2, minlength=size + 1)[:size],
                np.bincount(key, weights * v, minlength=size + 1)[:size],
                np.bincount(key, w2 * v, minlength=size + 1)[:size],
            ]
        ).reshape((5, *shape))
        margins = [sums.sum(axis=tuple(range(1, 6)))[:, None]]
        for axis in range(5):
            others = tuple(1 + a for a in range(5) if a != axis)
            margins.append(sums.sum(axis=others))
        out[name] = margins
    return out


def floor_estimates(margins: list[Any], n_total: int) -> Any:
    """Estimate and SE from the floor's sums (binary y), to check agreement."""
    n, sw, sw2, swy, sw2y = np.concatenate(margins, axis=1)
    p = swy / sw
    ss = sw2y - 2 * p * sw2y + p * p * sw2
    se = np.sqrt(n_total / (n_total - 1) * ss) / sw
    return n, p, se, sw**2 / sw2


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Smallest wall time over ``repeat`` runs (the machine is shared)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def samplics_table(
    values: dict[str, Any], segments: dict[str, Any], weights: Any
) -> Any:
    """The same table with samplics' TaylorEstimator, one call per metric × variable.

    A missing answer is put in a domain of its own (y = 1 there, which no other
    domain sees), so every call keeps all rows, as our estimator does.
    """
    from samplics.estimation import TaylorEstimator
    from samplics.utils.types import PopParam

    rows = []
    for name, y in values.items():
        missing = np.isnan(y)
        filled = np.where(missing, 1.0, y)
        for var, codes in [("total", np.zeros(y.size, np.int16)), *segments.items()]:
            domain = np.where(missing, -1, codes)
            est = TaylorEstimator(PopParam.mean)
            est.estimate(y=filled, samp_weight=weights, domain=domain)
            for level in sorted(k for k in est.point_est if k != -1):
                rows.append(
                    (name, var, int(level), est.point_est[level], est.stderror[level])
                )
    return pd.DataFrame(rows, columns=["metric", "var", "level", "estimate", "se"])


def compare_with_samplics(
    values: dict[str, Any], segments: dict[str, Any], w: Any
) -> None:
    """Time samplics and ours at 200k and check they agree."""
    n = w.size
    print(f"\n--- samplics TaylorEstimator by domain, n = {n:,} ---")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t_samplics, theirs = best_of(lambda: samplics_table(values, segments, w), 3)
    except Exception as exc:  # an import or pandas-3 failure is reported, not faked
        print(f"samplics failed: {type(exc).__name__}: {exc}")
        return
    t_ours, ours = best_of(lambda: values_table(values, segments, w), 3)
    ours = ours.assign(
        var=ours["segment_var"],
        level=pd.to_numeric(ours["segment_value"].replace("total", "0")),
    )
    merged = theirs.merge(ours, on=["metric", "var", "level"], suffixes=("_s", ""))
    d_est = np.max(np.abs(merged["estimate_s"] / merged["estimate"] - 1))
    d_se = np.max(np.abs(merged["se_s"] / merged["se"] - 1))
    print(f"rows compared            {len(merged)} (of {len(ours)})")
    print(f"max relative estimate diff {d_est:.2e}")
    print(f"max relative SE diff       {d_se:.2e}")
    print(f"agree to 1e-9 (relative)   {bool(d_est < 1e-9 and d_se < 1e-9)}")
    print(f"samplics                 {t_samplics:8.3f} s")
    print(f"ours                     {t_ours:8.3f} s")
    print(f"speed-up vs samplics     {t_samplics / t_ours:8.1f}×  (target ≥ 25×)")


BASELINE = """
import sys, numpy as np, pandas as pd
df = pd.read_csv(sys.argv[1], usecols=["y", "w", "seg"])
codes, labels = pd.factorize(df["seg"], sort=True)
y = df["y"].to_numpy(dtype=float, na_value=np.nan)
w = df["w"].to_numpy(dtype=float)
key = np.where(np.isnan(y), len(labels), codes)
v = np.nan_to_num(y)
k = len(labels) + 1
sums = [np.bincount(key, x, minlength=k) for x in (None, w, w * w, w * v, w * w * v)]
print(len(df), [s[:-1].sum() for s in sums][3] / [s[:-1].sum() for s in sums][1])
"""


def end_to_end(n: int, pairs: int = 5) -> None:
    """Whole-process time of the CLI against read_csv + factorize + bincount."""
    print(f"\n--- end to end, {n:,}-row CSV, --by with 10 levels ---")
    rng = np.random.default_rng(7)
    y = (rng.random(n) < 0.4).astype(np.int8).astype(str).astype(object)
    y[rng.random(n) < MISSING] = ""
    frame = pd.DataFrame(
        {
            "id": np.arange(n),
            "y": y,
            "w": np.round(rng.lognormal(0.0, 0.6, n), 4),
            "seg": np.char.add("region-", rng.integers(0, 10, n).astype(str)),
            "note": "x",
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "survey.csv"
        frame.to_csv(path, index=False)
        script = Path(tmp) / "baseline.py"
        script.write_text(BASELINE)
        cli = [sys.executable, "-m", "analysis", "estimate", str(path)]
        cli += ["--yes-column", "y", "--weight", "w", "--by", "seg"]
        base = [sys.executable, str(script), str(path)]
        _timed(cli), _timed(base)  # warm the file cache and the bytecode
        runs = [(_timed(cli), _timed(base)) for _ in range(pairs)]
        imports = [
            statistics.median(_imports(c) for _ in range(3)) for c in (cli, base)
        ]
    t_cli, t_base = (statistics.median(r[k] for r in runs) for k in (0, 1))
    ratio = statistics.median(a / b for a, b in runs)
    print(f"python -m analysis estimate  {t_cli:6.2f} s  (imports {imports[0]:.2f} s)")
    print(f"read_csv + bincount script   {t_base:6.2f} s  (imports {imports[1]:.2f} s)")
    print(f"ratio                        {ratio:6.2f}×  (target ≤ 1.5×)")
    print(f"(medians of {pairs} runs in turn, the ratio taken pair by pair)")


def _timed(cmd: list[str]) -> float:
    """Wall seconds of the whole process, start-up and imports included."""
    start = time.perf_counter()
    _run(cmd)
    return time.perf_counter() - start


def _imports(cmd: list[str]) -> float:
    """Seconds the command spends importing, as ``-X importtime`` counts them."""
    stderr = _run([cmd[0], "-X", "importtime", *cmd[1:]])
    # "import time: self | cumulative | name", indented two spaces a level:
    # the top-level lines' cumulative times add up to every import of the run
    top = re.findall(r"^import time:\s+\d+ \|\s+(\d+) \| (?! )", stderr, re.M)
    return sum(int(us) for us in top) / 1e6


def _run(cmd: list[str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{cmd[:4]} failed: {done.stderr.strip()}")
    return done.stderr


def main() -> None:
    n = 1_000_000
    print(
        f"--- full EstimateTable: {n:,} respondents × {N_METRICS} metrics × "
        f"segments {LEVELS} ---"
    )
    values, segments, weights = make_data(n)
    t_ours, table = best_of(lambda: values_table(values, segments, weights), 3)
    t_floor, floor = best_of(lambda: numpy_floor(values, segments, weights), 3)
    print(f"rows                     {len(table)}")
    print(f"ours (values_table)      {t_ours:8.3f} s  (target ≤ 1 s)")
    print(f"numpy floor (sums only)  {t_floor:8.3f} s")
    print(f"ours / floor             {t_ours / t_floor:8.2f}×  (target ≤ 2×)")
    for name in ("m00", "m19"):
        n_, p, se, n_eff = floor_estimates(floor[name], n)
        mine = table[table["metric"] == name]
        assert np.array_equal(mine["n"].to_numpy(dtype=float), n_)
        np.testing.assert_allclose(mine["estimate"], p, rtol=1e-10)
        np.testing.assert_allclose(mine["se"], se, rtol=1e-8)
        np.testing.assert_allclose(mine["n_eff"], n_eff, rtol=1e-10)
    print("floor and ours agree     n exact; estimate, SE, n_eff to 1e-8")
    tracemalloc.start()
    values_table(values, segments, weights)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"peak memory of one call  {peak / 2**20:8.1f} MiB (tracemalloc; inputs "
        f"{sum(v.nbytes for v in values.values()) / 2**20:.0f} MiB)"
    )

    small = 200_000
    compare_with_samplics(
        {k: v[:small] for k, v in values.items()},
        {k: v[:small] for k, v in segments.items()},
        weights[:small],
    )
    end_to_end(n)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nbenchmark process max RSS {rss:.0f} MiB")


if __name__ == "__main__":
    main()
