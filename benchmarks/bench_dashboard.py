"""Benchmark: the Segments page's server time at 200,000 respondents.

Builds one 200,000-respondent wave by resampling the synthetic Demo-2025 wave
(unique respondent ids, about 5% of answers swapped between respondents,
jittered weights), stores it with :meth:`WaveStore.add_wave` in a temporary
file, then drives the real app with Streamlit's ``AppTest`` (``CONFIANCE_STORE``
set) and times each ``.run()``:

* the cold first load of Segments (the store read, the first estimates);
* warm reruns after a filter or segment-variable change, each a new view, so
  the estimates are recomputed on the cached respondent rows;
* the same views again, now served from the estimate cache.

The peer is what a page would do without caching: ``analysis.metrics.estimate``
on the store directly (DuckDB read + pandas) for the same two tables the page
draws (the chosen metric by the segment variable, and every metric for the
heatmap), recomputed for every view.

Run: ``.venv/bin/python benchmarks/bench_dashboard.py`` (about a minute).
Target: a warm filter change ≤ 300 ms of server time. Prints, never asserts.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.figures.chart import ChartContext
from analysis.figures.heatmap import heatmap as heatmap_chart
from analysis.figures.segment import segment_chart
from analysis.ingest.demo import demo_waves
from analysis.library.codebook import load_codebook
from analysis.store.wave import Wave, WaveMeta, sha256_bytes
from analysis.store.wave_store import WaveStore
from analysis.table.estimate import estimate
from analysis.table.letters import with_segment_letters

N = 200_000
WAVE = "Bench-200k"
METRIC = "churn_unprotected"  # the Segments page's default metric
SWAP = 0.05
TARGET_MS = 300.0
APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")

# (what the user does, segment variable, filters): each step is a view not
# seen before, so the page recomputes its estimates on the cached rows
STEPS: list[tuple[str, str, dict[str, list[str]]]] = [
    ("filter country = FR", "country", {"country": ["FR"]}),
    ("filter country = FR, DE", "country", {"country": ["FR", "DE"]}),
    ("segment by age band", "age_band", {"country": ["FR", "DE"]}),
    ("segment by gender", "gender", {"country": ["FR", "DE"]}),
    (
        "filter age band = 18-24",
        "gender",
        {"country": ["FR", "DE"], "age_band": ["18-24"]},
    ),
    ("clear the filters", "country", {}),
]


def big_wave(n: int = N, seed: int = 2026) -> Wave:
    """Demo-2025 resampled to ``n`` respondents, perturbed, with unique ids."""
    demo = demo_waves(load_codebook())[-1].data
    rng = np.random.default_rng(seed)
    data = demo.iloc[rng.integers(0, len(demo), n)].reset_index(drop=True)
    data["respondent_id"] = [f"B{i:07d}" for i in range(n)]
    data["weight"] = data["weight"].to_numpy() * rng.lognormal(0.0, 0.1, n)
    questions = [c for c in demo.columns if str(demo[c].dtype) == "Int16"]
    for column in questions:
        swap = rng.random(n) < SWAP
        donors = rng.integers(0, n, int(swap.sum()))
        values = data[column].to_numpy(copy=True)
        values[swap] = values[donors]
        data[column] = pd.array(values, dtype="Int16")
    digest = sha256_bytes(
        pd.util.hash_pandas_object(data, index=False).to_numpy().tobytes()
    )
    meta = WaveMeta(
        name=WAVE,
        kind="respondents",
        source="benchmark: Demo-2025 resampled",
        file_name="bench (generated)",
        file_sha256=digest,
        countries=tuple(sorted(data["country"].unique())),
        synthetic=True,
    )
    return Wave(meta=meta, data=data)


def timed(run: Callable[[], object]) -> float:
    """Milliseconds one call takes."""
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def show(app, by: str, filters: dict[str, list[str]]):
    """Set the Segments page's widgets to a view; the caller runs the app."""
    for var in ("country", "age_band", "gender"):
        app.multiselect(key=f"filter_{WAVE}_{var}").set_value(filters.get(var, []))
    return app.selectbox(key="by").set_value(by)


