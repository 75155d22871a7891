"""A store location that is a URL is refused in one line naming its scheme.

Before, ``CONFIANCE_STORE=postgresql://…`` silently became a DuckDB file named
``postgresql:/…``; no file of that kind may appear.
"""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis import config
from analysis.cli import main
from analysis.errors import StoreError
from analysis.store.wave_store import WaveStore

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")

REFUSED = [
    # not built in this release
    ("postgresql://user@db/confiance", "postgresql"),
    ("postgres://db/confiance", "postgres"),
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
    with pytest.raises(StoreError, match=f"CONFIANCE_STORE: .*{scheme}") as caught:
        config.store_path()
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


def test_the_command_line_refuses_postgresql_for_now(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status = main(["waves", "--store", "postgresql://localhost/confiance"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("error: the store: ")
    assert "PostgreSQL store (postgresql://) is not available" in err


def test_the_app_shows_one_sentence(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONFIANCE_STORE", "postgres://db/confiance")
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception
    [error] = app.error
    assert error.value.startswith("CONFIANCE_STORE: a PostgreSQL store (postgres://)")
    assert "\n" not in error.value
    assert list(tmp_path.iterdir()) == []
