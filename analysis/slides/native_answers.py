"""Native PowerPoint charts of a question's answers, as the picture lays them out.

A chart of a question's answers (:func:`analysis.figures.answers.answer_chart`)
carries its :class:`~analysis.figures.answer_layout.AnswerLayout`; the native
chart follows it exactly:

- bars: a clustered bar, one category per group and one series per bar
  (:func:`analysis.figures.answer_bars.bar_grid`), each point's interval as
  its error bar, its value and letters as its label;
- a scale: a stacked bar, the lower answers as negative values (labelled
  without the sign) and the higher ones positive, the outermost series of a
  side carrying the interval of that whole side (its NET) as its error bars,
  and past each end, clear of the whisker, the NET's value and letters as in
  the picture (:mod:`analysis.slides.net_labels`); the middle answer of an
  odd scale is a clustered bar of its own in a narrow panel beside it.

Every chart is returned as :class:`Panel` records that share the slide's chart
box from left to right; any other chart is one panel of
:func:`analysis.slides.native.native_chart`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis.figures.answer_bars import bar_grid
from analysis.figures.answer_layout import (
    AnswerLayout,
    Segment,
    answer_row,
    is_total,
    segment_rows,
)
from analysis.figures.answer_parts import NEGATIVE, NEUTRAL, POSITIVE, ramp
from analysis.figures.chart import Chart
from analysis.figures.theme import Theme, load_theme
from analysis.formatting import estimate_text, number
from analysis.i18n import Lang, Words
from analysis.slides.native import NativeChart, Role, Series, native_chart
from analysis.store.wave import TOTAL

_WORDS = Words(
    {
        "low_base": ("low base", "base faible"),
        "room": (
            "NET “{name}”: room for its label",
            "NET «\u00a0{name}\u00a0»\u00a0: place de son étiquette",
        ),
    }
)
_ASIDE = 0.2
"""The middle answer's panel's share of the box."""


@dataclass(frozen=True)
class Panel:
    """One native chart and its share of the slide's chart box (left to right)."""

    spec: NativeChart
    width: float


def native_panels(chart: Chart, theme: Theme | None = None) -> tuple[Panel, ...]:
    """The chart as native panels; empty when it stays a picture (the heatmap)."""
    theme = theme or load_theme()
    layout = chart.answers
    if layout is None:
        spec = native_chart(chart, theme)
        return () if spec is None else (Panel(spec, 1.0),)
    rows = chart.rows.reset_index(drop=True)
    lang = chart.text.lang
    if layout.kind == "bars":
        return (Panel(_bars(rows, layout, theme, lang), 1.0),)
    return _diverging(rows, layout, theme, lang)


def _bars(
    rows: pd.DataFrame, layout: AnswerLayout, theme: Theme, lang: Lang
) -> NativeChart:
    grid = bar_grid(rows, layout)
    if layout.by_answer:
        categories = list(layout.answers)
        names = [_segment(rows, s, theme, lang) for s in layout.segments]
    else:
        categories = [_segment(rows, s, theme, lang) for s in layout.segments]
        names = list(layout.answers)
    series = []
    for j, cells in enumerate(grid.cells):
        grey = layout.by_answer and is_total(layout.segments[j]) and len(names) > 1
        series.append(_series(names[j], list(cells), lang, "total" if grey else None))
    return NativeChart("bar", tuple(categories), tuple(series), True, lang)


def _diverging(
    rows: pd.DataFrame, layout: AnswerLayout, theme: Theme, lang: Lang
) -> tuple[Panel, ...]:
    tables = [segment_rows(rows, s) for s in layout.segments]
    categories = tuple(
        _segment(rows, s, theme, lang)
        + (f" · {_WORDS('low_base', lang)}" if _low(t) else "")
        for s, t in zip(layout.segments, tables, strict=True)
    )
    series: list[Series] = []
    reach = [0.1, 0.1]
    sides = (
        (layout.negative, layout.low_end, NEGATIVE, -1.0),
        (layout.positive, layout.high_end, POSITIVE, 1.0),
    )
    carriers: list[Series] = []
    for k, (answers, end, ends, sign) in enumerate(sides):
        if end is not None:
            carriers.append(_carrier(end, [_get(t, end) for t in tables], sign, lang))
        colours = ramp(ends, len(answers))[::-1]
        for i, (answer, colour) in enumerate(zip(answers, colours, strict=True)):
            line = _plain(_series(answer, [_get(t, answer) for t in tables], lang))
            outer = i == len(answers) - 1
            ends_rows = [_get(t, end) for t in tables] if outer and end else []
            series.append(_signed(line, sign, colour, ends_rows))
        for t in tables:
            shares = [_value(_get(t, a), "estimate") or 0.0 for a in answers]
            high = _value(_get(t, end), "ci_high") if end else None
            reach[k] = max(reach[k], sum(shares), high or 0.0)
    main = NativeChart(
        "stacked",
        categories,
        (*series, *carriers),
        True,
        lang,
        top=math.ceil(reach[1] * 10) / 10,
        floor=-math.ceil(reach[0] * 10) / 10,
    )
    if layout.neutral is None:
        return (Panel(main, 1.0),)
    cells = [_get(t, layout.neutral) for t in tables]
    middle = _plain(_series(layout.neutral, cells, lang))
    aside = NativeChart(
        "bar",
        categories,
        (_with_colour(middle, NEUTRAL),),
        True,
        lang,
        top=math.ceil(max([0.1, *_highs(cells)]) * 10) / 10 + 0.1,
        category_labels=False,
        axis_labels=False,
    )
    return (Panel(main, 1 - _ASIDE), Panel(aside, _ASIDE))


