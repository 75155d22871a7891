"""The parts every chart builder shares: context, rows, value texts, axes, frame.

A builder in :mod:`analysis.figures.camera` resolves a :class:`ChartContext`, picks its
rows with :func:`metric_rows`, draws its traces with the readers and texts here,
and hands the figure to :func:`finished_slide` for the title, question and
footnote. Values are read from the EstimateTable's rows, never recomputed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.errors import SurveyDataError
from analysis.figures.layout import PAD, frame, slide_layout, text_width
from analysis.figures.text import SlideText, footnote_text, insight_title, question_text
from analysis.figures.theme import Size, SizeName, Theme, load_theme
from analysis.formatting import estimate_text, interval_text, number, percent
from analysis.i18n import Lang
from analysis.library.codebook import Codebook, load_codebook
from analysis.store.wave import WaveInfo, WaveMeta

HIDDEN = {"en": "n<10 – hidden", "fr": "n<10 – masqué"}
LOW_BASE = {"en": "low base", "fr": "base faible"}


@dataclass(frozen=True)
class ChartContext:
    """What every builder needs besides the rows: language, size, theme, texts."""

    lang: Lang
    size: Size
    theme: Theme
    codebook: Codebook
    metas: tuple[WaveMeta | WaveInfo, ...]
    filters: Mapping[str, Sequence[str]] | None

    def px(self, value: float) -> float:
        """A length in screen pixels, scaled to this figure's size."""
        return self.size.px(value)

    def label(self, key: Any) -> str:
        """The theme's label for a segment, variable or value, in this language."""
        return self.theme.label(str(key), self.lang)


def chart_context(
    lang: Lang,
    size: SizeName,
    theme: Theme | None,
    codebook: Codebook | None,
    metas: Sequence[WaveMeta | WaveInfo],
    filters: Mapping[str, Sequence[str]] | None,
) -> ChartContext:
    """The context for one figure; the language is checked here."""
    if lang not in ("en", "fr"):
        raise SurveyDataError(f"language {lang!r} must be 'en' or 'fr'")
    chosen = theme or load_theme()
    return ChartContext(
        lang,
        chosen.size(size),
        chosen,
        codebook or load_codebook(),
        tuple(metas),
        filters,
    )


def metric_rows(table: pd.DataFrame, metric: str, wave: str | None) -> pd.DataFrame:
    """The table's rows for one metric (and wave); an error when there are none."""
    rows = table[table["metric"] == metric]
    if wave is not None:
        rows = rows[rows["wave"] == wave]
    if rows.empty:
        where = f" in wave {wave}" if wave else ""
        raise SurveyDataError(f"the table has no rows for metric '{metric}'{where}")
    return rows


def only_wave(table: pd.DataFrame, wave: str | None) -> str:
    """The wave to draw: the one asked for, or the table's only wave."""
    if wave is not None:
        return wave
    waves = list(pd.unique(table["wave"]))
    if len(waves) != 1:
        raise SurveyDataError(f"the table holds waves {waves}: choose one with wave=")
    return str(waves[0])


def row_value(row: pd.Series, name: str) -> float:
    """A number from a row, NaN when the column is absent or empty."""
    value = row.get(name, np.nan)
    return float("nan") if pd.isna(value) else float(value)


def scaled(row: pd.Series, name: str) -> float:
    """A value on the 0–100 axis every chart uses (shares ×100, indices as is)."""
    factor = 1.0 if str(row.get("scale", "share")) == "index" else 100.0
    return row_value(row, name) * factor


