"""Charts drawn from an EstimateTable, each one finished as a slide.

Every builder returns a :class:`plotly.graph_objects.Figure` that carries its
insight title, the question, and a footnote saying what the numbers rest on
(:mod:`analysis.slides`). ``size="screen"`` is the dashboard's figure (the
slide's layout at half scale, responsive width); ``size="slide"`` is the same
layout at 1920×1080 for export. Nothing here recomputes an estimate or an
interval: values, bounds, bases and flags are read from the table's rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.codebook import Codebook, Lang, load_codebook
from analysis.errors import SurveyDataError
from analysis.formatting import estimate_text, interval_text, number, percent, points
from analysis.slides import (
    PAD,
    SlideText,
    footnote_text,
    frame,
    insight_title,
    question_text,
    safe_filename,
    slide_layout,
    text_width,
    wrap,
)
from analysis.theme import Size, SizeName, Theme, load_theme
from analysis.wave import TOTAL, WaveInfo, WaveMeta

TENSION_METRICS = (
    "expect_personalisation",
    "tracking_for_ads_unethical",
    "personalisation_paradox",
)
HIDDEN = {"en": "n<10 – hidden", "fr": "n<10 – masqué"}
LOW_BASE = {"en": "low base", "fr": "base faible"}
_SYMBOLS = ("circle", "diamond", "square", "triangle-up", "x", "star")


@dataclass(frozen=True)
class _Ctx:
    """What every builder needs besides the rows: language, size, theme, texts."""

    lang: Lang
    size: Size
    theme: Theme
    codebook: Codebook
    metas: tuple[WaveMeta | WaveInfo, ...]
    filters: Mapping[str, Sequence[str]] | None

    def px(self, value: float) -> float:
        return self.size.px(value)

    def label(self, key: Any) -> str:
        return self.theme.label(str(key), self.lang)


def _ctx(
    lang: Lang,
    size: SizeName,
    theme: Theme | None,
    codebook: Codebook | None,
    metas: Sequence[WaveMeta | WaveInfo],
    filters: Mapping[str, Sequence[str]] | None,
) -> _Ctx:
    if lang not in ("en", "fr"):
        raise SurveyDataError(f"language {lang!r} must be 'en' or 'fr'")
    chosen = theme or load_theme()
    return _Ctx(
        lang,
        chosen.size(size),
        chosen,
        codebook or load_codebook(),
        tuple(metas),
        filters,
    )


def _rows(table: pd.DataFrame, metric: str, wave: str | None) -> pd.DataFrame:
    rows = table[table["metric"] == metric]
    if wave is not None:
        rows = rows[rows["wave"] == wave]
    if rows.empty:
        where = f" in wave {wave}" if wave else ""
        raise SurveyDataError(f"the table has no rows for metric '{metric}'{where}")
    return rows


def _only_wave(table: pd.DataFrame, wave: str | None) -> str:
    if wave is not None:
        return wave
    waves = list(pd.unique(table["wave"]))
    if len(waves) != 1:
        raise SurveyDataError(f"the table holds waves {waves}: choose one with wave=")
    return str(waves[0])


def _num(row: pd.Series, name: str) -> float:
    value = row.get(name, np.nan)
    return float("nan") if pd.isna(value) else float(value)


def _scaled(row: pd.Series, name: str) -> float:
    """A value on the 0–100 axis every chart uses (shares ×100, indices as is)."""
    factor = 1.0 if str(row.get("scale", "share")) == "index" else 100.0
    return _num(row, name) * factor


def _hover(row: pd.Series, ctx: _Ctx) -> str:
    fr, scale = ctx.lang == "fr", str(row.get("scale", "share"))
    if row.get("flag") == "suppressed":
        return HIDDEN[ctx.lang]
    level = number(100 * _num(row, "level"), ctx.lang)
    lines = [
        f"{'Estimation' if fr else 'Estimate'}: "
        f"{estimate_text(_num(row, 'estimate'), scale, ctx.lang)}",
        f"{'Intervalle' if fr else 'Interval'} {level}{' %' if fr else '%'}: "
        f"{interval_text(_num(row, 'ci_low'), _num(row, 'ci_high'), scale, ctx.lang)}",
        f"n = {number(_num(row, 'n'), ctx.lang)} "
        f"({'effectif' if fr else 'effective'} {number(_num(row, 'n_eff'), ctx.lang)})",
    ]
    if row.get("flag") in ("low_base", "small_base"):
        lines.append(str(row["flag"]).replace("_", " "))
    return "<br>".join(lines)


def _error_bars(rows: pd.DataFrame) -> tuple[list[float], list[float]]:
    est = [_scaled(r, "estimate") for _, r in rows.iterrows()]
    up = [
        _scaled(r, "ci_high") - e
        for e, (_, r) in zip(est, rows.iterrows(), strict=True)
    ]
    down = [
        e - _scaled(r, "ci_low") for e, (_, r) in zip(est, rows.iterrows(), strict=True)
    ]
    return [0 if np.isnan(v) else v for v in up], [
        0 if np.isnan(v) else v for v in down
    ]


def _with_letters(rows: pd.DataFrame) -> pd.DataFrame:
    if "letters" in rows.columns:
        return rows
    try:
        from analysis.significance import with_segment_letters
    except ImportError:  # significance not available: the chart shows no letters
        return rows
    return with_segment_letters(rows)


def _text(
    rows: pd.DataFrame, ctx: _Ctx, metric_id: str, filename: str, title: str | None
) -> SlideText:
    metric = ctx.codebook.metric(metric_id)
    return SlideText(
        title=title or insight_title(rows, metric, ctx.lang),
        subtitle=question_text(metric, ctx.codebook, ctx.lang),
        footnote="",
        filename=filename,
    )


def _finish(
    fig: go.Figure,
    text: SlideText,
    rows: pd.DataFrame,
    ctx: _Ctx,
    *,
    left: float,
    extra: Sequence[str] = (),
    above_plot: float = 0.0,
) -> go.Figure:
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


def _ticks(scale: str, lang: Lang) -> dict[str, Any]:
    """0–100 ticks; a tick suffix is ignored with explicit tickvals, so text it."""
    values = list(range(0, 101, 20))
    if scale == "index":
        return {"tickvals": values, "ticktext": [str(v) for v in values]}
    return {"tickvals": values, "ticktext": [percent(v / 100, lang) for v in values]}


def _value_axis(fig: go.Figure, ctx: _Ctx, scale: str, top: float) -> None:
    fig.update_xaxes(
        range=[0, top],
        showgrid=True,
        zeroline=False,
        fixedrange=True,
        **_ticks(scale, ctx.lang),
    )


def segment_chart(
    table: pd.DataFrame,
    metric: str,
    *,
    wave: str | None = None,
    by: str | Sequence[str] | None = None,
    lang: Lang = "en",
    size: SizeName = "screen",
    metas: Sequence[WaveMeta | WaveInfo] = (),
    filters: Mapping[str, Sequence[str]] | None = None,
    title: str | None = None,
    codebook: Codebook | None = None,
    theme: Theme | None = None,
) -> go.Figure:
    """One metric across segments: dots with interval bars, letters, flags.

    ``low_base`` cells are greyed and marked, never tested; ``suppressed``
    cells show "n<10 – hidden" instead of a value. Letters come from the
    table's ``letters`` column, or are computed when the table has none.

    Parameters
    ----------
    table : pandas.DataFrame
        An EstimateTable (with or without significance columns).
    metric : str
    wave : str, optional
        Needed when the table holds several waves.
    by : str or sequence of str, optional
        Segment variables to show after the total (default: all in the table).
    lang : {"en", "fr"}
    size : {"screen", "slide"}
    metas : sequence of WaveMeta or WaveInfo
        The waves' metadata, for the footnote's fieldwork, source and
        synthetic-data mark.
    filters : mapping, optional
        The filters the table was estimated with, named in the footnote.
    title : str, optional
        Replaces the insight title.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    ctx = _ctx(lang, size, theme, codebook, metas, filters)
    wave = _only_wave(table, wave)
    rows = _rows(table, metric, wave)
    if by is not None:
        keep = [by] if isinstance(by, str) else list(by)
        rows = rows[rows["segment_var"].isin([TOTAL, *keep])]
    rows = _with_letters(rows).reset_index(drop=True)
    labels = [_segment_label(r, ctx) for _, r in rows.iterrows()]
    scale = str(rows["scale"].iloc[0])
    texts = [_value_text(r, ctx) for _, r in rows.iterrows()]
    fig = go.Figure()
    _segment_traces(fig, rows, labels, texts, ctx)
    _group_lines(fig, rows, ctx)
    left = max(text_width(lb, ctx.theme.fonts.tick) for lb in labels) + PAD + 12
    plot_w = ctx.theme.screen[0] - left - 1.5 * PAD
    label_px = max(text_width(t, ctx.theme.fonts.body) for t in texts) + 16
    high = np.nanmax([_scaled(r, "ci_high") for _, r in rows.iterrows()] + [0.0])
    high = max(high, np.nanmax([_scaled(r, "estimate") for _, r in rows.iterrows()]))
    top = max(100.0, high / max(0.3, 1 - label_px / plot_w))
    _value_axis(fig, ctx, scale, max(top, 10.0))
    fig.update_yaxes(
        autorange="reversed", showgrid=False, ticks="", categoryorder="array"
    )
    fig.update_layout(showlegend=False, hovermode="closest")
    extra = _segment_notes(rows, ctx)
    text = _text(rows, ctx, metric, safe_filename(metric, wave), title)
    return _finish(fig, text, rows, ctx, left=left, extra=extra)


