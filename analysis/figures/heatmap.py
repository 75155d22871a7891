"""The heatmap: metrics × segments on the common 0–100 colour scale."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analysis.figures.chart import Chart, ChartContext
from analysis.figures.layout import LINE, PAD, safe_filename, text_width, wrap
from analysis.figures.parts import (
    Row,
    finished_chart,
    hover_text,
    metrics_rows,
    only_wave,
    row_value,
    scaled,
    segment_notes,
    segment_value_text,
)
from analysis.figures.text import SlideText, widest_gap
from analysis.figures.theme import Theme
from analysis.formatting import estimate_text
from analysis.i18n import Words
from analysis.store.wave import TOTAL

_WORDS = Words(
    {
        "gap": (
            "Widest gap by {by}: {metric}, from {low} to {high}",
            "Plus grand écart par {by}\u00a0: {metric}, de {low} à {high}",
        ),
        "subtitle": (
            "Every metric by {by}; indices out of 100, others as % of respondents",
            "Chaque indicateur par {by}\u00a0; indices sur 100, autres en % de "
            "répondants",
        ),
    }
)


def heatmap(
    table: pd.DataFrame,
    context: ChartContext | None = None,
    *,
    metrics: Sequence[str] | None = None,
    wave: str | None = None,
    by: str = "country",
    title: str | None = None,
) -> Chart:
    """Metrics × segments, coloured on the common 0–100 axis, values written in.

    Low-base cells are written in grey with "*", suppressed ones "n<10". The
    default title names the widest gap between segments.
    """
    ctx = context or ChartContext()
    wave = only_wave(table, wave)
    chosen = list(metrics or pd.unique(table["metric"]))
    rows = metrics_rows(table, chosen, wave)
    rows = rows[rows["segment_var"].isin([TOTAL, by])]
    segments = list(pd.unique(rows["segment_value"]))
    # one record per cell, looked up by (metric, segment value)
    records = rows.to_dict("records")
    grid: dict[tuple[str, Any], Row] = {
        (str(r["metric"]), r["segment_value"]): r for r in records
    }
    z = [[_cell(grid, m, v, "z") for v in segments] for m in chosen]
    th = ctx.theme
    plot_h = th.screen[1] - 200
    row_h = plot_h / len(chosen)
    font = min(th.fonts.tick, max(10.0, row_h / 1.5))
    lines = 2 if row_h >= 2.7 * font else 1
    ylabels = [_metric_label(m, ctx, font, lines) for m in chosen]
    left = max(text_width(lb, font) for lb in ylabels) + PAD + 8
    column = (th.screen[0] - left - PAD * 1.5) / max(len(segments), 1) - 6
    xlabels = [_column_label(ctx.label(v), column, th.fonts.tick) for v in segments]
    xlabels = [
        f"<b>{lb}</b>" if v == TOTAL else lb
        for v, lb in zip(segments, xlabels, strict=True)
    ]
    x_lines = max((lb.count("<br>") + 1 for lb in xlabels), default=1)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=xlabels,
            y=ylabels,
            zmin=0,
            zmax=100,
            colorscale=_scale_colours(th),
            showscale=False,
            xgap=2,
            ygap=2,
            hovertext=[
                [_cell(grid, m, v, "hover", ctx) for v in segments] for m in chosen
            ],
            hoverinfo="text",
            # cell values as heatmap text: plotly.js picks a readable colour per
            # cell, and a hundred annotations would each re-validate the layout
            text=[[_cell(grid, m, v, "text", ctx) for v in segments] for m in chosen],
            texttemplate="%{text}",
            textfont={"size": ctx.px(font)},
        )
    )
    fig.update_yaxes(
        autorange="reversed", tickfont={"size": ctx.px(font)}, fixedrange=True
    )
    fig.update_xaxes(side="top", fixedrange=True, showgrid=False)
    text = SlideText(
        title or _gap_title(rows, ctx, by),
        _WORDS("subtitle", ctx.lang, by=ctx.label(by).lower()),
        "",
        safe_filename("heatmap", by, wave),
    )
    extra = segment_notes(rows.assign(letters=""), ctx)
    above = max(font * 2.2, th.fonts.tick * LINE * x_lines + 8)
    return finished_chart(
        fig, text, rows, ctx, left=left, extra=extra, above_plot=above
    )


def _cell(
    grid: dict[tuple[str, Any], Row],
    metric: str,
    value: Any,
    kind: str,
    ctx: ChartContext | None = None,
) -> Any:
    """One heatmap cell's colour value, text or hover text (None when absent)."""
    row = grid.get((metric, value))
    if row is None:
        return None if kind == "z" else ""
    hidden = row.get("flag") == "suppressed" or pd.isna(row.get("estimate"))
    if kind == "z":
        return None if hidden else scaled(row, "estimate")
    assert ctx is not None  # text kinds always pass the context
    if kind == "hover":
        return hover_text(row, ctx)
    if hidden:
        return "n<10"
    value_text = estimate_text(row_value(row, "estimate"), str(row["scale"]), ctx.lang)
    return f"{value_text}*" if row.get("flag") == "low_base" else value_text


def _metric_label(metric: str, ctx: ChartContext, font: float, lines: int) -> str:
    label = ctx.codebook.metric(metric).label.get(ctx.lang)
    if lines < 2:
        return label
    return "<br>".join(wrap(label, max(300, text_width(label, font) / 2 + 30), font))


def _column_label(label: str, width_px: float, font: float) -> str:
    """A segment's label on the lines its column needs, broken after hyphens too.

    Columns narrow as segments grow in number: side by side, "Royaume-Uni" and
    "États-Unis" would run into each other.
    """
    if text_width(label, font) <= width_px:
        return label
    marked = label.replace("-", "-\x00 ")  # a break after each hyphen, then none
    lines = wrap(marked, width_px, font)
    return "<br>".join(line.replace("\x00 ", "").replace("\x00", "") for line in lines)


def _scale_colours(theme: Theme) -> list[list[Any]]:
    colours = theme.sequential
    return [[i / (len(colours) - 1), c] for i, c in enumerate(colours)]


def _gap_title(rows: pd.DataFrame, ctx: ChartContext, by: str) -> str:
    gap = widest_gap(rows, by)
    if gap is None:
        return ctx.label(by)
    low, high = gap
    label = ctx.codebook.metric(str(high["metric"])).label.get(ctx.lang)
    return _WORDS(
        "gap",
        ctx.lang,
        by=ctx.label(by).lower(),
        metric=label.lower(),
        low=segment_value_text(low, ctx),
        high=segment_value_text(high, ctx),
    )