def hover_text(row: pd.Series, ctx: ChartContext) -> str:
    """A cell's hover: estimate, interval, base and effective base, flag."""
    fr, scale = ctx.lang == "fr", str(row.get("scale", "share"))
    if row.get("flag") == "suppressed":
        return HIDDEN[ctx.lang]
    level = number(100 * row_value(row, "level"), ctx.lang)
    low, high = row_value(row, "ci_low"), row_value(row, "ci_high")
    n_eff = row_value(row, "n_eff")
    lines = [
        f"{'Estimation' if fr else 'Estimate'}: "
        f"{estimate_text(row_value(row, 'estimate'), scale, ctx.lang)}",
        f"{'Intervalle' if fr else 'Interval'} {level}{' %' if fr else '%'}: "
        f"{interval_text(low, high, scale, ctx.lang)}",
        f"n = {number(row_value(row, 'n'), ctx.lang)} "
        f"({'effectif' if fr else 'effective'} {number(n_eff, ctx.lang)})",
    ]
    if row.get("flag") in ("low_base", "small_base"):
        lines.append(str(row["flag"]).replace("_", " "))
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
    """The slide's texts: the insight title (unless given) and the question."""
    metric = ctx.codebook.metric(metric_id)
    return SlideText(
        title=title or insight_title(rows, metric, ctx.lang),
        subtitle=question_text(metric, ctx.codebook, ctx.lang),
        footnote="",
        filename=filename,
    )


def finished_slide(
    fig: go.Figure,
    text: SlideText,
    rows: pd.DataFrame,
    ctx: ChartContext,
    *,
    left: float,
    extra: Sequence[str] = (),
    above_plot: float = 0.0,
) -> go.Figure:
    """The figure laid out as a slide, its footnote written from the rows."""
    full = SlideText(
        text.title,
        text.subtitle,
        footnote_text(rows, ctx.metas, ctx.lang, filters=ctx.filters, extra=extra),
        text.filename,
        ctx.lang,
    )
    box = frame(
        full,
        ctx.theme,
        left=left,
        above_plot=above_plot,
        logo=ctx.theme.logo_source() is not None,
    )
    return slide_layout(fig, full, ctx.theme, ctx.size, box)


def value_ticks(scale: str, lang: Lang) -> dict[str, Any]:
    """0–100 ticks; a tick suffix is ignored with explicit tickvals, so text it."""
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


def value_text(row: pd.Series, ctx: ChartContext) -> str:
    """The text written beside a value: estimate, letters, or why it is absent."""
    flag = str(row.get("flag", "ok"))
    if flag == "suppressed" or pd.isna(row.get("estimate")):
        return "  " + HIDDEN[ctx.lang]
    value = estimate_text(row_value(row, "estimate"), str(row["scale"]), ctx.lang)
    if flag == "low_base":
        return f"  {value} {LOW_BASE[ctx.lang]}"
    letters = str(row.get("letters", "") or "")
    return f"  {value}  <b>{letters}</b>" if letters else f"  {value}"


def text_anchor(row: pd.Series) -> float:
    """Where a value's text starts: right of its interval (or of the dot)."""
    for name in ("ci_high", "estimate"):
        value = scaled(row, name)
        if not np.isnan(value):
            return value
    return 0.0


def segment_notes(rows: pd.DataFrame, ctx: ChartContext) -> list[str]:
    """Footnote lines explaining the letters and the grey low-base marks."""
    fr = ctx.lang == "fr"
    notes = []
    if "letters" in rows.columns and rows["letters"].astype(str).str.len().gt(0).any():
        adjust = str(rows["adjust"].iloc[0]) if "adjust" in rows.columns else "holm"
        method = {"holm": "Holm", "bh": "Benjamini–Hochberg"}.get(adjust, adjust)
        notes.append(
            "Lettres : significativement supérieur au segment portant cette lettre "
            f"(5 %, correction de {method})"
            if fr
            else "Letters: significantly higher than the segment with that letter "
            f"(5% level, {method}-adjusted)"
        )
    flags = set(rows["flag"].astype(str))
    if flags & {"low_base", "suppressed"}:
        notes.append(
            "Gris : base faible (n < 30), non testée ; n < 10 masqué"
            if fr
            else "Grey: low base (n < 30), not tested; n < 10 hidden"
        )
    return notes


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
