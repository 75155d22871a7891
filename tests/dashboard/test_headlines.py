"""The Segments page's heatmap headline on the demo store, pinned by country and age.

The headline names the widest gap among shares: before, a 0–100 index (data
trust, 27→38) was ranked against 0–1 shares and always won. The metric and
the two segments are pinned; the numbers are the store's own estimates,
formatted here independently of the chart's code.
"""

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.table.estimate import estimate

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def _heatmap_title(app):
    specs = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    heatmaps = [s for s in specs if s["data"][0]["type"] == "heatmap"]
    assert len(heatmaps) == 1, "the page draws one heatmap"
    [title] = [a for a in heatmaps[0]["layout"]["annotations"] if a["name"] == "title"]
    return title["text"].replace("<br>", " ")


@pytest.mark.parametrize(
    ("by", "metric", "label", "low", "high", "low_name", "high_name"),
    [
        (
            "country",
            "ethical_use_possible",
            "believe companies can use their data ethically",
            "DE",
            "US",
            "Germany",
            "United States",
        ),
        (
            "age_band",
            "impulse_buy_personalised",
            "made an unplanned purchase after a personalised recommendation",
            "65+",
            "18-24",
            "65+",
            "18-24",
        ),
    ],
)
def test_heatmap_headline_names_the_widest_share_gap(
    demo_store_path,
    demo_store,
    monkeypatch,
    by,
    metric,
    label,
    low,
    high,
    low_name,
    high_name,
):
    monkeypatch.setenv("CONFIANCE_STORE", str(demo_store_path))
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in {"wave": "Demo-2025", "by": by, "metric": metric}.items():
        app.query_params[key] = value
    app.run()
    app.switch_page("app_pages/segments.py").run()
    assert not app.exception, app.exception
    rows = estimate(demo_store, ["Demo-2025"], [metric], [by]).set_index(
        "segment_value"
    )
    shares = {v: f"{rows.loc[v, 'estimate'] * 100:.0f}%" for v in (low, high)}
    by_name = {"country": "country", "age_band": "age"}[by]
    assert _heatmap_title(app) == (
        f"Widest gap by {by_name}: {label}, from {shares[low]} ({low_name}) "
        f"to {shares[high]} ({high_name})"
    )
    assert "index" not in _heatmap_title(app)
