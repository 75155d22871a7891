"""What a native PowerPoint chart shows, read from a chart's EstimateTable rows.

A :class:`NativeChart` is the data sheet of an editable chart: categories,
one series per metric (bars) or per segment (a trend's lines), each point's
interval as the distance below and above its estimate, the letters and
low-base marks its label carries, and the role that colours it. It is read
from :attr:`Chart.rows <analysis.figures.chart.Chart.rows>` exactly as the
picture draws them; nothing is recomputed. :mod:`analysis.slides.chartxml`
writes it into the slide.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import pandas as pd

from analysis.figures.chart import Chart
from analysis.figures.theme import Theme, load_theme
from analysis.i18n import Lang, Words
from analysis.library.codebook import Codebook, load_codebook
from analysis.store.wave import TOTAL

Role = Literal["series", "total", "low_base"]
"""What colours a point: its series, the total (ink), or a greyed low base."""

_WORDS = Words(
    {
        "low_base": ("low base", "base faible"),
        "hidden": ("n<10 – hidden", "n<10 – masqué"),
    }
)


@dataclass(frozen=True)
class Series:
    """One series: its values, the interval around each, its labels' suffixes.

    ``values`` are on the chart's axis (shares 0–1 on a share axis); a hidden
    point is None. ``minus`` and ``plus`` are the distances from the estimate
    down to ``ci_low`` and up to ``ci_high`` (None without an interval).
    """

    name: str
    values: tuple[float | None, ...]
    minus: tuple[float | None, ...]
    plus: tuple[float | None, ...]
    suffixes: tuple[str, ...]
    roles: tuple[Role, ...]
    colour: str | None = None
    """A fixed ``#RRGGBB`` (a scale's answer keeps its side's colour); None:
    the theme's or the template's series colour."""
    texts: tuple[str, ...] = ()
    """Label texts standing for the values: the series is then an unfilled
    carrier past a diverging bar's end, off the legend, its labels the side's
    NET ("52% BD"); its values are the room the whisker and label take."""


@dataclass(frozen=True)
class NativeChart:
    """An editable chart: bars across segments, lines across waves, or stacked bars.

    ``stacked`` is a diverging bar: a scale's lower answers as negative
    values (labelled without their sign), its higher ones positive.
    """

    kind: Literal["bar", "line", "stacked"]
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    percent: bool
    """Values are 0–1 shares shown as percentages; else numbers (0–100 points)."""
    lang: Lang = "en"
    top: float | None = None
    """The value axis's top when it is not the common 0–100 axis: a mean
    score's own scale (a 1–5 mean is 3.4, not 340), or a diverging bar's."""
    floor: float = 0.0
    """The value axis's bottom (below 0 for a diverging bar)."""
    mean: bool = False
    """The values are mean scores on their own scale."""
    category_labels: bool = True
    """False for a panel beside another that already names the categories."""
    axis_labels: bool = True
    """False for a narrow panel whose values are all labelled anyway."""

    @property
    def axis_max(self) -> float:
        """The top of the value axis: 0–100 (or 0–1 shares), or the means' own."""
        if self.top is not None:
            return self.top
        return 1.0 if self.percent else 100.0

    @property
    def label_size(self) -> int:
        """The value labels' size in hundredths of a point: smaller when many."""
        drawn = [s for s in self.series if not s.texts]
        return 1200 if len(self.categories) * len(drawn) <= 8 else 1000

    @property
    def labelled(self) -> bool:
        """Whether points carry value labels (several lines would collide)."""
        return self.kind != "line" or len(self.series) == 1


def native_chart(
    chart: Chart, theme: Theme | None = None, codebook: Codebook | None = None
) -> NativeChart | None:
    """The chart's data as a native chart, or None when it stays a picture.

    The heatmap stays a picture: a grid of 40 coloured cells has no native
    chart a manager would want to restyle. Rows from several waves make a
    line per segment across the waves (the trend); otherwise bars, one
    series per metric, one category per segment. Segment letters go into
    the category names and the letters a value beats into its label, as on
    the picture, when the chart shows one metric.
    """
    if any(trace.type == "heatmap" for trace in chart.figure.data):
        return None
    theme = theme or load_theme()
    book = codebook or load_codebook()
    rows = chart.rows.reset_index(drop=True)
    lang = chart.text.lang
    scales = set(rows["scale"].astype(str))
    if "mean" in scales and len(scales) > 1:
        return None  # a mean has no place on a share's axis
    percent = scales == {"share"}
    if rows["wave"].nunique() > 1:
        spec = _lines(rows, _wave_order(chart), theme, lang, percent)
    else:
        spec = _bars(rows, theme, book, lang, percent)
    if scales == {"mean"}:
        return replace(spec, top=mean_top(rows), mean=True)
    return spec


