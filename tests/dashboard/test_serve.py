"""The launcher opens the store before it listens, reading only."""

from __future__ import annotations

import logging
import os

from analysis.store import postgres
from dashboard import serve


def test_a_postgresql_store_has_a_pooled_connection_before_the_first_visitor(
    pg_store_url, monkeypatch
):
    monkeypatch.setenv("CONFIANCE_STORE", pg_store_url)
    postgres.close_pools(pg_store_url)
    serve._warm_store()
    pool = postgres._POOLS[(pg_store_url, os.getpid())]
    assert pool.get_stats()["pool_available"] >= 1  # connected, and given back
    postgres.close_pools(pg_store_url)


def test_a_missing_duckdb_file_is_not_made(tmp_path, monkeypatch):
    path = tmp_path / "none.duckdb"
    monkeypatch.setenv("CONFIANCE_STORE", str(path))
    serve._warm_store()
    assert not path.exists()


def test_a_store_it_cannot_open_is_left_for_the_pages_to_report(monkeypatch, caplog):
    monkeypatch.setenv("CONFIANCE_STORE", "mysql://somewhere/db")
    with caplog.at_level(logging.WARNING, logger="confiance.serve"):
        serve._warm_store()  # no exception: the server still starts
    assert "could not be opened before serving" in caplog.text
    assert "mysql" in caplog.text
