"""What both answer charts share: segment names with bases, point labels, colours."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from analysis.figures.answer_layout import Segment, answer_row, is_total, segment_rows
from analysis.figures.chart import ChartContext
from analysis.figures.layout import wrap
from analysis.figures.parts import hover_text
from analysis.formatting import estimate_text, number
from analysis.i18n import Words
from analysis.store.wave import TOTAL

_WORDS = Words(
    {
        "hidden": ("n<10 – hidden", "n<10 – masqué"),
        "low_base": ("low base", "base faible"),
    }
)
NEGATIVE = ("#B34700", "#F2B88C")
"""The lower answers: strongest (the scale's end) to palest (next to zero)."""
POSITIVE = ("#005A8C", "#A6CEE8")
"""The higher answers, likewise; orange against blue reads in every vision."""
NEUTRAL = "#C3C9D0"


@dataclass(frozen=True, eq=False)
class Drawn:
    """A drawn answer figure, the margin its names take and its footnote lines."""

    figure: go.Figure
    left: float
    above: float = 0.0
    notes: tuple[str, ...] = ()


def flag(row: pd.Series | None) -> str:
    """A row's flag; an absent row is hidden."""
    return "suppressed" if row is None else str(row.get("flag", "ok"))


def hidden(row: pd.Series | None) -> bool:
    """Whether a point shows no value (small base, or no estimate)."""
    return row is None or flag(row) == "suppressed" or pd.isna(row.get("estimate"))


def points(row: pd.Series | None, name: str) -> float:
    """A row's share in points (0–100); NaN when hidden or absent."""
    if hidden(row) or row is None:
        return float("nan")
    value = row.get(name)
    return float("nan") if value is None or pd.isna(value) else 100 * float(value)


def point_label(row: pd.Series | None, ctx: ChartContext, letters: bool = True) -> str:
    """A value as labelled: "52% BD", "9% low base", or "n<10 – hidden"."""
    if hidden(row) or row is None:
        return _WORDS("hidden", ctx.lang)
    value = estimate_text(float(row["estimate"]), str(row["scale"]), ctx.lang)
    if flag(row) == "low_base":
        return f"{value} {_WORDS('low_base', ctx.lang)}"
    beaten = str(row.get("letters", "") or "") if letters else ""
    beaten = "" if beaten == "nan" else beaten
    return f"{value} <b>{beaten}</b>" if beaten else value


def segment_name(rows: pd.DataFrame, segment: Segment, ctx: ChartContext) -> str:
    """A segment's name, its letter and, under it, its base: "Women (A)" / "n = 980"."""
    mine = segment_rows(rows, segment)
    first = mine.iloc[0] if len(mine) else None
    if is_total(segment):
        name = f"<b>{ctx.label(TOTAL)}</b>"
    else:
        name = "<br>".join(wrap(ctx.label(segment[1]), 190, ctx.theme.fonts.tick))
        letter = "" if first is None else str(first.get("letter", "") or "")
        if letter and letter != "nan":
            name += f" ({letter})"
    if first is None or pd.isna(first.get("n")):
        return name
    size = ctx.px(ctx.theme.fonts.footnote)
    base = f"n = {number(float(first['n']), ctx.lang)}"
    muted = ctx.theme.color("muted")
    return f'{name}<br><span style="font-size:{size:g}px;color:{muted}">{base}</span>'


def ramp(ends: tuple[str, str], n: int) -> list[str]:
    """``n`` colours from the strong end to the pale one."""
    if n <= 1:
        return [ends[0]][:n]
    strong, pale = (_rgb(c) for c in ends)
    return [
        "#"
        + "".join(
            f"{round(s + (p - s) * i / (n - 1)):02X}"
            for s, p in zip(strong, pale, strict=True)
        )
        for i in range(n)
    ]


def text_colour(fill: str, ctx: ChartContext) -> str:
    """White on a dark fill, the ink on a pale one."""
    r, g, b = _rgb(fill)
    light = 0.299 * r + 0.587 * g + 0.114 * b > 150
    return ctx.theme.color("ink") if light else "#FFFFFF"


def _rgb(colour: str) -> tuple[int, int, int]:
    h = colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def answer_cell(rows: pd.DataFrame, segment: Segment, answer: str) -> pd.Series | None:
    """The row of one answer in one segment (None when the rows lack it)."""
    return answer_row(segment_rows(rows, segment), answer)


def low_base(row: pd.Series | None) -> bool:
    """Whether a row's base is low: drawn pale, never tested."""
    return row is not None and str(row.get("flag", "ok")) == "low_base"


def answer_hover(row: pd.Series | None, answer: str, ctx: ChartContext) -> str:
    """A point's hover: the answer, then the estimate, interval and base."""
    return "" if row is None else f"<b>{answer}</b><br>{hover_text(row, ctx)}"
