"""The ten kinds of input that once crashed: one sentence each, nothing stored.

The files are made by ``scripts/make_ingest_regressions.py``; each once ended
in a traceback (or, the .sav, a segfault that killed the server).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.errors import IngestError
from analysis.ingest.from_file import prepare_file_wave
from analysis.ingest.sandbox import read_untrusted

DATA = Path(__file__).parents[1] / "data" / "ingest"
FOLDER = DATA / "regressions"
CASES = [
    # file, the sentence on stderr (after "error: <file>")
    ("cr_only_line_endings.csv", r", row 4: 7 cells where the header has 6"),
    ("bom_then_cp1252_byte.csv", r" starts with a UTF-8 mark but byte 84 \(0xe9\)"),
    ("cell_over_128kb.csv", r", line 3: a cell is longer than 131,072 characters"),
    ("number_309_digits.csv", r": 1 problem\(s\) block the import; nothing was"),
    ("numbers_5000_digits.csv", r": 1 problem\(s\) block the import; nothing was"),
    ("workbook_without_sheets.xlsx", r" has no worksheet: there is nothing to read"),
    (
        "toplines_error_cell.xlsx",
        r", column segment_value: 1 blank cell\(s\) \(rows 3\)",
    ),
    (
        "toplines_blank_segment_value.csv",
        r", column segment_value: 1 blank cell\(s\) \(rows 3\)",
    ),
    ("zip_version_unsupported.xlsx", r" is not a readable \.xlsx file: it is packed"),
    ("spss_6_bytes_segfault.sav", r" could not be read: the file reader crashed"),
]
REPORTED = {
    "number_309_digits.csv": "question share_caution: a number too large to compute",
    "numbers_5000_digits.csv": "weight is missing or not a number",
}


def test_every_regression_file_is_listed():
    assert sorted(p.name for p in FOLDER.iterdir()) == sorted(c[0] for c in CASES)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """A store holding one good wave, to show a bad file leaves it byte for byte."""
    path = tmp_path_factory.mktemp("regressions") / "store.duckdb"
    good = DATA / "csv_fr_cp1252.csv"
    assert main(["ingest", str(good), "--wave", "OK-1", "--store", str(path)]) == 0
    return path


@pytest.mark.parametrize(("name", "sentence"), CASES, ids=[c[0] for c in CASES])
def test_one_line_error_and_nothing_stored(capsys, store, name, sentence):
    before = digest(store)
    capsys.readouterr()
    status = main(
        ["ingest", str(FOLDER / name), "--wave", "BAD-1", "--store", str(store)]
    )
    out, err = capsys.readouterr()
    assert status == 2
    assert err.count("\n") == 1 and "Traceback" not in err + out
    assert err.startswith(f"error: {name}")
    assert re.match("error: " + re.escape(name) + sentence, err), err
    if name in REPORTED:
        assert REPORTED[name] in out
    assert digest(store) == before


@pytest.mark.parametrize(("name", "sentence"), CASES, ids=[c[0] for c in CASES])
def test_the_upload_route_gives_the_same_errors(codebook, name, sentence):
    """The page's route: bytes in memory, the sandbox, then validation."""
    content = (FOLDER / name).read_bytes()
    try:
        raw = read_untrusted(name, content=content)
        result = prepare_file_wave(raw, codebook, "BAD-1")
    except IngestError as exc:
        assert "\n" not in str(exc) and name in str(exc)
        return
    assert name in REPORTED and not result.ok and result.wave is None
    assert REPORTED[name] in result.report.to_text()
