"""The PPTX deck: a cover, then a slide per chart, native or as its picture.

A slide keeps the chart's title in the layout's title placeholder, its
question under it, its footnote at the foot and the numbers table in the
speaker notes. The chart is either the slide PNG (exactly what the page
shows) or a native PowerPoint chart with its data sheet
(:mod:`analysis.slides.chartxml`), which a manager can restyle and edit.
A deck may start from the team's own ``.pptx``: its slides are dropped and
ours laid on its layouts, under its master (fonts, colours, logo).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.exc import PackageNotFoundError
from pptx.util import Emu, Inches, Pt

from analysis.errors import ExportError
from analysis.figures.chart import Chart
from analysis.figures.layout import wrap
from analysis.figures.text import plain
from analysis.figures.theme import Theme, load_theme
from analysis.i18n import Lang
from analysis.slides.chartxml import add_native_chart
from analysis.slides.cover import Cover, Progress, deck_waves, notes_table
from analysis.slides.disclosure import disclosure_table, disclosure_title
from analysis.slides.native_answers import native_panels
from analysis.slides.render import slide_png
from analysis.store.wave import WaveInfo

Template = Path | bytes
"""A ``.pptx`` file, as a path or as its bytes (an upload)."""

_WIDE = (Inches(13.333), Inches(7.5))
_FOOT = (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.SLIDE_NUMBER)
_XFRM = "{http://schemas.openxmlformats.org/drawingml/2006/main}xfrm"
_BODIES = (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)
_TITLE_PT = 28.0
_FOOTNOTE_PT = 9.0
_QUESTION_PT = 14.0
_TABLE_PT = 9.0


def deck_pptx(
    charts: Sequence[Chart],
    cover: Cover | None = None,
    *,
    native: bool = False,
    template: Template | None = None,
    progress: Progress | None = None,
    disclosure: bool = False,
) -> bytes:
    """A PPTX deck: a cover, then one slide per chart with its notes.

    Parameters
    ----------
    charts : sequence of Chart
    cover : Cover, optional
    native : bool
        Native PowerPoint charts with their data sheet, intervals as error
        bars (the heatmap stays a picture); by default each chart is its
        1920×1080 PNG, the same picture as the PNG export.
    template : path or bytes, optional
        The team's ``.pptx``: its master and layouts, theme fonts and colours
        are used and its own slides dropped. Default: a blank 16:9 deck.
    progress : callable, optional
        Called as ``progress(done, total, title)`` after each chart.
    disclosure : bool
        Start with a slide of the charts' waves' disclosure items (sample
        type, sponsor, organisation, population, mode, recruitment, dates,
        sample sizes, weighting, wording, checks, limitations, source), after
        the cover.
    """
    if not charts:
        raise ExportError("a deck needs at least one chart")
    deck = _open(template)
    theme = None if template is not None else load_theme()
    if cover is not None:
        _cover_slide(deck, cover, charts)
    layout = _chart_layout(deck)
    if disclosure:
        lang = cover.lang if cover else charts[0].text.lang
        _disclosure_slide(deck, layout, deck_waves(charts), lang, theme)
    for i, chart in enumerate(charts, start=1):
        panels = native_panels(chart) if native else ()
        page = deck.slides.add_slide(layout)
        _title(page, chart.text.title, None if theme is None else _TITLE_PT)
        if not panels:
            _picture(page, deck, chart)
        else:
            left, top, width, height = _words(page, deck, chart, theme)
            for panel in panels:
                share = round(width * panel.width)
                add_native_chart(
                    page.shapes, panel.spec, (left, top, share, height), theme
                )
                left += share
        page.notes_slide.notes_text_frame.text = (
            f"{chart.text.title}\n\n{notes_table(chart.rows, chart.text.lang)}\n\n"
            f"{plain(chart.text.footnote)}"
        )
        if progress:
            progress(i, len(charts), chart.text.title)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _open(template: Template | None) -> Any:
    """A blank 16:9 deck, or the template without its slides."""
    if template is None:
        deck = Presentation()
        _widen(deck)
        return deck
    source = io.BytesIO(template) if isinstance(template, bytes) else str(template)
    name = "the uploaded template" if isinstance(template, bytes) else str(template)
    try:
        deck = Presentation(source)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, PackageNotFoundError):
        raise ExportError(f"{name} is not a PowerPoint file (.pptx)") from None
    ids = deck.slides._sldIdLst
    for slide_id in list(ids):
        deck.part.drop_rel(slide_id.rId)  # the slide part goes with its last link
        ids.remove(slide_id)
    return deck


def _widen(deck: Any) -> None:
    """python-pptx's blank deck is 4:3: stretch it, master and layouts, to 16:9."""
    ratio = _WIDE[0] / deck.slide_width
    deck.slide_width, deck.slide_height = _WIDE
    masters = [deck.slide_master, *deck.slide_layouts]
    for shape in (s for m in masters for s in m.shapes):
        if shape._element.find(".//" + _XFRM) is not None:
            shape.left, shape.width = (
                round(shape.left * ratio),
                round(shape.width * ratio),
            )


