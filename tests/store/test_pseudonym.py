"""Respondent ids are stored as HMAC-SHA-256 pseudonyms under a key kept outside."""

import hashlib
import hmac
import stat

import pytest

from analysis import config
from analysis.errors import PseudonymKeyError
from analysis.store.pseudonym import install_key_file, load_key
from analysis.store.wave_store import WaveStore
from tests.store.planting import found, planted_wave, raw_bytes

IDS = [f"GIVEN-{i:03d}" for i in range(12)]
TOWNS = ["Anywhere"] * 12


def test_key_file_is_made_beside_the_store_with_mode_0600(duck_store, monkeypatch):
    tmp_store = duck_store
    monkeypatch.delenv(config.PSEUDONYM_KEY_ENV, raising=False)
    key_file = tmp_store.path.with_name("store.duckdb.key")
    assert not key_file.exists()
    tmp_store.add_wave(planted_wave("W", IDS, TOWNS))
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    secret = key_file.read_text().strip()
    assert len(secret) == 64 and int(secret, 16) >= 0  # 32 random bytes, hex
    stored = tmp_store.load_respondents(["W"])["respondent_id"]
    want = [
        hmac.new(secret.encode(), i.encode(), hashlib.sha256).hexdigest() for i in IDS
    ]
    assert list(stored) == want
    assert found(raw_bytes(tmp_store.path), IDS) == []
    # the key never enters the store
    assert secret.encode() not in raw_bytes(tmp_store.path)


def test_environment_key_is_used_and_no_file_is_made(duck_store, monkeypatch):
    tmp_store = duck_store
    secret = "k" * 40
    monkeypatch.setenv(config.PSEUDONYM_KEY_ENV, secret)
    tmp_store.add_wave(planted_wave("W", IDS, TOWNS))
    assert not tmp_store.path.with_name("store.duckdb.key").exists()
    stored = tmp_store.load_respondents(["W"])["respondent_id"][0]
    assert stored == hmac.new(secret.encode(), b"GIVEN-000", hashlib.sha256).hexdigest()


def test_same_id_same_pseudonym_in_every_wave(tmp_store):
    tmp_store.add_wave(planted_wave("A", ["p1", "p2"], TOWNS[:2], seed=1))
    tmp_store.add_wave(planted_wave("B", ["p2", "p3"], TOWNS[:2], seed=2))
    both = tmp_store.load_respondents(["A", "B"])
    assert both["respondent_id"].nunique() == 3


def test_short_environment_key_is_refused(tmp_store, monkeypatch):
    monkeypatch.setenv(config.PSEUDONYM_KEY_ENV, "short")
    with pytest.raises(
        PseudonymKeyError, match="has 5 characters; it needs at least 32"
    ):
        tmp_store.add_wave(planted_wave("W", IDS, TOWNS))
    assert tmp_store.waves() == []


def test_another_key_is_refused_and_nothing_is_stored(tmp_store, monkeypatch):
    tmp_store.add_wave(planted_wave("A", IDS, TOWNS, seed=1))
    monkeypatch.setenv(config.PSEUDONYM_KEY_ENV, "x" * 64)
    with pytest.raises(
        PseudonymKeyError, match="not the one this store's ids were hashed with"
    ):
        tmp_store.add_wave(planted_wave("B", IDS, TOWNS, seed=2))
    assert [w.name for w in tmp_store.waves()] == ["A"]


def test_a_lost_key_file_is_not_silently_replaced(duck_store):
    tmp_store = duck_store
    tmp_store.add_wave(planted_wave("A", IDS, TOWNS, seed=1))
    key_file = tmp_store.path.with_name("store.duckdb.key")
    key_file.unlink()
    with pytest.raises(
        PseudonymKeyError, match=r"store\.duckdb\.key is missing.*--with-key"
    ):
        WaveStore(tmp_store.path).add_wave(planted_wave("B", IDS, TOWNS, seed=2))
    assert not key_file.exists()  # the key made on the spot was taken back
    with pytest.raises(PseudonymKeyError, match="no pseudonym key"):
        tmp_store.erase_respondent("GIVEN-001")


def test_first_key_written_wins_when_two_race(tmp_path):
    path = tmp_path / "s.duckdb.key"
    assert install_key_file(path, "a" * 64, replace=False) is True
    assert install_key_file(path, "b" * 64, replace=False) is False
    assert load_key(tmp_path / "s.duckdb", create=True).secret == b"a" * 64
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.duckdb.key"]


def test_a_postgres_store_takes_its_key_from_the_environment_only(
    pg_store_url, monkeypatch
):
    monkeypatch.delenv(config.PSEUDONYM_KEY_ENV)
    with pytest.raises(PseudonymKeyError, match=r"needs \$CONFIANCE_PSEUDONYM_KEY"):
        WaveStore(pg_store_url).add_wave(planted_wave("W", IDS, TOWNS))
