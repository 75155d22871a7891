"""No trace reaches a page: a busy store says so, a bug shows a logged reference."""

import logging
import re
import shutil
import traceback
from contextlib import contextmanager
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


def test_every_read_of_a_page_waits_out_an_import(app, monkeypatch):
    """A read refused while an import writes is tried again, wherever a page makes it.

    The first read from each place in the code is refused as busy, and the
    store's stamp moves on every time it is asked (as when an import commits
    its steps), so nothing is answered from a cache: one read not tried again
    would put the busy sentence on the page.
    """
    from analysis.errors import StoreBusyError
    from analysis.store.wave_store import WaveStore
    from dashboard import data, patience

    opened = WaveStore.reading
    refused: set[tuple[tuple[str, int], ...]] = set()

    @contextmanager
    def refused_once_per_place(self):
        place = tuple((f.filename, f.lineno) for f in traceback.extract_stack())
        if place not in refused:
            refused.add(place)
            raise StoreBusyError("the store is busy: an import is being written")
        with opened(self) as con:
            yield con

    stamps = iter(range(1_000_000))
    key = data._key
    monkeypatch.setattr(WaveStore, "reading", refused_once_per_place)
    monkeypatch.setattr(data, "_key", lambda: (key()[0], next(stamps)))
    monkeypatch.setattr(patience.time, "sleep", lambda _: None)
    app.run()
    assert not app.error, [e.value for e in app.error]
    assert app.get("plotly_chart")  # Overview drew its charts
    for name in ("segments", "trends", "crosstab", "tables", "reference", "waves"):
        app.switch_page(f"app_pages/{name}.py").run()
        assert not app.exception, name
        assert not app.error, (name, [e.value for e in app.error])
    assert len(refused) > 20  # the pages read the store, and were refused, all along
