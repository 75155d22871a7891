import json
import subprocess
import sys

import pytest


def _run(*args):
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_the_commands():
    result = _run("--help")
    assert result.returncode == 0
    for command in ("demo", "waves"):
        assert command in result.stdout


def test_waves_json_lists_demo_waves(demo_store_path):
    result = _run("waves", "--store", str(demo_store_path), "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    by_name = {r["name"]: r for r in rows}
    assert set(by_name) == {
        "RSA-2019",
        "Segment-2017",
        "Demo-2017",
        "Demo-2019",
        "Demo-2025",
    }
    assert by_name["Demo-2019"]["kind"] == "respondents"
    assert by_name["Demo-2019"]["rows"] >= 4000
    assert by_name["Demo-2019"]["countries"] == ["FR", "DE", "GB", "US"]
    assert by_name["Demo-2019"]["synthetic"] is True
    assert by_name["RSA-2019"]["kind"] == "toplines"
    assert {"imported_at"} <= set(by_name["RSA-2019"])


def test_waves_table_marks_synthetic_data(demo_store_path):
    result = _run("waves", "--store", str(demo_store_path))
    assert result.returncode == 0
    assert "Demo-2025" in result.stdout and "(synthetic)" in result.stdout


def test_demo_if_missing_keeps_an_existing_store(demo_store_path):
    result = _run("demo", "--store", str(demo_store_path), "--if-missing")
    assert result.returncode == 0 and "not rebuilt" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("waves", "--format", "xml"), "invalid choice"),
        (("nosuchcommand",), "invalid choice"),
        (("waves", "--store", "__NOT_A_DB__"), "cannot open the store"),
    ],
)
def test_errors_are_one_line_exit_2(tmp_path, args, message):
    if "__NOT_A_DB__" in args:
        bad = tmp_path / "garbage.duckdb"
        bad.write_bytes(b"this is not a database" * 100)
        args = tuple(str(bad) if a == "__NOT_A_DB__" else a for a in args)
    result = _run(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr
