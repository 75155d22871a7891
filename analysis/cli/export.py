"""``export``: a wave's charts as 1920×1080 PNG slides, a ZIP, a PPTX or a PDF.

``--native-charts`` makes the PPTX's charts native PowerPoint charts; the
default stays the PNG picture, which looks the same wherever the deck is
opened and is the very slide the PNG export writes. ``--disclosure`` starts
the slides with the wave's disclosure (sample type and AAPOR items).

``--question Q`` charts a question of the wave's own questionnaire: every
answer (a diverging bar for a scale, with its NETs; bars otherwise), or with
``--answer A`` (repeatable: one NET of them, or ``top2``/``bottom2``) or
``--mean`` that one figure across the segments. Without ``--metric``, a
question's export holds no library metric.

``--weights NAME`` draws every chart under a stored weighting of the wave
(default: its default weighting, as ``estimate`` and the dashboard use it),
``--unweighted`` under none; each slide's footnote says what a stored
raking was weighted to.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from analysis.cli.commands import COMMANDS
from analysis.cli.options import (
    add_file_format,
    add_store,
    add_weighting,
    checked_weighting,
    open_store,
)
from analysis.cli.question_estimate import weighted_question_rows
from analysis.errors import SurveyDataError
from analysis.figures.answers import answer_chart
from analysis.figures.chart import Chart, ChartContext
from analysis.figures.segment import segment_chart
from analysis.library.codebook import load_codebook
from analysis.slides.deck import Cover, deck_pptx, deck_zip, report_pdf
from analysis.slides.disclosure import disclosure_figure
from analysis.slides.render import check_browser, figure_png, slide_png
from analysis.store.wave_store import WaveStore
from analysis.table.estimate import estimate
from analysis.table.letters import with_segment_letters
from analysis.table.rows import EstimateOptions

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
    parser.add_argument(
        "--question",
        action="append",
        default=None,
        help="a question of the wave's own questionnaire (repeatable): a chart of "
        "its answers",
    )
    parser.add_argument(
        "--answer",
        action="append",
        default=None,
        help="with --question: chart this answer across segments (repeatable: "
        "their NET; or top2, bottom2, and a long scale's sides, e.g. top3)",
    )
    parser.add_argument(
        "--mean",
        action="store_true",
        help="with --question: chart the mean score of a scale or numeric question",
    )
    parser.add_argument("--by", default=None, help="segment variable, e.g. country")
    add_weighting(parser)
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
    default = [] if args.question else list(book.metrics)
    metrics = [book.metric(m).id for m in (args.metric or default)]
    if args.format != "pptx" and (args.native_charts or args.template):
        raise SurveyDataError("--native-charts and --template apply to --format pptx")
    if (args.answer or args.mean) and not args.question:
        raise SurveyDataError("--answer and --mean apply to --question")
    weighted, weighting = checked_weighting(store, [args.wave], args)
    opts = EstimateOptions(weighted=weighted, weighting=weighting)
    if args.question:  # an unknown question is told before a browser starts
        questionnaire = store.questionnaire(args.wave)
        for question in args.question:
            questionnaire.question(question)
    if not (args.format == "pptx" and args.native_charts):
        check_browser()  # before any work: a missing browser is a one-line error
    context = ChartContext(lang=args.lang, size="slide", waves=[info], codebook=book)
    slides = _metric_charts(store, args, metrics, context, opts) if metrics else []
    if metrics and not slides:
        raise SurveyDataError(f"wave {args.wave} has none of the metrics {metrics}")
    slides += [
        _question_chart(store, args, q, context, opts) for q in args.question or []
    ]
    args.out.mkdir(parents=True, exist_ok=True)
    for path in _write(slides, args, Cover(f"Confiance — {args.wave}")):
        print(path)
    return 0


def _metric_charts(
    store: WaveStore,
    args: argparse.Namespace,
    metrics: list[str],
    ctx: ChartContext,
    opts: EstimateOptions,
) -> list[Chart]:
    """One segment chart per library metric the wave has."""
    by = [args.by] if args.by else []
    # letters once, at the estimates' (default) level: the charts only read them
    table = with_segment_letters(
        estimate(store, [args.wave], metrics, by, options=opts, codebook=ctx.codebook)
    )
    return [
        segment_chart(table, metric, ctx, wave=args.wave, by=args.by)
        for metric in metrics
        if (table["metric"] == metric).any()
    ]


def _question_chart(
    store: WaveStore,
    args: argparse.Namespace,
    question_id: str,
    ctx: ChartContext,
    opts: EstimateOptions,
) -> Chart:
    """A question's answers chart, or one answer's (or the mean's) across segments."""
    question = store.questionnaire(args.wave).question(question_id)
    one = bool(args.answer) or args.mean or question.type == "numeric"
    rows = weighted_question_rows(
        store,
        args.wave,
        question.id,
        opts,
        answers=args.answer or None,
        mean=args.mean,
        nets=not one,
        by=args.by,
    )
    table = with_segment_letters(rows)
    if not one:
        return answer_chart(table, question, ctx, wave=args.wave)
    answer = str(table["answer"].iloc[0])
    return segment_chart(table, question.id, ctx, wave=args.wave, answer=answer)


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
