"""The four browsing pages on waves with their own questions (issue 11).

CES-2011 answers none of the library's questions; NoSegments-2012 has no
segment variable; CES-2015 rewords a question CES-2011 asked. Every page
shows the wave's own question, titled in its own words, with no traceback.
"""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.store.wave_store import WaveStore
from analysis.table.wave_questions import question_table

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PAGES = ("overview", "segments", "trends", "crosstab")
QUESTION = "Should abortion be banned?"


@pytest.fixture
def app(own_store_path, monkeypatch):
    monkeypatch.setenv("CONFIANCE_STORE", str(own_store_path))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    return AppTest.from_file(APP, default_timeout=90)


def _open(app, page, **params):
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    if page != "overview":
        app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, app.exception
    assert not [e.value for e in app.error], [e.value for e in app.error]
    return app


def _texts(app):
    found = [m.value for m in (*app.markdown, *app.caption, *app.info, *app.title)]
    found += [s.value for s in app.selectbox]
    return " ".join(str(t) for t in found)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("wave", ["CES-2011", "NoSegments-2012"])
def test_every_page_shows_the_waves_own_question(app, page, wave):
    _open(app, page, wave=wave, question="abortion", rows="abortion")
    shown = _texts(app).replace("\\", "")
    assert QUESTION in shown
    if page != "trends":  # a trend needs an earlier comparable wave
        assert app.get("plotly_chart") or app.metric or app.dataframe
    if wave == "NoSegments-2012" and page in ("segments", "crosstab"):
        assert any("no segment variable" in i.value for i in app.info)


def test_overview_cards_are_the_question_rows(app, own_store_path):
    _open(app, "overview", wave="CES-2011", question="importance")
    store = WaveStore(own_store_path)
    table = question_table(
        store.load_respondents(["CES-2011"]),
        store.questionnaire("CES-2011"),
        "importance",
        wave="CES-2011",
    )
    total = table[table.segment_var == "total"]
    shown = {card.label: card.value for card in app.metric}
    for row in total.itertuples():
        label = "Mean score" if row.answer == "mean" else row.answer
        expected = (
            f"{row.estimate:.1f}" if row.answer == "mean" else f"{row.estimate:.0%}"
        )
        assert shown[label].replace(",", ".") == expected
    assert "somewhat + very" in shown  # the top-2 box NET
    assert any("No library metric" in i.value for i in app.info)


def test_segments_chart_is_titled_with_the_question(app):
    import json

    _open(
        app,
        "segments",
        wave="CES-2011",
        question="abortion",
        answers="Yes",
        by="region",
    )
    spec = json.dumps([json.loads(c.proto.spec) for c in app.get("plotly_chart")])
    assert "Should abortion be banned?" in spec
    assert "QC" in spec


def test_crosstab_banner_lists_the_answers(app):
    _open(app, "crosstab", wave="CES-2011", rows="importance", by="gender")
    banner = app.dataframe[0].value
    rows = {label for label, _ in banner.index}
    assert {"not", "very", "somewhat + very", "Mean score"} <= rows
    assert banner.index.names[0] == "answer"  # a question's rows: not "metric"
    assert any(str(c).startswith("female") for c in banner.columns)


def test_trend_follows_the_question_and_flags_the_new_wording(app):
    _open(app, "trends", wave="CES-2015", question="importance", answer="very")
    assert not app.info  # CES-2011 is comparable: same countries, earlier, both real
    warnings = [w.value for w in app.warning]
    assert any("wording changed in CES-2015" in w for w in warnings)
    import json

    spec = json.dumps(json.loads(app.get("plotly_chart")[0].proto.spec))
    assert "CES-2011" in spec and "CES-2015" in spec
    assert "NoSegments-2012" not in spec  # another country: never compared
