"""A store written by the previous release (schema 2, commit 6475fd1) is migrated.

The fixture file was made by that release's own code
(tests/data/store/make_schema2_store.py); its ids are planted so the file's raw
bytes can be searched before and after.
"""

import json

import duckdb

from analysis.store.schema import SCHEMA_VERSION
from analysis.store.wave_store import WaveStore
from tests.store.conftest import STORE_DATA
from tests.store.planting import found, raw_bytes

PLANTED = json.loads((STORE_DATA / "planted.json").read_text())
IDS = sorted({i for ids in PLANTED["ids"].values() for i in ids})


def _schema(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'"
        ).fetchone()[0]
    finally:
        con.close()


def test_previous_release_store_is_migrated_and_its_ids_are_gone(schema2_store):
    before = raw_bytes(schema2_store)
    assert _schema(schema2_store) == "2"
    assert found(before, IDS) == IDS  # the search finds the ids the old release wrote
    store = WaveStore(schema2_store)
    infos = store.waves(include_deleted=True)
    assert [(w.name, w.row_count, w.deleted_at is not None) for w in infos] == [
        ("Old-A", 13, False),
        ("Old-B", 9, True),
        ("Old-TL", 1, False),
    ]
    assert _schema(schema2_store) == str(SCHEMA_VERSION) == "8"
    after = raw_bytes(schema2_store)
    assert found(after, IDS) == []
    assert not schema2_store.with_name(schema2_store.name + ".wal").exists()
    # the rest of the data survives the rewrite, as bytes and as rows
    assert found(after, PLANTED["hometowns"]) == PLANTED["hometowns"]
    key = store.pseudonym_key()
    rows = store.load_respondents(["Old-A"])
    assert list(rows["respondent_id"]) == key.pseudonyms(PLANTED["ids"]["Old-A"])
    assert rows["hometown"].iloc[0] == PLANTED["hometowns"][0]
    assert store.load_toplines(["Old-TL"])["percent"].tolist() == [45.0]
    audit = store.audit()
    assert audit["action"].tolist() == ["add", "add", "add", "delete", "migrate"]
    assert audit["detail"].iloc[-1] == "schema 2 -> 8"


def test_a_migrated_store_erases_a_panelist_from_both_waves(schema2_store):
    store = WaveStore(schema2_store)
    erased = store.erase_respondent("PANELIST-SHARED-77", actor="dpo")
    assert dict(erased.rows) == {"Old-A": 1, "Old-B": 1}
    assert [w.row_count for w in store.waves(include_deleted=True)] == [12, 8, 1]


def test_migration_is_done_once(schema2_store):
    WaveStore(schema2_store).waves()
    WaveStore(schema2_store).waves()
    assert WaveStore(schema2_store).audit()["action"].tolist().count("migrate") == 1
