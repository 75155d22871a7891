"""Bad files: one clear sentence naming the file, never a traceback; store unchanged."""

from __future__ import annotations

import hashlib
import io
import random
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from analysis.cli import main
from analysis.errors import IngestError
from analysis.ingest.readers import read_survey
from analysis.store.wave_store import WaveStore

DATA = Path(__file__).parents[1] / "data" / "ingest"


def xlsx_with_formula() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["respondent_id", "share_caution"])
    book.active.append(["r1", "=1+4"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A 300 KB .xlsx that would inflate to 300 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):
                member.write(chunk)
    return buffer.getvalue()


def wide(columns: int) -> bytes:
    header = ",".join(f"c{i}" for i in range(columns))
    return (header + "\n" + ",".join("1" for _ in range(columns)) + "\n").encode()


BAD = [
    # name, content, error wording
    ("empty.csv", b"", r"empty\.csv is empty"),
    ("blank.csv", b"\r\n \n\n", r"blank\.csv is empty"),
    (
        "header.csv",
        b"respondent_id;share_caution;weight\r\n",
        r"header\.csv has a header but no data rows",
    ),
    (
        "qualtrics_header.csv",
        (DATA / "qualtrics_fr_text.csv").read_bytes().split(b"\r\n")[0] * 1
        + b"\r\n"
        + b"\r\n".join(
            (DATA / "qualtrics_fr_text.csv").read_bytes().split(b"\r\n")[1:3]
        )
        + b"\r\n",
        r"qualtrics_header\.csv has a header but no data rows",
    ),
    (
        "garbage.csv",
        random.Random(4).randbytes(4096),
        r"garbage\.csv does not look like a survey file",
    ),
    (
        "truncated.xlsx",
        (DATA / "excel_fr.xlsx").read_bytes()[:3000],
        r"truncated\.xlsx is not a valid \.xlsx file",
    ),
    (
        "notzip.xlsx",
        b"respondent_id,share_caution\nr1,5\n",
        r"notzip\.xlsx is not a valid \.xlsx file",
    ),
    (
        "ragged.csv",
        b"id,share_caution\nr1,5\nr2,4,extra\n",
        r"ragged\.csv, row 3: 3 cells where the header has 2",
    ),
    ("wide.csv", wide(10_000), r"wide\.csv has 10000 columns"),
    (
        "short.csv",
        b"id;share_caution;weight\nr1;5;1\nr2;4\n",
        r"short\.csv, row 3: 2 cells where the header has 3",
    ),
    (
        "dupes.csv",
        b"id,share_caution,share_caution\nr1,5,4\n",
        r"dupes\.csv has two columns named 'share_caution'",
    ),
    (
        "formula_header.csv",
        b'id,=HYPERLINK("http://x")\nr1,5\n',
        r"formula_header\.csv, column 2: the column name .* starts like a spreadsheet formula",
    ),
    (
        "formula.xlsx",
        xlsx_with_formula(),
        r"formula\.xlsx, cell B2: the cell holds a spreadsheet formula",
    ),
    ("fake.sav", b"not really spss\n1,2\n", r"fake\.sav is not an SPSS \.sav file"),
    (
        "broken.sav",
        b"$FL2" + random.Random(5).randbytes(300),
        r"broken\.sav is not a readable SPSS \.sav file",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_file_is_one_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message):
        read_survey(path)


def test_zip_bomb_is_refused_before_inflating(tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(zip_bomb())
    tracemalloc.start()
    try:
        with pytest.raises(IngestError, match=r"bomb\.xlsx would inflate to 300 MB"):
            read_survey(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 2**20


def test_numbers_and_phone_numbers_are_not_formulas(tmp_path):
    path = tmp_path / "signs.csv"
    path.write_bytes(b"id,score,phone,age\nr1,-3,+33 6 12 34 56 78,25-34\nr2,+4,,65+\n")
    assert read_survey(path).data.shape == (2, 4)


def test_unknown_sheet_lists_the_sheets():
    with pytest.raises(
        IngestError,
        match=r"excel_fr\.xlsx has no sheet 'Data'; its sheets are Notes, Données",
    ):
        read_survey(DATA / "excel_fr.xlsx", sheet="Data")


def test_unknown_format_lists_the_formats():
    with pytest.raises(IngestError, match=r"format 'stata' is not one of qualtrics"):
        read_survey(DATA / "csv_fr_cp1252.csv", format="stata")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "name", ["garbage.csv", "ragged.csv", "formula.xlsx", "truncated.xlsx"]
)
def test_cli_bad_file_one_line_exit_2_store_unchanged(
    tmp_path, store_location, capsys, name
):
    store = store_location
    assert (
        main(
            [
                "ingest",
                str(DATA / "csv_fr_cp1252.csv"),
                "--wave",
                "OK-1",
                "--store",
                str(store),
            ]
        )
        == 0
    )
    before = store_state(store)
    content = dict((b[0], b[1]) for b in BAD)[name]
    path = tmp_path / name
    path.write_bytes(content)
    capsys.readouterr()
    assert main(["ingest", str(path), "--wave", "BAD-1", "--store", str(store)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: {name}")
    assert "Traceback" not in err
    assert store_state(store) == before


def store_state(location: str) -> object:
    """The file's digest; a PostgreSQL store's version, waves, rows and audit."""
    store = WaveStore(location)
    if store.backend.kind == "duckdb":
        return digest(store.path)
    rows = store.load_respondents([w.name for w in store.waves()])
    return store.version, store.waves(), len(store.audit()), rows.to_csv()
