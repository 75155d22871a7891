"""A :class:`~analysis.slides.native.NativeChart` written as a PowerPoint chart.

python-pptx writes the chart, its categories and values and the embedded
workbook; what it has no API for is written here as DrawingML chart XML
(ECMA-376 part 1, §21.2): custom error bars (``c:errBars`` with
``c:errValType val="cust"``, the distances below and above each estimate
as ``c:minus``/``c:plus`` references into the data sheet) and value labels
whose number format carries the segment letters (``0%" BD"``), so a label
still follows its value when a manager edits the data sheet.

Colours: without a template, the theme's (``data/theme.yaml``); with one,
the template's own scheme colours (accent 1, 2, … for series, text 1 for
the total), so the deck takes the team's palette.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_AXIS_CROSSES,
    XL_CHART_TYPE,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Pt

from analysis.figures.theme import Theme
from analysis.i18n import Words
from analysis.slides.native import NativeChart, Role, Series
from analysis.slides.net_labels import (
    carrier_labels,
    hide_from_legend,
    major_unit,
    with_label_room,
)

_ACCENTS = (
    MSO_THEME_COLOR.ACCENT_1,
    MSO_THEME_COLOR.ACCENT_2,
    MSO_THEME_COLOR.ACCENT_3,
    MSO_THEME_COLOR.ACCENT_4,
    MSO_THEME_COLOR.ACCENT_5,
    MSO_THEME_COLOR.ACCENT_6,
)
_INK = '<a:schemeClr val="tx1"/>'
_ON_BAR = '<a:schemeClr val="bg1"/>'
_WHISKER = '<a:schemeClr val="tx1"/>'
"""Error bars in the text colour: visible on the bars, mid-grey total included."""
_GREYS = {"total": 0.35, "low_base": 0.65}
"""How much lighter than the text colour the total and low-base bars are."""
_WORDS = Words(
    {
        "segment": ("Segment", "Segment"),
        "mean": ("Mean score", "Score moyen"),
        "wave": ("Wave", "Vague"),
        "below": ("{name}: interval below", "{name}\u00a0: intervalle sous"),
        "above": ("{name}: interval above", "{name}\u00a0: intervalle au-dessus"),
    }
)
_FORMATS = {"en": "0%", "fr": '0"\u202f"%'}
_KINDS = {
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked": XL_CHART_TYPE.BAR_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
}
"""Percent label formats: French puts a narrow no-break space before %."""


def add_native_chart(
    shapes: Any,
    spec: NativeChart,
    box: tuple[int, int, int, int],
    theme: Theme | None,
) -> Any:
    """Add ``spec`` to a slide's ``shapes`` in ``box`` (EMU); return its frame.

    ``theme`` None means "colour with the template's scheme colours".
    """
    width_pt = Emu(box[2]).pt * 0.7  # the plot, beside the category names
    spec = with_label_room(spec, width_pt)
    # python-pptx leaves its chart data and colour constructors unannotated
    data = CategoryChartData(number_format=_sheet_format(spec))  # type: ignore[no-untyped-call]
    data.categories = list(spec.categories)
    for series in spec.series:
        data.add_series(series.name, list(series.values))  # type: ignore[no-untyped-call]
    frame = shapes.add_chart(_KINDS[spec.kind], *box, data)
    chart = frame.chart
    _axes(chart, spec)
    painted = 0  # segments take the palette in order, as in the picture: the
    # total's own series (answer bars) is grey and does not use up a colour
    for j, (series, plotted) in enumerate(
        zip(spec.series, chart.plots[0].series, strict=True)
    ):
        ser = plotted._element
        cat = ser.find(qn("c:cat"))
        if series.texts:  # a NET label's carrier: unfilled, off the legend
            plotted.format.fill.background()
            cat.addprevious(carrier_labels(series, spec.label_size))
            if chart.has_legend:
                hide_from_legend(chart.legend._element, j, len(spec.series))
            continue
        _paint_series(plotted, series, painted, spec.kind, theme)
        painted += set(series.roles) != {"total"}
        if spec.labelled:
            cat.addprevious(_labels(series, spec, width_pt))
        if any(v is not None for v in (*series.minus, *series.plus)):
            cat.addprevious(_error_bars(series, j, spec))
    frame.chart_part.chart_workbook.update_from_xlsx_blob(_workbook(spec))
    return frame


def _axes(chart: Any, spec: NativeChart) -> None:
    chart.has_title = False
    chart.font.size = Pt(12)
    value = chart.value_axis
    value.minimum_scale, value.maximum_scale = spec.floor, spec.axis_max
    value.major_unit = _major_unit(spec)
    value.has_major_gridlines = True
    value.major_gridlines.format.line.color.theme_color = MSO_THEME_COLOR.TEXT_1
    value.major_gridlines.format.line.color.brightness = 0.85
    value.tick_labels.number_format = _tick_format(spec)
    value.tick_labels.number_format_is_linked = False
    if spec.mean:  # the axis says it is a score, not a percentage
        value.has_title = True
        value.axis_title.text_frame.text = _WORDS("mean", spec.lang)
    if spec.kind != "line":
        chart.plots[0].gap_width = 60
        chart.category_axis.reverse_order = True  # the total on top, as drawn
        chart.category_axis.crosses = XL_AXIS_CROSSES.MAXIMUM  # values below
    if spec.kind == "stacked":
        chart.plots[0].overlap = 100
        # the names at the plot's left edge, not at zero in its middle
        chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    if not spec.category_labels:
        chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    if not spec.axis_labels:
        value.tick_label_position = XL_TICK_LABEL_POSITION.NONE
    chart.has_legend = len(spec.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False


def _major_unit(spec: NativeChart) -> float:
    span = spec.axis_max - spec.floor
    if spec.mean and span <= 10:
        return 1.0
    if spec.kind == "stacked":
        return major_unit(span)
    return span / 5


def _paint_series(
    plotted: Any, series: Series, j: int, kind: str, theme: Theme | None
) -> None:
    """Colour a series, then each point whose role differs (total, low base).

    A series that is the total throughout (the total's bars beside the
    segments') takes the total's colour as a whole, legend included.
    """
    own: Role = "total" if set(series.roles) == {"total"} else "series"
    if kind == "line":
        plotted.smooth = False
        plotted.format.line.width = Pt(2.25)
        _colour(plotted.format.line.color, own, j, theme, series.colour)
        plotted.marker.style = XL_MARKER_STYLE.CIRCLE
        plotted.marker.size = 8
    else:
        plotted.format.fill.solid()
        _colour(plotted.format.fill.fore_color, own, j, theme, series.colour)
    for i, role in enumerate(series.roles):
        if role == own:
            continue
        point = plotted.points[i]
        fill = point.marker.format.fill if kind == "line" else point.format.fill
        fill.solid()
        _colour(fill.fore_color, role, j, theme)


def _colour(
    colour: Any, role: Role, j: int, theme: Theme | None, fixed: str | None = None
) -> None:
    """A series in its colour, the total in a dark grey, a low base in a light one.

    The total is not the text's own colour, so its error bar stays visible.
    A series' ``fixed`` colour (a scale's side) holds whatever the template.
    """
    if fixed is not None and role == "series":
        colour.rgb = RGBColor.from_string(fixed.lstrip("#"))  # type: ignore[no-untyped-call]
        return
    if theme is None:
        if role == "series":
            colour.theme_color = _ACCENTS[j % len(_ACCENTS)]
        else:
            colour.theme_color = MSO_THEME_COLOR.TEXT_1
            colour.brightness = _GREYS[role]
        return
    hexes = {"total": theme.color("muted"), "low_base": theme.color("low_base")}
    rgb = hexes.get(role) or theme.palette[j % len(theme.palette)]
    colour.rgb = RGBColor.from_string(rgb.lstrip("#"))  # type: ignore[no-untyped-call]


def _label_format(spec: NativeChart, suffix: str = "") -> str:
    base = _FORMATS[spec.lang] if spec.percent else "0.0" if spec.mean else "0"
    text = suffix.replace('"', "").replace("\\", "")
    shown = f'{base}" {text}"' if text else base
    # a diverging bar's left side is negative: shown without its sign
    return f"{shown};{shown}" if spec.kind == "stacked" else shown


def _tick_format(spec: NativeChart) -> str:
    """The value axis's labels; a diverging bar's say no share past 100%.

    Its axis may reach past ±100% to hold the NET labels: those ticks are
    left blank (a format's conditions), the others shown without a sign.
    """
    if spec.kind != "stacked" or (spec.axis_max <= 1 and spec.floor >= -1):
        return _label_format(spec)
    return f'[>1.0001]"";[<-1.0001]"";{_FORMATS[spec.lang]}'


def _sheet_format(spec: NativeChart) -> str:
    return "0.0%" if spec.percent else "0.0"


def _labels(series: Series, spec: NativeChart, width_pt: float) -> Any:
    """Value labels: inside the bar's base in white, or beside a short bar."""
    size = spec.label_size
    default = {"bar": "inBase", "stacked": "ctr", "line": "t"}[spec.kind]
    if spec.kind == "stacked" and any(v is not None for v in series.plus):
        default = "inBase"  # clear of the whisker across the bar's outer end
    colour = _INK if spec.kind == "line" or _pale(series.colour) else _ON_BAR
    points = []
    for i, value in enumerate(series.values):
        suffix, role = series.suffixes[i], series.roles[i]
        if value is None:
            continue
        # a stacked label sits between the bar's inner edge and its whisker
        inward = (series.plus if value < 0 else series.minus)[i] or 0.0
        if spec.kind == "stacked" and not _fits(
            abs(value) - inward, suffix, spec, width_pt, size / 100
        ):
            points.append(f'<c:dLbl><c:idx val="{i}"/><c:delete val="1"/></c:dLbl>')
            continue
        place = default
        if spec.kind == "bar" and not _fits(value, suffix, spec, width_pt, size / 100):
            place = "outEnd"
        # ink beside a bar and on a pale low-base bar; the bar's white inside others
        tint = _INK if place == "outEnd" or role == "low_base" else colour
        if suffix or place != default or tint != colour:
            points.append(_label_xml(i, _label_format(spec, suffix), tint, size, place))
    body = _label_body(_label_format(spec), colour, size, default)
    return parse_xml(f"<c:dLbls {nsdecls('c', 'a')}>{''.join(points)}{body}</c:dLbls>")


def _fits(
    value: float, suffix: str, spec: NativeChart, width_pt: float, font: float
) -> bool:
    """Whether the label fits inside its bar (about 0.6 em a character)."""
    chars = 4 + len(suffix) + (1 if suffix else 0)
    span = spec.axis_max - spec.floor
    return value / span * width_pt > chars * 0.6 * font + 8


def _pale(colour: str | None) -> bool:
    """Whether white text would be hard to read on this fill."""
    if colour is None:
        return False
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b > 150


def _label_xml(idx: int, fmt: str, colour: str, size: int, place: str) -> str:
    return (
        f'<c:dLbl><c:idx val="{idx}"/>{_label_body(fmt, colour, size, place)}</c:dLbl>'
    )


def _label_body(fmt: str, colour: str, size: int, place: str) -> str:
    """The shared part of a label: number format, font, position, what it shows."""
    return (
        f'<c:numFmt formatCode={quoteattr(fmt)} sourceLinked="0"/>'
        "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
        "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>"
        f'<a:defRPr sz="{size}" b="1"><a:solidFill>{colour}</a:solidFill></a:defRPr>'
        '</a:pPr><a:endParaRPr lang="en-US"/></a:p></c:txPr>'
        f'<c:dLblPos val="{place}"/>'
        '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
        '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>'
    )


def _error_bars(series: Series, j: int, spec: NativeChart) -> Any:
    """Custom error bars: the interval below and above, referenced in the sheet."""
    minus_col, plus_col = _interval_columns(spec, j)
    rows = len(spec.categories) + 1
    return parse_xml(
        f"<c:errBars {nsdecls('c', 'a')}>"
        '<c:errBarType val="both"/><c:errValType val="cust"/><c:noEndCap val="0"/>'
        f"<c:plus>{_num_ref(plus_col, rows, series.plus, spec)}</c:plus>"
        f"<c:minus>{_num_ref(minus_col, rows, series.minus, spec)}</c:minus>"
        f'<c:spPr><a:ln w="15875"><a:solidFill>{_WHISKER}</a:solidFill></a:ln></c:spPr>'
        "</c:errBars>"
    )


def _num_ref(
    column: str, last_row: int, values: Sequence[float | None], spec: NativeChart
) -> str:
    points = "".join(
        f'<c:pt idx="{i}"><c:v>{v!r}</c:v></c:pt>'
        for i, v in enumerate(values)
        if v is not None
    )
    return (
        f"<c:numRef><c:f>Sheet1!${column}$2:${column}${last_row}</c:f>"
        f"<c:numCache><c:formatCode>{escape(_sheet_format(spec))}</c:formatCode>"
        f'<c:ptCount val="{len(values)}"/>{points}</c:numCache></c:numRef>'
    )


def _interval_columns(spec: NativeChart, j: int) -> tuple[str, str]:
    """The sheet columns (letters) of series ``j``'s distances below and above."""
    below, above = _interval_index(spec, j)
    return get_column_letter(below), get_column_letter(above)


def _interval_index(spec: NativeChart, j: int) -> tuple[int, int]:
    """The same columns as numbers: after every series' values, two per series."""
    first = 2 + len(spec.series) + 2 * j
    return first, first + 1


def _workbook(spec: NativeChart) -> bytes:
    """The data sheet: categories, the series' values, then their intervals.

    Laid out as python-pptx lays out its own (categories in A, series from
    B), so the references it wrote stay true; every text is written as text,
    never as a formula.
    """
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "Sheet1"
    head = _WORDS("wave" if spec.kind == "line" else "segment", spec.lang)
    _text(sheet, 1, 1, head)
    for i, category in enumerate(spec.categories, start=2):
        _text(sheet, i, 1, category)
    fmt = _sheet_format(spec)
    for j, series in enumerate(spec.series):
        minus_col, plus_col = _interval_index(spec, j)
        columns = (
            (2 + j, series.name, series.values),
            (minus_col, _WORDS("below", spec.lang, name=series.name), series.minus),
            (plus_col, _WORDS("above", spec.lang, name=series.name), series.plus),
        )
        for col, name, values in columns:
            _text(sheet, 1, col, name)
            for i, value in enumerate(values, start=2):
                cell = sheet.cell(i, col, value)
                cell.number_format = fmt
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text(sheet: Any, row: int, col: int, text: str) -> None:
    cell = sheet.cell(row, col, text)
    cell.data_type = "s"  # "=…" stays a label, never a formula
