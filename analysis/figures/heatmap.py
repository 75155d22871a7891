"""The heatmap: metrics × segments on the common 0–100 colour scale."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
    plot_height,
    row_value,
    scaled,
    segment_notes,
    segment_value_text,
    with_footnote,
)
from analysis.figures.text import SlideText, widest_gap
from analysis.figures.theme import Theme
from analysis.formatting import estimate_text
from analysis.i18n import Words
from analysis.store.wave import TOTAL

_LABEL_SHARE = 0.4  # of the chart's width, for the metrics' labels
_LABEL_MIN_PX = 120.0
_FONT_MIN_PX = 8.0

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
    text = SlideText(
        title or _gap_title(rows, ctx, by),
        _WORDS("subtitle", ctx.lang, by=ctx.label(by).lower()),
        "",
        safe_filename("heatmap", by, wave),
    )
    extra = segment_notes(rows.assign(letters=""), ctx)
    names = [ctx.codebook.metric(m).label.get(ctx.lang) for m in chosen]
    columns = [ctx.label(v) for v in segments]
    text = with_footnote(text, rows, ctx, extra)
    labels = _labels(names, columns, plot_height(text, ctx), th)
    xlabels = [
        f"<b>{lb}</b>" if v == TOTAL else lb
        for v, lb in zip(segments, labels.columns, strict=True)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=xlabels,
            y=labels.rows,
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
            textfont={"size": ctx.px(labels.font)},
        )
    )
    fig.update_yaxes(
        autorange="reversed", tickfont={"size": ctx.px(labels.font)}, fixedrange=True
    )
    fig.update_xaxes(
        side="top", fixedrange=True, showgrid=False, tickangle=labels.angle
    )
    above = max(labels.font * 2.2, labels.above)
    return finished_chart(
        fig, text, rows, ctx, left=labels.left, above_plot=above, footnoted=True
    )


@dataclass(frozen=True)
class _Labels:
    """The heatmap's labels as laid out: rows' font, both axes' texts, room taken."""

    font: float
    rows: list[str]
    left: float
    columns: list[str]
    angle: int
    above: float


def _labels(
    names: Sequence[str], columns: Sequence[str], free: float, th: Theme
) -> _Labels:
    """Rows and columns share ``free``, the height title and footnote leave.

    The columns' labels take one line until known: more (wrapped, or upright)
    leaves the rows less, so the rows are laid out again once.
    """
    above = th.fonts.tick * LINE + 8
    while True:
        font, rows = _row_labels(
            names, th.screen[0], (free - above) / len(names), th.fonts.tick
        )
        left = max(text_width(lb, font) for lb in rows) + PAD + 8
        width = (th.screen[0] - left - PAD * 1.5) / max(len(columns), 1) - 6
        tops, angle, needed = _column_labels(columns, width, th.fonts.tick)
        if needed <= above:
            return _Labels(font, rows, left, tops, angle, above)
        above = needed


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


def _row_labels(
    names: Sequence[str], width: float, row_h: float, tick: float
) -> tuple[float, list[str]]:
    """The metrics' labels, wrapped to their column, and the largest font rows hold.

    The label column takes at most 40 % of the chart, so a phone keeps room for
    the cells; a row must hold its label's lines, or plotly shows every other
    label only.
    """
    column = max(_LABEL_MIN_PX, _LABEL_SHARE * width)
    font = min(tick, max(10.0, row_h / 1.5))
    while True:
        lines = [wrap(name, column, font) for name in names]
        most = max(len(label) for label in lines)
        if most * font * LINE <= row_h or font <= _FONT_MIN_PX:
            return font, ["<br>".join(label) for label in lines]
        font = max(_FONT_MIN_PX, font - 0.5)  # a smaller font may need fewer lines


def _column_labels(
    names: Sequence[str], column: float, tick: float
) -> tuple[list[str], int, float]:
    """The segments' labels across the top, their angle and the height they take.

    Each is wrapped to its column; when a word is wider than a column (a
    phone's six columns), every label stands upright instead, whole.
    """
    wrapped = [_column_label(name, column, tick) for name in names]
    if all(text_width(label, tick) <= column for label in wrapped):
        lines = max((label.count("<br>") + 1 for label in wrapped), default=1)
        return wrapped, 0, tick * LINE * lines + 8
    return list(names), -90, max(text_width(name, tick) for name in names) + 8


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
