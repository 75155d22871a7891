"""Decks out of chart results: a ZIP of 1920×1080 PNGs and a PPTX deck.

A deck takes the :class:`~analysis.figures.chart.Chart` results the page or
the command drew: their figures become slides, their rows the speaker notes,
their waves the cover's list. The PNGs come from :mod:`analysis.slides.render`
(kaleido in a headless Chromium).
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
from analysis.figures.chart import Chart
from analysis.figures.layout import wrap
from analysis.figures.text import footnote_text, plain
from analysis.figures.theme import Theme, load_theme
from analysis.formatting import estimate_text, interval_text, number
from analysis.i18n import Lang, Words
from analysis.slides.render import figure_png, slide_png
from analysis.store.wave import WaveInfo

Progress = Callable[[int, int, str], None]
"""Called as ``progress(done, total, label)`` after each slide."""

_WORDS = Words(
    {
        "waves": ("Waves: {waves}", "Vagues\u00a0: {waves}"),
        "filters": ("Filters: {filters}", "Filtres\u00a0: {filters}"),
        "no_filter": ("none", "aucun"),
        "method": ("Method: {method}", "Méthode\u00a0: {method}"),
        "exported": ("Exported {day}", "Exporté le {day}"),
        "notes_head": (
            "Segment | Estimate | Interval | n | effective n | Flag",
            "Segment | Estimation | Intervalle | n | n effectif | Statut",
        ),
    }
)


@dataclass(frozen=True)
class Cover:
    """The first slide: what the deck shows and how it was estimated.

    The waves it names are those of the deck's charts; ``filters`` are the
    ones the charts' tables were estimated with.
    """

    title: str
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    lang: Lang = "en"

    def lines(self, charts: Sequence[Chart], theme: Theme | None = None) -> list[str]:
        """The cover's lines: waves, filters, then the method footnote."""
        label = (theme or load_theme()).label
        lang = self.lang
        waves = _waves(charts)
        rows = _all_rows(charts)
        shown = "; ".join(
            f"{label(k, lang).lower()} = {', '.join(label(v, lang) for v in values)}"
            for k, values in self.filters.items()
        )
        method = footnote_text(rows, waves, lang) if len(rows) else ""
        return [
            _WORDS("waves", lang, waves=", ".join(w.name for w in waves)),
            _WORDS("filters", lang, filters=shown or _WORDS("no_filter", lang)),
            _WORDS("method", lang, method=plain(method)),
            _WORDS("exported", lang, day=date.today().isoformat()),
        ]


def notes_table(rows: pd.DataFrame, lang: Lang = "en") -> str:
    """The numbers behind a chart, as plain text for the speaker notes."""
    lines = [_WORDS("notes_head", lang)]
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


def _all_rows(charts: Sequence[Chart]) -> pd.DataFrame:
    frames = [c.rows for c in charts if len(c.rows)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _waves(charts: Sequence[Chart]) -> list[WaveInfo]:
    """The charts' waves, each once, by fieldwork date (undated ones last)."""
    seen: dict[str, WaveInfo] = {}
    for chart in charts:
        for wave in chart.waves:
            seen.setdefault(wave.name, wave)
    return sorted(seen.values(), key=_fielded)


def _fielded(wave: WaveInfo) -> tuple[bool, date]:
    start = wave.meta.fieldwork_start
    return (start is None, start or date.min)


def _names(charts: Sequence[Chart]) -> list[str]:
    """Unique, ordered file names: ``01_churn_unprotected_Demo-2025.png``."""
    return [f"{i:02d}_{c.text.filename}.png" for i, c in enumerate(charts, start=1)]


def _pngs(
    charts: Sequence[Chart], progress: Progress | None, extra: int = 0
) -> list[bytes]:
    images = []
    total = len(charts) + extra
    for i, chart in enumerate(charts, start=1):
        images.append(slide_png(chart))
        if progress:
            progress(i, total, chart.text.title)
    return images


def deck_zip(
    charts: Sequence[Chart],
    cover: Cover | None = None,
    *,
    progress: Progress | None = None,
) -> bytes:
    """A ZIP of 1920×1080 PNG slides (a cover first when given)."""
    if not charts:
        raise ExportError("a deck needs at least one chart")
    images = _pngs(charts, progress, extra=1 if cover else 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        if cover is not None:
            archive.writestr("00_cover.png", figure_png(cover_figure(cover, charts)))
            if progress:
                progress(len(charts) + 1, len(charts) + 1, cover.title)
        for name, image in zip(_names(charts), images, strict=True):
            archive.writestr(name, image)
    return buffer.getvalue()


def cover_figure(cover: Cover, charts: Sequence[Chart]) -> go.Figure:
    """The cover as a figure (for PNG decks): title and the cover's lines."""
    theme = load_theme()
    size = theme.size("slide")
    k = size.k
    fig = go.Figure()
    lines = [
        "<br>".join(wrap(line, theme.screen[0] - 80, theme.fonts.subtitle))
        for line in cover.lines(charts, theme)
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
    )
    return fig


def deck_pptx(
    charts: Sequence[Chart],
    cover: Cover | None = None,
    *,
    progress: Progress | None = None,
) -> bytes:
    """A 16:9 PPTX: a cover, then one full-bleed PNG per chart with notes.

    Each chart slide keeps its title as real text in the title placeholder
    (behind the picture, found by search and screen readers) and in the
    picture's alt text; the speaker notes hold the numbers table.
    """
    from pptx import Presentation
    from pptx.util import Inches

    if not charts:
        raise ExportError("a deck needs at least one chart")
    images = _pngs(charts, progress)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    if cover is not None:
        page = deck.slides.add_slide(deck.slide_layouts[0])
        page.shapes.title.text = cover.title
        page.placeholders[1].text = "\n".join(cover.lines(charts))
        _fit_cover(page, deck)
    for chart, image in zip(charts, images, strict=True):
        text = chart.text
        page = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only"
        page.shapes.title.text = text.title
        picture = page.shapes.add_picture(
            io.BytesIO(image), 0, 0, deck.slide_width, deck.slide_height
        )
        picture.name = text.filename
        picture._element.nvPicPr.cNvPr.set("descr", text.title)
        page.notes_slide.notes_text_frame.text = (
            f"{text.title}\n\n{notes_table(chart.rows, text.lang)}\n\n"
            f"{plain(text.footnote)}"
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
