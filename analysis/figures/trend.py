"""The trend chart: one metric across waves, a line and ribbon per segment."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from analysis.errors import SurveyDataError
from analysis.figures.chart import Chart, ChartContext
from analysis.figures.layout import PAD, safe_filename, text_width
from analysis.figures.parts import (
    finished_chart,
    hover_text,
    legend_height,
    metric_rows,
    scaled,
    segment_notes,
    segment_value_text,
    significance_words,
    slide_text,
    value_ticks,
)
from analysis.figures.text import insight_title, widest_gap
from analysis.formatting import points
from analysis.i18n import Words
from analysis.store.wave import TOTAL

_WORDS = Words(
    {
        "gap": (
            "{metric}, {wave}: from {low} to {high}",
            "{metric}, {wave}\u00a0: de {low} à {high}",
        ),
        "marks": (
            "▲▼ significant change from the previous wave ({test})",
            "▲▼ changement significatif depuis la vague précédente ({test})",
        ),
    }
)


def trend_chart(
    table: pd.DataFrame,
    metric: str,
    changes: pd.DataFrame,
    context: ChartContext | None = None,
    *,
    waves: Sequence[str] | None = None,
    by: str = TOTAL,
    title: str | None = None,
) -> Chart:
    """One metric across waves: a line per segment with its interval ribbon.

    A change from the previous wave that ``changes`` (the
    :func:`analysis.table.trends.trend_table` of these waves, at the user's
    level and adjustment) marks ``significant`` is drawn as ▲ or ▼ with the
    change in points; nothing is tested here, so the chart and the table of
    changes beside it always agree.
    """
    ctx = context or ChartContext()
    rows = metric_rows(table, metric, None)
    rows = rows[rows["segment_var"] == by]
    order = list(waves) if waves is not None else list(pd.unique(rows["wave"]))
    rows = rows[rows["wave"].isin(order)]
    if rows.empty:
        raise SurveyDataError(f"no rows for metric '{metric}' by '{by}' in {order}")
    fig = go.Figure()
    palette = ctx.theme.palette
    values = list(pd.unique(rows["segment_value"]))
    for i, value in enumerate(values):
        part = rows[rows["segment_value"] == value].copy()
        part = part.assign(_o=part["wave"].map(order.index)).sort_values("_o")
        _trend_traces(fig, part, ctx, palette[i % len(palette)], str(value))
    marks = _trend_marks(fig, rows, _shown_changes(changes, metric, by, order), ctx)
    # every ribbon under every line, so no ribbon tints another segment's line
    fig.data = tuple(sorted(fig.data, key=lambda t: t.hoverinfo != "skip"))
    fig.update_xaxes(
        type="category",
        categoryorder="array",
        categoryarray=order,
        showgrid=False,
        fixedrange=True,
    )
    scale = str(rows["scale"].iloc[0])
    fig.update_yaxes(range=[0, 100], fixedrange=True, **value_ticks(scale, ctx.lang))
    many = len(values) > 1
    fig.update_layout(
        showlegend=many,
        hovermode="closest",
        legend={
            "orientation": "h",
            "x": 0,
            "y": 1.04,
            "yanchor": "bottom",
            "xanchor": "left",
        },
    )
    rows = rows.assign(_o=rows["wave"].map(order.index)).sort_values(
        "_o", kind="stable"
    )
    rows = rows.drop(columns="_o")
    headline = title or _trend_title(rows, metric, by, order, ctx)
    text = slide_text(rows, ctx, metric, safe_filename(metric, "trend"), headline)
    labels = [ctx.label(v) for v in values]
    left = max(40.0, text_width("100 %", ctx.theme.fonts.tick) + PAD + 8)
    legend_h = legend_height(labels, ctx, left) if many else 0.0
    extra = marks + segment_notes(rows.assign(letters=""), ctx)
    return finished_chart(
        fig, text, rows, ctx, left=left, extra=extra, above_plot=legend_h
    )


def _trend_title(
    rows: pd.DataFrame, metric: str, by: str, order: list[str], ctx: ChartContext
) -> str:
    """The headline from the lines drawn: the latest total, or the latest gap.

    A chart of the total quotes the latest testable total (the insight); a
    chart of segments quotes the latest wave's lowest and highest testable
    segment, since it draws no total.
    """
    info = ctx.codebook.metric(metric)
    if by == TOTAL:
        return insight_title(rows, info, ctx.lang)
    for wave in reversed(order):
        gap = widest_gap(rows[rows["wave"] == wave], by)
        if gap is not None:
            return _WORDS(
                "gap",
                ctx.lang,
                metric=info.label.get(ctx.lang),
                wave=wave,
                low=segment_value_text(gap[0], ctx),
                high=segment_value_text(gap[1], ctx),
            )
    return info.label.get(ctx.lang)


def _shown_changes(
    changes: pd.DataFrame, metric: str, by: str, order: list[str]
) -> pd.DataFrame:
    """The changes between consecutive waves of ``order`` for this chart's lines."""
    steps = set(itertools.pairwise(order))
    mine = changes[(changes["metric"] == metric) & (changes["segment_var"] == by)]
    pairs = zip(mine["wave_from"].astype(str), mine["wave_to"].astype(str), strict=True)
    # a Series, not a list: an empty list would select no columns, not no rows
    keep = pd.Series([pair in steps for pair in pairs], index=mine.index, dtype=bool)
    return mine[keep]


