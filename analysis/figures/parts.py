"""The parts every chart builder shares: rows, value texts, axes, the finished slide.

A builder takes a :class:`~analysis.figures.chart.ChartContext`, picks its rows
with :func:`metric_rows`, draws its traces with the readers and texts here,
and hands the figure to :func:`finished_chart` for the title, question and
footnote. Values, letters and significance are read from the EstimateTable's
rows, never recomputed.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, TypeAlias

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.errors import SurveyDataError
from analysis.figures.chart import Chart, ChartContext
from analysis.figures.layout import PAD, frame, slide_layout, text_width
from analysis.figures.question import is_question_rows, question_slide_text
from analysis.figures.sampling import level_text
from analysis.figures.text import (
    SlideText,
    footnote_text,
    insight_title,
    question_text,
)
from analysis.formatting import estimate_text, interval_text, number, percent
from analysis.i18n import Lang, Words

_WORDS = Words(
    {
        "hidden": ("n<10 – hidden", "n<10 – masqué"),
        "low_base": ("low base", "base faible"),
        "small_base": ("small base", "petite base"),
        "degenerate": (
            "no design-based interval (variance 0 or no degrees of freedom)",
            "pas d'intervalle selon le plan (variance nulle ou sans degré de liberté)",
        ),
        "clipped": (
            "interval cut at the scale's end",
            "intervalle coupé en bout d'échelle",
        ),
        "estimate": ("Estimate: {value}", "Estimation\u00a0: {value}"),
        "interval": ("Interval {level}: {value}", "Intervalle {level}\u00a0: {value}"),
        "base": ("n = {n} (effective {n_eff})", "n = {n} (effectif {n_eff})"),
        "letters": (
            "Letters: significantly higher than the segment with that letter ({test})",
            "Lettres\u00a0: significativement supérieur au segment portant cette "
            "lettre ({test})",
        ),
        "test": ("{alpha} level, {adjustment}", "{alpha}, {adjustment}"),
        "adjusted": ("{method}-adjusted", "correction de {method}"),
        "unadjusted": ("no adjustment", "sans correction"),
        "grey": (
            "Grey: low base (n < 30), not tested; n < 10 hidden",
            "Gris\u00a0: base faible (n < 30), non testée\u00a0; n < 10 masqué",
        ),
    }
)
Row: TypeAlias = pd.Series | Mapping[Hashable, Any]
"""One row of an EstimateTable: a Series, or a record (faster to read per cell)."""

_ADJUSTMENTS = {"holm": "Holm", "bh": "Benjamini–Hochberg"}


def metric_rows(table: pd.DataFrame, metric: str, wave: str | None) -> pd.DataFrame:
    """The table's rows for one metric (and wave); an error when there are none."""
    rows = table[table["metric"] == metric]
    if wave is not None:
        rows = rows[rows["wave"] == wave]
    if rows.empty:
        where = f" in wave {wave}" if wave else ""
        raise SurveyDataError(f"the table has no rows for metric '{metric}'{where}")
    return rows


def metrics_rows(
    table: pd.DataFrame, metrics: Sequence[str], wave: str | None
) -> pd.DataFrame:
    """The rows of several metrics (and wave), metric by metric in that order.

    One pass over the table instead of one per metric; the error of
    :func:`metric_rows` for the first metric without rows.
    """
    rows = table[table["metric"].isin(list(metrics))]
    if wave is not None:
        rows = rows[rows["wave"] == wave]
    held = set(rows["metric"].astype(str))
    for metric in metrics:
        if metric not in held:
            metric_rows(rows, metric, wave)  # raises, worded as for one metric
    order = {m: i for i, m in enumerate(metrics)}
    place = rows["metric"].astype(str).map(order).to_numpy()
    return rows.iloc[np.argsort(place, kind="stable")].reset_index(drop=True)


def only_wave(table: pd.DataFrame, wave: str | None) -> str:
    """The wave to draw: the one asked for, or the table's only wave."""
    if wave is not None:
        return wave
    waves = list(pd.unique(table["wave"]))
    if len(waves) != 1:
        raise SurveyDataError(f"the table holds waves {waves}: choose one with wave=")
    return str(waves[0])


def row_value(row: Row, name: str) -> float:
    """A number from a row, NaN when the column is absent or empty."""
    value = row.get(name, np.nan)
    return float("nan") if pd.isna(value) else float(value)


