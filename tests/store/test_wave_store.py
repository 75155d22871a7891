import hashlib
import hmac
import os

import duckdb
import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.errors import DuplicateFileError, SchemaVersionError, StoreError
from analysis.store.schema import SCHEMA_VERSION
from analysis.store.wave import Wave, WaveMeta, sha256_bytes
from analysis.store.wave_store import WaveStore


def _wave(name="W-1", rows=50, seed=0, sha=None):
    rng = np.random.default_rng(seed)
    data = pd.DataFrame(
        {
            "respondent_id": [f"r{i}" for i in range(rows)],
            "weight": rng.uniform(0.5, 2.0, rows),
            "country": rng.choice(["FR", "DE"], rows),
            "ethical_use": pd.array(rng.choice([1, 2, 9], rows), dtype="Int16"),
        }
    )
    data.loc[3, "ethical_use"] = pd.NA
    meta = WaveMeta(
        name=name,
        kind="respondents",
        source="test",
        file_name=f"{name}.csv",
        file_sha256=sha or sha256_bytes(f"{name}-{seed}".encode()),
        countries=("DE", "FR"),
        mapping={"ethical_use": "Q1"},
        report={"rows_kept": rows},
    )
    return Wave(meta=meta, data=data)


def _content(store):
    """Everything a user could read back: waves, their rows, toplines, audit."""
    infos = store.waves(include_deleted=True)
    rows = {i.name: store.load_respondents([i.name]) for i in infos if not i.deleted_at}
    return (
        [(i.name, i.row_count, i.meta.file_sha256) for i in infos],
        rows,
        len(store.audit()),
    )


def test_text_with_gaps_in_python_objects_round_trips(tmp_store):
    """A column of text objects with gaps (as files give) is stored as text.

    PostgreSQL's column types were once read from an empty head of the frame,
    where such a column has no type at all: the store refused the wave.
    """
    wave = _wave()
    gaps = pd.Series(["a", None, "b", None, "c"] * 10, dtype=object)
    data = wave.data.assign(note=gaps, empty=pd.Series([None] * 50, dtype=object))
    tmp_store.add_wave(Wave(meta=wave.meta, data=data), actor="tester")
    back = tmp_store.load_respondents(["W-1"])
    assert [None if pd.isna(v) else v for v in back["note"]] == gaps.tolist()
    assert back["empty"].isna().all()


def test_round_trip_returns_what_went_in(tmp_store):
    wave = _wave()
    tmp_store.add_wave(wave, actor="tester")
    back = tmp_store.load_respondents(["W-1"])
    assert list(back.columns) == ["wave", *wave.data.columns]
    pd.testing.assert_frame_equal(
        back.drop(columns=["wave", "respondent_id"]),
        wave.data.drop(columns="respondent_id"),
        check_dtype=False,
        check_exact=True,
    )
    # ids come back as their keyed hash, HMAC-SHA-256 under the key file's text
    # (a PostgreSQL store's key is the environment's, the servers share no file)
    secret = (
        (tmp_store.path.parent / "store.duckdb.key").read_text().strip()
        if tmp_store.backend.kind == "duckdb"
        else os.environ[config.PSEUDONYM_KEY_ENV]
    )
    assert list(back["respondent_id"]) == [
        hmac.new(secret.encode(), i.encode(), hashlib.sha256).hexdigest()
        for i in wave.data["respondent_id"]
    ]
    assert back["ethical_use"].isna().sum() == 1
    info = tmp_store.wave("W-1")
    assert info.meta == wave.meta
    assert info.row_count == 50


def test_several_waves_load_together(tmp_store):
    tmp_store.add_wave(_wave("A", rows=10, seed=1))
    tmp_store.add_wave(_wave("B", rows=20, seed=2))
    both = tmp_store.load_respondents(["A", "B"])
    assert both["wave"].value_counts().to_dict() == {"A": 10, "B": 20}


def test_same_file_twice_is_refused_naming_the_wave(tmp_store):
    tmp_store.add_wave(_wave("First", sha="ab" * 32))
    with pytest.raises(DuplicateFileError, match="already stored as wave First"):
        tmp_store.add_wave(_wave("Second", sha="ab" * 32))
    assert [w.name for w in tmp_store.waves()] == ["First"]


