"""The store's commands in their contract forms.

``waves delete|restore|purge``, ``erase-respondent`` and ``backup create|restore``.
"""

import json
import zipfile

import pytest

from analysis.cli import main
from analysis.store.wave_store import WaveStore
from tests.store.planting import found, planted_wave, raw_bytes

IDS = [f"CLI-{i:02d}" for i in range(15)]
TOWNS = [f"Clitown-{i:02d}" for i in range(15)]


@pytest.fixture
def store(tmp_path):
    """A store holding waves A (planted) and B."""
    store = WaveStore(tmp_path / "store.duckdb")
    store.add_wave(planted_wave("A", IDS, TOWNS, seed=1))
    store.add_wave(planted_wave("B", IDS[:5], ["Elsewhere"] * 5, seed=2))
    return store


def _run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_delete_restore_purge(store, capsys):
    s = str(store.path)
    status, out, _ = _run(capsys, "waves", "delete", "A", "--store", s)
    assert status == 0 and out.startswith("A deleted (15 rows)")
    assert [w.name for w in store.waves()] == ["B"]
    status, out, _ = _run(capsys, "waves", "--store", s, "restore", "A")
    assert (status, out) == (0, "A restored (15 rows)\n")
    _run(capsys, "waves", "delete", "A", "--store", s)
    before = store.path.read_bytes()
    assert found(before, TOWNS) == TOWNS  # the search finds what is stored
    status, out, err = _run(capsys, "waves", "purge", "A", "--store", s)
    assert status == 2
    assert out.startswith("would purge wave A: 15 rows (respondents) from A.csv")
    assert err == "error: nothing was purged; add --yes to purge it\n"
    assert store.path.read_bytes() == before
    status, out, _ = _run(capsys, "waves", "purge", "A", "--yes", "--store", s)
    assert status == 0 and "the name and the file's fingerprint are free" in out
    assert found(raw_bytes(store.path), TOWNS) == []
    assert store.audit()["action"].tolist()[2:] == [
        "delete",
        "restore",
        "delete",
        "purge",
    ]


def test_listing_still_works_beside_the_actions(store, capsys):
    status, out, _ = _run(
        capsys, "waves", "--store", str(store.path), "--format", "json"
    )
    assert status == 0
    assert [row["name"] for row in json.loads(out)] == ["A", "B"]


def test_purging_a_live_wave_is_refused_in_one_line(store, capsys):
    status, _, err = _run(
        capsys, "waves", "purge", "A", "--yes", "--store", str(store.path)
    )
    assert status == 2
    assert err == "error: wave A must be deleted before it can be purged\n"


def test_erase_respondent(store, capsys):
    s = str(store.path)
    status, out, err = _run(capsys, "erase-respondent", "CLI-03", "--store", s)
    assert status == 2 and out == "would erase 2 row(s) from A (1), B (1)\n"
    assert "add --yes" in err
    assert [w.row_count for w in store.waves()] == [15, 5]
    status, out, _ = _run(
        capsys, "erase-respondent", "CLI-03", "--yes", "--format", "json", "--store", s
    )
    assert status == 0
    assert json.loads(out) == {
        "erased": True,
        "rows": 2,
        "waves": {"A": 1, "B": 1},
        "waves_searched": 2,
        "store": s,
    }
    pseudonym = store.pseudonym_key().pseudonym("CLI-03")
    assert found(raw_bytes(store.path), [pseudonym, "Clitown-03"]) == []
    assert found(raw_bytes(store.path), ["Clitown-04"]) == ["Clitown-04"]
    status, out, _ = _run(capsys, "erase-respondent", "CLI-03", "--yes", "--store", s)
    assert status == 0 and out.startswith("no respondent with that id")


def test_backup_create_and_restore(store, capsys, tmp_path):
    s, out_file = str(store.path), tmp_path / "backup.zip"
    status, out, _ = _run(
        capsys, "backup", "create", "--out", str(out_file), "--store", s
    )
    assert status == 0 and "without the pseudonym key" in out
    with zipfile.ZipFile(out_file) as archive:
        assert "pseudonym.key" not in archive.namelist()
    keyed = tmp_path / "keyed.zip"
    _run(capsys, "backup", "create", "--out", str(keyed), "--with-key", "--store", s)
    with zipfile.ZipFile(keyed) as archive:
        assert "pseudonym.key" in archive.namelist()
    _run(capsys, "waves", "delete", "B", "--store", s)
    _run(capsys, "waves", "purge", "B", "--yes", "--store", s)
    status, out, _ = _run(capsys, "backup", "restore", str(out_file), "--store", s)
    assert status == 2 and out.startswith(f"would replace {s} (1 wave: A) with")
    assert [w.name for w in store.waves()] == ["A"]
    status, out, _ = _run(
        capsys, "backup", "restore", str(out_file), "--yes", "--store", s
    )
    assert status == 0
    assert out.startswith(
        f"replaced {s} (1 wave: A) with {out_file} (2 waves: A, B, 20 rows"
    )
    assert [w.name for w in WaveStore(store.path).waves()] == ["A", "B"]


def test_help_names_the_new_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "erase-respondent" in out and "backup" in out


def test_backup_round_trips_the_access_journal_and_file(
    store, capsys, tmp_path, monkeypatch
):
    from analysis.access.journal import Journal
    from analysis.access.policy import Policy, Rule, save_policy

    access = save_policy(
        Policy(rules=(Rule("vera@example.com", "viewer"),)), tmp_path / "access.yaml"
    )
    monkeypatch.setenv("CONFIANCE_ACCESS", str(access))
    journal = Journal.beside(store.path)
    journal.record("sign-in", "vera@example.com", "identity provider, viewer")
    journal.record("export", "vera@example.com", "crosstab CSV A", "A")
    s, out_file = str(store.path), tmp_path / "backup.zip"
    status, out, _ = _run(
        capsys, "backup", "create", "--out", str(out_file), "--store", s
    )
    assert status == 0
    assert "the access journal (2 entries) and the access file" in out
    journal.path.unlink()
    access.write_text("rules: []\n")
    status, out, _ = _run(
        capsys, "backup", "restore", str(out_file), "--yes", "--store", s
    )
    assert status == 0
    assert f"restored the access journal {journal.path} (2 entries)" in out
    assert journal.entries()["action"].tolist() == ["sign-in", "export"]
    assert "vera@example.com" in access.read_text()


def test_backup_is_for_admins_when_acting_for_a_person(
    store, capsys, tmp_path, monkeypatch
):
    from analysis.access.policy import Policy, Rule, save_policy

    access = save_policy(
        Policy(rules=(Rule("vera@example.com", "viewer"),)), tmp_path / "access.yaml"
    )
    monkeypatch.setenv("CONFIANCE_ACCESS", str(access))
    monkeypatch.setenv("CONFIANCE_USER", "vera@example.com")
    out_file = tmp_path / "backup.zip"
    status, _, err = _run(
        capsys, "backup", "create", "--out", str(out_file), "--store", str(store.path)
    )
    assert status == 2 and "may not backup (needs admin)" in err
    assert not out_file.exists()
