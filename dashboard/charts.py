"""Draw analysis.figures charts on a page: the same figures the slide export uses.

`theme=None` keeps Streamlit from restyling a figure, so the browser shows what
the PNG slide shows. Charts on screen are laid out for a laptop's main column, or
for a phone (a mobile browser, or ``?compact=1``), so titles and footnotes wrap
instead of running off the edge; slides are always built at the slide layout.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.errors import SurveyDataError
from analysis.figures.camera import plotly_config
from analysis.figures.heatmap import heatmap as heatmap_chart
from analysis.figures.segment import segment_chart
from analysis.figures.tension import TENSION_METRICS, tension_chart
from analysis.figures.theme import Theme, load_theme
from analysis.figures.trend import trend_chart
from dashboard import data, exporting
from dashboard.view import View

Builder = Callable[[Theme | None], go.Figure]
PHONE_SCREEN = (380, 640)
# the main column beside the sidebar on a 1280-px laptop is about 820 px wide:
# lay text out for it, so nothing runs past the edge of a responsive chart
LAPTOP_SCREEN = (800, 500)


def compact() -> bool:
    """Whether to lay charts out for a phone: ``?compact=`` or a mobile browser."""
    flag = st.query_params.get("compact")
    if flag in ("0", "1"):
        return flag == "1"
    return "Mobi" in st.context.headers.get("User-Agent", "")


def show(build: Builder, filename: str, rows: pd.DataFrame) -> None:
    """One chart, full width, with its slide exports (camera and server PNG)."""
    screen = PHONE_SCREEN if compact() else LAPTOP_SCREEN
    theme = dataclasses.replace(load_theme(), screen=screen)
    st.plotly_chart(
        build(theme),
        theme=None,
        width="stretch",
        config=plotly_config(filename),
    )
    exporting.register(lambda: build(None), rows)
    exporting.png_button(lambda: build(None), filename, key=filename)


def _context(view: View, waves: Sequence[str], theme: Theme | None) -> dict[str, Any]:
    """What every chart of a view is told: language, waves, filters, theme."""
    return {
        "lang": view.lang,
        "metas": [data.wave_info(w) for w in waves],
        "filters": view.filters,
        "codebook": data.codebook(),
        "theme": theme,
    }


def segments(view: View, table: pd.DataFrame, metric: str, by: str) -> None:
    """A metric across the segments of ``by``, with letters and base flags."""

    def build(theme: Theme | None) -> go.Figure:
        return segment_chart(
            table,
            metric,
            wave=view.wave,
            by=by,
            **_context(view, [view.wave], theme),
        )

    show(build, f"{metric}_{view.wave}_{by}", table)


def trend(view: View, table: pd.DataFrame, metric: str, waves: list[str]) -> None:
    """A metric across waves with its interval ribbon and significant changes."""
    by = str(table["segment_var"].iloc[0]) if len(table) else "total"

    def build(theme: Theme | None) -> go.Figure:
        return trend_chart(
            table,
            metric,
            waves=waves,
            by=by,
            **_context(view, waves, theme),
        )

    show(build, f"{metric}_trend_{by}", table)


def tension(view: View) -> None:
    """Expect personalisation vs reject ad tracking, by country."""
    try:
        table = data.estimates(
            [view.wave],
            TENSION_METRICS,
            ["country"],
            view.filters,
            view.options,
        )
    except SurveyDataError as exc:
        st.error(str(exc))
        return

    def build(theme: Theme | None) -> go.Figure:
        return tension_chart(
            table,
            wave=view.wave,
            **_context(view, [view.wave], theme),
        )

    show(build, f"tension_{view.wave}", table)


def heatmap(view: View, table: pd.DataFrame, by: str) -> None:
    """Every metric × the segments of ``by``."""

    def build(theme: Theme | None) -> go.Figure:
        return heatmap_chart(
            table,
            by=by,
            wave=view.wave,
            **_context(view, [view.wave], theme),
        )

    show(build, f"heatmap_{view.wave}_{by}", table)
