"""The tension chart: several shares side by side for each segment."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from analysis.figures.chart import Chart, ChartContext
from analysis.figures.layout import PAD, safe_filename, text_width, wrap
from analysis.figures.parts import (
    error_bars,
    finished_chart,
    hover_text,
    legend_height,
    metric_rows,
    only_wave,
    scaled,
    slide_text,
    text_anchor,
    value_axis,
    value_text,
)
from analysis.figures.text import SlideText
from analysis.i18n import Words
from analysis.store.wave import TOTAL

TENSION_METRICS = (
    "expect_personalisation",
    "tracking_for_ads_unethical",
    "personalisation_paradox",
)


_SYMBOLS = ("circle", "diamond", "square", "triangle-up", "x", "star")
_WORDS = Words(
    {"subtitle": ("By {by}, on the same respondents", "Par {by}, sur la même base")}
)


def tension_chart(
    table: pd.DataFrame,
    context: ChartContext | None = None,
    *,
    metrics: Sequence[str] = TENSION_METRICS,
    wave: str | None = None,
    by: str = "country",
    title: str | None = None,
) -> Chart:
    """The overview's tension: several shares side by side for each segment.

    By default: who expects personalisation, who finds ad tracking unethical,
    and who holds both views at once (the personalisation paradox). The
    title is the last metric's insight.
    """
    ctx = context or ChartContext()
    wave = only_wave(table, wave)
    parts = [metric_rows(table, m, wave) for m in metrics]
    rows = pd.concat(parts, ignore_index=True)
    rows = rows[rows["segment_var"].isin([TOTAL, by])]
    segments = list(pd.unique(rows["segment_value"]))
    labels = [
        f"<b>{ctx.label(v)}</b>" if v == TOTAL else ctx.label(v) for v in segments
    ]
    fig = go.Figure()
    step = 0.8 / len(metrics)
    for j, metric in enumerate(metrics):
        part = rows[rows["metric"] == metric]
        ys = [segments.index(v) - 0.4 + step * (j + 0.5) for v in part["segment_value"]]
        _tension_trace(fig, part, ys, j, ctx)
    fig.update_yaxes(
        tickvals=list(range(len(segments))),
        ticktext=labels,
        autorange="reversed",
        showgrid=False,
        zeroline=False,
        fixedrange=True,
    )
    value_axis(fig, ctx, "share", 100.0)
    fig.update_layout(
        legend={
            "orientation": "h",
            "x": 0,
            "y": 1.02,
            "yanchor": "bottom",
            "xanchor": "left",
            "traceorder": "normal",
        },
        hovermode="closest",
    )
    left = max(text_width(lb, ctx.theme.fonts.tick) for lb in labels) + PAD + 12
    names = [_legend_name(m, ctx) for m in metrics]
    legend_h = legend_height(names, ctx, left)
    text = slide_text(rows, ctx, metrics[-1], safe_filename("tension", by, wave), title)
    subtitle = _WORDS("subtitle", ctx.lang, by=ctx.label(by).lower())
    text = SlideText(text.title, subtitle, "", text.filename)
    return finished_chart(fig, text, rows, ctx, left=left, above_plot=legend_h)


def _legend_name(metric: str, ctx: ChartContext) -> str:
    label = ctx.codebook.metric(metric).label.get(ctx.lang)
    return "<br>".join(wrap(label, 300, ctx.theme.fonts.body))


def _tension_trace(
    fig: go.Figure, part: pd.DataFrame, ys: list[float], j: int, ctx: ChartContext
) -> None:
    colour = ctx.theme.palette[j % len(ctx.theme.palette)]
    shown = part["estimate"].notna().to_numpy()
    up, down = error_bars(part)
    greyed = part["flag"].isin(["low_base"]).tolist()
    fig.add_trace(
        go.Scatter(
            x=[scaled(r, "estimate") for _, r in part.iterrows()],
            y=ys,
            mode="markers",
            name=_legend_name(str(part["metric"].iloc[0]), ctx),
            marker={
                "size": ctx.px(10),
                "color": [ctx.theme.color("low_base") if g else colour for g in greyed],
                "symbol": _SYMBOLS[j % len(_SYMBOLS)],
            },
            error_x={
                "type": "data",
                "array": up,
                "arrayminus": down,
                "color": colour,
                "thickness": ctx.px(1.5),
                "width": ctx.px(3),
            },
            hovertext=[hover_text(r, ctx) for _, r in part.iterrows()],
            hoverinfo="text+name",
        )
    )
    anchor = [text_anchor(r) for _, r in part.iterrows()]
    fig.add_trace(
        go.Scatter(
            x=anchor,
            y=ys,
            mode="text",
            text=[
                value_text(r, ctx, letters=False) if s else ""
                for s, (_, r) in zip(shown, part.iterrows(), strict=True)
            ],
            textposition="middle right",
            textfont={"size": ctx.px(ctx.theme.fonts.tick - 1), "color": colour},
            hoverinfo="skip",
            showlegend=False,
        )
    )
