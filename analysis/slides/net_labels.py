"""The NET labels past a diverging bar's ends, as a PowerPoint chart draws them.

PowerPoint puts a stacked bar's labels inside their bars only, so each
side's NET label rides a carrier: an unfilled series (``Series.texts`` set)
stacked past the side's outer answer, as long as the NET's whisker reaches
out plus the label's width, the label at its outer end (``inEnd``), clear
of the whisker. The label is the NET's own text (``c:tx``), since the
carrier's value is room, not the NET; the NET's value, letters and interval
stay in the table and in the notes.

:func:`with_label_room` sizes the carriers and the value axis for the
plot's width; :func:`carrier_labels` writes the labels.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any
from xml.sax.saxutils import escape

from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn

from analysis.slides.native import NativeChart, Series

GAP_PT = 6.0
"""The space between a whisker's end and its NET label, and past the label."""
_EM = 0.75
"""A label character's width in ems (bold digits and capitals, generously)."""
_INK = '<a:schemeClr val="tx1"/>'


def text_pt(text: str, size_pt: float) -> float:
    """About how wide ``text`` is, in points, at ``size_pt``."""
    return len(text) * _EM * size_pt


def left_side(series: Series) -> bool:
    """Whether a carrier stands left of zero (its values are signed, −0.0 too)."""
    return any(math.copysign(1.0, v) < 0 for v in series.values if v is not None)


def with_label_room(spec: NativeChart, plot_pt: float) -> NativeChart:
    """``spec`` with its carriers grown by their labels and its axis holding them.

    ``plot_pt`` is the plot's width in points. The axis's ends stay on its
    ticks' grid (so zero is a tick); each label's room is its width at the
    chart's label size, plus a gap on each side, in axis units of the final
    axis.
    """
    carriers = [s for s in spec.series if s.texts]
    if spec.kind != "stacked" or not carriers:
        return spec
    size = spec.label_size / 100
    need = [0.0, 0.0]  # the widest label's room, left and right, in points
    for carrier in carriers:
        k = 0 if left_side(carrier) else 1
        widest = max((text_pt(t, size) for t in carrier.texts), default=0.0)
        need[k] = max(need[k], widest + 2 * GAP_PT)
    low0, high0 = _reach(spec.series)
    per = (low0 + high0) / max(plot_pt - sum(need), 0.35 * plot_pt)
    floor = top = 0.0
    step = 0.1
    for _ in range(20):  # per only grows, and the grid absorbs it
        floor = _up(low0 + need[0] * per, step)
        top = _up(high0 + need[1] * per, step)
        wider = (floor + top) / plot_pt > per
        step, was = major_unit(floor + top), step
        if not wider and step == was:
            break
        per = max(per, (floor + top) / plot_pt)
    series = tuple(_grown(s, per, size) if s.texts else s for s in spec.series)
    return replace(spec, series=series, floor=-floor, top=top)


def _reach(series: tuple[Series, ...]) -> tuple[float, float]:
    """How far the stacks (carriers' whiskers included) reach left and right."""
    count = max(len(s.values) for s in series)
    left, right = [0.0] * count, [0.0] * count
    for line in series:
        for i, v in enumerate(line.values):
            if v is None:
                continue
            if v < 0 or (line.texts and left_side(line)):
                left[i] += -v
            else:
                right[i] += v
    return max([0.1, *left]), max([0.1, *right])


def major_unit(span: float) -> float:
    """A diverging bar's tick step: 20 points over a wide axis, else 10."""
    return 0.2 if span > 0.8 else 0.1


def _up(value: float, step: float) -> float:
    """``value`` rounded up to the axis's grid of ``step``, so zero is a tick."""
    return math.ceil(round(value / step, 9)) * step


def _grown(carrier: Series, per: float, size: float) -> Series:
    """A carrier whose every value adds its label's room (``per``: axis per pt)."""
    sign = -1.0 if left_side(carrier) else 1.0
    values = tuple(
        None
        if v is None or not text
        else sign * (abs(v) + (text_pt(text, size) + 2 * GAP_PT) * per)
        for v, text in zip(carrier.values, carrier.texts, strict=True)
    )
    return replace(carrier, values=values)


def carrier_labels(carrier: Series, size: int) -> Any:
    """A carrier's labels: each point's NET text, bold, at the carrier's outer end."""
    points = []
    for i, (value, text) in enumerate(zip(carrier.values, carrier.texts, strict=True)):
        if value is None or not text:
            points.append(f'<c:dLbl><c:idx val="{i}"/><c:delete val="1"/></c:dLbl>')
            continue
        run = (
            f'<a:r><a:rPr lang="en-US" sz="{size}" b="1"><a:solidFill>{_INK}'
            f"</a:solidFill></a:rPr><a:t>{escape(text)}</a:t></a:r>"
        )
        points.append(
            f'<c:dLbl><c:idx val="{i}"/><c:tx><c:rich><a:bodyPr/><a:lstStyle/>'
            f"<a:p>{run}</a:p></c:rich></c:tx>"
            "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
            f'<c:dLblPos val="inEnd"/>{_shows(value=True)}</c:dLbl>'
        )
    return parse_xml(
        f"<c:dLbls {nsdecls('c', 'a')}>{''.join(points)}{_shows(value=False)}</c:dLbls>"
    )


def _shows(*, value: bool) -> str:
    return (
        f'<c:showLegendKey val="0"/><c:showVal val="{int(value)}"/>'
        '<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/>'
        '<c:showBubbleSize val="0"/>'
    )


def hide_from_legend(legend: Any, index: int, count: int) -> None:
    """Take series ``index`` of ``count`` (a carrier) off a bar chart's legend.

    A horizontal bar chart's legend lists its series last first, and a
    legend entry's ``idx`` counts in the legend's order, not the series'
    (LibreOffice's import, made to read Office's files, counts so).
    """
    entry = parse_xml(
        f'<c:legendEntry {nsdecls("c")}><c:idx val="{count - 1 - index}"/>'
        '<c:delete val="1"/></c:legendEntry>'
    )
    legend.find(qn("c:legendPos")).addnext(entry)
