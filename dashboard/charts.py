"""Draw analysis.figures charts on a page: the same charts the slide export uses.

`theme=None` keeps Streamlit from restyling a figure, so the browser shows what
the PNG slide shows. Charts on screen are laid out for a laptop's main column, or
for a phone (a mobile browser, or ``?compact=1``), so titles and footnotes wrap
instead of running off the edge; slides are always built at the slide layout.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from analysis.errors import SurveyDataError
from analysis.figures.answers import answer_chart
from analysis.figures.camera import plotly_config
from analysis.figures.chart import Chart, ChartContext
from analysis.figures.heatmap import heatmap as heatmap_chart
from analysis.figures.segment import segment_chart
from analysis.figures.tension import TENSION_METRICS, tension_chart
from analysis.figures.theme import load_theme
from analysis.figures.trend import trend_chart
from analysis.names import markdown_safe
from analysis.store.questionnaire import Question
from dashboard import data, exporting
from dashboard.view import View

Builder = Callable[[ChartContext], Chart]
PHONE_SCREEN = (380, 640)
# the main column beside the sidebar on a 1280-px laptop is about 820 px wide:
# lay text out for it, so nothing runs past the edge of a responsive chart
LAPTOP_SCREEN = (800, 500)
# a row of bars needs room for its two-line label (segment, base); the title,
# subtitle, legend and footnote take about the rest of a chart
_BAR_PX = 42
# a heatmap's row of cells needs room for its metric's label (two lines when
# long, three on a phone's narrow label column), or plotly shows every other
# label only
_CELL_ROW_PX = 32
_PHONE_CELL_ROW_PX = 60
_FRAME_PX = 260
_FIT_PX = 340


def compact() -> bool:
    """Whether to lay charts out for a phone: ``?compact=`` or a mobile browser."""
    flag = st.query_params.get("compact")
    if flag in ("0", "1"):
        return flag == "1"
    return "Mobi" in st.context.headers.get("User-Agent", "")


def show(
    build: Builder,
    context: ChartContext,
    key: str,
    bars: float = 0,
    fit: bool = False,
    cell_rows: int = 0,
) -> None:
    """One chart, full width, with its slide exports (camera and server PNG).

    The screen chart is laid out for this screen, taller when it has many
    ``bars`` (rows of bars, each labelled on two lines) or ``cell_rows`` (a
    heatmap's rows, whose labels wrap: more on a phone), and on a laptop as
    tall as its bars need when ``fit`` (one total bar is not a wall); the
    slide is the same builder at the theme's own 960×540 layout, built only
    when exported.
    """
    phone = compact()
    width, height = PHONE_SCREEN if phone else LAPTOP_SCREEN
    row_px = _PHONE_CELL_ROW_PX if phone else _CELL_ROW_PX
    needed = int(_FRAME_PX + _BAR_PX * bars + row_px * cell_rows)
    floor = _FIT_PX if fit and not phone else height
    screen = (width, max(floor, needed))
    theme = dataclasses.replace(context.theme, screen=screen)
    chart = build(dataclasses.replace(context, theme=theme))
    st.plotly_chart(
        chart.figure,
        theme=None,
        width="stretch",
        config=plotly_config(),
    )

    def slide() -> Chart:
        return build(context)

    exporting.register(chart, slide)
    exporting.png_button(slide, key, context.lang)


def _context(view: View, waves: Sequence[str]) -> ChartContext:
    """What every chart of a view is told: language, waves, filters, texts."""
    return ChartContext(
        lang=view.lang,
        waves=[data.wave_info(w) for w in waves],
        filters=view.filters,
        codebook=data.codebook(),
        theme=load_theme(),
    )


def segments(view: View, table: pd.DataFrame, metric: str, by: str | None) -> None:
    """A metric across the segments of ``by``, letters read from ``table``."""

    def build(ctx: ChartContext) -> Chart:
        return segment_chart(table, metric, ctx, wave=view.wave, by=by)

    key = f"{metric}_{view.wave}_{by}"
    show(build, _context(view, [view.wave]), key, bars=_segment_count(table, by))


def trend(
    view: View,
    table: pd.DataFrame,
    changes: pd.DataFrame,
    metric: str,
    waves: list[str],
) -> None:
    """A metric across waves; the marks are ``changes``' significant rows."""
    by = str(table["segment_var"].iloc[0]) if len(table) else "total"

    def build(ctx: ChartContext) -> Chart:
        return trend_chart(table, metric, changes, ctx, waves=waves, by=by)

    show(build, _context(view, waves), f"{metric}_trend_{by}")


def tension(view: View) -> None:
    """Expect personalisation vs reject ad tracking, by country."""
    try:
        table = data.estimates(
            [view.wave],
            TENSION_METRICS,
            ["country"],
            view.filters,
            view.options,
        )
    except SurveyDataError as exc:
        st.error(markdown_safe(str(exc)))
        return

    def build(ctx: ChartContext) -> Chart:
        return tension_chart(table, ctx, wave=view.wave)

    show(build, _context(view, [view.wave]), f"tension_{view.wave}")


def heatmap(view: View, table: pd.DataFrame, by: str) -> None:
    """Every metric × the segments of ``by``."""

    def build(ctx: ChartContext) -> Chart:
        return heatmap_chart(table, ctx, by=by, wave=view.wave)

    key = f"heatmap_{view.wave}_{by}"
    rows = table["metric"].nunique()
    show(build, _context(view, [view.wave]), key, cell_rows=rows)


def _segment_count(table: pd.DataFrame, by: str | None) -> int:
    """How many rows of bars a chart by ``by`` has: the total and each segment."""
    if by is None:
        return 1
    return 1 + int(table.loc[table["segment_var"] == by, "segment_value"].nunique())


def question_answers(
    view: View, table: pd.DataFrame, question: Question, by: str | None, title: str
) -> None:
    """Every answer of a wave's question, the total then each segment of ``by``.

    A scale is a diverging stacked bar with its NETs, a single-choice or
    multi-select question bars (:func:`analysis.figures.answers.answer_chart`);
    the deck's native chart follows the same layout.
    """

    def build(ctx: ChartContext) -> Chart:
        return answer_chart(table, question, ctx, wave=view.wave, by=by, title=title)

    # a scale is one stacked bar per segment; other questions one thin bar
    # (half a row) per answer and segment
    bars = _segment_count(table, by)
    if question.type != "scale":
        bars *= len(question.counted) / 2
    key = f"{question.id}_answers_{by or 'total'}"
    show(build, _context(view, [view.wave]), key, bars=bars, fit=True)


def question_segments(
    view: View, table: pd.DataFrame, question: str, answer: str, by: str | None
) -> None:
    """One answer (NET, mean) of a wave's question across the segments of ``by``."""

    def build(ctx: ChartContext) -> Chart:
        return segment_chart(table, question, ctx, wave=view.wave, by=by, answer=answer)

    key = f"{question}_{answer}_{view.wave}_{by or 'total'}"
    show(build, _context(view, [view.wave]), key, bars=_segment_count(table, by))


def question_trend(
    view: View,
    table: pd.DataFrame,
    changes: pd.DataFrame,
    key: str,
    waves: list[str],
    title: str,
) -> None:
    """One answer of a tracked question across waves, titled in its own words."""
    by = str(table["segment_var"].iloc[0]) if len(table) else "total"

    def build(ctx: ChartContext) -> Chart:
        return trend_chart(table, key, changes, ctx, waves=waves, by=by, title=title)

    show(build, _context(view, waves), f"{key}_trend_{by}")
