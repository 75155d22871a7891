"""Decks out of chart results: a ZIP of 1920×1080 PNGs, a PPTX deck, a PDF report.

A deck takes the :class:`~analysis.figures.chart.Chart` results the page or
the command drew: their figures become slides, their rows the speaker notes,
their waves the cover's list. The PNGs come from :mod:`analysis.slides.render`
(kaleido in a headless Chromium); the PPTX is built in
:mod:`analysis.slides.powerpoint`, the PDF in :mod:`analysis.slides.pdf`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from analysis.errors import ExportError
from analysis.figures.chart import Chart
from analysis.slides.cover import (
    Cover,
    Progress,
    cover_figure,
    deck_waves,
    notes_table,
)
from analysis.slides.disclosure import disclosure_figure
from analysis.slides.pdf import report_pdf
from analysis.slides.powerpoint import deck_pptx
from analysis.slides.render import figure_png, slide_png

__all__ = [
    "Cover",
    "Progress",
    "cover_figure",
    "deck_pptx",
    "deck_zip",
    "notes_table",
    "report_pdf",
]


def _names(charts: Sequence[Chart]) -> list[str]:
    """Unique, ordered file names: ``01_churn_unprotected_Demo-2025.png``."""
    return [f"{i:02d}_{c.text.filename}.png" for i, c in enumerate(charts, start=1)]


def deck_zip(
    charts: Sequence[Chart],
    cover: Cover | None = None,
    *,
    progress: Progress | None = None,
    disclosure: bool = False,
) -> bytes:
    """A ZIP of 1920×1080 PNG slides (a cover first when given).

    With ``disclosure``, the disclosure slide of the charts' waves comes next
    (``00_disclosure.png``), before any chart.
    """
    if not charts:
        raise ExportError("a deck needs at least one chart")
    total = len(charts) + (1 if cover else 0)
    images = []
    for i, chart in enumerate(charts, start=1):
        images.append(slide_png(chart))
        if progress:
            progress(i, total, chart.text.title)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        if cover is not None:
            archive.writestr("00_cover.png", figure_png(cover_figure(cover, charts)))
            if progress:
                progress(total, total, cover.title)
        if disclosure:
            lang = cover.lang if cover else charts[0].text.lang
            figure = disclosure_figure(deck_waves(charts), lang)
            archive.writestr("00_disclosure.png", figure_png(figure))
        for name, image in zip(_names(charts), images, strict=True):
            archive.writestr(name, image)
    return buffer.getvalue()
