"""Backups: a consistent copy while writes go on; the key only when asked; restore."""

import json
import stat
import threading
import zipfile

import duckdb
import pytest

from analysis.errors import StoreError
from analysis.store.backup import create_backup, read_backup, restore_backup
from analysis.store.wave_store import WaveStore
from tests.store.planting import found, planted_wave

IDS = [f"P{i:02d}" for i in range(12)]
TOWNS = [f"Backupville-{i:02d}" for i in range(12)]


@pytest.fixture
def filled(tmp_path):
    """A store with two waves, one of them deleted, and its key file."""
    store = WaveStore(tmp_path / "live" / "store.duckdb")
    store.add_wave(planted_wave("A", IDS, TOWNS, seed=1), actor="ana")
    store.add_wave(planted_wave("B", IDS[:6], TOWNS[:6], seed=2), actor="ana")
    store.delete_wave("B", actor="ana")
    return store


def _members(path):
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_backup_without_key_leaves_the_key_out(filled, tmp_path):
    out = tmp_path / "b.zip"
    made = create_backup(filled, out, with_key=False, actor="ops")
    assert (made.waves, made.rows, made.with_key) == (("A", "B"), 18, False)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    members = _members(out)
    assert set(members) == {"manifest.json", "store.duckdb", "access.yaml"}
    secret = filled.pseudonym_key().secret
    assert all(secret not in content for content in members.values())
    assert found(members["store.duckdb"], TOWNS) == TOWNS  # the data is there
    assert filled.audit()["action"].iloc[-1] == "backup"


def test_restore_elsewhere_without_the_key_warns_and_refuses_erasure(filled, tmp_path):
    out = tmp_path / "b.zip"
    create_backup(filled, out, with_key=False, actor="ops")
    target = WaveStore(tmp_path / "elsewhere" / "store.duckdb")
    done = restore_backup(target, out, actor="ops")
    assert done.replaced == ()
    assert done.key_note.startswith(
        "warning: the pseudonym key of this backup is not in place"
    )
    restored = WaveStore(target.path)
    assert [w.name for w in restored.waves(include_deleted=True)] == ["A", "B"]
    assert restored.load_respondents(["A"]).equals(filled.load_respondents(["A"]))
    with pytest.raises(StoreError, match="no pseudonym key"):
        restored.erase_respondent("P01")


def test_backup_with_key_restores_erasure_by_given_id(filled, tmp_path):
    out = tmp_path / "b.zip"
    made = create_backup(filled, out, with_key=True, actor="ops")
    assert made.with_key and "pseudonym.key" in _members(out)
    target = WaveStore(tmp_path / "elsewhere" / "store.duckdb")
    done = restore_backup(target, out, actor="ops")
    key_file = target.path.with_name("store.duckdb.key")
    assert done.key_note == f"the backup's pseudonym key was written to {key_file}"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    erased = WaveStore(target.path).erase_respondent("P01", actor="dpo")
    assert dict(erased.rows) == {"A": 1, "B": 1}


def test_restore_replaces_the_store_and_says_what_it_replaced(filled, tmp_path):
    out = tmp_path / "b.zip"
    create_backup(filled, out, with_key=False, actor="ops")
    filled.add_wave(planted_wave("C", IDS, TOWNS, seed=3))
    done = restore_backup(filled, out, actor="ops")
    assert done.replaced == ("A", "B", "C")
    assert done.key_note == f"the pseudonym key in {filled.path}.key is the backup's"
    again = WaveStore(filled.path)
    assert [w.name for w in again.waves(include_deleted=True)] == ["A", "B"]
    assert again.audit()[["action", "actor"]].values.tolist()[-2:] == [
        ["backup", "ops"],
        ["restore-backup", "ops"],
    ]


def test_a_backup_taken_during_imports_is_consistent(filled, tmp_path):
    errors = []

    def importing():
        try:
            for i in range(6):
                ids = [f"T{i}-{j}" for j in range(400)]
                filled.add_wave(planted_wave(f"T{i}", ids, ["x"] * 400, seed=10 + i))
        except Exception as exc:  # reported below
            errors.append(exc)

    writer = threading.Thread(target=importing)
    writer.start()
    outs = []
    for n in range(3):
        outs.append(tmp_path / f"b{n}.zip")
        create_backup(filled, outs[-1], with_key=False, actor="ops")
    writer.join()
    assert errors == []
    for out in outs:
        made = read_backup(out)
        copy = tmp_path / f"{out.stem}.duckdb"
        copy.write_bytes(_members(out)["store.duckdb"])
        con = duckdb.connect(str(copy), read_only=True)
        rows = con.execute("SELECT wave, table_name, row_count FROM waves").fetchall()
        assert tuple(sorted(w for w, _, _ in rows)) == tuple(sorted(made.waves))
        for _, table, count in rows:
            assert con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] == count
        con.close()


