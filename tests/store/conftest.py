"""Fixtures for the store's tests: copies of stores earlier releases wrote."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

STORE_DATA = Path(__file__).parents[1] / "data" / "store"


def _unpacked(tmp_path: Path, name: str) -> Path:
    """Gunzip ``tests/data/store/<name>.duckdb.gz`` into ``tmp_path``; its path."""
    path = tmp_path / f"{name}.duckdb"
    with (
        gzip.open(STORE_DATA / f"{name}.duckdb.gz") as source,
        path.open("wb") as out,
    ):
        shutil.copyfileobj(source, out)
    return path


@pytest.fixture
def schema2_store(tmp_path: Path) -> Path:
    """A copy of the store the previous release (6475fd1) wrote, schema 2."""
    return _unpacked(tmp_path, "schema2")


@pytest.fixture
def schema3_store(tmp_path: Path) -> Path:
    """A copy of the store the release before sample types (bc560c2) wrote."""
    return _unpacked(tmp_path, "schema3")


@pytest.fixture
def schema4_store(tmp_path: Path) -> Path:
    """A copy of the store the release before questionnaires (d1ca7b7) wrote."""
    return _unpacked(tmp_path, "schema4")


@pytest.fixture
def schema5_store(tmp_path: Path) -> Path:
    """A copy of the store the release before cell sums (356a45d) wrote, schema 5."""
    return _unpacked(tmp_path, "schema5_sums")


@pytest.fixture
def schema5_weights_store(tmp_path: Path) -> Path:
    """The store 356a45d wrote for the weightings' migration (and its seed)."""
    return _unpacked(tmp_path, "schema5")


@pytest.fixture
def schema7_store(tmp_path: Path) -> Path:
    """A copy of the store the release before table specs (6ae38cc) wrote."""
    return _unpacked(tmp_path, "schema7")