def scaled(row: Row, name: str) -> float:
    """A value on the chart's axis: shares ×100 (0–100); indices, means as they are."""
    factor = 100.0 if str(row.get("scale", "share")) == "share" else 1.0
    return row_value(row, name) * factor


def hover_text(row: Row, ctx: ChartContext) -> str:
    """A cell's hover: estimate, interval, base and effective base, flag."""
    lang, scale = ctx.lang, str(row.get("scale", "share"))
    flag = str(row.get("flag", "ok"))
    if flag == "suppressed":
        return _WORDS("hidden", lang)
    low, high = row_value(row, "ci_low"), row_value(row, "ci_high")
    lines = [
        _WORDS(
            "estimate",
            lang,
            value=estimate_text(row_value(row, "estimate"), scale, lang),
        ),
        _WORDS(
            "interval",
            lang,
            level=level_text(row_value(row, "level"), lang),
            value=interval_text(low, high, scale, lang),
        ),
        _WORDS(
            "base",
            lang,
            n=number(row_value(row, "n"), lang),
            n_eff=number(row_value(row, "n_eff"), lang),
        ),
    ]
    if flag in ("low_base", "small_base", "degenerate"):
        lines.append(_WORDS(flag, lang))
    if bool(row.get("clipped", False)):
        lines.append(_WORDS("clipped", lang))
    return "<br>".join(lines)


def error_bars(rows: pd.DataFrame) -> tuple[list[float], list[float]]:
    """Plotly's error-bar arrays (above, below the estimate); 0 where unknown."""
    est = [scaled(r, "estimate") for _, r in rows.iterrows()]
    up = [
        scaled(r, "ci_high") - e for e, (_, r) in zip(est, rows.iterrows(), strict=True)
    ]
    down = [
        e - scaled(r, "ci_low") for e, (_, r) in zip(est, rows.iterrows(), strict=True)
    ]
    return [0 if np.isnan(v) else v for v in up], [
        0 if np.isnan(v) else v for v in down
    ]


def slide_text(
    rows: pd.DataFrame,
    ctx: ChartContext,
    metric_id: str,
    filename: str,
    title: str | None,
) -> SlideText:
    """The slide's texts: the insight title (unless given) and the question.

    A wave question's rows are titled in that question's own words.
    """
    if is_question_rows(rows):
        return question_slide_text(rows, ctx.lang, filename, title)
    metric = ctx.codebook.metric(metric_id)
    return SlideText(
        title=title or insight_title(rows, metric, ctx.lang),
        subtitle=question_text(metric, ctx.codebook, ctx.lang),
        footnote="",
        filename=filename,
    )


def finished_chart(
    fig: go.Figure,
    text: SlideText,
    rows: pd.DataFrame,
    ctx: ChartContext,
    *,
    left: float,
    extra: Sequence[str] = (),
    above_plot: float = 0.0,
    footnoted: bool = False,
) -> Chart:
    """The figure laid out as a slide, its footnote written from the rows.

    ``footnoted``: ``text`` has it already (:func:`with_footnote`).
    """
    full = text if footnoted else with_footnote(text, rows, ctx, extra)
    box = frame(
        full,
        ctx.theme,
        left=left,
        above_plot=above_plot,
        logo=ctx.theme.logo_source() is not None,
    )
    figure = slide_layout(fig, ctx.theme, ctx.pixels, box)
    return Chart(figure, full, rows, waves=ctx.shown_waves(rows))


def plot_height(full: SlideText, ctx: ChartContext) -> float:
    """The height :func:`finished_chart` leaves for the plot and its top labels.

    Title, subtitle and footnote (``full`` has it) take their wrapped lines
    first: on a phone the footnote alone takes a third of the chart.
    """
    box = frame(full, ctx.theme, left=0, logo=ctx.theme.logo_source() is not None)
    return ctx.theme.screen[1] - box.top - box.bottom


def with_footnote(
    text: SlideText, rows: pd.DataFrame, ctx: ChartContext, extra: Sequence[str] = ()
) -> SlideText:
    """``text`` with the footnote :func:`finished_chart` writes from the rows."""
    filters = {
        ctx.label(k).lower(): [ctx.label(v) for v in values]
        for k, values in ctx.filters.items()
    }
    footnote = footnote_text(
        rows,
        ctx.shown_waves(rows),
        ctx.lang,
        filters=filters,
        extra=extra,
        codebook=ctx.codebook,
    )
    return SlideText(text.title, text.subtitle, footnote, text.filename, ctx.lang)


