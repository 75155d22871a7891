"""Slide export on the dashboard: a PNG per chart, the view as a deck or a PDF.

Every chart a page draws is registered here as its screen :class:`Chart`
result (the rows and waves it shows) with a way to build its slide, so
"Export deck" renders exactly what the user is looking at: PPTX with
pictures or with editable native charts (optionally on the team's own
template), a ZIP of PNGs, or in one click a PDF report. Without a browser
on the server, the buttons say how to enable them.

Every export of data is journaled (who, what, when), so the browser's own
exports, which the server never hears of, are switched off: the tables'
CSV icon and copy (:func:`audited_exports_only`) and the charts' camera
(:func:`analysis.figures.camera.plotly_config`). The server's buttons,
which journal each download, take their place.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from analysis.errors import SurveyDataError
from analysis.figures.chart import Chart
from analysis.figures.layout import safe_filename
from analysis.i18n import Lang, Words
from analysis.names import markdown_safe
from analysis.slides.cover import Cover
from analysis.slides.render import find_browser, slide_png
from dashboard import data

SlideBuilder = Callable[[], Chart]
_KEY = "_slides"
_PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
_KINDS = {"PPTX": "pptx", "NATIVE": "native", "ZIP": "zip"}
"""The deck kinds, pictures first (the default), and their words' keys."""
_WORDS = Words(
    {
        "png": ("PNG slide", "Diapositive PNG"),
        "title": ("**Export this view**", "**Exporter cette vue**"),
        "nothing": (
            "This page has no chart to export.",
            "Cette page n'a pas de graphique à exporter.",
        ),
        "enable": (
            "Slide export needs Chromium on the server: sudo apt-get install chromium.",
            "L'export des diapositives demande Chromium sur le serveur\u00a0: "
            "sudo apt-get install chromium.",
        ),
        "format": ("Format", "Format"),
        "zip": ("ZIP of PNG", "ZIP de PNG"),
        "pptx": ("PPTX, pictures", "PPTX, images"),
        "native": ("PPTX, editable charts", "PPTX, graphiques modifiables"),
        "template": (
            "Your PowerPoint template (optional)",
            "Votre modèle PowerPoint (facultatif)",
        ),
        "pdf": ("PDF report of this view", "Rapport PDF de cette vue"),
        "export": (
            "Export deck ({n} charts)",
            "Exporter le diaporama ({n} graphiques)",
        ),
        "rendering": ("Rendering slides…", "Rendu des diapositives…"),
        "download": ("Download {kind}", "Télécharger le {kind}"),
    }
)


def audited_exports_only() -> None:
    """Switch off the tables' own CSV download and copy, before anything is drawn.

    ``.streamlit/config.toml`` sets ``client.disableDataExport``; a server
    started without that file (another working directory) gets it here, and
    the first run starts again so that the browser is told.
    """
    if not st.get_option("client.disableDataExport"):
        st.set_option("client.disableDataExport", True)
        st.rerun()


def begin_view() -> None:
    """Forget the previous run's charts: a deck holds this run's only."""
    st.session_state[_KEY] = []


def register(chart: Chart, slide: SlideBuilder) -> None:
    """Remember a drawn chart for the deck; its slide is built when exported."""
    st.session_state.setdefault(_KEY, []).append((chart, slide))


def png_button(slide: SlideBuilder, key: str, lang: Lang = "en") -> None:
    """A download of this chart's 1920×1080 slide, rendered only when clicked."""
    if find_browser() is None:
        return
    st.download_button(
        _WORDS("png", lang),
        data=data.exported(f"PNG slide {key}", lambda: slide_png(slide())),
        file_name=f"{safe_filename(key)}.png",
        mime="image/png",
        icon=":material/download:",
        key=f"png_{key}",
        on_click="ignore",
    )


def deck_panel(
    title: str,
    filters: dict[str, tuple[str, ...]],
    lang: Lang,
) -> None:
    """The sidebar's "Export deck" for every chart of the current view."""
    charts: list[tuple[Chart, SlideBuilder]] = st.session_state.get(_KEY, [])
    with st.sidebar:
        st.divider()
        st.markdown(_WORDS("title", lang))
        if not charts:
            st.caption(_WORDS("nothing", lang))
            return
        if find_browser() is None:
            st.caption(_WORDS("enable", lang))
            return
        cover = Cover(title, filters, lang)
        _pdf_button(charts, cover, lang)
        kind = st.radio(
            _WORDS("format", lang),
            list(_KINDS),
            format_func=lambda k: _WORDS(_KINDS[k], lang),
            key="deck_kind",
        )
        template = None
        if kind != "ZIP":
            upload = st.file_uploader(
                _WORDS("template", lang), type=["pptx"], key="deck_template"
            )
            template = upload.getvalue() if upload is not None else None
        if st.button(_WORDS("export", lang, n=len(charts)), key="deck_go"):
            content = _deck(charts, kind, cover, lang, template)
            if content is None:
                return
            data.record_export(f"{kind} deck {title}")
            st.session_state["deck_file"] = (_signature(charts), kind, content)
        _download(lang)


def _download(lang: Lang) -> None:
    """The built deck's download, while the view is the one it was built from."""
    ready = st.session_state.get("deck_file")
    charts: list[tuple[Chart, SlideBuilder]] = st.session_state.get(_KEY, [])
    if ready and ready[0] == _signature(charts):
        _, kind, content = ready
        suffix = "zip" if kind == "ZIP" else "pptx"
        st.download_button(
            _WORDS("download", lang, kind=suffix.upper()),
            content,
            file_name=f"confiance-deck.{suffix}",
            mime="application/zip" if kind == "ZIP" else _PPTX_MIME,
            on_click="ignore",
            key="deck_download",
        )


def _pdf_button(
    charts: list[tuple[Chart, SlideBuilder]], cover: Cover, lang: Lang
) -> None:
    """One click: the view's charts, tables and footnotes as a PDF report."""

    def report() -> bytes:
        from analysis.slides.pdf import report_pdf  # pypdf: when clicked only

        return report_pdf([slide() for _, slide in charts], cover)

    st.download_button(
        _WORDS("pdf", lang),
        data=data.exported(f"PDF report {cover.title}", report),
        file_name="confiance-report.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        key="deck_pdf",
        on_click="ignore",
    )


def _deck(
    charts: list[tuple[Chart, SlideBuilder]],
    kind: str,
    cover: Cover,
    lang: Lang,
    template: bytes | None,
) -> bytes | None:
    """The deck's bytes with a progress bar, or None after showing the error."""
    from analysis.slides.deck import deck_pptx, deck_zip  # pptx, pypdf: when asked

    bar = st.progress(0.0, _WORDS("rendering", lang))

    def progress(done: int, total: int, label: str) -> None:
        bar.progress(done / total, f"{done}/{total} · {label}"[:80])

    try:
        slides = [slide() for _, slide in charts]
        if kind == "ZIP":
            content = deck_zip(slides, cover, progress=progress)
        else:
            content = deck_pptx(
                slides,
                cover,
                native=kind == "NATIVE",
                template=template,
                progress=progress,
            )
    except SurveyDataError as exc:
        st.error(markdown_safe(str(exc)))
        return None
    bar.empty()
    return content


def _signature(charts: list[tuple[Chart, SlideBuilder]]) -> int:
    """Which view the charts show: their rows, so a deck never outlives its view."""
    return hash(tuple(pd.util.hash_pandas_object(c.rows).sum() for c, _ in charts))
