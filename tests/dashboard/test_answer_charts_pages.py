"""Segments charts a wave question's every answer by segment (issue 14, point 3).

The chart on the page is the library's answer chart of the question's rows:
its bars hold the shares ``question_table`` estimates, and the view's deck
holds it as a native PowerPoint chart (stacked for a scale).
"""

import io
import json
from pathlib import Path

import plotly.io as pio
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from streamlit.testing.v1 import AppTest

from analysis.store.wave_store import WaveStore
from analysis.table.wave_questions import question_table

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def app(own_store_path, monkeypatch):
    monkeypatch.setenv("CONFIANCE_STORE", str(own_store_path))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    return AppTest.from_file(APP, default_timeout=90)


def _segments(app, **params):
    for key, value in {"wave": "CES-2011", **params}.items():
        app.query_params[key] = value
    app.run()
    app.switch_page("app_pages/segments.py").run()
    assert not app.exception, app.exception
    assert not [e.value for e in app.error]
    return app


def _figures(app):
    return [pio.from_json(c.proto.spec) for c in app.get("plotly_chart")]


def _expected(store_path, question, by):
    store = WaveStore(store_path)
    table = question_table(
        store.load_respondents(["CES-2011"]),
        store.questionnaire("CES-2011"),
        question,
        by=[by],
        wave="CES-2011",
    )
    return table[table["answer"] != "mean"]


def test_a_scale_is_a_diverging_bar_of_its_question_rows(app, own_store_path):
    _segments(app, question="importance", by="gender")
    rows = _expected(own_store_path, "importance", "gender")
    figures = [
        f
        for f in _figures(app)
        if {t.name for t in f.data if t.type == "bar"} >= {"not", "very"}
    ]
    assert len(figures) == 1, "one answer chart of the scale"
    bars = {t.name: t for t in figures[0].data if t.type == "bar"}
    assert set(bars) == {"not", "notvery", "somewhat", "very"}
    for answer, trace in bars.items():
        mine = rows[rows["answer"] == answer]
        # the total first, then the segments in the table's order
        want = [
            float(mine[mine["segment_var"] == "total"]["estimate"].iloc[0]),
            *mine[mine["segment_var"] == "gender"]["estimate"].astype(float),
        ]
        got = [abs(x) / 100 for x in trace.x]
        assert got == pytest.approx(want, rel=1e-12)
        # lower answers left of zero, higher right
        assert all(x < 0 for x in trace.x) == (answer in ("not", "notvery"))
    # each bar end says its NET, as question_table estimates it
    nets = rows[rows["answer"] == "somewhat + very"]
    said = [t.text for t in figures[0].data if t.type == "scatter" and t.text]
    want = [f"<b>{round(100 * e)}%" for e in nets["estimate"]]
    assert any(
        all(text.startswith(w) for text, w in zip(texts, want, strict=True))
        for texts in said
    ), (said, want)


def test_a_single_choice_is_bars_with_every_answer(app, own_store_path):
    _segments(app, question="abortion", by="region")
    rows = _expected(own_store_path, "abortion", "region")
    figure = next(
        f for f in _figures(app) if "Should abortion be banned?" in f.to_json()
    )
    bars = [t for t in figure.data if t.type == "bar"]
    # every answer of the total and of each province is one bar, its share
    # as question_table estimates it (ten provinces: grouped by province)
    drawn = sorted(x / 100 for t in bars for x in t.x)
    shown = rows[rows["flag"] != "suppressed"]
    assert len(shown) == 2 * 11
    assert drawn == pytest.approx(sorted(shown["estimate"].astype(float)), rel=1e-12)
    assert {t.name for t in bars} == {"No", "Yes"}


def test_the_views_native_deck_holds_the_stacked_answer_chart(app):
    _segments(app, question="importance", by="gender")
    app.sidebar.radio(key="deck_kind").set_value("NATIVE").run()
    next(b for b in app.sidebar.button if b.key == "deck_go").click().run(timeout=300)
    assert not app.exception
    kind, content = app.session_state["deck_file"][1:]
    assert kind == "NATIVE"
    deck = Presentation(io.BytesIO(content))
    charts = [s.chart for slide in deck.slides for s in slide.shapes if s.has_chart]
    stacked = [c for c in charts if c.chart_type == XL_CHART_TYPE.BAR_STACKED]
    assert stacked, [c.chart_type for c in charts]
    series = {s.name: list(s.values) for s in stacked[0].plots[0].series}
    assert {"not", "notvery", "somewhat", "very"} <= set(series)
    assert all(v < 0 for v in series["not"])  # the lower answers left of zero
    titles = json.dumps(
        [
            sh.text_frame.text
            for sl in deck.slides
            for sh in sl.shapes
            if sh.has_text_frame
        ]
    )
    assert "How important is religion" in titles


def test_the_overview_charts_the_questions_answers_for_its_deck(app, own_store_path):
    app.query_params.update(wave="CES-2011", question="importance")
    app.run()
    assert not app.exception, app.exception
    [figure] = _figures(app)
    rows = _expected(own_store_path, "importance", "gender")
    total = rows[rows["segment_var"] == "total"].set_index("answer")["estimate"]
    bars = {t.name: abs(t.x[0]) / 100 for t in figure.data if t.type == "bar"}
    assert bars == pytest.approx({a: total[a] for a in bars}, rel=1e-12)
    assert len(bars) == 4
    assert any(b.label == "Export deck (1 charts)" for b in app.sidebar.button)
