"""Slide export speed: warm rendering session vs a fresh browser per image.

Prints per-slide times, the 20-slide deck total (ZIP, PPTX of pictures, PPTX
of native charts, PDF report), and the ratio against the peer: plotly's
``write_image``-style one-shot kaleido call, which starts a new Chromium for
every image. Targets: ≤ 1 s per slide warm, a 20-slide deck ≤ 20 s.

Run: ``.venv/bin/python benchmarks/bench_export.py [--store PATH]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import kaleido

from analysis.cli import main as cli_main
from analysis.figures.chart import ChartContext
from analysis.figures.segment import segment_chart
from analysis.slides.deck import deck_pptx, deck_zip, report_pdf
from analysis.slides.render import renderer, slide_png
from analysis.store.wave_store import WaveStore
from analysis.table.estimate import estimate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--cold", type=int, default=3, help="cold renders to time")
    args = parser.parse_args()
    store_path = args.store
    if store_path is None:
        store_path = Path(tempfile.mkdtemp()) / "bench.duckdb"
        cli_main(["demo", "--store", str(store_path)])
    store = WaveStore(store_path)
    info = store.wave("Demo-2025")
    table = estimate(store, ["Demo-2025"], by=["country", "age_band"])
    metrics = list(dict.fromkeys(table["metric"]))
    slides = []
    for i in range(20):
        metric = metrics[i % len(metrics)]
        lang = "fr" if i % 2 else "en"
        context = ChartContext(lang=lang, size="slide", waves=[info])
        slides.append(segment_chart(table, metric, context))

    start = time.perf_counter()
    renderer().start()
    print(
        f"session start (browser check included): {time.perf_counter() - start:.2f} s"
    )
    warm = []
    for slide in slides[:5]:
        t0 = time.perf_counter()
        slide_png(slide)
        warm.append(time.perf_counter() - t0)
    print("warm per-slide:", ", ".join(f"{t:.3f}" for t in warm), "s")
    t0 = time.perf_counter()
    deck_zip(slides)
    zip_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    deck_pptx(slides)
    pptx_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    deck_pptx(slides, native=True)
    native_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    report_pdf(slides)
    pdf_s = time.perf_counter() - t0
    print(f"20-slide ZIP deck: {zip_s:.2f} s ({zip_s / 20:.3f} s/slide)")
    print(f"20-slide PPTX deck: {pptx_s:.2f} s ({pptx_s / 20:.3f} s/slide)")
    print(
        f"20-slide PPTX, native charts: {native_s:.2f} s "
        f"({pptx_s / native_s:.1f}x faster than pictures, no browser)"
    )
    print(f"20-chart PDF report: {pdf_s:.2f} s ({pdf_s / 20:.3f} s/chart)")
    renderer().stop()

    cold = []
    opts = {"width": 1920, "height": 1080, "format": "png"}
    for slide in slides[: args.cold]:
        t0 = time.perf_counter()
        kaleido.calc_fig_sync(slide.figure, opts=opts, kopts={"mathjax": False})
        cold.append(time.perf_counter() - t0)
    cold_mean = sum(cold) / len(cold)
    warm_mean = sum(warm) / len(warm)
    print("peer, fresh browser per image:", ", ".join(f"{t:.3f}" for t in cold), "s")
    print(f"ratio cold/warm per slide: {cold_mean / warm_mean:.1f}x")
    ok = warm_mean <= 1.0 and max(zip_s, pptx_s, native_s, pdf_s) <= 20.0
    print("targets (≤ 1 s/slide, 20 slides ≤ 20 s):", "met" if ok else "MISSED")


if __name__ == "__main__":
    main()
