"""Fixtures for the store's tests."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

STORE_DATA = Path(__file__).parents[1] / "data" / "store"


@pytest.fixture
def schema2_store(tmp_path: Path) -> Path:
    """A copy of the store the previous release (6475fd1) wrote, schema 2."""
    path = tmp_path / "old.duckdb"
    with gzip.open(STORE_DATA / "schema2.duckdb.gz") as source, path.open("wb") as out:
        shutil.copyfileobj(source, out)
    return path


@pytest.fixture
def schema3_store(tmp_path: Path) -> Path:
    """A copy of the store the release before sample types (bc560c2) wrote."""
    path = tmp_path / "s3.duckdb"
    with gzip.open(STORE_DATA / "schema3.duckdb.gz") as source, path.open("wb") as out:
        shutil.copyfileobj(source, out)
    return path


@pytest.fixture
def schema4_store(tmp_path: Path) -> Path:
    """A copy of the store the release before questionnaires (d1ca7b7) wrote."""
    path = tmp_path / "s4.duckdb"
    with gzip.open(STORE_DATA / "schema4.duckdb.gz") as source, path.open("wb") as out:
        shutil.copyfileobj(source, out)
    return path


@pytest.fixture
def schema5_store(tmp_path: Path) -> Path:
    """A copy of the store the release before cell sums (356a45d) wrote, schema 5."""
    path = tmp_path / "s5.duckdb"
    source_path = STORE_DATA / "schema5_sums.duckdb.gz"
    with gzip.open(source_path) as source, path.open("wb") as out:
        shutil.copyfileobj(source, out)
    return path


@pytest.fixture
def schema5_weights_store(tmp_path: Path) -> Path:
    """The store 356a45d wrote for the weightings' migration (and its seed)."""
    path = tmp_path / "s5w.duckdb"
    with gzip.open(STORE_DATA / "schema5.duckdb.gz") as source, path.open("wb") as out:
        shutil.copyfileobj(source, out)
    return path


@pytest.fixture
def schema7_store(tmp_path: Path) -> Path:
    """A copy of the store the release before table specs (6ae38cc) wrote."""
    path = tmp_path / "s7.duckdb"
    with gzip.open(STORE_DATA / "schema7.duckdb.gz") as source, path.open("wb") as out:
        shutil.copyfileobj(source, out)
    return path
