"""`python -m analysis ingest`: report, exit status, nothing stored on errors."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.cli.options import EXIT_USAGE
from analysis.ingest.model import FORMATS
from analysis.store.wave_store import WaveStore

DATA = Path(__file__).parents[1] / "data" / "ingest"
ROOT = Path(__file__).parents[2]


def run(capsys, *args):
    status = main(["ingest", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def test_success_prints_wave_rows_left_out_and_privacy(tmp_path, capsys):
    store = tmp_path / "s.duckdb"
    status, out, _ = run(
        capsys,
        DATA / "qualtrics_fr_text.csv",
        "--wave",
        "FR-2025-Q1",
        "--store",
        store,
        "--source",
        "Panel X",
        "--fieldwork",
        "2025-03-03..2025-03-17",
    )
    assert status == 0
    assert "FR-2025-Q1: 28 rows stored" in out
    assert "left out: 2 row(s), incomplete" in out
    assert "dropped for privacy: 'RecipientEmail' (e-mail address; 30 rows)" in out
    meta = WaveStore(store).wave("FR-2025-Q1").meta
    assert meta.source == "Panel X"
    assert (meta.fieldwork_start, meta.fieldwork_end) == (
        date(2025, 3, 3),
        date(2025, 3, 17),
    )
    assert meta.countries == ("DE", "FR", "GB", "US")


def test_errors_exit_2_and_store_nothing(tmp_path, capsys):
    store = tmp_path / "s.duckdb"
    assert (
        run(capsys, DATA / "csv_fr_cp1252.csv", "--wave", "A-1", "--store", store)[0]
        == 0
    )
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    bad = tmp_path / "dupes.csv"
    bad.write_text(
        "respondent_id,weight,country,q1\n7,1,FR,1\n8,1,DE,2\n7,2,FR,1\n9,-1,FR,2\n"
    )
    status, out, err = run(
        capsys, bad, "--wave", "B-1", "--store", store, "--format", "json"
    )
    assert status == 2
    payload = json.loads(out)
    assert payload["stored"] is False
    found = {(p["check"], p["column"]) for p in payload["report"]["problems"]}
    assert {("duplicate_id", "respondent_id"), ("negative_weight", "weight")} <= (found)
    rows = {p["check"]: p["rows"] for p in payload["report"]["problems"]}
    assert rows["duplicate_id"] == [2, 4] and rows["negative_weight"] == [5]
    assert err.startswith("error: dupes.csv: 2 problem(s) block")
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before
    assert [w.name for w in WaveStore(store).waves()] == ["A-1"]


def test_every_export_imports_with_no_mapping(tmp_path, capsys):
    """Each respondent export of tests/data/ingest (and CES 2011) imports as is."""
    store = tmp_path / "s.duckdb"
    files = sorted(
        p
        for p in DATA.iterdir()
        if p.suffix in (".csv", ".txt", ".sav", ".xlsx") and "toplines" not in p.name
    )
    files.append(DATA / "public" / "ces11.sav")
    assert len(files) >= 14
    for i, path in enumerate(files):
        sheet = ["--sheet", "Données"] if path.name == "excel_fr.xlsx" else []
        status, out, err = run(
            capsys,
            path,
            "--wave",
            f"W-{i}",
            "--store",
            store,
            "--format",
            "json",
            *sheet,
        )
        assert status == 0, (path.name, err)
        payload = json.loads(out)
        assert payload["stored"] is True, path.name
        assert WaveStore(store).questionnaire(f"W-{i}").questions, path.name


def test_dry_run_and_saved_profile_reused_with_no_edits(tmp_path, capsys):
    store = tmp_path / "s.duckdb"
    profile = tmp_path / "monkey.yaml"
    status, out, _ = run(
        capsys,
        DATA / "surveymonkey_en.csv",
        "--wave",
        "SM-1",
        "--store",
        store,
        "--dry-run",
        "--save-mapping",
        profile,
    )
    assert status == 0 and "dry run, 30 rows would be stored" in out
    assert not store.exists()
    status, out, _ = run(
        capsys,
        DATA / "surveymonkey_en.csv",
        "--wave",
        "SM-1",
        "--store",
        store,
        "--mapping",
        profile,
        "--exclude-speeders",
    )
    assert status == 0 and "SM-1: 29 rows stored" in out


def test_same_file_twice_is_refused(tmp_path, capsys):
    store = tmp_path / "s.duckdb"
    assert run(capsys, DATA / "spss_en.sav", "--wave", "S-1", "--store", store)[0] == 0
    status, _, err = run(
        capsys, DATA / "spss_en.sav", "--wave", "S-2", "--store", store
    )
    assert status == 2 and "already stored as wave S-1" in err


def test_forced_format_and_sheet(tmp_path, capsys):
    store = tmp_path / "s.duckdb"
    status, _, err = run(
        capsys, DATA / "excel_fr.xlsx", "--wave", "X-1", "--store", store
    )
    assert status == 2
    assert err == "error: excel_fr.xlsx, sheet 'Notes' has a header but no data rows\n"
    status, out, _ = run(
        capsys,
        DATA / "excel_fr.xlsx",
        "--wave",
        "X-1",
        "--store",
        store,
        "--sheet",
        "Données",
        "--file-format",
        "excel",
    )
    assert status == 0 and "X-1: 30 rows stored" in out


def test_bad_fieldwork_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stop:
        main(
            [
                "ingest",
                str(DATA / "spss_en.sav"),
                "--wave",
                "S-1",
                "--fieldwork",
                "2025-03-17..2025-03-01",
            ]
        )
    assert stop.value.code == 2
    assert "the end is before the start" in capsys.readouterr().err


def test_module_entry_point_lists_ingest():
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "ingest" in done.stdout


def test_named_profile_in_data_mappings_maps_the_next_wave(tmp_path, capsys):
    """The committed profile maps the numeric Qualtrics export with no edits."""
    status, out, err = run(
        capsys,
        DATA / "qualtrics_en_numeric.csv",
        "--wave",
        "QN-2",
        "--store",
        tmp_path / "s.duckdb",
        "--mapping",
        "confiance-qualtrics-en",
    )
    assert status == 0, err
    assert "QN-2: 28 rows stored" in out


def _ingest(capsys, *args):
    """Run ingest in-process; argparse's exits become a status too."""
    try:
        status = main(["ingest", *map(str, args)])
    except SystemExit as stop:
        status = stop.code
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("given", "named"),
    [
        # every type the old --format accepted, and the extensions people type
        *((name, name) for name in FORMATS),
        ("sav", "spss"),
        ("xlsx", "excel"),
        ("SPSS", "spss"),
    ],
)
def test_format_given_a_file_type_points_at_file_format(capsys, given, named):
    status, out, err = _ingest(
        capsys, DATA / "spss_en.sav", "--wave", "S-1", "--format", given
    )
    assert status == EXIT_USAGE and out == ""
    assert err.count("\n") == 1 and err.startswith("error: "), err
    assert f"{given!r} is an input file type: use --file-format {named}" in err