def _trend_traces(
    fig: go.Figure, part: pd.DataFrame, ctx: ChartContext, colour: str, value: str
) -> None:
    x = part["wave"].astype(str).tolist()
    est = [scaled(r, "estimate") for _, r in part.iterrows()]
    low = [scaled(r, "ci_low") for _, r in part.iterrows()]
    high = [scaled(r, "ci_high") for _, r in part.iterrows()]
    name = ctx.label(value)
    fig.add_trace(
        go.Scatter(
            x=x,
            y=high,
            mode="lines",
            line={"width": 0},
            hoverinfo="skip",
            showlegend=False,
            legendgroup=name,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=low,
            mode="lines",
            line={"width": 0},
            fill="tonexty",
            fillcolor=_alpha(colour, 0.18),
            hoverinfo="skip",
            showlegend=False,
            legendgroup=name,
        )
    )
    greyed = part["flag"].isin(["low_base"]).tolist()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=est,
            mode="lines+markers",
            name=name,
            legendgroup=name,
            line={"color": colour, "width": ctx.px(3)},
            marker={
                "size": ctx.px(9),
                "color": [ctx.theme.color("low_base") if g else colour for g in greyed],
            },
            hovertext=[hover_text(r, ctx) for _, r in part.iterrows()],
            hoverinfo="text+x",
        )
    )


def _trend_marks(
    fig: go.Figure, rows: pd.DataFrame, changes: pd.DataFrame, ctx: ChartContext
) -> list[str]:
    """Mark the changes the table calls significant; return the footnote's key."""
    hits = changes[changes["significant"].astype(bool)]
    single = rows["segment_value"].nunique() == 1
    for _, ch in hits.iterrows():
        after = rows[
            (rows["wave"] == ch["wave_to"])
            & (rows["segment_value"] == ch["segment_value"])
        ].iloc[0]
        up = float(ch["diff"]) > 0
        change = points(float(ch["diff"]), str(ch["scale"]), ctx.lang)
        # one line: the change is written; several: a ▲/▼ on the point, the
        # change in the hover, so close lines never stack their labels
        fig.add_trace(
            go.Scatter(
                x=[str(ch["wave_to"])],
                y=[scaled(after, "estimate")],
                mode="markers+text" if single else "markers",
                text=[("▲ " if up else "▼ ") + change],
                textposition="top center" if up else "bottom center",
                textfont={
                    "size": ctx.px(ctx.theme.fonts.body),
                    "color": ctx.theme.color("highlight"),
                },
                marker={
                    "symbol": "triangle-up" if up else "triangle-down",
                    "size": ctx.px(15),
                    "line": {"color": "#FFFFFF", "width": ctx.px(1.5)},
                    "color": ctx.theme.color("highlight"),
                },
                hovertext=f"{ctx.label(ch['segment_value'])}: {change}",
                hoverinfo="text",
                name="change",
                customdata=[[str(ch["segment_value"]), str(ch["wave_from"])]],
                showlegend=False,
                cliponaxis=False,
            )
        )
    if hits.empty:
        return []
    alpha = 1.0 - float(hits["level"].iloc[0])
    adjust = str(hits["adjust"].iloc[0]) if "adjust" in hits.columns else "holm"
    test = significance_words(alpha, adjust, ctx.lang)
    return [_WORDS("marks", ctx.lang, test=test)]


def _alpha(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"
