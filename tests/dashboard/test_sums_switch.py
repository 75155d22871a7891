"""The Segments page draws the same numbers from the store's sums as from rows."""

import json
import math
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import analysis.table.question_view
import dashboard.data

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def _page(demo_store_path, monkeypatch, from_sums, **params):
    monkeypatch.setenv("CONFIANCE_STORE", str(demo_store_path))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    monkeypatch.setattr(dashboard.data, "FROM_SUMS", from_sums)
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    app.switch_page("app_pages/segments.py").run()
    assert not app.exception, app.exception
    assert not app.error
    return app


def _drawn(app):
    charts = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    tables = [json.loads(frame.value.to_json()) for frame in app.dataframe]
    texts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    return {"charts": charts, "tables": tables, "texts": texts}


def _same(a, b, where="page"):
    """Every text and label equal; every number to 1e-12 (the sums' rounding)."""
    if isinstance(a, float) or isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12), where
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            _same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


@pytest.mark.parametrize(
    "params",
    [
        {"wave": "Demo-2019", "by": "country", "metric": "churn_unprotected"},
        {
            "wave": "Demo-2025",
            "by": "gender",
            "metric": "trust_index,impulse_buy_personalised",
            "f_country": "FR",
        },
    ],
)
def test_the_segments_page_is_the_same_from_sums_and_from_rows(
    demo_store_path, monkeypatch, params
):
    from_rows = _drawn(_page(demo_store_path, monkeypatch, False, **params))
    from_sums = _drawn(_page(demo_store_path, monkeypatch, True, **params))
    assert from_rows["charts"], "no chart drawn"
    _same(from_sums, from_rows)


def test_the_sums_route_is_taken(demo_store_path, monkeypatch):
    taken = []
    real = dashboard.data.estimate_from_sums

    def spy(*args, **kwargs):
        table = real(*args, **kwargs)
        taken.append(table is not None)
        return table

    monkeypatch.setattr(dashboard.data, "estimate_from_sums", spy)
    _page(demo_store_path, monkeypatch, True, wave="Demo-2017", by="age_band")
    assert taken and all(taken)


def _own_page(own_store_path, monkeypatch, from_sums, page, **params):
    monkeypatch.setenv("CONFIANCE_STORE", str(own_store_path))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    monkeypatch.setattr(dashboard.data, "FROM_SUMS", from_sums)
    app = AppTest.from_file(APP, default_timeout=90)
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, app.exception
    assert not app.error
    return app


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("segments", {"question": "importance", "by": "region", "f_gender": "female"}),
        ("crosstab", {"rows": "importance", "by": "gender"}),
    ],
)
def test_a_waves_own_question_is_the_same_from_sums_and_from_rows(
    own_store_path, monkeypatch, page, params
):
    taken = []
    real = analysis.table.question_view.question_table_from_sums

    def spy(*args, **kwargs):
        table = real(*args, **kwargs)
        taken.append(table is not None)
        return table

    monkeypatch.setattr(analysis.table.question_view, "question_table_from_sums", spy)
    dashboard.data._question_table.clear()  # another test may have drawn it
    shown = {"wave": "CES-2011", **params}
    from_rows = _drawn(_own_page(own_store_path, monkeypatch, False, page, **shown))
    assert not taken
    from_sums = _drawn(_own_page(own_store_path, monkeypatch, True, page, **shown))
    assert taken and all(taken)  # the sums answered every question view
    assert from_rows["charts"] or from_rows["tables"], "nothing drawn"
    _same(from_sums, from_rows)
