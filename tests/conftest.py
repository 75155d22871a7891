"""Shared fixtures: the codebook, an empty store, and a store filled with the demo."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.cli import main as cli_main
from analysis.library.codebook import Codebook, load_codebook
from analysis.store.wave_store import WaveStore

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def codebook() -> Codebook:
    """The project's codebook, loaded once."""
    return load_codebook()


@pytest.fixture
def tmp_store(tmp_path: Path) -> WaveStore:
    """An empty store in a temporary file, so tests never touch data/."""
    return WaveStore(tmp_path / "store.duckdb")


@pytest.fixture(scope="session")
def demo_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once by `python -m analysis demo`, shared read-only by tests."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    assert cli_main(["demo", "--store", str(path)]) == 0
    return path


@pytest.fixture
def demo_store(demo_store_path: Path) -> WaveStore:
    """The shared demo store; tests that change a store use a copy."""
    return WaveStore(demo_store_path)
