"""No trace reaches a page: a busy store says so, a bug shows a logged reference."""

import logging
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

import dashboard.sidebar

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def app(demo_store_path, tmp_path, monkeypatch):
    """The app on a copy of the demo store, which a test may lock."""
    store = tmp_path / "store.duckdb"
    shutil.copy(demo_store_path, store)
    shutil.copy(f"{demo_store_path}.key", f"{store}.key")
    monkeypatch.setenv("CONFIANCE_STORE", str(store))
    monkeypatch.setenv("CONFIANCE_STORE_READ_WAIT", "0.1")
    return AppTest.from_file(APP, default_timeout=60)


def test_a_bug_shows_one_sentence_and_a_logged_reference(app, monkeypatch, caplog):
    def broken():
        raise RuntimeError("internal detail that must not leak")

    monkeypatch.setattr(dashboard.sidebar, "draw", broken)
    with caplog.at_level(logging.ERROR, logger="confiance.dashboard"):
        app.run()
    assert not app.exception
    [error] = app.error
    reference = re.search(r"administrator: ([0-9a-f]{8})\.", error.value).group(1)
    assert "internal detail" not in error.value and "Traceback" not in error.value
    [record] = caplog.records
    assert reference in record.getMessage()
    assert "internal detail that must not leak" in caplog.text  # the trace is logged


def test_a_page_waits_while_an_import_is_written(app, tmp_path):
    writer = duckdb.connect(
        str(tmp_path / "store.duckdb")
    )  # an import holding the file
    try:
        app.run()
    finally:
        writer.close()
    assert not app.exception
    assert [i.value for i in app.info] == ["An import is being written; retrying…"]
    assert len(app.error) == 1
    assert app.error[0].value.endswith("an import is being written; try again")
    app.run()  # once the import is done, the page draws
    assert not app.exception and not app.error