def test_file_format_takes_the_type_or_its_extension(tmp_path, capsys):
    store = tmp_path / "s.duckdb"
    status, out, err = _ingest(
        capsys, DATA / "spss_en.sav", "--wave", "S-1", "--file-format", "sav",
        "--store", store, "--format", "json",
    )  # fmt: skip
    assert status == 0, err
    assert json.loads(out)["stored"] is True and err == ""
    # a type that does not fit the file is refused by the reader, not guessed
    status, _, err = _ingest(
        capsys, DATA / "spss_en.sav", "--wave", "S-2", "--file-format", "csv",
        "--store", store,
    )  # fmt: skip
    assert status == EXIT_USAGE and err.count("\n") == 1
    status, _, err = _ingest(
        capsys, DATA / "spss_en.sav", "--wave", "S-2", "--file-format", "pdf"
    )
    assert status == EXIT_USAGE and "invalid choice: 'pdf'" in err


@pytest.mark.parametrize(
    ("old", "is_json"),
    [
        ("json", True),
        ("text", False),  # text is the table people read
    ],
)
def test_output_is_a_deprecated_alias_of_format(tmp_path, capsys, old, is_json):
    status, out, err = _ingest(
        capsys, DATA / "surveymonkey_en.csv", "--wave", "SM-1", "--dry-run",
        "--store", tmp_path / "s.duckdb", "--output", old,
    )  # fmt: skip
    assert status == 0
    wanted = "json" if is_json else "table"
    assert err == f"warning: --output is deprecated; use --format {wanted}\n"
    if is_json:
        assert json.loads(out)["dry_run"] is True
    else:
        assert "dry run, 30 rows would be stored" in out
        with pytest.raises(json.JSONDecodeError):
            json.loads(out)


def test_output_and_format_that_disagree_are_an_error(capsys):
    status, out, err = _ingest(
        capsys, DATA / "spss_en.sav", "--wave", "S-1", "--output", "text",
        "--format", "json",
    )  # fmt: skip
    assert status == EXIT_USAGE and out == ""
    assert err.endswith("give --format alone\n") and err.count("error:") == 1


def test_report_formats_are_json_and_table(capsys):
    status, _, err = _ingest(
        capsys, DATA / "spss_en.sav", "--wave", "S-1", "--format", "xml"
    )
    assert status == EXIT_USAGE
    assert "invalid choice: 'xml' (choose from json, table)" in err
