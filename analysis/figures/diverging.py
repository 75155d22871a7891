"""The diverging stacked bar of a scale question: one bar per segment, zero between.

Drawn from an :class:`~analysis.figures.answer_layout.AnswerLayout`: each
lower answer stacks left of zero, each higher one right, the middle answer
of an odd scale in a panel aside. Each end is labelled with the share of
its whole side (its NET: top-2 on a 5-point scale, top-3 on a 7-point one)
and whiskered with that share's interval, both read from the side's row.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.figures.answer_aside import middle_panel, percent_ticks
from analysis.figures.answer_layout import AnswerLayout, answer_row, segment_rows
from analysis.figures.answer_parts import (
    NEGATIVE,
    POSITIVE,
    Drawn,
    answer_cell,
    answer_hover,
    hidden,
    low_base,
    point_label,
    points,
    ramp,
    segment_name,
    text_colour,
)
from analysis.figures.chart import ChartContext
from analysis.figures.layout import PAD, text_width
from analysis.figures.parts import legend_height
from analysis.formatting import percent
from analysis.i18n import Words

_WORDS = Words(
    {
        "whiskers": (
            "Whiskers at the bar ends: the interval of that side's NET",
            "Moustaches en bout de barre\u00a0: l'intervalle du NET de ce côté",
        ),
        "aside": (
            "The middle answer “{label}” is shown aside",
            "La modalité centrale «\u00a0{label}\u00a0» est à part",
        ),
    }
)
_SPLIT = 0.8
"""The main panel's share of the plot's width when the middle answer is aside."""
_GAP_PX = 6.0


def diverging_figure(
    rows: pd.DataFrame, layout: AnswerLayout, ctx: ChartContext
) -> Drawn:
    """The figure, its left margin, the legend's height and its footnote lines."""
    names = [segment_name(rows, s, ctx) for s in layout.segments]
    left = max(text_width(n, ctx.theme.fonts.tick) for n in names) + PAD + 12
    plot_w = ctx.theme.screen[0] - left - 1.5 * PAD
    ends = [_Ends.read(rows, s, layout, ctx) for s in layout.segments]
    fig = go.Figure()
    main_w = plot_w * (_SPLIT - 0.04 if layout.neutral else 1.0)
    low, high = _extent(ends, main_w, ctx)
    _stack(fig, rows, layout, ctx)
    _clear_whiskers(fig, ends, (low + high) / main_w, ctx)
    _end_marks(fig, ends, low, high, ctx)
    ys = list(range(len(layout.segments)))
    fig.update_yaxes(
        tickvals=ys,
        ticktext=names,
        range=[len(ys) - 0.5, -0.5],
        showgrid=False,
        ticks="",
        fixedrange=True,
    )
    fig.update_xaxes(
        range=[-low, high],
        domain=[0, _SPLIT - 0.04] if layout.neutral else [0, 1],
        zeroline=True,
        zerolinecolor=ctx.theme.color("ink"),
        zerolinewidth=ctx.px(1.5),
        fixedrange=True,
        **percent_ticks(low, high, ctx),
    )
    if layout.neutral:
        middle_panel(fig, rows, layout, ctx, (_SPLIT, plot_w * (1 - _SPLIT)))
    _separators(fig, layout, ctx)
    labels = [*reversed(layout.negative), *([layout.neutral] if layout.neutral else [])]
    labels += list(layout.positive)
    fig.update_layout(
        barmode="relative",
        showlegend=True,
        hovermode="closest",
        uniformtext={"minsize": ctx.px(ctx.theme.fonts.body * 0.9), "mode": "hide"},
        legend={
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "yanchor": "bottom",
            "xanchor": "left",
            "traceorder": "normal",
        },
    )
    notes = []
    if layout.low_end or layout.high_end:
        notes.append(_WORDS("whiskers", ctx.lang))
    if layout.neutral:
        notes.append(_WORDS("aside", ctx.lang, label=layout.neutral))
    return Drawn(fig, left, legend_height(labels, ctx, left), tuple(notes))


class _Ends:
    """One segment's two ends: where each stops, its NET label and its whisker."""

    def __init__(self) -> None:
        self.stack = [0.0, 0.0]  # where the bar ends, left and right
        self.reach = [0.0, 0.0]  # how far the bar and whisker go
        self.centre: list[float | None] = [None, None]  # the whisker's centre
        self.whisker = [(0.0, 0.0), (0.0, 0.0)]  # (towards zero, outwards)
        self.label = ["", ""]

    @classmethod
    def read(
        cls,
        rows: pd.DataFrame,
        segment: tuple[str, str],
        layout: AnswerLayout,
        ctx: ChartContext,
    ) -> _Ends:
        mine = segment_rows(rows, segment)
        ends = cls()
        sides = ((layout.negative, layout.low_end), (layout.positive, layout.high_end))
        for k, (answers, end) in enumerate(sides):
            stack = np.nansum(
                [points(answer_row(mine, a), "estimate") for a in answers]
            )
            ends.stack[k] = ends.reach[k] = float(stack)
            row = answer_row(mine, end)
            if row is not None and not hidden(row):
                est, lo, hi = (
                    points(row, c) for c in ("estimate", "ci_low", "ci_high")
                )
                if math.isfinite(lo) and math.isfinite(hi):
                    ends.centre[k] = est
                    ends.whisker[k] = (est - lo, hi - est)
                    ends.reach[k] = max(stack, hi)
            if row is not None and not hidden(row):
                ends.label[k] = f"<b>{point_label(row, ctx)}</b>"
        return ends