def page_times(store_path: Path) -> tuple[float, list[float], list[float]]:
    """Cold load, then each view's rerun: first (estimates computed), then cached."""
    from streamlit.testing.v1 import AppTest

    os.environ["CONFIANCE_STORE"] = str(store_path)
    os.environ.pop("CONFIANCE_ANALYST_PASSWORD_HASH", None)
    app = AppTest.from_file(APP, default_timeout=300)
    app.query_params["wave"] = WAVE

    def cold() -> None:
        app.run()
        app.switch_page("app_pages/segments.py").run()

    first = timed(cold)
    if app.exception:
        sys.exit(f"the Segments page failed: {app.exception}")
    fresh, cached = [], []
    for runs in (fresh, cached):
        for _, by, filters in STEPS:
            widget = show(app, by, filters)
            runs.append(timed(widget.run))
            if app.exception:
                sys.exit(f"the Segments page failed: {app.exception}")
    return first, fresh, cached


def peer_times(store_path: Path) -> list[float]:
    """The page's two tables for each view, straight from the store, no cache."""
    store, book = WaveStore(store_path), load_codebook()

    def tables(by: str, filters: dict[str, list[str]]) -> None:
        estimate(store, [WAVE], [METRIC], [by], filters, codebook=book)
        estimate(store, [WAVE], None, [by], filters, codebook=book)

    return [timed(lambda b=by, f=filters: tables(b, f)) for _, by, filters in STEPS]


def figure_times(store_path: Path) -> tuple[list[float], list[float]]:
    """The page's two figures for each view, built from ready EstimateTables."""
    store, book = WaveStore(store_path), load_codebook()
    waves = [store.wave(WAVE)]

    def context(filters: dict[str, list[str]]) -> ChartContext:
        return ChartContext(lang="en", waves=waves, filters=filters, codebook=book)

    segment_ms, heatmap_ms = [], []
    for _, by, filters in STEPS:
        one = with_segment_letters(
            estimate(store, [WAVE], [METRIC], [by], filters, codebook=book)
        )
        every = estimate(store, [WAVE], None, [by], filters, codebook=book)
        segment_ms.append(
            timed(
                lambda t=one, b=by, f=filters: segment_chart(
                    t, METRIC, context(f), wave=WAVE, by=b
                )
            )
        )
        heatmap_ms.append(
            timed(
                lambda t=every, b=by, f=filters: heatmap_chart(
                    t, context(f), wave=WAVE, by=b
                )
            )
        )
    return segment_ms, heatmap_ms


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        start = time.perf_counter()
        wave = big_wave()
        WaveStore(path).add_wave(wave, actor="benchmark")
        build = time.perf_counter() - start
        print(
            f"store: {len(wave.data):,} respondents × {wave.data.shape[1]} columns "
            f"in one wave, built and stored in {build:.1f} s"
        )
        first, fresh, cached = page_times(path)
        peer = peer_times(path)
        segment_ms, heatmap_ms = figure_times(path)

    print(f"\nSegments page, server time per AppTest run (target ≤ {TARGET_MS:.0f} ms)")
    print(f"  cold first load (store read + estimates)   {first:8.0f} ms")
    print(f"  {'warm rerun after':<42} {'new view':>8} {'cached':>8} {'peer':>8}")
    for (label, _, _), new, hit, own in zip(STEPS, fresh, cached, peer, strict=True):
        print(f"  {label:<42} {new:6.0f} ms {hit:5.0f} ms {own:5.0f} ms")
    for name, values in (("new view", fresh), ("cached", cached), ("peer", peer)):
        median, worst = statistics.median(values), max(values)
        verdict = "meets" if worst <= TARGET_MS else "misses"
        print(
            f"  {name:<10} median {median:6.0f} ms, max {worst:6.0f} ms "
            f"({verdict} the {TARGET_MS:.0f} ms target at its max)"
        )
    print(
        "\nwhere a cached rerun goes: building the figures from ready tables, "
        f"median segment chart {statistics.median(segment_ms):.0f} ms, "
        f"heatmap {statistics.median(heatmap_ms):.0f} ms "
        f"(max {max(heatmap_ms):.0f} ms)"
    )
    peer_median = statistics.median(peer)
    print(
        "\npeer ratio (page's warm rerun ÷ uncached estimate(), medians): "
        f"{statistics.median(fresh) / peer_median:.1f}× for a new view, "
        f"{statistics.median(cached) / peer_median:.1f}× for a cached one "
        "(above 1: the page is slower than recomputing without any cache)"
    )


if __name__ == "__main__":
    main()