def _segment_label(row: pd.Series, ctx: _Ctx) -> str:
    if row["segment_var"] == TOTAL:
        return f"<b>{ctx.label(TOTAL)}</b>"
    letter = str(row.get("letter", "") or "")
    name = "<br>".join(wrap(ctx.label(row["segment_value"]), 200, ctx.theme.fonts.tick))
    return f"{name} ({letter})" if letter else name


def _value_text(row: pd.Series, ctx: _Ctx) -> str:
    flag = str(row.get("flag", "ok"))
    if flag == "suppressed" or pd.isna(row.get("estimate")):
        return "  " + HIDDEN[ctx.lang]
    value = estimate_text(_num(row, "estimate"), str(row["scale"]), ctx.lang)
    if flag == "low_base":
        return f"  {value} {LOW_BASE[ctx.lang]}"
    letters = str(row.get("letters", "") or "")
    return f"  {value}  <b>{letters}</b>" if letters else f"  {value}"


def _segment_traces(
    fig: go.Figure,
    rows: pd.DataFrame,
    labels: list[str],
    texts: list[str],
    ctx: _Ctx,
) -> None:
    th = ctx.theme
    flags = rows["flag"].astype(str)
    groups = {
        "total": (rows["segment_var"] == TOTAL) & ~flags.isin(["low_base"]),
        "ok": (rows["segment_var"] != TOTAL) & flags.isin(["ok", "small_base"]),
        "low": flags == "low_base",
    }
    colours = {"total": th.color("ink"), "ok": th.color("primary")}
    colours["low"] = th.color("low_base")
    for name, mask in groups.items():
        part = rows[mask & rows["estimate"].notna()]
        if part.empty:
            continue
        up, down = _error_bars(part)
        fig.add_trace(
            go.Scatter(
                x=[_scaled(r, "estimate") for _, r in part.iterrows()],
                y=[labels[i] for i in part.index],
                mode="markers",
                marker={
                    "size": ctx.px(11),
                    "color": colours[name],
                    "symbol": "diamond" if name == "total" else "circle",
                },
                error_x={
                    "type": "data",
                    "array": up,
                    "arrayminus": down,
                    "color": colours[name],
                    "thickness": ctx.px(2),
                    "width": ctx.px(5),
                },
                hovertext=[_hover(r, ctx) for _, r in part.iterrows()],
                hoverinfo="text+y",
                name=name,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[_anchor(r) for _, r in rows.iterrows()],
            y=labels,
            mode="text",
            text=texts,
            textposition="middle right",
            textfont={
                "size": ctx.px(th.fonts.body),
                "color": [
                    th.color("muted")
                    if f in ("low_base", "suppressed")
                    else th.color("ink")
                    for f in flags
                ],
            },
            hovertext=[_hover(r, ctx) for _, r in rows.iterrows()],
            hoverinfo="text",
            name="values",
        )
    )