def test_refusals_name_the_file(filled, tmp_path):
    out = tmp_path / "b.zip"
    out.write_text("taken")
    with pytest.raises(
        StoreError, match=r"b\.zip exists; give the backup a new file name"
    ):
        create_backup(filled, out, with_key=False, actor="ops")
    with pytest.raises(StoreError, match=r"b\.zip is not a readable Confiance backup"):
        restore_backup(filled, out, actor="ops")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as archive:
        archive.writestr("../../evil", "x")
    with pytest.raises(StoreError, match="is not a Confiance backup"):
        read_backup(tmp_path / "other.zip")
    assert [w.name for w in filled.waves(include_deleted=True)] == ["A", "B"]


# -- the access store: the journal of sign-ins and exports, and the access file -------


@pytest.fixture(autouse=True)
def access_file(tmp_path, monkeypatch):
    """An access file of each test's own: a restore writes it back."""
    from analysis.access.policy import Policy, Rule, save_policy

    path = save_policy(
        Policy(rules=(Rule("ada@example.com", "admin"),)), tmp_path / "access.yaml"
    )
    monkeypatch.setenv("CONFIANCE_ACCESS", str(path))
    monkeypatch.delenv("CONFIANCE_ACCESS_LOG", raising=False)
    return path


def _journal(store):
    from analysis.access.journal import Journal

    return Journal.beside(store.path)


def test_backup_and_restore_round_trip_the_access_store(filled, access_file, tmp_path):
    from analysis.access.policy import Policy, Rule, load_policy, save_policy

    journal = _journal(filled)
    journal.record("sign-in", "ada@example.com", "identity provider, admin")
    journal.record("sign-in-failed", "passphrase:Eve", "wrong passphrase")
    journal.record("export", "vera@example.com", "crosstab CSV A", "A")
    before = journal.entries()
    rules_before = access_file.read_bytes()
    out = tmp_path / "b.zip"
    made = create_backup(filled, out, with_key=False, actor="ops")
    assert (made.access.journal, made.access.policy, made.access.entries) == (
        True,
        True,
        3,
    )
    members = _members(out)
    assert members["access.yaml"] == rules_before
    # after the backup: more sign-ins, and an admin's role change
    journal.record("sign-in", "mallory@example.com", "identity provider, viewer")
    save_policy(Policy(rules=(Rule("mallory@example.com", "admin"),)), access_file)
    done = restore_backup(filled, out, actor="ops")
    assert done.access_note == (
        f"restored the access journal {journal.path} (3 entries) "
        f"and the access file {access_file}"
    )
    after = journal.entries()
    assert after.equals(before)
    assert "mallory@example.com" not in set(after["actor"])
    assert access_file.read_bytes() == rules_before
    assert [r.who for r in load_policy().rules] == ["ada@example.com"]
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600


def test_a_restore_elsewhere_brings_the_journal_beside_the_new_store(
    filled, access_file, tmp_path
):
    _journal(filled).record("sign-in", "ada@example.com", "identity provider, admin")
    out = tmp_path / "b.zip"
    create_backup(filled, out, with_key=False, actor="ops")
    target = WaveStore(tmp_path / "elsewhere" / "store.duckdb")
    restore_backup(target, out, actor="ops")
    moved = _journal(target).entries()
    assert moved[["action", "actor"]].values.tolist() == [
        ["sign-in", "ada@example.com"]
    ]
    assert stat.S_IMODE(_journal(target).path.stat().st_mode) == 0o600


def test_an_older_backup_leaves_the_access_store_as_it_is(
    filled, access_file, tmp_path
):
    out = tmp_path / "b.zip"
    create_backup(filled, out, with_key=False, actor="ops")
    old = tmp_path / "old.zip"  # as made before the access store was backed up
    with zipfile.ZipFile(out) as archive, zipfile.ZipFile(old, "w") as older:
        manifest = json.loads(archive.read("manifest.json"))
        del manifest["access"]
        older.writestr("manifest.json", json.dumps(manifest))
        older.writestr("store.duckdb", archive.read("store.duckdb"))
    _journal(filled).record("sign-in", "ada@example.com")
    done = restore_backup(filled, old, actor="ops")
    assert done.access_note.endswith("both left as they were")
    assert _journal(filled).entries()["actor"].tolist() == ["ada@example.com"]


def test_a_backup_with_a_broken_access_file_changes_nothing(
    filled, access_file, tmp_path
):
    out = tmp_path / "b.zip"
    create_backup(filled, out, with_key=False, actor="ops")
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(out) as archive, zipfile.ZipFile(bad, "w") as broken:
        for name in archive.namelist():
            content = archive.read(name)
            if name == "access.yaml":
                content = b"rules:\n- who: x@y.z\n  role: emperor\n"
            broken.writestr(name, content)
    filled.add_wave(planted_wave("C", IDS, TOWNS, seed=3))
    rules = access_file.read_bytes()
    with pytest.raises(StoreError, match=r"bad\.zip: its access file is not valid"):
        restore_backup(filled, bad, actor="ops")
    assert [w.name for w in WaveStore(filled.path).waves()] == ["A", "C"]
    assert access_file.read_bytes() == rules
