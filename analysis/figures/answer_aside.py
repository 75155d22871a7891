"""The middle answer of an odd scale, in its own panel beside the diverging bar.

A neutral answer is neither side's: stacked on one it would push that side's
NET off zero. It gets bars of its own, with their intervals, on a second
axis to the right (``xaxis2``) that shares the segments' rows.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from analysis.figures.answer_layout import AnswerLayout
from analysis.figures.answer_parts import (
    NEUTRAL,
    answer_cell,
    answer_hover,
    hidden,
    low_base,
    point_label,
    points,
)
from analysis.figures.chart import ChartContext
from analysis.figures.layout import text_width
from analysis.formatting import percent


def middle_panel(
    fig: go.Figure,
    rows: pd.DataFrame,
    layout: AnswerLayout,
    ctx: ChartContext,
    place: tuple[float, float],
) -> None:
    """The middle answer's own bars, with their intervals, right of the main panel.

    ``place`` is where the panel starts (a share of the plot's width) and how
    wide it is in screen pixels.
    """
    start, width_px = place
    assert layout.neutral is not None  # only called for an odd scale
    cells = [answer_cell(rows, s, layout.neutral) for s in layout.segments]
    est = [points(c, "estimate") for c in cells]
    high = [points(c, "ci_high") for c in cells]
    low = [points(c, "ci_low") for c in cells]
    texts = [point_label(c, ctx) if not hidden(c) else "" for c in cells]
    label_px = max(text_width(t, ctx.theme.fonts.body) for t in texts) + 12.0
    reach = max(
        [h for h in high if math.isfinite(h)]
        + [v for v in est if math.isfinite(v)]
        + [10.0]
    )
    top = reach / max(1 - label_px / width_px, 0.3)
    ys = list(range(len(cells)))
    fig.add_trace(_bars(cells, layout, ctx, (est, low, high)))
    fig.add_trace(
        go.Scatter(
            x=[(h if math.isfinite(h) else 0.0) + top / 100 for h in high],
            y=ys,
            mode="text",
            text=texts,
            textposition="middle right",
            textfont={
                "size": ctx.px(ctx.theme.fonts.body),
                "color": ctx.theme.color("ink"),
            },
            xaxis="x2",
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.update_layout(
        xaxis2={
            "domain": [start, 1],
            "range": [0, top],
            "anchor": "y",
            "showgrid": True,
            "fixedrange": True,
            "tickangle": 0,
            **percent_ticks(0, top, ctx, most=3),
        }
    )


def _bars(
    cells: list[pd.Series | None],
    layout: AnswerLayout,
    ctx: ChartContext,
    values: tuple[list[float], list[float], list[float]],
) -> go.Bar:
    """The middle answer's bars on the second axis, whiskered with its intervals."""
    est, low, high = values
    name = layout.neutral or ""
    return go.Bar(
        x=[0.0 if math.isnan(v) else v for v in est],
        y=list(range(len(cells))),
        orientation="h",
        width=0.62,
        name=name,
        legendrank=len(layout.negative) + 1,
        xaxis="x2",
        marker={
            "color": NEUTRAL,
            "opacity": [0.45 if low_base(c) else 1.0 for c in cells],
        },
        error_x={
            "type": "data",
            "array": _gaps(high, est),
            "arrayminus": _gaps(est, low),
            "color": ctx.theme.color("ink"),
            "thickness": ctx.px(1.5),
            "width": ctx.px(4),
        },
        hovertext=[answer_hover(c, name, ctx) for c in cells],
        hoverinfo="text",
    )


def _gaps(upper: list[float], lower: list[float]) -> list[float]:
    return [
        0.0 if math.isnan(u - lo) else u - lo
        for u, lo in zip(upper, lower, strict=True)
    ]


def percent_ticks(
    low: float, high: float, ctx: ChartContext, most: int = 9
) -> dict[str, list[int] | list[str]]:
    """Ticks every 20 (10 on a short axis; wider past ``most``), without a sign.

    An axis widened past 100 for the NET labels at the bar ends (a phone's
    narrow plot) gets no tick beyond 100%: no share reaches it.
    """
    step = 20 if low + high > 80 else 10
    while (min(low, 100) + min(high, 100)) / step >= most:
        step *= 2
    values = list(
        range(-int(min(low, 100) // step) * step, int(min(high, 100)) + 1, step)
    )
    return {
        "tickvals": values,
        "ticktext": [percent(abs(v) / 100, ctx.lang) for v in values],
    }
