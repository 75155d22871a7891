"""Slide export on the dashboard: a PNG per chart, and the whole view as a deck.

Every chart a page draws is registered here with the EstimateTable rows behind
it, so "Export deck" renders exactly what the user is looking at. Without a
browser on the server, the buttons say how to enable them; the in-browser
camera button of each chart keeps working.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.errors import SurveyDataError
from analysis.i18n import Lang
from analysis.slides.deck import Cover, Slide, deck_pptx, deck_zip
from analysis.slides.render import find_browser, slide_png
from dashboard import data

_KEY = "_slides"
ENABLE = (
    "Server-side PNG export needs Chromium on the server: sudo apt-get install "
    "chromium (the camera icon on each chart still downloads its slide)."
)


def begin_view() -> None:
    """Forget the previous run's charts: a deck holds this run's only."""
    st.session_state[_KEY] = []


def register(build: Callable[[], go.Figure], rows: pd.DataFrame) -> None:
    """Remember a drawn chart for the deck; its slide is built when exported."""
    st.session_state.setdefault(_KEY, []).append((build, rows))


def png_button(build: Callable[[], go.Figure], filename: str, key: str) -> None:
    """A download of this chart's 1920×1080 slide, rendered only when clicked."""
    if find_browser() is None:
        return
    st.download_button(
        "PNG slide",
        data=lambda: slide_png(build()),
        file_name=f"{filename}.png",
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
    charts: list[tuple[Callable[[], go.Figure], pd.DataFrame]] = st.session_state.get(
        _KEY, []
    )
    with st.sidebar:
        st.divider()
        st.markdown(
            "**Export this view**" if lang == "en" else "**Exporter cette vue**"
        )
        if not charts:
            st.caption(
                "This page has no chart to export."
                if lang == "en"
                else "Cette page n'a pas de graphique à exporter."
            )
            return
        if find_browser() is None:
            st.caption(ENABLE)
            return
        kind = st.radio(
            "Format", ["PPTX", "ZIP of PNG"], horizontal=True, key="deck_kind"
        )
        if st.button(f"Export deck ({len(charts)} charts)", key="deck_go"):
            slides = [Slide(build(), rows) for build, rows in charts]
            bar = st.progress(0.0, "Rendering slides…")

            def progress(done: int, total: int, label: str) -> None:
                bar.progress(done / total, f"{done}/{total} · {label}"[:80])

            shown = pd.unique(pd.concat([rows["wave"] for _, rows in charts]))
            waves = tuple(data.wave_info(str(w)) for w in shown)  # the charts' waves
            cover = Cover(title=title, waves=waves, filters=filters, lang=lang)
            try:
                build = deck_pptx if kind == "PPTX" else deck_zip
                content = build(slides, cover, progress=progress)
            except SurveyDataError as exc:
                st.error(str(exc))
                return
            bar.empty()
            st.session_state["deck_file"] = (_signature(charts), kind, content)
        ready = st.session_state.get("deck_file")
        if ready and ready[0] == _signature(charts):  # a deck of this very view
            _, kind, content = ready
            suffix, mime = (
                (
                    "pptx",
                    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                )
                if kind == "PPTX"
                else ("zip", "application/zip")
            )
            st.download_button(
                f"Download {suffix.upper()}",
                content,
                file_name=f"confiance-deck.{suffix}",
                mime=mime,
                on_click="ignore",
                key="deck_download",
            )


def _signature(charts: list[tuple[Callable[[], go.Figure], pd.DataFrame]]) -> int:
    """Which view the charts show: their rows, so a deck never outlives its view."""
    return hash(tuple(pd.util.hash_pandas_object(rows).sum() for _, rows in charts))