def _group_lines(fig: go.Figure, rows: pd.DataFrame, ctx: _Ctx) -> None:
    """Thin separators between segment variables (and after the total)."""
    changes = rows["segment_var"].ne(rows["segment_var"].shift()).to_numpy()
    for i in np.flatnonzero(changes)[1:]:
        fig.add_hline(
            y=float(i) - 0.5,
            line={"color": ctx.theme.color("grid"), "width": ctx.px(1)},
        )


def _segment_notes(rows: pd.DataFrame, ctx: _Ctx) -> list[str]:
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


def trend_chart(
    table: pd.DataFrame,
    metric: str,
    *,
    waves: Sequence[str] | None = None,
    by: str = TOTAL,
    lang: Lang = "en",
    size: SizeName = "screen",
    metas: Sequence[WaveMeta | WaveInfo] = (),
    filters: Mapping[str, Sequence[str]] | None = None,
    title: str | None = None,
    codebook: Codebook | None = None,
    theme: Theme | None = None,
) -> go.Figure:
    """One metric across waves: a line per segment with its interval ribbon.

    A significant change from the previous wave (``trend_table``'s
    ``significant``) is marked with ▲ or ▼ and the change in points.
    """
    ctx = _ctx(lang, size, theme, codebook, metas, filters)
    rows = _rows(table, metric, None)
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
    marks = _trend_marks(fig, rows, order, ctx)
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
    fig.update_yaxes(range=[0, 100], fixedrange=True, **_ticks(scale, ctx.lang))
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
    latest = table[(table["metric"] == metric) & (table["wave"] == order[-1])]
    text = _text(latest, ctx, metric, safe_filename(metric, "trend"), title)
    labels = [ctx.label(v) for v in values]
    left = max(40.0, text_width("100 %", ctx.theme.fonts.tick) + PAD + 8)
    legend_h = _legend_height(labels, ctx, left) if many else 0.0
    extra = marks + _segment_notes(rows.assign(letters=""), ctx)
    return _finish(fig, text, rows, ctx, left=left, extra=extra, above_plot=legend_h)


