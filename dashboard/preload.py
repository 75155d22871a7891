"""A hidden, empty chart on a session's first run, so the browser loads plotly early.

Streamlit's browser code fetches and parses its plotly part (0.7 s in headless
Chromium on the benchmarks' machine) only when the page's first plotly element
arrives. A session's first run computes before its first chart (the sidebar's
reads, the wave's estimates), so a visitor waited for the computing and then
for plotly. A hidden chart sent first lets the browser load plotly while the
server computes; it is taken away when the run ends, and the session's later
runs, whose page has plotly already, send none.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import plotly.graph_objects as go
import streamlit as st

from dashboard.page_paths import CHART_PAGES, page_of

KEY = "plotly_preload"  # the hidden box's CSS class is st-key-plotly_preload
_SENT = "_plotly_preload_sent"


@contextmanager
def plotly_loading(chart_pages: Collection[str] = CHART_PAGES) -> Iterator[None]:
    """Around a session's first run: the hidden chart first, gone at the end.

    Only when the session opens on one of ``chart_pages`` (URL paths; "" is the
    default page): a page that stops early (``st.stop``) could not take it away.
    Its empty slot is made on every run, so that the page's elements keep their
    places from one run to the next (an open expander stays open).
    """
    slot = st.empty()
    first = not st.session_state.get(_SENT)
    st.session_state[_SENT] = True
    if not first or _opened_page() not in chart_pages:
        yield
        return
    box = slot.container(key=KEY)
    box.html(f"<style>.st-key-{KEY} {{display: none}}</style>")
    box.plotly_chart(go.Figure(), key=f"{KEY}_chart", config={"staticPlot": True})
    try:
        yield
    finally:
        slot.empty()


def _opened_page() -> str | None:
    """The page path the browser opened ("" for the default page; None unknown)."""
    url = st.context.url
    if url is None:
        return None
    return page_of(urlsplit(url).path)
