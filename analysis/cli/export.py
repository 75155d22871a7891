"""``export``: a wave's charts as 1920×1080 PNG slides, a ZIP, a PPTX or a PDF.

``--native-charts`` makes the PPTX's charts native PowerPoint charts; the
default stays the PNG picture, which looks the same wherever the deck is
opened and is the very slide the PNG export writes. ``--disclosure`` starts
the slides with the wave's disclosure (sample type and AAPOR items).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from analysis.cli.commands import COMMANDS
from analysis.cli.options import add_file_format, add_store, open_store
from analysis.errors import SurveyDataError
from analysis.figures.chart import Chart, ChartContext
from analysis.figures.segment import segment_chart
from analysis.library.codebook import load_codebook
from analysis.slides.deck import Cover, deck_pptx, deck_zip, report_pdf
from analysis.slides.disclosure import disclosure_figure
from analysis.slides.render import check_browser, figure_png, slide_png
from analysis.table.estimate import estimate
from analysis.table.letters import with_segment_letters

FILE_FORMATS = ("png", "pptx", "zip", "pdf")
"""One PNG per slide, a ZIP of them, one PPTX deck, or one PDF report."""


def register(sub: Any) -> None:
    """Add the ``export`` command."""
    parser = sub.add_parser(
        "export",
        help=COMMANDS["export"][1],
    )
    parser.add_argument("--wave", required=True, help="stored wave name")
    parser.add_argument(
        "--metric",
        action="append",
        default=None,
        help="metric id (repeatable; default: every metric the wave has)",
    )
    parser.add_argument("--by", default=None, help="segment variable, e.g. country")
    parser.add_argument(
        "--lang", choices=("en", "fr"), default="en", help="default: en"
    )
    parser.add_argument(
        "--out", type=Path, required=True, help="output folder (paths are printed)"
    )
    add_file_format(parser, FILE_FORMATS, default="png")
    parser.add_argument(
        "--native-charts",
        action="store_true",
        help="pptx: native, editable PowerPoint charts with their data sheet "
        "(default: each chart as its PNG picture)",
    )
    parser.add_argument(
        "--template",
        type=Path,
        default=None,
        metavar="FILE",
        help="pptx: start from this .pptx (its master, layouts, fonts, colours)",
    )
    parser.add_argument(
        "--disclosure",
        action="store_true",
        help="start with a slide of the wave's disclosure: sample type, sponsor, "
        "fieldwork, population, mode, recruitment, weighting, limitations",
    )
    add_store(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the slides and print one path per line."""
    store = open_store(args)
    info = store.wave(args.wave)
    book = load_codebook()
    metrics = [book.metric(m).id for m in (args.metric or list(book.metrics))]
    if args.format != "pptx" and (args.native_charts or args.template):
        raise SurveyDataError("--native-charts and --template apply to --format pptx")
    if not (args.format == "pptx" and args.native_charts):
        check_browser()  # before any work: a missing browser is a one-line error
    by = [args.by] if args.by else []
    # letters once, at the estimates' (default) level: the charts only read them
    table = with_segment_letters(
        estimate(store, [args.wave], metrics, by=by, codebook=book)
    )
    context = ChartContext(lang=args.lang, size="slide", waves=[info], codebook=book)
    slides = [
        segment_chart(table, metric, context, wave=args.wave, by=args.by)
        for metric in metrics
        if (table["metric"] == metric).any()
    ]
    if not slides:
        raise SurveyDataError(f"wave {args.wave} has none of the metrics {metrics}")
    args.out.mkdir(parents=True, exist_ok=True)
    for path in _write(slides, args, Cover(f"Confiance — {args.wave}")):
        print(path)
    return 0


def _write(slides: list[Chart], args: argparse.Namespace, cover: Cover) -> list[Path]:
    cover = Cover(cover.title, lang=args.lang)
    out: Path = args.out
    if args.format == "pptx":
        path = out / f"{args.wave}.pptx"
        deck = deck_pptx(
            slides,
            cover,
            native=args.native_charts,
            template=args.template,
            disclosure=args.disclosure,
        )
        path.write_bytes(deck)
        return [path]
    if args.format == "pdf":
        path = out / f"{args.wave}_report.pdf"
        path.write_bytes(report_pdf(slides, cover, disclosure=args.disclosure))
        return [path]
    if args.format == "zip":
        path = out / f"{args.wave}_slides.zip"
        path.write_bytes(deck_zip(slides, cover, disclosure=args.disclosure))
        return [path]
    paths = []
    if args.disclosure:
        path = out / "00_disclosure.png"
        path.write_bytes(figure_png(disclosure_figure(slides[0].waves, args.lang)))
        paths.append(path)
    for i, slide in enumerate(slides, start=1):
        path = out / f"{i:02d}_{slide.text.filename}.png"
        path.write_bytes(slide_png(slide))
        paths.append(path)
    return paths
