"""Where a slide's words go: text measured per letter, margins, the slide frame.

Margins are computed, not left to plotly's automargin, so the footnote and
title sit at fixed pixel positions whatever the chart's width.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import plotly.graph_objects as go

from analysis.figures.text import SlideText
from analysis.figures.theme import Size, Theme

CHAR_EM = 0.52
"""Average advance of a character, in ems, for widths of unknown text."""

# Advance widths (em) of Arial / Liberation Sans, the theme's first fonts; a
# character not listed takes the lowercase average. Accents change nothing.
_EM: dict[str, float] = {
    **dict.fromkeys("ijl'|", 0.222),
    **dict.fromkeys(" ftI.,:;!/\\[]", 0.278),
    **dict.fromkeys("r()-\u00ad", 0.333),
    **dict.fromkeys('"*', 0.389),
    **dict.fromkeys("ckvxyzsJ", 0.5),
    **dict.fromkeys("0123456789abdeghnopquL$–_#?", 0.556),
    **dict.fromkeys("FTZ+<>=~", 0.6),
    **dict.fromkeys("ABEKPSVXY&", 0.667),
    **dict.fromkeys("CDHNRUw", 0.722),
    **dict.fromkeys("GOQ", 0.778),
    **dict.fromkeys("mM", 0.833),
    **dict.fromkeys("%", 0.889),
    **dict.fromkeys("W—", 0.944),
}
_TAG = re.compile(r"<[^>]+>")
PAD = 24.0
LINE = 1.3


def _ems(line: str) -> float:
    """Width in ems; bold runs (<b>…</b>) are drawn about 7 % wider."""
    total, bold = 0.0, False
    for part in re.split(r"(</?b>)", line):
        if part in ("<b>", "</b>"):
            bold = part == "<b>"
            continue
        plain = unicodedata.normalize("NFD", _TAG.sub("", part))
        width = sum(
            _EM.get(c, 0.0 if unicodedata.combining(c) else 0.52) for c in plain
        )
        total += width * (1.07 if bold else 1.0)
    return total


_BREAKS = re.compile(r"[ \t\r\n]+")


def wrap(text: str, width_px: float, font_px: float) -> list[str]:
    """Lines of ``text`` that fit ``width_px`` at ``font_px``, measured per letter.

    Digits, capitals and "%" are wider than an average letter: a footnote full
    of bases and dates measured by character count runs past the edge. Lines
    break at ordinary spaces only: a no-break space (French "95 %", "± 1 point",
    "Base :") holds its neighbours together.
    """
    return list(_wrapped(text, width_px, font_px))


@lru_cache(maxsize=1024)
def _wrapped(text: str, width_px: float, font_px: float) -> tuple[str, ...]:
    # each candidate line is measured whole (a tag may hold a space), so a
    # view's titles and footnotes, wrapped for each chart, are kept
    room = width_px / font_px
    lines: list[str] = []
    line = ""
    for word in _BREAKS.split(text.strip()):
        candidate = f"{line} {word}" if line else word
        if line and _ems(candidate) > room:
            lines.append(line)
            line = word
        else:
            line = candidate
    return (*lines, line) if line or not lines else tuple(lines)


def text_width(text: str, font_px: float) -> float:
    """Pixel width of the longest line of ``text`` (tags excluded)."""
    return max((_ems(s) for s in text.split("<br>")), default=0.0) * font_px


@dataclass(frozen=True)
class Frame:
    """The computed margins of a slide (screen pixels) and its wrapped texts."""

    top: float
    bottom: float
    left: float
    right: float
    title: list[str]
    subtitle: list[str]
    footnote: list[str]


def frame(
    text: SlideText,
    theme: Theme,
    *,
    left: float,
    above_plot: float = 0.0,
    below_plot: float = 40.0,
    logo: bool = False,
) -> Frame:
    """Margins that leave room for the wrapped title, subtitle and footnote."""
    f = theme.fonts
    width = theme.screen[0] - 2 * PAD - (90 if logo else 0)
    title = wrap(text.title, width, f.title)[:3]
    subtitle = wrap(text.subtitle, width, f.subtitle)[:3] if text.subtitle else []
    footnote = wrap(text.footnote, theme.screen[0] - 2 * PAD, f.footnote)
    top = PAD * 0.6 + len(title) * f.title * LINE + 4
    top += len(subtitle) * f.subtitle * LINE + 12 + above_plot
    bottom = below_plot + len(footnote) * f.footnote * LINE + PAD * 0.6
    return Frame(top, bottom, left, PAD * 1.5, title, subtitle, footnote)


def slide_layout(fig: go.Figure, theme: Theme, size: Size, box: Frame) -> go.Figure:
    """Set template, title, subtitle, footnote, logo and margins at ``size``.

    The screen figure keeps a responsive width at the slide's aspect height;
    the slide figure is 1920×1080 with every pixel size scaled.
    """
    f, k = theme.fonts, size.k
    fig.update_layout(
        template=theme.template(size),
        height=size.height,
        width=size.width if size.name == "slide" else None,
        autosize=size.name != "slide",
        margin={
            "t": box.top * k,
            "b": box.bottom * k,
            "l": box.left * k,
            "r": box.right * k,
            "pad": 0,
            "autoexpand": True,
        },
        title={"text": ""},
    )
    # Title and subtitle are annotations: plotly's own title grows upwards when
    # it wraps, out of the figure; an annotation's top edge stays where put.
    top_y = (box.top - PAD * 0.6) * k
    title_h = len(box.title) * f.title * LINE
    for lines, font, colour, shift in (
        (box.title, f.title, theme.color("ink"), top_y),
        (box.subtitle, f.subtitle, theme.color("muted"), top_y - title_h * k),
    ):
        if lines:
            fig.add_annotation(
                text="<br>".join(lines),
                xref="paper",
                yref="paper",
                x=0,
                y=1,
                xanchor="left",
                yanchor="top",
                xshift=-(box.left - PAD) * k,
                yshift=shift,
                align="left",
                showarrow=False,
                font={"size": font * k, "color": colour},
                name="title" if lines is box.title else "subtitle",
            )
    fig.add_annotation(
        text="<br>".join(box.footnote),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="bottom",
        xshift=-(box.left - PAD) * k,
        yshift=-(box.bottom - PAD * 0.6) * k,
        align="left",
        showarrow=False,
        font={"size": f.footnote * k, "color": theme.color("muted")},
        name="footnote",
    )
    _logo(fig, theme, size, box)
    return fig


def _logo(fig: go.Figure, theme: Theme, size: Size, box: Frame) -> None:
    """The theme's logo, if any, top right in the title band."""
    logo = theme.logo_source()
    if not logo:
        return
    k = size.k
    plot_h = size.height - (box.top + box.bottom) * k
    fig.add_layout_image(
        source=logo,
        xref="paper",
        yref="paper",
        x=1,
        y=1 + (box.top - PAD * 0.6) * k / plot_h,
        xanchor="right",
        yanchor="top",
        sizex=0.12,
        sizey=36 * k / plot_h,
        sizing="contain",
        layer="above",
    )


def safe_filename(*parts: str) -> str:
    """A file stem from parts, e.g. ``churn_unprotected_Demo-2025``."""
    keep = "_".join(p for p in parts if p)
    stem = "".join(c if c.isalnum() or c in "-_." else "-" for c in keep)
    return stem.strip("-_.") or "chart"


def ceil_lines(width_px: float, avail_px: float) -> int:
    """How many rows a horizontal run of ``width_px`` takes in ``avail_px``."""
    return max(1, math.ceil(width_px / max(avail_px, 1.0)))
