"""What only a PostgreSQL store does: its URL, driver, journal, backups and logins.

The store's behaviour itself is tested on both databases by every test that
takes ``tmp_store`` or ``demo_store``; these are the PostgreSQL-only edges.
"""

import sys

import pytest

from analysis.access.journal import StoreJournal, audit_trail, journal_of
from analysis.cli import main as cli_main
from analysis.errors import StoreError
from analysis.store.dialect import store_kind
from analysis.store.postgres import close_pools, masked
from analysis.store.wave_store import WaveStore
from tests.store.planting import planted_wave


def test_an_unknown_url_scheme_is_one_line_naming_it():
    with pytest.raises(
        StoreError, match=r"^the store: unknown store URL scheme 'mysql'"
    ) as err:
        WaveStore("mysql://db.example/confiance")
    assert "\n" not in str(err.value)


def test_a_postgres_url_without_the_driver_is_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg_pool", None)  # import fails
    with pytest.raises(StoreError, match=r"needs the psycopg driver: pip install"):
        WaveStore("postgresql://someone@/nowhere")


def test_urls_and_paths_name_their_database():
    assert store_kind("postgresql://u@h/db") == "postgresql"
    assert store_kind("POSTGRES://u@h/db") == "postgresql"
    assert store_kind("data/confiance.duckdb") == "duckdb"
    assert store_kind("file:///srv/c.duckdb") == "duckdb"
    assert WaveStore("file:///srv/c.duckdb").path.as_posix() == "/srv/c.duckdb"


def test_the_password_never_shows_in_the_location():
    url = "postgresql://ana:s3cret@db.example:5432/confiance"
    assert masked(url) == "postgresql://ana:***@db.example:5432/confiance"
    assert "s3cret" not in WaveStore(url).location


def test_an_unreachable_server_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("CONFIANCE_STORE_READ_WAIT", "1")
    url = f"postgresql://nobody@/none?host={tmp_path}&port=1"
    try:
        with pytest.raises(StoreError, match="busy or unreachable") as err:
            WaveStore(url).waves()
    finally:
        close_pools(url)
    assert "\n" not in str(err.value)


def test_the_access_journal_lives_in_the_store(pg_store_url):
    store = WaveStore(pg_store_url)
    store.add_wave(planted_wave("W", ["a"], ["x"]), actor="ana")
    journal = journal_of(pg_store_url)
    assert isinstance(journal, StoreJournal)
    journal.record("sign-in", "bob@example.org", "passphrase, viewer")
    journal.record("export", "bob@example.org", "deck of W", wave="W")
    assert journal.has("export", "bob@example.org", "deck of W")
    assert not journal.has("export", "ana", "deck of W")
    trail = audit_trail(store)
    assert trail[["action", "actor"]].values.tolist() == [
        ["add", "ana"],
        ["sign-in", "bob@example.org"],
        ["export", "bob@example.org"],
    ]
    with store.reading() as con:
        assert "access_journal" in con.tables()


def test_backup_of_a_postgres_store_points_to_pg_dump(pg_store_url, tmp_path, capsys):
    WaveStore(pg_store_url).waves()
    code = cli_main(
        ["backup", "create", "--out", str(tmp_path / "b.zip"), "--store", pg_store_url]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "pg_dump" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "b.zip").exists()


def test_readers_see_one_snapshot(pg_store):
    pg_store.add_wave(planted_wave("A", ["a"], ["x"]))
    with pg_store.reading() as con:
        before = con.execute("SELECT count(*) FROM waves").fetchone()[0]
        pg_store.add_wave(planted_wave("B", ["b"], ["y"]))  # lands meanwhile
        again = con.execute("SELECT count(*) FROM waves").fetchone()[0]
    assert before == again == 1
    assert [w.name for w in pg_store.waves()] == ["A", "B"]
