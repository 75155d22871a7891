"""The dashboard's pages as URL paths: what app.py registers, what the server knows.

The launcher's middlewares read these without running app.py (importing it
draws the page), so the names live here.
"""

from __future__ import annotations

BROWSE = ("overview", "segments", "trends", "crosstab", "tables", "reference")
MANAGE = ("waves", "upload", "weighting")
PAGES = (*BROWSE, *MANAGE)
CHART_PAGES = ("", "overview", "segments", "trends")  # "": the default page, "/"


def page_of(path: str) -> str:
    """The page a URL path opens: its last part ("" for the default page)."""
    return path.rstrip("/").rpartition("/")[2]