def test_same_name_twice_is_refused(tmp_store):
    tmp_store.add_wave(_wave("Same", seed=1))
    with pytest.raises(StoreError, match="named Same is already stored"):
        tmp_store.add_wave(_wave("Same", seed=2))


@pytest.mark.parametrize("step", ["_insert_rows", "_insert_meta"])
def test_failure_mid_add_leaves_store_as_it_was(tmp_store, monkeypatch, step):
    tmp_store.add_wave(_wave("Before", seed=1))
    before = _content(tmp_store)
    version = tmp_store.version
    original = getattr(WaveStore, step)

    def fail_after(self, *args, **kwargs):
        original(self, *args, **kwargs)
        raise RuntimeError("disk full (injected)")

    monkeypatch.setattr(WaveStore, step, fail_after)
    with pytest.raises(RuntimeError, match="injected"):
        tmp_store.add_wave(_wave("Broken", seed=2))
    monkeypatch.undo()
    after = _content(tmp_store)
    assert after[0] == before[0] and after[2] == before[2]
    pd.testing.assert_frame_equal(after[1]["Before"], before[1]["Before"])
    assert tmp_store.version == version
    with tmp_store.reading() as con:
        tables = [t for t in con.tables() if t.startswith("respondents_")]
    assert len(tables) == 1
    # and the wave can still be added once the fault is gone
    tmp_store.add_wave(_wave("Broken", seed=2))


def test_soft_delete_restore_purge_with_audit(tmp_store):
    tmp_store.add_wave(_wave("W", rows=12), actor="ana")
    tmp_store.delete_wave("W", actor="ana")
    assert tmp_store.waves() == []
    assert tmp_store.waves(include_deleted=True)[0].deleted_at is not None
    with pytest.raises(StoreError, match="deleted; restore it"):
        tmp_store.load_respondents(["W"])
    tmp_store.restore_wave("W", actor="bob")
    assert len(tmp_store.load_respondents(["W"])) == 12
    with pytest.raises(StoreError, match="must be deleted before"):
        tmp_store.purge_wave("W")
    tmp_store.delete_wave("W", actor="bob")
    tmp_store.purge_wave("W", actor="bob")
    assert tmp_store.waves(include_deleted=True) == []
    audit = tmp_store.audit()
    assert list(audit["action"]) == ["add", "delete", "restore", "delete", "purge"]
    assert list(audit["actor"]) == ["ana", "ana", "bob", "bob", "bob"]
    assert set(audit["rows"]) == {12}
    assert audit["file_sha256"].nunique() == 1


def test_version_grows_with_every_change(tmp_store):
    v0 = tmp_store.version
    tmp_store.add_wave(_wave())
    tmp_store.delete_wave("W-1")
    assert tmp_store.version == v0 + 2


def test_unknown_wave_lists_the_known_ones(tmp_store):
    tmp_store.add_wave(_wave("Known"))
    with pytest.raises(StoreError, match=r"no wave named 'Nope' .*Known"):
        tmp_store.load_respondents(["Nope"])


