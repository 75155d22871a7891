"""The dashboard as Streamlit's AppTest runs it: every page renders, numbers match."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.metrics import estimate

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
PAGES = ["pages/overview.py"]


@pytest.fixture
def app(demo_store_path, monkeypatch):
    monkeypatch.setenv("CONFIANCE_STORE", str(demo_store_path))
    return AppTest.from_file(APP, default_timeout=60)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(app, page):
    app.run()
    app.switch_page(page).run()
    assert not app.exception


def test_overview_shows_the_estimate_table_numbers(app, demo_store):
    app.run()
    assert not app.exception
    assert any("Synthetic demo data" in w.value for w in app.warning)
    table = estimate(demo_store, ["Demo-2025"])
    totals = table[table.segment_var == "total"].set_index("metric")
    shown = {m.label: m.value for m in app.metric}
    assert shown["Would leave a brand that fails to protect their data"] == (
        f"{totals.loc['churn_unprotected', 'estimate']:.0%}"
    )
    assert (
        shown["Data trust index (0–100)"]
        == f"{totals.loc['trust_index', 'estimate']:.0f}/100"
    )
    assert len(shown) == len(totals)


def test_empty_store_says_how_to_load_the_demo(tmp_path, monkeypatch):
    monkeypatch.setenv("CONFIANCE_STORE", str(tmp_path / "empty.duckdb"))
    app = AppTest.from_file(APP, default_timeout=30).run()
    assert not app.exception
    assert "python -m analysis demo" in app.info[0].value