def _series(
    name: str, cells: list[pd.Series | None], lang: Lang, role: Role | None = None
) -> Series:
    """A series of rows: values, interval distances, letters, roles."""
    values, minus, plus, suffixes, roles = [], [], [], [], []
    for row in cells:
        est = _value(row, "estimate")
        low, high = _value(row, "ci_low"), _value(row, "ci_high")
        values.append(est)
        minus.append(None if est is None or low is None else est - low)
        plus.append(None if est is None or high is None else high - est)
        flag = "" if row is None else str(row.get("flag", "ok"))
        letters = "" if row is None else str(row.get("letters", "") or "")
        low_base = flag == "low_base"
        suffixes.append(
            _WORDS("low_base", lang)
            if low_base and est is not None
            else ("" if letters == "nan" or est is None else letters)
        )
        roles.append("low_base" if low_base else (role or "series"))
    return Series(
        name, tuple(values), tuple(minus), tuple(plus), tuple(suffixes), tuple(roles)
    )


def _signed(
    line: Series, sign: float, colour: str, ends: list[pd.Series | None]
) -> Series:
    """A side's series: values signed, whiskers only on the outermost, its colour."""
    values = tuple(None if v is None else sign * v for v in line.values)
    minus: list[float | None] = []
    plus: list[float | None] = []
    for row in ends:
        est, low, high = (_value(row, c) for c in ("estimate", "ci_low", "ci_high"))
        if est is None or low is None or high is None:
            minus.append(None)
            plus.append(None)
            continue
        # towards zero is "plus" on the left side, "minus" on the right
        inward, outward = est - low, high - est
        plus.append(inward if sign < 0 else outward)
        minus.append(outward if sign < 0 else inward)
    if not ends:
        minus = plus = [None] * len(values)
    return Series(
        line.name,
        values,
        tuple(minus),
        tuple(plus),
        line.suffixes,
        line.roles,
        colour,
    )


def _carrier(
    end: str, cells: list[pd.Series | None], sign: float, lang: Lang
) -> Series:
    """The carrier of a side's NET labels: each value the NET's outward whisker.

    Signed as its side (−0.0 left of zero without a whisker); its labels are
    the NET as the picture labels it, "52% BD" or "9% low base".
    """
    values: list[float | None] = []
    texts: list[str] = []
    for row in cells:
        est = _value(row, "estimate")
        if row is None or est is None:
            values.append(None)
            texts.append("")
            continue
        high = _value(row, "ci_high")  # a larger share reaches further out
        values.append(math.copysign(0.0 if high is None else high - est, sign))
        texts.append(_net_text(row, est, lang))
    none = tuple(None for _ in values)
    return Series(
        _WORDS("room", lang, name=end),
        tuple(values),
        none,
        none,
        tuple("" for _ in values),
        tuple("series" for _ in values),
        texts=tuple(texts),
    )


def _net_text(row: pd.Series, est: float, lang: Lang) -> str:
    text = estimate_text(est, str(row.get("scale", "share")), lang)
    if str(row.get("flag", "ok")) == "low_base":
        return f"{text} {_WORDS('low_base', lang)}"
    letters = str(row.get("letters", "") or "")
    return f"{text} {letters}" if letters and letters != "nan" else text


def _highs(cells: list[pd.Series | None]) -> list[float]:
    return [h for h in (_value(c, "ci_high") for c in cells) if h is not None]


def _low(table: pd.DataFrame) -> bool:
    """Whether a segment's base is low (said once, in its name, on a stacked bar)."""
    return bool((table["flag"].astype(str) == "low_base").any())


def _plain(line: Series) -> Series:
    """A side's series: a low base keeps its answer's colour.

    The low base is said once, in its category, not in every slice's label.
    """
    suffixes = tuple(
        "" if r == "low_base" else x
        for x, r in zip(line.suffixes, line.roles, strict=True)
    )
    return Series(
        line.name,
        line.values,
        line.minus,
        line.plus,
        suffixes,
        tuple("series" for _ in line.roles),
    )


def _with_colour(line: Series, colour: str) -> Series:
    return Series(
        line.name, line.values, line.minus, line.plus, line.suffixes, line.roles, colour
    )


def _get(table: pd.DataFrame, answer: str | None) -> pd.Series | None:
    row = answer_row(table, answer)
    if row is None or str(row.get("flag", "ok")) == "suppressed":
        return None
    return row


def _value(row: pd.Series | None, name: str) -> float | None:
    if row is None:
        return None
    value = row.get(name)
    if value is None or pd.isna(value) or not math.isfinite(float(value)):
        return None
    return float(value)


def _segment(rows: pd.DataFrame, segment: Segment, theme: Theme, lang: Lang) -> str:
    """A category: the segment's name, its letter and its base."""
    mine = segment_rows(rows, segment)
    first = mine.iloc[0] if len(mine) else None
    name = theme.label(TOTAL if is_total(segment) else segment[1], lang)
    letter = "" if first is None else str(first.get("letter", "") or "")
    if letter and letter != "nan" and not is_total(segment):
        name += f" ({letter})"
    if first is not None and not pd.isna(first.get("n")):
        name += f" · n = {number(float(first['n']), lang)}"
    return name
