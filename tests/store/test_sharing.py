"""Bounded waits: a busy store answers within the wait, with one plain sentence.

A DuckDB file admits one writing process, so readers wait too; PostgreSQL
readers never wait (each reads a snapshot), and its writers queue as DuckDB's.
"""

import threading
import time

import duckdb
import pytest

from analysis import config
from analysis.errors import StoreBusyError, StoreError
from analysis.store.connection import write_deadline, writers_lock
from tests.store.planting import planted_wave


@pytest.fixture
def short_waits(monkeypatch):
    """Waits of 0.3 s, so a test of giving up is quick."""
    monkeypatch.setenv(config.STORE_READ_WAIT_ENV, "0.3")
    monkeypatch.setenv(config.STORE_WRITE_WAIT_ENV, "0.3")


def test_a_read_gives_up_after_the_read_wait_with_one_sentence(duck_store, short_waits):
    tmp_store = duck_store
    tmp_store.add_wave(planted_wave("W", ["a", "b"], ["x", "y"]))
    writer = duckdb.connect(str(tmp_store.path))  # a write in progress
    try:
        began = time.monotonic()
        with pytest.raises(
            StoreBusyError, match="an import is being written; try again"
        ):
            tmp_store.waves()
        assert 0.3 <= time.monotonic() - began < 1.5
    finally:
        writer.close()
    assert [w.name for w in tmp_store.waves()] == ["W"]


def test_a_read_waits_for_a_short_write(duck_store, monkeypatch):
    tmp_store = duck_store
    monkeypatch.setenv(config.STORE_READ_WAIT_ENV, "3")
    tmp_store.add_wave(planted_wave("W", ["a", "b"], ["x", "y"]))
    writer = duckdb.connect(str(tmp_store.path))
    threading.Timer(0.3, writer.close).start()
    assert [w.name for w in tmp_store.waves()] == ["W"]


def test_a_write_waits_for_another_writer_then_gives_up(duck_store, short_waits):
    tmp_store = duck_store
    tmp_store.waves()  # create the file
    with writers_lock(tmp_store.path, write_deadline()):
        with pytest.raises(StoreBusyError, match="is busy"):
            tmp_store.add_wave(planted_wave("W", ["a"], ["x"]))
        # readers do not start while a writer is in
        with pytest.raises(StoreBusyError):
            tmp_store.waves()
    tmp_store.add_wave(planted_wave("W", ["a"], ["x"]))
    assert [w.name for w in tmp_store.waves()] == ["W"]


def test_a_bad_wait_setting_is_named(tmp_store, monkeypatch):
    monkeypatch.setenv(config.STORE_WRITE_WAIT_ENV, "soon")
    with pytest.raises(
        StoreError, match=r"\$CONFIANCE_STORE_WRITE_WAIT \('soon'\) must be"
    ):
        tmp_store.add_wave(planted_wave("W", ["a"], ["x"]))


def test_postgres_writers_queue_and_readers_do_not_wait(pg_store, short_waits):
    pg_store.add_wave(planted_wave("W", ["a"], ["x"]))
    with pg_store.writing() as con:  # another writer holds the schema's lock
        con.begin()
        con.execute("UPDATE meta SET value = value WHERE key = 'data_version'")
        began = time.monotonic()
        with pytest.raises(StoreBusyError, match="is busy"):
            pg_store.add_wave(planted_wave("V", ["b"], ["y"]))
        assert 0.3 <= time.monotonic() - began < 1.5
        assert [w.name for w in pg_store.waves()] == ["W"]  # a read goes on
        con.commit()
    pg_store.add_wave(planted_wave("V", ["b"], ["y"]))
    assert [w.name for w in pg_store.waves()] == ["W", "V"]