def _trend_traces(
    fig: go.Figure, part: pd.DataFrame, ctx: _Ctx, colour: str, value: str
) -> None:
    x = part["wave"].astype(str).tolist()
    est = [_scaled(r, "estimate") for _, r in part.iterrows()]
    low = [_scaled(r, "ci_low") for _, r in part.iterrows()]
    high = [_scaled(r, "ci_high") for _, r in part.iterrows()]
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
            hovertext=[_hover(r, ctx) for _, r in part.iterrows()],
            hoverinfo="text+x",
        )
    )


def _trend_marks(
    fig: go.Figure, rows: pd.DataFrame, order: list[str], ctx: _Ctx
) -> list[str]:
    """Mark significant changes on the chart; return the footnote's key."""
    if len(order) < 2:
        return []
    try:
        from analysis.significance import trend_table
    except ImportError:  # significance not available: no marks
        return []
    changes = trend_table(rows, order)
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
                y=[_scaled(after, "estimate")],
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
                showlegend=False,
                cliponaxis=False,
            )
        )
    if hits.empty:
        return []
    return [
        "▲▼ changement significatif depuis la vague précédente "
        "(5 %, correction de Holm)"
        if ctx.lang == "fr"
        else "▲▼ significant change from the previous wave (5% level, Holm-adjusted)"
    ]


def _alpha(colour: str, alpha: float) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _legend_height(labels: Sequence[str], ctx: _Ctx, left: float) -> float:
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


def tension_chart(
    table: pd.DataFrame,
    *,
    metrics: Sequence[str] = TENSION_METRICS,
    wave: str | None = None,
    by: str = "country",
    lang: Lang = "en",
    size: SizeName = "screen",
    metas: Sequence[WaveMeta | WaveInfo] = (),
    filters: Mapping[str, Sequence[str]] | None = None,
    title: str | None = None,
    codebook: Codebook | None = None,
    theme: Theme | None = None,
) -> go.Figure:
    """The overview's tension: several shares side by side for each segment.

    By default: who expects personalisation, who finds ad tracking unethical,
    and who holds both views at once (the personalisation paradox). The
    title is the last metric's insight.
    """
    ctx = _ctx(lang, size, theme, codebook, metas, filters)
    wave = _only_wave(table, wave)
    parts = [_rows(table, m, wave) for m in metrics]
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
    _value_axis(fig, ctx, "share", 100.0)
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
    legend_h = _legend_height(names, ctx, left)
    text = _text(rows, ctx, metrics[-1], safe_filename("tension", by, wave), title)
    subtitle = (
        f"Par {ctx.label(by).lower()}, sur la même base"
        if lang == "fr"
        else f"By {ctx.label(by).lower()}, on the same respondents"
    )
    text = SlideText(text.title, subtitle, "", text.filename)
    return _finish(fig, text, rows, ctx, left=left, above_plot=legend_h)


