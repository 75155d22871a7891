"""Segments computes its charts' metrics before the heatmap's, and letters agree."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from analysis.store.wave_store import WaveStore
from analysis.table.estimate import estimate
from analysis.table.letters import with_segment_letters
from analysis.table.wave_questions import library_metrics

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
WAVE = "Demo-2025"


def test_the_charts_table_comes_first_then_the_heatmaps(demo_store_path, monkeypatch):
    """The charts go to the reader before the wave's every metric is estimated."""
    from dashboard import data

    monkeypatch.setenv("CONFIANCE_STORE", str(demo_store_path))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    asked: list[tuple[str, ...]] = []
    estimates = data.estimates

    def recorded(waves, metrics=None, *args, **kwargs):
        asked.append(tuple(metrics or ()))
        return estimates(waves, metrics, *args, **kwargs)

    monkeypatch.setattr(data, "estimates", recorded)
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params["wave"] = WAVE
    app.query_params["by"] = "country"
    app.switch_page("app_pages/segments.py").run()
    assert not app.exception and not app.error
    library = library_metrics(WaveStore(demo_store_path).questionnaire(WAVE))
    assert asked == [("churn_unprotected",), library]  # the page's default metric
    assert len(app.get("plotly_chart")) == 2  # its chart, then the heatmap


def test_a_metrics_letters_are_the_same_in_a_table_of_fewer_metrics(demo_store):
    """Letters compare a metric's segments: the other metrics never change them."""
    library = library_metrics(demo_store.questionnaire(WAVE))
    chosen = ["churn_unprotected", "churn_distrust"]
    assert set(chosen) < set(library)
    every = estimate(demo_store, [WAVE], library, ["country"])
    few = estimate(demo_store, [WAVE], chosen, ["country"])
    subset = with_segment_letters(every, alpha=0.05)
    subset = subset[subset["metric"].isin(chosen)].reset_index(drop=True)
    alone = with_segment_letters(few, alpha=0.05).reset_index(drop=True)
    pd.testing.assert_frame_equal(alone, subset)
    assert (alone["letters"].astype(str) != "").any()  # some differences are lettered
