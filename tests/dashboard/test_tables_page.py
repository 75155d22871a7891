"""The Tables page under AppTest: it builds a banner table equal to the library's.

The page is thin: its cells must be :func:`analysis.table.banner.banner_table`'s
for the same spec, and a spec saved there is in the store (audited).
"""

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.store.wave_store import WaveStore
from analysis.table.banner import banner_table
from analysis.table.banner_spec import TableSpec
from analysis.table.banner_view import display_frame

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def store_path(demo_store_path, tmp_path, monkeypatch):
    """A copy of the demo store (the page saves specs into it)."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_store_path, path)
    monkeypatch.setenv("CONFIANCE_STORE", str(path))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    return path


def _tables(app):
    app.run()
    app.switch_page("app_pages/tables.py").run()
    assert not app.exception, app.exception
    return app


def test_page_shows_the_library_table_and_saves_the_spec(store_path):
    app = _tables(AppTest.from_file(APP, default_timeout=120))
    wave = app.sidebar.selectbox[0].value  # the sidebar's wave
    rows, banners, nest = app.multiselect[:3]
    rows.set_value(["share_caution", "leave_unprotected"])
    banners.set_value(["country", "gender"])
    nest.set_value(["country × gender"])
    app.checkbox[0].check()  # arrows
    app.run()
    assert not app.exception, app.exception
    shown = app.dataframe[0].value
    store = WaveStore(store_path)
    spec = TableSpec(
        rows=("share_caution", "leave_unprotected"),
        banners=("country", "gender"),
        nest=(("country", "gender"),),
        arrows=True,
    )
    expected = display_frame(
        banner_table(
            store.load_respondents([wave]), store.questionnaire(wave), spec, wave=wave
        )
    )
    assert shown.shape == expected.shape
    assert list(shown.iloc[:, 0]) == list(expected.iloc[:, 0])
    assert list(shown.iloc[:, -1]) == list(expected.iloc[:, -1])
    assert {b.label for b in app.get("download_button")} >= {
        "Download CSV",
        "Download Excel",
    }
    app.text_input[0].set_value("By country")
    app.button[-1].click()  # the form's submit
    app.run()
    assert not app.exception, app.exception
    assert [s.name for s in store.table_specs()] == ["By country"]
    assert store.table_spec("By country").spec == spec
    assert "table_spec_save" in set(store.audit()["action"])
