"""Charts drawn from an EstimateTable, each one finished as a slide.

Every builder returns a :class:`plotly.graph_objects.Figure` that carries its
insight title, the question, and a footnote saying what the numbers rest on
(:mod:`analysis.slides`). ``size="screen"`` is the dashboard's figure (the
slide's layout at half scale, responsive width); ``size="slide"`` is the same
layout at 1920×1080 for export. Nothing here recomputes an estimate or an
interval: values, bounds, bases and flags are read from the table's rows.

The builders live one per module, with the parts they share:

- :mod:`analysis.segment_figure` -- :func:`segment_chart`
- :mod:`analysis.trend_figure` -- :func:`trend_chart`
- :mod:`analysis.tension_figure` -- :func:`tension_chart`, ``TENSION_METRICS``
- :mod:`analysis.heatmap_figure` -- :func:`heatmap`
- :mod:`analysis.chart_parts` -- context, row readers, value texts, axes, frame

This module gathers them and adds :func:`plotly_config` for the dashboard.
"""

from __future__ import annotations

from typing import Any

from analysis.chart_parts import HIDDEN, LOW_BASE
from analysis.heatmap_figure import heatmap
from analysis.segment_figure import segment_chart
from analysis.slides import safe_filename
from analysis.tension_figure import TENSION_METRICS, tension_chart
from analysis.theme import Theme, load_theme
from analysis.trend_figure import trend_chart

__all__ = [
    "HIDDEN",
    "LOW_BASE",
    "TENSION_METRICS",
    "heatmap",
    "plotly_config",
    "segment_chart",
    "tension_chart",
    "trend_chart",
]


def plotly_config(filename: str, theme: Theme | None = None) -> dict[str, Any]:
    """The ``config`` for ``st.plotly_chart``: the camera button saves the slide.

    The screen figure is the slide's layout at 960×540; exported at scale 2 it
    is the same 1920×1080 PNG the server renders, fonts and margins included.
    """
    size = (theme or load_theme()).size("slide")
    k = size.k
    return {
        "toImageButtonOptions": {
            "format": "png",
            "filename": safe_filename(filename),
            "width": round(size.width / k),
            "height": round(size.height / k),
            "scale": k,
        },
        "displaylogo": False,
        "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
        "responsive": True,
    }