def _chart_layout(deck: Any) -> Any:
    """The layout with a title and the fewest other placeholders ("Title Only")."""

    def others(layout: Any) -> int:
        kinds = [p.placeholder_format.type for p in layout.placeholders]
        titled = PP_PLACEHOLDER.TITLE in kinds or PP_PLACEHOLDER.CENTER_TITLE in kinds
        return len([k for k in kinds if k not in _FOOT]) - 1 if titled else 99

    return min(deck.slide_layouts, key=others)


def _cover_slide(deck: Any, cover: Cover, charts: Sequence[Chart]) -> None:
    layouts = list(deck.slide_layouts)
    kinds = [[p.placeholder_format.type for p in lay.placeholders] for lay in layouts]
    pick = next(
        (
            lay
            for lay, k in zip(layouts, kinds, strict=True)
            if PP_PLACEHOLDER.CENTER_TITLE in k
        ),
        _chart_layout(deck),
    )
    page = deck.slides.add_slide(pick)
    title = _title(page, cover.title)
    width, height = deck.slide_width, deck.slide_height
    body = next(
        (p for p in page.placeholders if p.placeholder_format.type in _BODIES), None
    )
    if body is None:
        body = page.shapes.add_textbox(0, 0, width, height)
    body.left, body.width = round(width * 0.06), round(width * 0.88)
    body.top = title.top + title.height + Inches(0.2)
    body.height = height - body.top - Inches(0.4)
    body.text_frame.word_wrap = True
    body.text_frame.text = "\n".join(cover.lines(charts))
    for paragraph in body.text_frame.paragraphs:
        paragraph.font.size = Pt(14)


def _disclosure_slide(
    deck: Any,
    layout: Any,
    waves: Sequence[WaveInfo],
    lang: Lang,
    theme: Theme | None,
) -> None:
    """The disclosure items as a native table under the title, one column a wave."""
    page = deck.slides.add_slide(layout)
    title = _title(page, disclosure_title(lang), None if theme is None else _TITLE_PT)
    cells = disclosure_table(waves, lang)
    left = title.left
    top = title.top + title.height + Inches(0.1)
    width = deck.slide_width - 2 * left
    height = _bottom(page, deck) - top
    shape = page.shapes.add_table(len(cells), len(cells[0]), left, top, width, height)
    shape.name = "Disclosure"
    table = shape.table
    first = round(width / (1 + 3 * len(waves)))
    table.columns[0].width = first
    for j in range(1, len(cells[0])):
        table.columns[j].width = round((width - first) / len(waves))
    for i, row in enumerate(cells):
        for j, text in enumerate(row):
            frame = table.cell(i, j).text_frame
            frame.text = text
            frame.word_wrap = True
            for paragraph in frame.paragraphs:
                paragraph.font.size = Pt(_TABLE_PT)
                paragraph.font.bold = i == 0 or j == 0


