"""Slides out of figures: a ZIP of 1920×1080 PNGs and a PPTX deck.

The PNGs come from :mod:`analysis.slides.render` (kaleido in a headless
Chromium).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analysis.errors import ExportError
from analysis.figures.layout import figure_text
from analysis.figures.text import SlideText, footnote_text
from analysis.figures.theme import load_theme
from analysis.formatting import estimate_text, interval_text, number
from analysis.i18n import Lang
from analysis.slides.render import (
    slide_png,
)
from analysis.store.wave import WaveInfo, WaveMeta

Progress = Callable[[int, int, str], None]
"""Called as ``progress(done, total, label)`` after each slide."""


@dataclass(frozen=True)
class Slide:
    """One chart of a deck and the EstimateTable rows it was drawn from."""

    figure: go.Figure
    rows: pd.DataFrame

    @property
    def text(self) -> SlideText:
        """Title, subtitle, footnote and file name the figure carries."""
        return figure_text(self.figure)


@dataclass(frozen=True)
class Cover:
    """The first slide: what the deck shows and how it was estimated."""

    title: str
    waves: tuple[WaveMeta | WaveInfo, ...]
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    lang: Lang = "en"

    def lines(self, rows: pd.DataFrame) -> list[str]:
        """The cover's lines: waves, filters, then the method footnote."""
        fr = self.lang == "fr"
        names = ", ".join(w.name for w in self.waves)
        shown = "; ".join(f"{k} = {', '.join(v)}" for k, v in self.filters.items())
        none = "aucun" if fr else "none"
        method = footnote_text(rows, self.waves, self.lang) if len(rows) else ""
        return [
            ("Vagues : " if fr else "Waves: ") + names,
            ("Filtres : " if fr else "Filters: ") + (shown or none),
            ("Méthode : " if fr else "Method: ")
            + method.replace("<b>", "").replace("</b>", ""),
            ("Exporté le " if fr else "Exported ") + date.today().isoformat(),
        ]


def notes_table(rows: pd.DataFrame, lang: Lang = "en") -> str:
    """The numbers behind a chart, as plain text for the speaker notes."""
    fr = lang == "fr"
    head = (
        "Segment | Estimation | Intervalle | n | n effectif | Statut"
        if fr
        else "Segment | Estimate | Interval | n | effective n | Flag"
    )
    lines = [head]
    for _, r in rows.iterrows():
        scale = str(r.get("scale", "share"))
        est, low, high = (_num(r, c) for c in ("estimate", "ci_low", "ci_high"))
        lines.append(
            " | ".join(
                [
                    f"{r['wave']} · {r['metric']} · "
                    f"{r['segment_var']}={r['segment_value']}",
                    estimate_text(est, scale, lang),
                    interval_text(low, high, scale, lang),
                    number(_num(r, "n"), lang),
                    number(_num(r, "n_eff"), lang),
                    str(r.get("flag", "")),
                ]
            )
        )
    return "\n".join(lines)


def _num(row: pd.Series, name: str) -> float:
    value = row.get(name)
    return float("nan") if value is None or pd.isna(value) else float(value)


def _all_rows(slides: Sequence[Slide]) -> pd.DataFrame:
    frames = [s.rows for s in slides if len(s.rows)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _names(slides: Sequence[Slide]) -> list[str]:
    """Unique, ordered file names: ``01_churn_unprotected_Demo-2025.png``."""
    return [f"{i:02d}_{s.text.filename}.png" for i, s in enumerate(slides, start=1)]


def _pngs(
    slides: Sequence[Slide], progress: Progress | None, extra: int = 0
) -> list[bytes]:
    images = []
    total = len(slides) + extra
    for i, slide in enumerate(slides, start=1):
        images.append(slide_png(slide.figure))
        if progress:
            progress(i, total, slide.text.title)
    return images


def deck_zip(
    slides: Sequence[Slide],
    cover: Cover | None = None,
    *,
    progress: Progress | None = None,
) -> bytes:
    """A ZIP of 1920×1080 PNG slides (a cover first when given)."""
    if not slides:
        raise ExportError("a deck needs at least one chart")
    images = _pngs(slides, progress, extra=1 if cover else 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        if cover is not None:
            archive.writestr("00_cover.png", slide_png(cover_figure(cover, slides)))
            if progress:
                progress(len(slides) + 1, len(slides) + 1, cover.title)
        for name, image in zip(_names(slides), images, strict=True):
            archive.writestr(name, image)
    return buffer.getvalue()


def cover_figure(cover: Cover, slides: Sequence[Slide]) -> go.Figure:
    """The cover as a figure (for PNG decks): title and the cover's lines."""
    from analysis.figures.layout import wrap

    theme = load_theme()
    size = theme.size("slide")
    k = size.k
    fig = go.Figure()
    lines = [
        "<br>".join(wrap(line, theme.screen[0] - 80, theme.fonts.subtitle))
        for line in cover.lines(_all_rows(slides))
    ]
    fig.add_annotation(
        text=f"<b>{cover.title}</b>",
        x=0,
        y=0.78,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font={"size": theme.fonts.title * 1.4 * k, "color": theme.color("ink")},
    )
    fig.add_annotation(
        text="<br><br>".join(lines),
        x=0,
        y=0.72,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
        font={"size": theme.fonts.subtitle * k, "color": theme.color("muted")},
    )
    fig.update_layout(
        template=theme.template(size),
        width=size.width,
        height=size.height,
        margin={"l": 40 * k, "r": 40 * k, "t": 40 * k, "b": 40 * k},
        xaxis={"visible": False},
        yaxis={"visible": False},
        meta={"title": cover.title, "filename": "cover"},
    )
    return fig


def deck_pptx(
    slides: Sequence[Slide],
    cover: Cover | None = None,
    *,
    progress: Progress | None = None,
) -> bytes:
    """A 16:9 PPTX: a cover, then one full-bleed PNG per slide with notes.

    Each chart slide keeps its title as real text in the title placeholder
    (behind the picture, found by search and screen readers) and in the
    picture's alt text; the speaker notes hold the numbers table.
    """
    from pptx import Presentation
    from pptx.util import Inches

    if not slides:
        raise ExportError("a deck needs at least one chart")
    images = _pngs(slides, progress)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    if cover is not None:
        page = deck.slides.add_slide(deck.slide_layouts[0])
        page.shapes.title.text = cover.title
        page.placeholders[1].text = "\n".join(cover.lines(_all_rows(slides)))
        _fit_cover(page, deck)
    for slide, image in zip(slides, images, strict=True):
        page = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only"
        page.shapes.title.text = slide.text.title
        picture = page.shapes.add_picture(
            io.BytesIO(image), 0, 0, deck.slide_width, deck.slide_height
        )
        picture.name = slide.text.filename
        picture._element.nvPicPr.cNvPr.set("descr", slide.text.title)
        page.notes_slide.notes_text_frame.text = (
            f"{slide.text.title}\n\n{notes_table(slide.rows, slide.text.lang)}\n\n"
            f"{slide.text.footnote}"
        )
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _fit_cover(page: Any, deck: Any) -> None:
    """Stretch the title slide's placeholders to the 16:9 width."""
    from pptx.util import Inches, Pt

    for shape in page.placeholders:
        shape.left, shape.width = Inches(0.8), deck.slide_width - Inches(1.6)
    body = page.placeholders[1]
    body.top, body.height = Inches(3.2), Inches(3.8)
    for paragraph in body.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(14)