def _legend_name(metric: str, ctx: _Ctx) -> str:
    label = ctx.codebook.metric(metric).label.get(ctx.lang)
    return "<br>".join(wrap(label, 300, ctx.theme.fonts.body))


def _tension_trace(
    fig: go.Figure, part: pd.DataFrame, ys: list[float], j: int, ctx: _Ctx
) -> None:
    colour = ctx.theme.palette[j % len(ctx.theme.palette)]
    shown = part["estimate"].notna().to_numpy()
    up, down = _error_bars(part)
    greyed = part["flag"].isin(["low_base"]).tolist()
    fig.add_trace(
        go.Scatter(
            x=[_scaled(r, "estimate") for _, r in part.iterrows()],
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
            hovertext=[_hover(r, ctx) for _, r in part.iterrows()],
            hoverinfo="text+name",
        )
    )
    anchor = [_anchor(r) for _, r in part.iterrows()]
    fig.add_trace(
        go.Scatter(
            x=anchor,
            y=ys,
            mode="text",
            text=[
                _value_text(r, ctx) if s else ""
                for s, (_, r) in zip(shown, part.iterrows(), strict=True)
            ],
            textposition="middle right",
            textfont={"size": ctx.px(ctx.theme.fonts.tick - 1), "color": colour},
            hoverinfo="skip",
            showlegend=False,
        )
    )


def _anchor(row: pd.Series) -> float:
    """Where a value's text starts: right of its interval (or of the dot)."""
    for name in ("ci_high", "estimate"):
        value = _scaled(row, name)
        if not np.isnan(value):
            return value
    return 0.0


def heatmap(
    table: pd.DataFrame,
    *,
    metrics: Sequence[str] | None = None,
    wave: str | None = None,
    by: str = "country",
    lang: Lang = "en",
    size: SizeName = "screen",
    metas: Sequence[WaveMeta | WaveInfo] = (),
    filters: Mapping[str, Sequence[str]] | None = None,
    title: str | None = None,
    codebook: Codebook | None = None,
    theme: Theme | None = None,
) -> go.Figure:
    """Metrics × segments, coloured on the common 0–100 axis, values written in.

    Low-base cells are written in grey with "*", suppressed ones "n<10". The
    default title names the widest gap between segments.
    """
    ctx = _ctx(lang, size, theme, codebook, metas, filters)
    wave = _only_wave(table, wave)
    chosen = list(metrics or pd.unique(table["metric"]))
    rows = pd.concat([_rows(table, m, wave) for m in chosen], ignore_index=True)
    rows = rows[rows["segment_var"].isin([TOTAL, by])]
    segments = list(pd.unique(rows["segment_value"]))
    grid = rows.set_index(["metric", "segment_value"])
    z = [[_cell(grid, m, v, "z") for v in segments] for m in chosen]
    th = ctx.theme
    plot_h = th.screen[1] - 200
    row_h = plot_h / len(chosen)
    font = min(th.fonts.tick, max(10.0, row_h / 1.5))
    lines = 2 if row_h >= 2.7 * font else 1
    ylabels = [_metric_label(m, ctx, font, lines) for m in chosen]
    xlabels = [
        f"<b>{ctx.label(v)}</b>" if v == TOTAL else ctx.label(v) for v in segments
    ]
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
        )
    )
    for i, m in enumerate(chosen):
        for j, v in enumerate(segments):
            fig.add_annotation(
                x=xlabels[j],
                y=ylabels[i],
                text=_cell(grid, m, v, "text", ctx),
                showarrow=False,
                font={"size": ctx.px(font), "color": _ink_on(z[i][j], th)},
            )
    fig.update_yaxes(
        autorange="reversed", tickfont={"size": ctx.px(font)}, fixedrange=True
    )
    fig.update_xaxes(side="top", fixedrange=True, showgrid=False)
    left = max(text_width(lb, font) for lb in ylabels) + PAD + 8
    text = SlideText(
        title or _gap_title(rows, ctx, by),
        _heat_subtitle(by, ctx),
        "",
        safe_filename("heatmap", by, wave),
    )
    extra = _segment_notes(rows.assign(letters=""), ctx)
    return _finish(fig, text, rows, ctx, left=left, extra=extra, above_plot=font * 2.2)


