"""Shared fixtures: the codebook, an empty store, and a store filled with the demo.

The store fixtures run each test on both databases: a DuckDB file and a
schema of a throw-away PostgreSQL server (:mod:`tests.pg_server`), started
once per session and skipped, with the reason, only where PostgreSQL's server
programs are absent and cannot be installed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from analysis import config
from analysis.cli import main as cli_main
from analysis.library.codebook import Codebook, load_codebook
from analysis.store.wave_store import WaveStore
from tests import pg_server

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
PG_KEY = "k" * 64
"""The pseudonym key every PostgreSQL store of the tests shares (from the env)."""
BACKENDS = ["duckdb", pytest.param("postgresql", marks=pytest.mark.postgres)]


def read_streamlit_options() -> None:
    """Have Streamlit (re)read its options in the repository root, whatever the cwd.

    Streamlit reads ``./.streamlit/config.toml`` once per process, in the
    working directory of its first read. Were that a test's temporary folder,
    every later AppTest would run without the project's options: without
    ``server.address = "127.0.0.1"`` the app counts as open to the network
    and lists none of the analysts' pages.
    """
    from streamlit import config as streamlit_config

    here = Path.cwd()
    os.chdir(ROOT)
    try:
        streamlit_config.get_config_options(force_reparse=True)
    finally:
        os.chdir(here)


@pytest.fixture(scope="session", autouse=True)
def streamlit_options() -> None:
    """The project's Streamlit options, read before any test can change directory."""
    read_streamlit_options()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[pg_server.Server]:
    """A PostgreSQL server for the whole session, on a unix socket of its own."""
    bin_dir = pg_server.server_bin()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL's server programs (initdb, pg_ctl) are absent and could not "
            "be installed (scripts/ensure-postgres.sh needs root and apt-get)"
        )
    server = pg_server.start_server(bin_dir)
    yield server
    server.stop()


@pytest.fixture
def pg_key() -> Iterator[str]:
    """The PostgreSQL stores' key in the environment (kept through a test's undo)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(config.PSEUDONYM_KEY_ENV, PG_KEY)
        yield PG_KEY


@pytest.fixture
def pg_store_url(postgres_server: pg_server.Server, pg_key: str) -> Iterator[str]:
    """An empty PostgreSQL store (a fresh schema), its key in the environment."""
    name, url = pg_server.new_schema(postgres_server)
    yield url
    pg_server.drop_schema(postgres_server, name, url)


@pytest.fixture(params=BACKENDS)
def store_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where an empty store is: a DuckDB file, or a PostgreSQL schema."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("pg_store_url"))
    return str(tmp_path / "store.duckdb")


@pytest.fixture(scope="session")
def codebook() -> Codebook:
    """The project's codebook, loaded once."""
    return load_codebook()


@pytest.fixture
def tmp_store(store_location: str) -> WaveStore:
    """An empty store (a temporary file, or a fresh PostgreSQL schema)."""
    return WaveStore(store_location)


@pytest.fixture
def duck_store(tmp_path: Path) -> WaveStore:
    """An empty DuckDB store, for what only a file has: its lock, key file, bytes."""
    return WaveStore(tmp_path / "store.duckdb")


@pytest.fixture
def pg_store(pg_store_url: str) -> WaveStore:
    """An empty PostgreSQL store, for what only PostgreSQL does."""
    return WaveStore(pg_store_url)


@pytest.fixture(scope="session")
def demo_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once by `python -m analysis demo`, shared read-only by tests."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    assert cli_main(["demo", "--store", str(path)]) == 0
    return path


@pytest.fixture(scope="session")
def demo_pg_url(postgres_server: pg_server.Server) -> Iterator[str]:
    """The demo built once in a PostgreSQL schema, shared read-only by tests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(config.PSEUDONYM_KEY_ENV, PG_KEY)
        name, url = pg_server.new_schema(postgres_server)
        assert cli_main(["demo", "--store", url]) == 0
    yield url
    pg_server.drop_schema(postgres_server, name, url)


@pytest.fixture
def demo_store(demo_store_path: Path) -> WaveStore:
    """The shared demo store; tests that change a store use a copy."""
    return WaveStore(demo_store_path)


@pytest.fixture(params=BACKENDS)
def any_demo_store(request: pytest.FixtureRequest, demo_store_path: Path) -> WaveStore:
    """The shared demo store in each database, for suites that run on both."""
    if request.param == "postgresql":
        request.getfixturevalue("pg_key")
        return WaveStore(str(request.getfixturevalue("demo_pg_url")))
    return WaveStore(demo_store_path)
