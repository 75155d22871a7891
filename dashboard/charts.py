"""Draw analysis.figures charts on a page: the same figure the slide export uses.

`theme=None` keeps Streamlit from restyling the figure, so the browser shows
what the PNG slide shows; the camera button downloads that slide at 1920×1080.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis import figures
from analysis.errors import SurveyDataError
from dashboard import data, exporting
from dashboard.view import View


def show(fig: go.Figure, filename: str, rows: pd.DataFrame) -> None:
    """One chart, full width, with its slide exports (camera and server PNG)."""
    st.plotly_chart(
        fig, theme=None, width="stretch", config=figures.plotly_config(filename)
    )
    exporting.register(fig, rows)
    exporting.png_button(fig, filename, key=filename)


def _metas(waves: Sequence[str]) -> list[object]:
    return [data.wave_info(w) for w in waves]


def segments(view: View, table: pd.DataFrame, metric: str, by: str) -> None:
    """A metric across the segments of ``by``, with letters and base flags."""
    fig = figures.segment_chart(
        table,
        metric,
        wave=view.wave,
        by=by,
        lang=view.lang,
        metas=_metas([view.wave]),
        filters=view.filters,
        codebook=data.codebook(),
    )
    show(fig, f"{metric}_{view.wave}_{by}", table)


def trend(
    view: View,
    table: pd.DataFrame,
    metric: str,
    waves: list[str],
) -> None:
    """A metric across waves with its interval ribbon."""
    by = str(table["segment_var"].iloc[0]) if len(table) else "total"
    fig = figures.trend_chart(
        table,
        metric,
        waves=waves,
        by=by,
        lang=view.lang,
        metas=_metas(waves),
        filters=view.filters,
        codebook=data.codebook(),
    )
    show(fig, f"{metric}_trend_{by}", table)


def tension(view: View) -> None:
    """Expect personalisation vs reject ad tracking, by country."""
    try:
        table = data.estimates(
            [view.wave],
            figures.TENSION_METRICS,
            ["country"],
            view.filters,
            view.options,
        )
        fig = figures.tension_chart(
            table,
            wave=view.wave,
            lang=view.lang,
            metas=_metas([view.wave]),
            filters=view.filters,
            codebook=data.codebook(),
        )
    except SurveyDataError as exc:
        st.error(str(exc))
        return
    show(fig, f"tension_{view.wave}", table)


def heatmap(view: View, table: pd.DataFrame, by: str) -> None:
    """Every metric × the segments of ``by``."""
    fig = figures.heatmap(
        table,
        by=by,
        wave=view.wave,
        lang=view.lang,
        metas=_metas([view.wave]),
        filters=view.filters,
        codebook=data.codebook(),
    )
    show(fig, f"heatmap_{view.wave}_{by}", table)
