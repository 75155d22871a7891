"""Benchmark: raking 1,000,000 respondents to 4 margins, against R ``survey::rake``.

Builds 1,000,000 respondents with lognormal design weights and four correlated
weighting variables of 2, 4, 6 and 10 categories, and targets that differ from
the sample's margins, then times :func:`analysis.stats.weighting.rake` and, in
the same run on the same data (written to a temporary CSV), R's

    rake(svydesign(id = ~1, weights = ~w, data = d), list(~a, ~b, ~c, ~d),
         list(pa, pb, pc, pd), control = list(epsilon = 1e-8, maxit = 100))

timing only the ``rake`` call inside R with ``system.time``. Best of 3 each.
Both stop at a tolerance of 1e-8 of the total weight (R: the largest change of
the joint weighted table in one cycle; ours: the largest margin gap). The
design weights are scaled to the population total so the two are in the same
units. R's cycles are counted by tracing ``postStratify`` (one call per margin
per cycle). The weights must agree: the largest relative difference is printed.

Run: ``.venv/bin/python benchmarks/bench_weighting.py`` (about a minute with R;
exits 0 with a note when ``Rscript`` or R ``survey`` is missing).
Target: ≥ 20× faster than R.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analysis.stats.weighting import Weighting, rake

N = 1_000_000
LEVELS = {"a": 2, "b": 4, "c": 6, "d": 10}
TOLERANCE = 1e-8
REPEAT = 3

R_SCRIPT = """
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
for (v in c("a", "b", "c", "d")) d[[v]] <- factor(d[[v]])
margins <- read.csv(args[2])
pop <- lapply(c("a", "b", "c", "d"), function(v) {
  m <- margins[margins$variable == v, ]
  out <- data.frame(factor(m$category, levels = levels(d[[v]])), m$target)
  names(out) <- c(v, "Freq")
  out
})
design <- svydesign(id = ~1, weights = ~w, data = d)
calls <- 0
trace("postStratify", quote(assign("calls", get("calls", globalenv()) + 1,
                                   globalenv())), print = FALSE,
      where = asNamespace("survey"))
best <- Inf
for (i in 1:as.integer(args[4])) {
  calls <- 0
  t <- system.time(r <- rake(design, list(~a, ~b, ~c, ~d), pop,
                             control = list(epsilon = 1e-8, maxit = 100)))
  best <- min(best, t[["elapsed"]])
}
writeBin(as.numeric(weights(r)), args[3], size = 8)
cat(best, calls / 4, "\\n")
"""


def make_data(n: int, seed: int = 13) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """Design weights, four correlated category columns, and their targets."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=n)
    columns = {}
    for name, k in LEVELS.items():
        score = latent + rng.normal(scale=1.0, size=n)
        edges = np.quantile(score, np.linspace(0, 1, k + 1)[1:-1])
        columns[name] = np.searchsorted(edges, score).astype(np.int64)
    weights = rng.lognormal(0.0, 0.5, n)
    total = float(weights.sum())
    targets = {}
    for name, k in LEVELS.items():
        tilt = np.linspace(0.7, 1.3, k)  # the population leans to high categories
        share = np.bincount(columns[name], minlength=k) * tilt
        targets[name] = dict(enumerate(total * share / share.sum()))
    return weights, columns, targets


def best_of(fn: Callable[[], Weighting], repeat: int) -> tuple[float, Weighting]:
    """Fastest wall time of ``repeat`` calls, and the last result."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def r_rake(
    weights: Any, columns: dict[str, Any], targets: dict[str, Any]
) -> tuple[float, float, Any] | None:
    """R's best time, its cycles and its weights; None when R cannot run."""
    if shutil.which("Rscript") is None:
        print("R: Rscript not found; install r-base-core r-cran-survey to compare")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = pd.DataFrame({"w": weights, **columns})
        data.to_csv(folder / "data.csv", index=False)
        rows = [(v, c, t) for v, margin in targets.items() for c, t in margin.items()]
        pd.DataFrame(rows, columns=["variable", "category", "target"]).to_csv(
            folder / "margins.csv", index=False, float_format="%.17g"
        )
        out = folder / "weights.bin"
        cmd = ["Rscript", "-e", R_SCRIPT]
        cmd += [str(folder / "data.csv"), str(folder / "margins.csv"), str(out)]
        done = subprocess.run(
            [*cmd, str(REPEAT)], capture_output=True, text=True, timeout=3600
        )
        if done.returncode != 0:
            print(f"R: rake failed ({done.stderr.strip().splitlines()[-1:]})")
            return None
        seconds, cycles = map(float, done.stdout.split()[-2:])
        return seconds, cycles, np.fromfile(out, dtype=np.float64)


def main() -> None:
    """Time ours and R's on the same data, check the weights, print the ratio."""
    weights, columns, targets = make_data(N)
    sizes = ", ".join(str(k) for k in LEVELS.values())
    print(f"raking {N:,} respondents to 4 margins ({sizes} categories)")
    ours, result = best_of(
        lambda: rake(weights, columns, targets, tolerance=TOLERANCE), REPEAT
    )
    print(
        f"confiance rake: {ours:.3f} s (best of {REPEAT}), {result.iterations} "
        f"cycles, largest margin gap {result.max_margin_gap:.1e} of the total, "
        f"efficiency {result.efficiency:.3f}"
    )
    peer = r_rake(weights, columns, targets)
    if peer is None:
        return
    seconds, cycles, r_weights = peer
    diff = float(np.max(np.abs(result.weights / r_weights - 1)))
    print(f"R survey::rake: {seconds:.3f} s (best of {REPEAT}), {cycles:g} cycles")
    print(f"weights agree to {diff:.1e} (largest relative difference)")
    ratio = seconds / ours
    print(f"ratio R / confiance: {ratio:.1f}x (target >= 20x)")
    if ratio < 20:
        print("below target", file=sys.stderr)


if __name__ == "__main__":
    main()
