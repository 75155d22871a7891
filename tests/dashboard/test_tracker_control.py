"""Trends: an analyst links a question to an earlier wave's (issue 11, point 7).

CES-2016 asks CES-2015's abortion question under another id and wording, so
nothing finds it automatically; the analyst's link, saved from the Trends
page, is stored with the audit trail and followed by the trend at once.
"""

import dataclasses
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.store.wave import Wave, WaveMeta
from analysis.store.wave_store import WaveStore

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def store_path(own_store_path, tmp_path):
    """The CES store plus CES-2016, whose abortion question is renamed "ban"."""
    path = tmp_path / "store.duckdb"
    shutil.copyfile(own_store_path, path)
    if Path(f"{own_store_path}.key").exists():
        shutil.copyfile(f"{own_store_path}.key", f"{path}.key")
    store = WaveStore(path)
    rows = store.load_respondents(["CES-2015"]).drop(columns=["wave"])
    rows = rows.rename(columns={"abortion": "ban"})
    rows["respondent_id"] = [f"CES-2016-{i}" for i in range(len(rows))]
    before = store.questionnaire("CES-2015")
    questions = tuple(
        dataclasses.replace(
            q, id="ban", text="Would you forbid it outright?", columns=("ban",)
        )
        if q.id == "abortion"
        else q
        for q in before.questions
    )
    meta = WaveMeta(
        name="CES-2016",
        kind="respondents",
        source="CES-2015 with its abortion question renamed, for tests",
        file_name="CES-2016.sav",
        file_sha256=f"{16:064x}",
        fieldwork_start=date(2016, 5, 1),
        fieldwork_end=date(2016, 5, 1),
    )
    questionnaire = dataclasses.replace(before, questions=questions)
    store.add_wave(Wave(meta, rows, questionnaire), actor="tests")
    return path


def _trends(store_path, monkeypatch, passphrase=None):
    monkeypatch.setenv("CONFIANCE_STORE", str(store_path))
    if passphrase is None:  # no sign-in configured: the local user is admin
        monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    else:
        monkeypatch.setenv("CONFIANCE_ANALYST_PASSWORD_HASH", passphrase)
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params.update(wave="CES-2016", question="ban", follow="question")
    app.run()
    app.switch_page("app_pages/trends.py").run()
    assert not app.exception, app.exception
    return app


def _spec(app):
    return json.dumps([json.loads(c.proto.spec) for c in app.get("plotly_chart")])


def test_an_analysts_link_is_stored_audited_and_followed(store_path, monkeypatch):
    app = _trends(store_path, monkeypatch)
    assert any("No earlier comparable wave" in i.value for i in app.info)
    choice = app.selectbox(key="tracker_choice_ban")
    assert choice.value == ""  # found automatically: nothing
    # the same type in the comparable earlier waves, latest first
    assert choice.options[1:] == [
        "CES-2015 · Should abortion be banned?",
        "CES-2011 · Should abortion be banned?",
    ]
    choice.set_value("CES-2015:abortion")
    submit = next(b for b in app.get("form_submit_button") if "tracker" in b.form_id)
    submit.click().run()
    assert not app.exception, app.exception
    assert any("Tracker link saved" in s.value for s in app.success)
    store = WaveStore(store_path)
    assert store.questionnaire("CES-2016").question("ban").tracks == "abortion"
    audit = store.audit()
    last = audit[audit.action == "tracker"].iloc[-1]
    assert last.wave == "CES-2016" and "CES-2015:abortion" in last.detail
    # the trend follows the link at once, back to CES-2011 through CES-2015
    assert not any("No earlier comparable wave" in i.value for i in app.info)
    spec = _spec(app)
    assert all(w in spec for w in ("CES-2011", "CES-2015", "CES-2016"))
    assert any("wording changed in CES-2016" in w.value for w in app.warning)
    # cleared again: back to what was found automatically (nothing)
    app.selectbox(key="tracker_choice_ban").set_value("")
    submit = next(b for b in app.get("form_submit_button") if "tracker" in b.form_id)
    submit.click().run()
    assert (
        WaveStore(store_path).questionnaire("CES-2016").question("ban").tracks is None
    )


def test_a_viewer_gets_no_tracker_control(store_path, monkeypatch):
    from analysis.auth import hash_passphrase

    app = _trends(store_path, monkeypatch, passphrase=hash_passphrase("x" * 20))
    assert not [e for e in app.expander if "Tracker link" in e.label]
    assert not [s for s in app.selectbox if s.key == "tracker_choice_ban"]