def _extent(
    ends: list[_Ends], width_px: float, ctx: ChartContext
) -> tuple[float, float]:
    """How far the axis reaches left and right, leaving room for the NET labels."""
    low0 = max([e.reach[0] for e in ends] + [10.0])
    high0 = max([e.reach[1] for e in ends] + [10.0])
    font = float(ctx.theme.fonts.body)
    left_px = max(text_width(e.label[0], font) for e in ends) + 2 * _GAP_PX
    right_px = max(text_width(e.label[1], font) for e in ends) + 2 * _GAP_PX
    room = max(width_px - left_px - right_px, 0.35 * width_px)
    per_px = (low0 + high0) / room
    return low0 + left_px * per_px, high0 + right_px * per_px


def _stack(
    fig: go.Figure, rows: pd.DataFrame, layout: AnswerLayout, ctx: ChartContext
) -> None:
    """One bar trace per answer, from zero outwards on each side."""
    sides = (
        (layout.negative, -1.0, ramp(NEGATIVE, len(layout.negative))[::-1]),
        (layout.positive, 1.0, ramp(POSITIVE, len(layout.positive))[::-1]),
    )
    rank = {
        a: i for i, a in enumerate([*reversed(layout.negative), "", *layout.positive])
    }
    for answers, sign, colours in sides:
        for answer, colour in zip(answers, colours, strict=True):
            cells = [answer_cell(rows, s, answer) for s in layout.segments]
            fig.add_trace(
                go.Bar(
                    x=[
                        sign * (0.0 if math.isnan(v) else v)
                        for v in (points(c, "estimate") for c in cells)
                    ],
                    y=list(range(len(cells))),
                    orientation="h",
                    width=0.62,
                    name=answer,
                    legendrank=rank[answer] + 1,
                    marker={
                        "color": colour,
                        "opacity": [0.45 if low_base(c) else 1.0 for c in cells],
                        "line": {"width": 0},
                    },
                    text=[_inside(c, ctx) for c in cells],
                    textposition="inside",
                    insidetextanchor="middle",
                    textfont={
                        "size": ctx.px(ctx.theme.fonts.body),
                        "color": text_colour(colour, ctx),
                    },
                    hovertext=[answer_hover(c, answer, ctx) for c in cells],
                    hoverinfo="text",
                )
            )


def _clear_whiskers(
    fig: go.Figure, ends: list[_Ends], per_px: float, ctx: ChartContext
) -> None:
    """Keep the outermost answers' labels clear of the whiskers over them.

    When a whisker reaches the middle of an end bar, that side's labels sit
    at their bars' inner edge instead; a label that still would touch its
    whisker goes (the hover and the table keep the number).
    """
    outer: dict[int, Any] = {}
    for trace in (t for t in fig.data if t.type == "bar"):
        # traces run from zero outwards: the last of each side is its outer one
        outer[0 if min(trace.x, default=0) < 0 else 1] = trace
    for k, trace in outer.items():
        clear: list[tuple[bool, bool]] = []  # (clear in the middle, at the start)
        for value, text, end in zip(trace.x, trace.text, ends, strict=True):
            inner = (end.centre[k] or 0.0) - end.whisker[k][0]
            width = (text_width(text, ctx.theme.fonts.body) + 2 * _GAP_PX) * per_px
            start = end.stack[k] - abs(value)
            free = end.centre[k] is None
            clear.append(
                (
                    free or start + (abs(value) + width) / 2 < inner,
                    free or start + width < inner,
                )
            )
        if all(middle for middle, _ in clear):
            continue
        trace.insidetextanchor = "start"
        trace.text = [
            text if at_start else ""
            for text, (_, at_start) in zip(trace.text, clear, strict=True)
        ]


def _inside(row: pd.Series | None, ctx: ChartContext) -> str:
    if hidden(row) or row is None:
        return ""
    return percent(float(row["estimate"]), ctx.lang)


def _end_marks(
    fig: go.Figure, ends: list[_Ends], low: float, high: float, ctx: ChartContext
) -> None:
    """The NET labels past each end, and the whiskers at the ends."""
    span = (low + high) / 1000  # a hair, in axis units
    ys = list(range(len(ends)))
    for k, sign in ((0, -1.0), (1, 1.0)):
        centres = [
            (y, e) for y, e in zip(ys, ends, strict=True) if e.centre[k] is not None
        ]
        if centres:
            fig.add_trace(
                go.Scatter(
                    x=[sign * (e.centre[k] or 0.0) for _, e in centres],
                    y=[y for y, _ in centres],
                    mode="markers",
                    marker={"size": 1, "color": "rgba(0,0,0,0)"},
                    error_x={
                        "type": "data",
                        "array": [
                            e.whisker[k][1 if sign > 0 else 0] for _, e in centres
                        ],
                        "arrayminus": [
                            e.whisker[k][0 if sign > 0 else 1] for _, e in centres
                        ],
                        "color": ctx.theme.color("ink"),
                        "thickness": ctx.px(1.5),
                        "width": ctx.px(4),
                    },
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
        fig.add_trace(
            go.Scatter(
                x=[sign * (e.reach[k] + 4 * span) for e in ends],
                y=ys,
                mode="text",
                text=[e.label[k] for e in ends],
                textposition="middle right" if sign > 0 else "middle left",
                textfont={
                    "size": ctx.px(ctx.theme.fonts.body),
                    "color": ctx.theme.color("ink"),
                },
                hoverinfo="skip",
                showlegend=False,
            )
        )


def _separators(fig: go.Figure, layout: AnswerLayout, ctx: ChartContext) -> None:
    """Thin lines between segment variables (and after the total)."""
    variables = [s[0] for s in layout.segments]
    for i in range(1, len(variables)):
        if variables[i] != variables[i - 1]:
            fig.add_hline(
                y=i - 0.5, line={"color": ctx.theme.color("grid"), "width": ctx.px(1)}
            )
