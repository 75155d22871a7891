"""Analysts define a metric in the app (issue 11, point 3): stored, audited, shown."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.store.wave_store import WaveStore
from tests.dashboard.served import copy_store

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def store_path(own_store_path, tmp_path):
    return copy_store(own_store_path, tmp_path)


def _overview(store_path, monkeypatch):
    monkeypatch.setenv("CONFIANCE_STORE", str(store_path))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params["wave"] = "CES-2011"
    app.query_params["question"] = "importance"
    app.run()
    assert not app.exception, app.exception
    return app


def test_an_analyst_saves_a_metric_that_is_audited_and_shown(store_path, monkeypatch):
    # no sign-in configured: the local user works as admin, who may define metrics
    app = _overview(store_path, monkeypatch)
    app.text_input(key="metric_name").input("religious")
    app.multiselect(key="metric_answers").set_value(["3", "4"])
    app.text_input(key="metric_label_en").input("Religion matters")
    app.text_input(key="metric_label_fr").input("La religion compte")
    app.radio(key="metric_polarity").set_value("up")
    submit = next(b for b in app.get("form_submit_button"))
    submit.click().run()
    assert not app.exception, app.exception
    assert any("religious saved" in s.value for s in app.success)
    store = WaveStore(store_path)
    stored = store.metric("religious")
    assert (stored.question, stored.answers, stored.label_fr) == (
        "importance",
        ("3", "4"),
        "La religion compte",
    )
    audit = store.audit()
    assert "metric_add" in set(audit["action"])
    # the card: the NET share of "somewhat + very", as the question's own NET row
    app.run()
    cards = {m.label: m.value for m in app.metric}
    assert cards["Religion matters"] == cards["somewhat + very"]


def test_someone_not_signed_in_gets_no_form(store_path, monkeypatch):
    from analysis.auth import hash_passphrase

    monkeypatch.setenv("CONFIANCE_STORE", str(store_path))
    # a passphrase is set and nobody gave it: a viewer
    monkeypatch.setenv("CONFIANCE_ANALYST_PASSWORD_HASH", hash_passphrase("x" * 20))
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params["wave"] = "CES-2011"
    app.run()
    assert not app.exception, app.exception
    assert app.metric  # the question's cards are there
    assert not [b for b in app.get("form_submit_button") if b.form_id != "login"]
    assert not [e for e in app.expander if "Define a metric" in e.label]