def mean_top(rows: pd.DataFrame) -> float:
    """A mean score's axis top: the next whole number above every interval."""
    highs = pd.to_numeric(rows["ci_high"], errors="coerce")
    values = pd.concat([highs, pd.to_numeric(rows["estimate"], errors="coerce")])
    high = float(values.max()) if values.notna().any() else 1.0
    return float(max(1, math.floor(high) + 1))


def _wave_order(chart: Chart) -> list[str]:
    """The chart's waves as its context listed them, then any others as met."""
    known = [w.name for w in chart.waves]
    met = [str(w) for w in pd.unique(chart.rows["wave"])]
    return [w for w in known if w in met] + [w for w in met if w not in known]


def _bars(
    rows: pd.DataFrame, theme: Theme, book: Codebook, lang: Lang, percent: bool
) -> NativeChart:
    pairs = zip(rows["segment_var"], rows["segment_value"], strict=True)
    keys = list(dict.fromkeys(pairs))
    metrics = [str(m) for m in pd.unique(rows["metric"])]
    single = len(metrics) == 1
    series = []
    for metric in metrics:
        mine = rows[rows["metric"] == metric]
        by_key = {(r["segment_var"], r["segment_value"]): r for _, r in mine.iterrows()}
        points = [by_key.get(key) for key in keys]
        name = (
            book.metrics[metric].label.get(lang) if metric in book.metrics else metric
        )
        line = _series(name, points, lang, percent, letters=single)
        # several metrics: each keeps its colour at the total too
        series.append(line if single else _recolour(line))
    categories = [_category(rows, key, theme, lang, single) for key in keys]
    return NativeChart("bar", tuple(categories), tuple(series), percent, lang)


def _lines(
    rows: pd.DataFrame, waves: list[str], theme: Theme, lang: Lang, percent: bool
) -> NativeChart:
    series = []
    for value in pd.unique(rows["segment_value"]):
        mine = rows[rows["segment_value"] == value]
        by_wave = {str(r["wave"]): r for _, r in mine.iterrows()}
        points = [by_wave.get(w) for w in waves]
        line = _series(theme.label(str(value), lang), points, lang, percent, False)
        series.append(_recolour(line))  # a line is one segment, the total too
    return NativeChart("line", tuple(waves), tuple(series), percent, lang)


def _recolour(series: Series) -> Series:
    roles: tuple[Role, ...] = tuple(
        "low_base" if r == "low_base" else "series" for r in series.roles
    )
    return Series(
        series.name, series.values, series.minus, series.plus, series.suffixes, roles
    )


def _category(
    rows: pd.DataFrame, key: tuple[str, str], theme: Theme, lang: Lang, single: bool
) -> str:
    var, value = key
    name = theme.label(str(value), lang)
    mine = rows[(rows["segment_var"] == var) & (rows["segment_value"] == value)]
    letter = _text(mine["letter"].iloc[0]) if "letter" in mine and single else ""
    if single and (mine["flag"].astype(str) == "suppressed").all():
        return f"{name} ({_WORDS('hidden', lang)})"
    return f"{name} ({letter})" if letter and var != TOTAL else name


def _series(
    name: str,
    points: Sequence[pd.Series | None],
    lang: Lang,
    percent: bool,
    letters: bool,
) -> Series:
    values, minus, plus, suffixes, roles = [], [], [], [], []
    for row in points:
        shown = row is not None and str(row.get("flag", "ok")) != "suppressed"
        est = _value(row, "estimate", percent) if shown else None
        low = _value(row, "ci_low", percent) if shown else None
        high = _value(row, "ci_high", percent) if shown else None
        values.append(est)
        minus.append(None if est is None or low is None else est - low)
        plus.append(None if est is None or high is None else high - est)
        suffixes.append(_suffix(row, lang, letters) if est is not None else "")
        roles.append(_role(row))
    return Series(
        name, tuple(values), tuple(minus), tuple(plus), tuple(suffixes), tuple(roles)
    )


def _value(row: pd.Series | None, name: str, percent: bool) -> float | None:
    """A row's number on the chart's axis.

    A share stays 0–1 on a share axis and counts ×100 on a 0–100 axis shared
    with indices; an index and a mean score keep their own numbers.
    """
    if row is None:
        return None
    value = row.get(name)
    if value is None or pd.isna(value):
        return None
    share = str(row.get("scale", "share")) == "share"
    factor = 100.0 if share and not percent else 1.0
    number = float(value) * factor
    return number if math.isfinite(number) else None


def _suffix(row: pd.Series | None, lang: Lang, letters: bool) -> str:
    """What a value's label says after the number: the letters, or "low base"."""
    if row is None:
        return ""
    if str(row.get("flag", "ok")) == "low_base":
        return _WORDS("low_base", lang)
    return _text(row.get("letters")) if letters else ""


def _role(row: pd.Series | None) -> Role:
    if row is not None and str(row.get("flag", "ok")) == "low_base":
        return "low_base"
    if row is not None and row["segment_var"] == TOTAL:
        return "total"
    return "series"


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)