def value_ticks(scale: str, lang: Lang) -> dict[str, Any]:
    """0–100 ticks; a tick suffix is ignored with explicit tickvals, so text it."""
    if scale == "mean":  # a mean score keeps its own scale: plotly's own ticks
        return {}
    values = list(range(0, 101, 20))
    if scale == "index":
        return {"tickvals": values, "ticktext": [str(v) for v in values]}
    return {"tickvals": values, "ticktext": [percent(v / 100, lang) for v in values]}


def value_axis(fig: go.Figure, ctx: ChartContext, scale: str, top: float) -> None:
    """The horizontal 0–``top`` value axis with its 0–100 ticks."""
    fig.update_xaxes(
        range=[0, top],
        showgrid=True,
        zeroline=False,
        fixedrange=True,
        **value_ticks(scale, ctx.lang),
    )


def value_text(row: pd.Series, ctx: ChartContext, *, letters: bool = True) -> str:
    """The text written beside a value: estimate, letters, or why it is absent.

    ``letters=False`` for charts whose segments carry no letter of their own.
    """
    flag = str(row.get("flag", "ok"))
    if flag == "suppressed" or pd.isna(row.get("estimate")):
        return "  " + _WORDS("hidden", ctx.lang)
    value = estimate_text(row_value(row, "estimate"), str(row["scale"]), ctx.lang)
    if flag == "low_base":
        return f"  {value} {_WORDS('low_base', ctx.lang)}"
    above = str(row.get("letters", "") or "") if letters else ""
    return f"  {value}  <b>{above}</b>" if above else f"  {value}"


def segment_value_text(row: pd.Series, ctx: ChartContext) -> str:
    """A segment's value as a headline quotes it: "58% (Germany)"."""
    value = estimate_text(row_value(row, "estimate"), str(row["scale"]), ctx.lang)
    return f"{value} ({ctx.label(row['segment_value'])})"


def text_anchor(row: pd.Series) -> float:
    """Where a value's text starts: right of its interval (or of the dot)."""
    for name in ("ci_high", "estimate"):
        value = scaled(row, name)
        if not np.isnan(value):
            return value
    return 0.0


def segment_notes(rows: pd.DataFrame, ctx: ChartContext) -> list[str]:
    """Footnote lines explaining the letters and the grey low-base marks.

    The letters' level and adjustment are those the table's letters were
    computed with (``alpha`` and ``adjust`` columns of ``with_segment_letters``).
    """
    notes = []
    if "letters" in rows.columns and rows["letters"].astype(str).str.len().gt(0).any():
        alpha = float(rows["alpha"].iloc[0]) if "alpha" in rows.columns else None
        adjust = str(rows["adjust"].iloc[0]) if "adjust" in rows.columns else "holm"
        test = significance_words(alpha, adjust, ctx.lang)
        notes.append(_WORDS("letters", ctx.lang, test=test))
    flags = set(rows["flag"].astype(str))
    if flags & {"low_base", "suppressed"}:
        notes.append(_WORDS("grey", ctx.lang))
    if "degenerate" in flags:
        notes.append(_WORDS("degenerate", ctx.lang).capitalize())
    if "clipped" in rows.columns and rows["clipped"].fillna(False).astype(bool).any():
        notes.append(_WORDS("clipped", ctx.lang).capitalize())
    return notes


def significance_words(alpha: float | None, adjust: str, lang: Lang) -> str:
    """How a test was run, as a footnote says it: "10% level, Holm-adjusted"."""
    if adjust in _ADJUSTMENTS:
        adjustment = _WORDS("adjusted", lang, method=_ADJUSTMENTS[adjust])
    else:
        adjustment = _WORDS("unadjusted", lang)
    if alpha is None:
        return adjustment
    return _WORDS("test", lang, alpha=level_text(alpha, lang), adjustment=adjustment)


def legend_height(labels: Sequence[str], ctx: ChartContext, left: float) -> float:
    """The height a horizontal legend of these labels takes above the plot."""
    body = ctx.theme.fonts.body
    avail = ctx.theme.screen[0] - left - 1.5 * PAD
    rows, used = 1, 0.0
    for label in labels:
        width = text_width(label, body) + 50
        if used + width > avail and used > 0:
            rows, used = rows + 1, 0.0
        used += width
    lines = max(label.count("<br>") + 1 for label in labels)
    return rows * lines * body * 1.4 + 8