def _title(page: Any, text: str, size_pt: float | None = None) -> Any:
    """The title in the layout's title placeholder (a text box without one).

    A long insight title shrinks to its box rather than run into the question.
    """
    title = page.shapes.title
    if title is None:
        title = page.shapes.add_textbox(Inches(0.5), Inches(0.3), Inches(9), Inches(1))
    frame = title.text_frame
    frame.text = text
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    if size_pt is not None:
        frame.paragraphs[0].font.size = Pt(size_pt)
    return title


def _picture(page: Any, deck: Any, chart: Chart) -> None:
    """The slide PNG over the whole slide (fitted, centred, on a 4:3 template)."""
    image = slide_png(chart)
    width, height = deck.slide_width, deck.slide_height
    scale = min(width / 1920, height / 1080)
    w, h = round(1920 * scale), round(1080 * scale)
    picture = page.shapes.add_picture(
        io.BytesIO(image), (width - w) // 2, (height - h) // 2, w, h
    )
    picture.name = chart.text.filename
    picture._element.nvPicPr.cNvPr.set("descr", chart.text.title)


def _words(
    page: Any, deck: Any, chart: Chart, theme: Theme | None
) -> tuple[int, int, int, int]:
    """The question under the title and the footnote at the foot; the chart's box.

    Returns the box left between them (EMU), in the title's column.
    """
    title = page.shapes.title
    left = title.left if title is not None else Inches(0.5)
    width = title.width if title is not None else deck.slide_width - 2 * left
    top = (title.top + title.height) if title is not None else Inches(1.3)
    question = _text_box(
        page, chart.text.subtitle, (left, top, width), _QUESTION_PT, theme, "muted"
    )
    foot_lines = _lines(plain(chart.text.footnote), width, _FOOTNOTE_PT)
    foot_h = Pt(foot_lines * _FOOTNOTE_PT * 1.25 + 8)
    bottom = _bottom(page, deck)
    foot_top = bottom - foot_h
    _text_box(
        page,
        plain(chart.text.footnote),
        (left, foot_top, width),
        _FOOTNOTE_PT,
        theme,
        "muted",
        foot_h,
    )
    chart_top = question.top + question.height + Inches(0.1)
    return (
        int(left),
        int(chart_top),
        int(width),
        int(foot_top - chart_top - Inches(0.1)),
    )


def _bottom(page: Any, deck: Any) -> int:
    """Above the layout's footer placeholders, or 0.3 inch above the edge."""
    edge = deck.slide_height - Inches(0.3)
    feet = [
        p.top
        for p in page.slide_layout.placeholders
        if p.placeholder_format.type in _FOOT and p.top > deck.slide_height * 0.75
    ]
    return int(min([edge, *feet]))


def _lines(text: str, width: int, size_pt: float) -> int:
    return len(wrap(text, Emu(width).pt - 14, size_pt))


def _text_box(
    page: Any,
    text: str,
    where: tuple[int, int, int],
    size_pt: float,
    theme: Theme | None,
    colour: str,
    height: int | None = None,
) -> Any:
    """A wrapped text box; its height fits its lines unless given."""
    left, top, width = where
    if height is None:
        height = Pt(_lines(text, width, size_pt) * size_pt * 1.25 + 8) if text else 0
    box = page.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.margin_top = frame.margin_bottom = Pt(2)
    frame.text = text
    for paragraph in frame.paragraphs:
        paragraph.font.size = Pt(size_pt)
        if theme is not None:
            paragraph.font.color.rgb = _rgb(theme.color(colour))
    return box


def _rgb(hex_colour: str) -> Any:
    return RGBColor.from_string(hex_colour.lstrip("#"))  # type: ignore[no-untyped-call]
