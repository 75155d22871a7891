"""The hidden chart that loads plotly early is sent on the pages that draw charts."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.page_paths import BROWSE, CHART_PAGES, MANAGE

PAGES = Path(__file__).resolve().parents[2] / "dashboard" / "app_pages"


def test_every_page_that_draws_a_chart_is_a_chart_page():
    drawing = {
        name
        for name in (*BROWSE, *MANAGE)
        if re.search(r"\bcharts\.|plotly_chart", (PAGES / f"{name}.py").read_text())
    }
    assert drawing  # the pattern finds the chart pages at all
    assert drawing <= set(CHART_PAGES)
    assert "overview" in CHART_PAGES and "" in CHART_PAGES  # "/" opens Overview
