"""Bars of a single-choice question or a multi-select set: a group per answer.

Within each answer's group, one bar per segment after the total, each with
its interval, its value and the letters of the segments of its variable it
is significantly above. The total is grey when segments are shown beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analysis.figures.answer_layout import (
    AnswerLayout,
    Segment,
    answer_row,
    is_total,
    segment_rows,
)
from analysis.figures.answer_parts import (
    Drawn,
    hidden,
    point_label,
    points,
    segment_name,
)
from analysis.figures.chart import ChartContext
from analysis.figures.layout import PAD, text_width, wrap
from analysis.figures.parts import hover_text, legend_height, value_ticks

_GROUP = 0.8
"""The share of an answer's row its bars take together."""
_PLOT_SHARE = 0.55
"""About how much of the slide's height the plot gets, for sizing labels."""


def bars_figure(rows: pd.DataFrame, layout: AnswerLayout, ctx: ChartContext) -> Drawn:
    """The figure, its left margin, the legend's height (0 with one series)."""
    th = ctx.theme
    grid = bar_grid(rows, layout)
    names = [
        "<br>".join(wrap(g, 200, th.fonts.tick))
        if layout.by_answer
        else segment_name(rows, g, ctx)
        for g in grid.groups
    ]
    left = max(text_width(n, th.fonts.tick) for n in names) + PAD + 12
    plot_w = th.screen[0] - left - 1.5 * PAD
    slot = _GROUP / len(grid.series)
    slot_px = th.screen[1] * _PLOT_SHARE / len(grid.groups) * slot
    font = max(7.0, min(float(th.fonts.body), slot_px * 0.9))
    fig = go.Figure()
    labels: list[str] = []
    reach = 10.0
    for j, series in enumerate(grid.series):
        name = segment_name(rows, series, ctx) if layout.by_answer else series
        labels.append(name)
        ys = [i - _GROUP / 2 + slot * (j + 0.5) for i in range(len(grid.groups))]
        colour = _colour(series, j, len(grid.series), ctx)
        style = _Style(colour, font, slot * 0.85, slot_px)
        end, label_px = _series_traces(fig, grid.cells[j], ys, name, style, ctx)
        reach = max(reach, end / max(1 - label_px / plot_w, 0.3))
    _axes(fig, names, reach, ctx)
    legend = len(grid.series) > 1
    fig.update_layout(
        barmode="overlay",
        showlegend=legend,
        hovermode="closest",
        legend={
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "yanchor": "bottom",
            "xanchor": "left",
            "traceorder": "normal",
        },
    )
    above = legend_height(labels, ctx, left) if legend else 0.0
    return Drawn(fig, left, above)


@dataclass(frozen=True)
class _Style:
    """One series' colour, label font, and bar height (axis units, pixels)."""

    colour: str
    font: float
    width: float
    slot_px: float


def _series_traces(
    fig: go.Figure,
    cells: tuple[pd.Series | None, ...],
    ys: list[float],
    name: str,
    style: _Style,
    ctx: ChartContext,
) -> tuple[float, float]:
    """A series' bars and value labels; how far its whiskers reach, its widest label."""
    th = ctx.theme
    texts = [point_label(c, ctx) for c in cells]
    est, low, high = (
        [points(c, col) for c in cells] for col in ("estimate", "ci_low", "ci_high")
    )
    label_px = max(text_width(t, style.font) for t in texts) + 12
    ends = [h if math.isfinite(h) else e for h, e in zip(high, est, strict=True)]
    fig.add_trace(
        go.Bar(
            x=[0.0 if math.isnan(e) else e for e in est],
            y=ys,
            orientation="h",
            width=style.width,
            name=name,
            marker={
                "color": [
                    th.color("low_base") if _low(c) else style.colour for c in cells
                ]
            },
            error_x={
                "type": "data",
                "array": _gaps(high, est),
                "arrayminus": _gaps(est, low),
                "color": th.color("ink"),
                "thickness": ctx.px(1.5),
                "width": ctx.px(min(4.0, style.slot_px / 3)),
            },
            hovertext=[_hover(c, ctx) for c in cells],
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[e if math.isfinite(e) else 0.0 for e in ends],
            y=ys,
            mode="text",
            text=["  " + t for t in texts],
            textposition="middle right",
            textfont={"size": ctx.px(style.font), "color": th.color("ink")},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    return max([e for e in ends if math.isfinite(e)] + [0.0]), label_px


@dataclass(frozen=True, eq=False)
class BarGrid:
    """The bars as drawn: groups down the side, series within each group.

    ``cells[j][i]`` is the row of series ``j`` in group ``i`` (None: no row).
    Groups are answers and series segments when the layout is
    :attr:`~analysis.figures.answer_layout.AnswerLayout.by_answer`, else the
    other way round. The native chart uses the same grid.
    """

    groups: tuple[Any, ...]
    series: tuple[Any, ...]
    cells: tuple[tuple[pd.Series | None, ...], ...]


def bar_grid(rows: pd.DataFrame, layout: AnswerLayout) -> BarGrid:
    """The rows placed in the layout's grid of groups and series."""
    by_segment = {s: segment_rows(rows, s) for s in layout.segments}

    def cell(segment: Segment, answer: str) -> pd.Series | None:
        return answer_row(by_segment[segment], answer)

    if layout.by_answer:
        cells = tuple(
            tuple(cell(s, a) for a in layout.answers) for s in layout.segments
        )
        return BarGrid(layout.answers, layout.segments, cells)
    cells = tuple(tuple(cell(s, a) for s in layout.segments) for a in layout.answers)
    return BarGrid(layout.segments, layout.answers, cells)


def _axes(fig: go.Figure, names: list[str], reach: float, ctx: ChartContext) -> None:
    groups = list(range(len(names)))
    fig.update_yaxes(
        tickvals=groups,
        ticktext=names,
        range=[len(groups) - 0.5, -0.5],
        showgrid=False,
        ticks="",
        fixedrange=True,
    )
    top = float(math.ceil(reach / 10) * 10)
    ticks = value_ticks("share", ctx.lang)
    fig.update_xaxes(
        range=[0, top], showgrid=True, zeroline=False, fixedrange=True, **ticks
    )


def _colour(series: Any, j: int, count: int, ctx: ChartContext) -> str:
    """A segment's colour (the total grey beside others), or an answer's."""
    palette = ctx.theme.palette
    if isinstance(series, tuple) and is_total(series):
        return ctx.theme.color("muted") if count > 1 else ctx.theme.color("primary")
    shift = 1 if isinstance(series, tuple) else 0  # segments: the total took none
    return palette[(j - shift) % len(palette)]


def _gaps(upper: list[float], lower: list[float]) -> list[float]:
    return [
        0.0 if math.isnan(u - lo) else u - lo
        for u, lo in zip(upper, lower, strict=True)
    ]


def _low(row: pd.Series | None) -> bool:
    return row is not None and str(row.get("flag", "ok")) == "low_base"


def _hover(row: pd.Series | None, ctx: ChartContext) -> str:
    if row is None or hidden(row):
        return ""
    return f"<b>{row['answer']}</b><br>{hover_text(row, ctx)}"
