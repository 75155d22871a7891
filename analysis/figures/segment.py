"""The segment chart: one metric — or one answer of a question — across segments."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analysis.figures.chart import Chart, ChartContext
from analysis.figures.layout import PAD, safe_filename, text_width, wrap
from analysis.figures.parts import (
    error_bars,
    finished_chart,
    hover_text,
    metric_rows,
    only_wave,
    scaled,
    segment_notes,
    slide_text,
    text_anchor,
    value_axis,
    value_text,
)
from analysis.figures.question import (
    is_question_rows,
    question_chart_rows,
    question_notes,
)
from analysis.store.wave import TOTAL


def segment_chart(
    table: pd.DataFrame,
    metric: str,
    context: ChartContext | None = None,
    *,
    wave: str | None = None,
    by: str | Sequence[str] | None = None,
    title: str | None = None,
    answer: str | None = None,
) -> Chart:
    """One metric across segments: dots with interval bars, letters, flags.

    Rows of a wave's own question (:func:`analysis.table.questions.question_rows`)
    are drawn the same way: ``metric`` is then the question's id and
    ``answer`` the answer (or NET) to show, and the slide speaks in the
    question's own words.

    ``low_base`` cells are greyed and marked, never tested; ``suppressed``
    cells show "n<10 – hidden" instead of a value. Letters are the table's
    ``letters`` column as :func:`analysis.table.letters.with_segment_letters`
    wrote it at the user's level and adjustment; a table without that column
    is drawn without letters, never tested here.

    Parameters
    ----------
    table : pandas.DataFrame
        An EstimateTable (with or without significance columns).
    metric : str
        A metric id, or a question id when the table holds question rows.
    context : ChartContext, optional
        Language, size, the waves' records, filters, codebook and theme
        (default: English, screen size, no wave records).
    wave : str, optional
        Needed when the table holds several waves.
    by : str or sequence of str, optional
        Segment variables to show after the total (default: all in the table).
    title : str, optional
        Replaces the insight title.
    answer : str, optional
        The answer's label (case-insensitive) when ``metric`` is a question
        with several answers in the table.

    Returns
    -------
    Chart
        The figure, its slide text, the rows drawn and the waves they are from.
    """
    ctx = context or ChartContext()
    wave = only_wave(table, wave)
    if answer is not None or (
        is_question_rows(table) and metric in set(table["question"])
    ):
        rows = question_chart_rows(table, metric, answer, wave)
    else:
        rows = metric_rows(table, metric, wave)
    if by is not None:
        keep = [by] if isinstance(by, str) else list(by)
        rows = rows[rows["segment_var"].isin([TOTAL, *keep])]
    rows = rows.reset_index(drop=True)
    labels = [_segment_label(r, ctx) for _, r in rows.iterrows()]
    scale = str(rows["scale"].iloc[0])
    texts = [value_text(r, ctx) for _, r in rows.iterrows()]
    fig = go.Figure()
    _segment_traces(fig, rows, labels, texts, ctx)
    _group_lines(fig, rows, ctx)
    left = max(text_width(lb, ctx.theme.fonts.tick) for lb in labels) + PAD + 12
    plot_w = ctx.theme.screen[0] - left - 1.5 * PAD
    label_px = max(text_width(t, ctx.theme.fonts.body) for t in texts) + 16
    high = np.nanmax([scaled(r, "ci_high") for _, r in rows.iterrows()] + [0.0])
    high = max(high, np.nanmax([scaled(r, "estimate") for _, r in rows.iterrows()]))
    mean = scale == "mean"  # a mean score's own scale, not the 0–100 axis
    top = max(0.0 if mean else 100.0, high / max(0.3, 1 - label_px / plot_w))
    value_axis(fig, ctx, scale, max(top, 1.0 if mean else 10.0))
    fig.update_yaxes(
        autorange="reversed", showgrid=False, ticks="", categoryorder="array"
    )
    fig.update_layout(showlegend=False, hovermode="closest")
    extra = [*segment_notes(rows, ctx), *question_notes(rows, ctx.lang)]
    text = slide_text(rows, ctx, metric, safe_filename(metric, wave), title)
    return finished_chart(fig, text, rows, ctx, left=left, extra=extra)


def _segment_label(row: pd.Series, ctx: ChartContext) -> str:
    if row["segment_var"] == TOTAL:
        return f"<b>{ctx.label(TOTAL)}</b>"
    letter = str(row.get("letter", "") or "")
    name = "<br>".join(wrap(ctx.label(row["segment_value"]), 200, ctx.theme.fonts.tick))
    return f"{name} ({letter})" if letter else name


def _segment_traces(
    fig: go.Figure,
    rows: pd.DataFrame,
    labels: list[str],
    texts: list[str],
    ctx: ChartContext,
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
        up, down = error_bars(part)
        fig.add_trace(
            go.Scatter(
                x=[scaled(r, "estimate") for _, r in part.iterrows()],
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
                hovertext=[hover_text(r, ctx) for _, r in part.iterrows()],
                hoverinfo="text+y",
                name=name,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[text_anchor(r) for _, r in rows.iterrows()],
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
            hovertext=[hover_text(r, ctx) for _, r in rows.iterrows()],
            hoverinfo="text",
            name="values",
        )
    )


def _group_lines(fig: go.Figure, rows: pd.DataFrame, ctx: ChartContext) -> None:
    """Thin separators between segment variables (and after the total)."""
    changes = rows["segment_var"].ne(rows["segment_var"].shift()).to_numpy()
    for i in np.flatnonzero(changes)[1:]:
        fig.add_hline(
            y=float(i) - 0.5,
            line={"color": ctx.theme.color("grid"), "width": ctx.px(1)},
        )
