"""Weighting in the app (issue 13, point 4): the sidebar's choice and the page.

The demo store (built by ``python -m analysis demo``) holds, for each demo
wave, the file's weights (the default) and the raking ``census`` to
data/reference/targets_demo.json. Tests that change a store work on a copy.
"""

import json
import shutil

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from analysis.store.wave_store import WaveStore
from analysis.table.estimate import estimate
from analysis.table.rows import EstimateOptions
from tests.dashboard.test_app import APP

OPTIONS = EstimateOptions()  # the wave's default weighting


@pytest.fixture
def store_copy(demo_store_path, tmp_path):
    """A copy of the demo store, for tests that add weightings."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_store_path, path)
    return path


def _app(path, monkeypatch, **params):
    monkeypatch.setenv("CONFIANCE_STORE", str(path))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    return app


def _weighting_box(app):
    return next(s for s in app.sidebar.selectbox if s.key.startswith("weights_"))


def test_the_sidebar_preselects_the_default_and_lists_the_others(
    demo_store_path, monkeypatch
):
    app = _app(demo_store_path, monkeypatch, wave="Demo-2025")
    box = _weighting_box(app)
    assert box.value == "file"
    assert box.options == ["The file's weights (default)", "census · raking per group"]
    assert app.session_state["view"].weighting == "file"
    box.set_value("census").run()  # the choice goes into the URL
    assert not app.exception, app.exception
    assert app.query_params["weighting"] in ("census", ["census"])


def test_the_weighting_in_the_url_drives_the_estimates(demo_store_path, monkeypatch):
    app = _app(demo_store_path, monkeypatch, wave="Demo-2025", weighting="census")
    assert _weighting_box(app).value == "census"
    view = app.session_state["view"]
    assert view.options.weighting == "census"
    store = WaveStore(demo_store_path)
    raked = estimate(store, ["Demo-2025"], options=view.options)
    plain = estimate(store, ["Demo-2025"])
    assert set(raked["weighting"]) == {"census"}
    total = raked[raked.segment_var == "total"].set_index("metric")
    shown = {m.label: m.value for m in app.metric}
    card = shown["Would leave a brand that fails to protect their data"]
    assert card == f"{total.loc['churn_unprotected', 'estimate']:.0%}"
    first = plain[plain.segment_var == "total"].set_index("metric")
    assert not np.allclose(total["se"], first["se"])


def test_the_page_shows_diagnostics_and_makes_a_weighting(store_copy, monkeypatch):
    app = _app(store_copy, monkeypatch, wave="Demo-2019", weighting="census")
    app.switch_page("app_pages/weighting.py").run()
    assert not app.exception, app.exception
    labels = {m.label for m in app.metric}
    assert {"Iterations", "Efficiency", "Effective base", "Design effect"} <= labels
    assert [e.value for e in app.error] == []
    # the targets start at the sample's own (file-weighted) shares: weighting
    # to them leaves the file's weights as they are
    app.text_input(key="weighting_name").set_value("same")
    app.button(key="weigh").click().run()
    assert not app.exception, app.exception
    assert [s.value for s in app.success] == ["Weighting same stored."]
    store = WaveStore(store_copy)
    values = store.weights("Demo-2019", "same")
    rows = store.load_respondents(["Demo-2019"])
    by_id = dict(zip(values["respondent_id"], values["weight"], strict=True))
    weights = np.array([by_id[i] for i in rows["respondent_id"]])
    np.testing.assert_allclose(weights, rows["weight"].to_numpy(), rtol=1e-9)
    assert store.audit()["action"].iloc[-1] == "weighting_add"


def test_per_country_targets_at_equal_size(store_copy, monkeypatch):
    app = _app(store_copy, monkeypatch, wave="Demo-2019")
    app.switch_page("app_pages/weighting.py").run()
    app.selectbox(key="weighting_by").set_value("country").run()
    app.radio(key="weighting_size").set_value("equal").run()
    app.text_input(key="weighting_name").set_value("equal")
    app.checkbox(key="weighting_default").check()
    app.button(key="weigh").click().run()
    assert not app.exception, app.exception
    assert [e.value for e in app.error] == []
    store = WaveStore(store_copy)
    assert store.weighting("Demo-2019").name == "equal"
    values = store.weights("Demo-2019", "equal")
    rows = store.load_respondents(["Demo-2019"])
    by_id = dict(zip(values["respondent_id"], values["weight"], strict=True))
    weights = rows["respondent_id"].map(by_id)
    totals = weights.groupby(rows["country"]).sum()
    np.testing.assert_allclose(totals, totals.mean(), rtol=1e-9)
    raked = estimate(
        store, ["Demo-2019"], ["churn_unprotected"], ["country"], options=OPTIONS
    )
    assert set(raked["weighting"]) == {"equal"}


def test_percentages_that_do_not_add_up_are_an_error_naming_them(
    store_copy, monkeypatch
):
    app = _app(store_copy, monkeypatch, wave="Demo-2019")
    app.switch_page("app_pages/weighting.py").run()
    app.selectbox(key="weighting_by").set_value("country").run()
    app.radio(key="weighting_size").set_value("population").run()
    app.button(key="weigh").click().run()
    assert not app.exception, app.exception
    (error,) = [e.value.replace("\\", "") for e in app.error]
    assert error == "country DE: give its population total (> 0)"
    assert [w.name for w in WaveStore(store_copy).weightings("Demo-2019")] == [
        "file",
        "census",
    ]


def test_the_waves_page_shows_each_weighting_beside_the_import_report(
    demo_store_path, monkeypatch
):
    app = _app(demo_store_path, monkeypatch, wave="Demo-2025")
    app.switch_page("app_pages/waves.py").run()
    assert not app.exception, app.exception
    [stored] = [
        w for w in WaveStore(demo_store_path).weightings("Demo-2025") if not w.is_file
    ]
    shown = [j.value for j in app.json]
    reports = [v for v in shown if '"margins"' in v and '"Demo-2025"' in v]
    assert len(reports) == 1, shown
    [census] = json.loads(reports[0])
    assert census["iterations"] == stored.diagnostics["iterations"]
    assert census["efficiency"] == pytest.approx(stored.diagnostics["efficiency"])
    assert set(census["margins"]) == set(stored.diagnostics["margins"])
