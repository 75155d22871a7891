"""The chart's toolbar on the dashboard: no camera, since every export is journaled.

Plotly's camera saves the chart in the browser, where no journal sees it; the
dashboard's "PNG slide" button gives the same 1920×1080 slide and journals who
took it. Zoom, pan and reset stay.
"""

from __future__ import annotations

from typing import Any


def plotly_config() -> dict[str, Any]:
    """The ``config`` for ``st.plotly_chart``: no camera, no selection tools."""
    return {
        "displaylogo": False,
        "modeBarButtonsToRemove": ["toImage", "select2d", "lasso2d", "autoScale2d"],
        "responsive": True,
    }