def _cell(
    grid: pd.DataFrame, metric: str, value: Any, kind: str, ctx: _Ctx | None = None
) -> Any:
    """One heatmap cell's colour value, text or hover text (None when absent)."""
    key = (metric, value)
    if key not in grid.index:
        return None if kind == "z" else ""
    row = grid.loc[key]
    row = row.iloc[0] if isinstance(row, pd.DataFrame) else row
    row = row.copy()
    row["metric"], row["segment_value"] = metric, value
    hidden = row.get("flag") == "suppressed" or pd.isna(row.get("estimate"))
    if kind == "z":
        return None if hidden else _scaled(row, "estimate")
    assert ctx is not None  # text kinds always pass the context
    if kind == "hover":
        return _hover(row, ctx)
    if hidden:
        return "n<10"
    value_text = estimate_text(_num(row, "estimate"), str(row["scale"]), ctx.lang)
    return f"{value_text}*" if row.get("flag") == "low_base" else value_text


def _metric_label(metric: str, ctx: _Ctx, font: float, lines: int) -> str:
    label = ctx.codebook.metric(metric).label.get(ctx.lang)
    if lines < 2:
        return label
    return "<br>".join(wrap(label, max(300, text_width(label, font) / 2 + 30), font))


def _scale_colours(theme: Theme) -> list[list[Any]]:
    colours = theme.sequential
    return [[i / (len(colours) - 1), c] for i, c in enumerate(colours)]


def _ink_on(z: float | None, theme: Theme) -> str:
    """Text colour that stays readable on the cell's fill."""
    if z is None:
        return theme.color("muted")
    return "#FFFFFF" if z >= 55 else theme.color("ink")


def _gap_title(rows: pd.DataFrame, ctx: _Ctx, by: str) -> str:
    segs = rows[(rows["segment_var"] == by) & rows["flag"].isin(["ok", "small_base"])]
    segs = segs[segs["estimate"].notna()]
    if segs.empty:
        return ctx.label(by)
    spans = segs.groupby("metric")["estimate"].agg(lambda e: e.max() - e.min())
    widest = str(spans.idxmax())
    part = segs[segs["metric"] == widest]
    ordered = part.sort_values("estimate")
    low, high = ordered.iloc[0], ordered.iloc[-1]
    scale = str(high["scale"])
    label = ctx.codebook.metric(widest).label.get(ctx.lang)

    def value(r: pd.Series) -> str:
        est = estimate_text(_num(r, "estimate"), scale, ctx.lang)
        return f"{est} ({ctx.label(r['segment_value'])})"

    var, what = ctx.label(by).lower(), label.lower()
    if ctx.lang == "fr":
        return f"Plus grand écart par {var} : {what}, de {value(low)} à {value(high)}"
    return f"Widest gap by {var}: {what}, from {value(low)} to {value(high)}"


def _heat_subtitle(by: str, ctx: _Ctx) -> str:
    var = ctx.label(by).lower()
    if ctx.lang == "fr":
        return (
            f"Chaque indicateur par {var} ; indices sur 100, autres en % de répondants"
        )
    return f"Every metric by {var}; indices out of 100, others as % of respondents"


def plotly_config(filename: str, theme: Theme | None = None) -> dict[str, Any]:
    """The ``config`` for ``st.plotly_chart``: the camera button saves the slide.

    The screen figure is the slide's layout at 960×540; exported at scale 2 it
    is the same 1920×1080 PNG the server renders, fonts and margins included.
    """
    size = (theme or load_theme()).size("slide")
    k = size.k
    return {
        "toImageButtonOptions": {
            "format": "png",
            "filename": safe_filename(filename),
            "width": round(size.width / k),
            "height": round(size.height / k),
            "scale": k,
        },
        "displaylogo": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
        "responsive": True,
    }