def _v1_store(path):
    """A store as schema 1 wrote it: no soft delete, no synthetic mark, no checks."""
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
    con.execute(
        "INSERT INTO meta VALUES ('schema_version', '1'), ('data_version', '3')"
    )
    con.execute(
        "CREATE TABLE waves (wave VARCHAR PRIMARY KEY, kind VARCHAR, table_name VARCHAR,"
        " source VARCHAR, file_name VARCHAR, file_sha256 VARCHAR, fieldwork_start DATE,"
        " fieldwork_end DATE, countries VARCHAR, row_count BIGINT, mapping VARCHAR,"
        " report VARCHAR, imported_at TIMESTAMP)"
    )
    con.execute(
        "INSERT INTO waves VALUES ('Old', 'toplines', '', 'report', 'old.csv', 'ff',"
        " NULL, NULL, '[\"FR\"]', 1, '{}', '{}', TIMESTAMP '2020-01-01 00:00:00')"
    )
    con.execute("CREATE SEQUENCE audit_id")
    con.execute(
        "CREATE TABLE audit (id BIGINT PRIMARY KEY DEFAULT nextval('audit_id'),"
        " happened_at TIMESTAMP NOT NULL, action VARCHAR NOT NULL, wave VARCHAR NOT NULL,"
        " actor VARCHAR NOT NULL, file_sha256 VARCHAR, rows BIGINT, detail VARCHAR)"
    )
    con.execute(
        "CREATE TABLE toplines (wave VARCHAR, metric VARCHAR, segment_var VARCHAR,"
        " segment_value VARCHAR, percent DOUBLE, base_n DOUBLE, n_eff DOUBLE,"
        " source VARCHAR, note VARCHAR)"
    )
    con.execute(
        "INSERT INTO toplines VALUES ('Old', 'ethical_use_possible', 'country', 'FR',"
        " 45, NULL, NULL, 'report', '')"
    )
    con.close()


def test_older_schema_is_migrated(tmp_path):
    path = tmp_path / "old.duckdb"
    _v1_store(path)
    store = WaveStore(path)
    [info] = store.waves()
    assert info.name == "Old" and info.deleted_at is None and not info.meta.synthetic
    assert store.load_toplines(["Old"])["percent"].tolist() == [45.0]
    con = duckdb.connect(str(path))
    assert con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[
        0
    ] == str(SCHEMA_VERSION)
    con.close()
    assert store.audit()["action"].tolist() == ["migrate"]


def test_newer_schema_is_refused_plainly(tmp_path):
    path = tmp_path / "new.duckdb"
    _v1_store(path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(SchemaVersionError, match="newer Confiance \\(schema 99\\)"):
        WaveStore(path).waves()


def test_foreign_duckdb_file_is_refused(tmp_path):
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (x INT)")
    con.close()
    with pytest.raises(SchemaVersionError, match="not a Confiance store"):
        WaveStore(path).waves()


def test_store_path_comes_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CONFIANCE_STORE", str(tmp_path / "env.duckdb"))
    assert WaveStore().path == tmp_path / "env.duckdb"


def test_toplines_waves_round_trip(tmp_store, codebook):
    from analysis.ingest.toplines import read_toplines

    for wave in read_toplines(config.PUBLISHED_TOPLINES, codebook=codebook):
        tmp_store.add_wave(wave)
    back = tmp_store.load_toplines(["RSA-2019"])
    fr = back[(back.metric == "ethical_use_possible") & (back.segment_value == "FR")]
    assert fr["percent"].tolist() == [45.0]
    assert back["base_n"].notna().sum() == 2  # ethical_use ALL and password_reuse
    with pytest.raises(StoreError, match="holds toplines, not respondents"):
        tmp_store.load_respondents(["RSA-2019"])


def test_segment_levels_lists_text_columns_but_not_ids(tmp_store):
    tmp_store.add_wave(_wave("Seg", rows=30, seed=4))
    levels = tmp_store.segment_levels("Seg")
    assert levels == {"country": ["DE", "FR"]}


def test_column_names_longer_than_postgresql_identifiers_come_back_whole(tmp_store):
    # PostgreSQL keeps 63 bytes of a name; a file's question text is often longer
    long = "Would you stop buying from a brand that fails to protect your data? é" * 2
    other = long[:-1] + "!"  # the same first 63 bytes, another name
    wave = _wave("Long", rows=12, seed=3)
    wave = Wave(wave.meta, wave.data.assign(**{long: "yes", other: "no"}))
    tmp_store.add_wave(wave)
    back = tmp_store.load_respondents(["Long"])
    assert back[long].tolist() == ["yes"] * 12 and back[other].tolist() == ["no"] * 12
    with tmp_store.reading() as con:
        table = con.execute("SELECT table_name FROM waves").fetchone()[0]
        assert {long, other} <= set(con.columns(table))
        found = con.execute(f'SELECT DISTINCT "{long}" FROM "{table}"').df()
    assert found.columns.tolist() == [long] and found[long].tolist() == ["yes"]
