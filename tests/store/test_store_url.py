"""A store URL of an unknown scheme is refused in one line naming it.

Before, ``CONFIANCE_STORE=postgresql://…`` silently became a DuckDB file named
``postgresql:/…``; no file of that kind may appear. A ``postgresql://`` URL
is now a PostgreSQL store (tests/store/test_postgres.py), never a file.
"""

import shutil
from pathlib import Path

import pytest
from streamlit import config as streamlit_config
from streamlit.testing.v1 import AppTest

from analysis import config
from analysis.cli import main
from analysis.errors import StoreError
from analysis.store.wave_store import WaveStore

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")

REFUSED = [
    # unknown schemes, typos included
    ("mysql://db/confiance", "mysql"),
    ("postgressql://db/confiance", "postgressql"),
    ("SQLite://x.db", "sqlite"),
]


@pytest.mark.parametrize(("url", "scheme"), REFUSED)
def test_the_environment_variable_is_refused_naming_the_scheme(
    url, scheme, monkeypatch
):
    monkeypatch.setenv("CONFIANCE_STORE", url)
    for read in (config.store_path, config.store_location, WaveStore):
        with pytest.raises(StoreError, match=f"CONFIANCE_STORE: .*{scheme}") as caught:
            read()
        assert "\n" not in str(caught.value)


@pytest.mark.parametrize(("url", "scheme"), REFUSED)
def test_a_store_opened_by_url_is_refused(url, scheme, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match=scheme):
        WaveStore(url)
    assert list(tmp_path.iterdir()) == []  # no file named after the URL


def test_a_file_path_and_a_file_url_name_the_same_file(tmp_path):
    path = tmp_path / "s.duckdb"
    assert config.store_file(str(path)) == path
    assert config.store_file(f"file://{path}") == path


@pytest.mark.parametrize("via", ["env", "option"])
def test_the_command_line_says_it_in_one_line(via, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["waves"]
    if via == "env":
        monkeypatch.setenv("CONFIANCE_STORE", "mysql://db/confiance")
    else:
        args += ["--store", "mysql://db/confiance"]
    status = main(args)
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "unknown store URL scheme 'mysql'" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("url", ["postgresql://u@db/c", "postgres://db/c"])
def test_a_postgresql_url_is_a_database_never_a_file(url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert WaveStore(url).backend.kind == "postgresql"
    with pytest.raises(StoreError, match="is a database, not a file"):
        config.store_file(url)
    assert list(tmp_path.iterdir()) == []


def test_the_app_shows_one_sentence(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONFIANCE_STORE", "postgressql://db/confiance")
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    [error] = app.error
    assert error.value.startswith("CONFIANCE_STORE: unknown store URL scheme")
    assert "\n" not in error.value
    assert list(tmp_path.iterdir()) == []


def test_an_app_test_run_elsewhere_keeps_the_projects_options(
    demo_store_path, tmp_path, monkeypatch
):
    # the test above runs the app from a temporary folder: were that Streamlit's
    # first read of its options, every later AppTest would lose the project's
    # (tests/conftest.py reads them in the repository root first)
    store = tmp_path / "store.duckdb"
    shutil.copyfile(demo_store_path, store)
    shutil.copyfile(f"{demo_store_path}.key", f"{store}.key")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONFIANCE_STORE", str(store))
    for name in ("CONFIANCE_ANALYST_PASSWORD_HASH", "CONFIANCE_ACCESS"):
        monkeypatch.delenv(name, raising=False)
    app = AppTest.from_file(APP, default_timeout=90)
    app.run()
    assert streamlit_config.get_option("server.address") == "127.0.0.1"
    app.switch_page("app_pages/upload.py").run()  # listed for the local admin
    assert not app.exception
