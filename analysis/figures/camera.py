"""The camera button's settings: the dashboard's chart saves itself as the slide."""

from __future__ import annotations

from typing import Any

from analysis.figures.layout import safe_filename
from analysis.figures.theme import Theme, load_theme


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
