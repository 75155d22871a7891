"""The banner table's Excel workbook and CSV, read back as a recipient would.

openpyxl reads every cell back: values are numbers with number formats,
bases bold, low bases grey, suppressed cells blank with a note, the header
frozen, the letters in their own row, the footnote under the table, and
labels a spreadsheet would run (``=``, ``+``, ``-``, ``@``, tab, CR,
full-width and zero-width disguises) kept as inert text.
"""

import csv
import io

import openpyxl
import pandas as pd
import pytest

from analysis.formulas import is_formula
from analysis.store.questionnaire import Answer, Question, Questionnaire
from analysis.table.banner import CELL_KEYS, banner_table
from analysis.table.banner_files import (
    COUNT,
    FIRST_ROW,
    GREY,
    PERCENT,
    to_csv_bytes,
    to_xlsx_bytes,
)
from analysis.table.banner_spec import TableSpec

HOSTILE = ["=HYPERLINK(1)", "@SUM(A1)", "\tTab", "\rCR", "＝1+1", "\u200b+cmd"]


@pytest.fixture(scope="module")
def table():
    """A wave with an ok (200), a low (20) and a suppressed (5) column."""
    question = Question(
        "q",
        "\tWould you?",
        "single",
        (
            Answer("1", HOSTILE[0]),
            Answer("2", HOSTILE[2]),
            Answer("3", HOSTILE[1]),
            Answer("4", HOSTILE[3]),
        ),
    )
    rows = []
    for seg, n in (("-ok", 200), (HOSTILE[4], 20), (HOSTILE[5], 5)):
        for i in range(n):
            rows.append({"g": seg, "q": ["1", "2", "3", "4"][i % 4]})
    frame = pd.DataFrame(rows)
    questionnaire = Questionnaire((question,), segments=("g",))
    return banner_table(frame, questionnaire, TableSpec(rows=("q",), banners=("g",)))


@pytest.fixture(scope="module")
def sheet(table):
    """The first sheet of the workbook, read back."""
    data = to_xlsx_bytes([("=Banner", table)], intervals=True)
    book = openpyxl.load_workbook(io.BytesIO(data))
    return book.worksheets[0]


def _column_of(sheet, label):
    for cell in sheet[3]:
        if cell.value == label:
            return cell.column
    raise AssertionError(f"no column {label!r}")


def _row_of(sheet, label, start=FIRST_ROW):
    for row in range(start, sheet.max_row + 1):
        if sheet.cell(row, 2).value == label:
            return row
    raise AssertionError(f"no line {label!r}")


def test_header_frozen_letters_in_their_own_row(sheet):
    assert sheet.freeze_panes == f"C{FIRST_ROW}"
    assert sheet.cell(2, 3).value == "Total"
    assert sheet.cell(2, 4).value == "g"
    assert [sheet.cell(4, c).value for c in (3, 4, 5, 6)] == [None, "(A)", "(B)", "(C)"]


def test_estimates_are_numbers_with_formats(sheet, table):
    ok = _column_of(sheet, "-ok")
    yes = _row_of(sheet, HOSTILE[0])
    cell = sheet.cell(yes, ok)
    expected = table.cells.query("column == '-ok'")["estimate"].iloc[0]
    assert isinstance(cell.value, float)
    assert cell.value == pytest.approx(expected)
    assert cell.number_format == PERCENT
    low = sheet.cell(yes + 2, ok)
    assert low.value == pytest.approx(
        table.cells.query("column == '-ok'")["ci_low"].iloc[0]
    )
    assert low.number_format == PERCENT


def test_bases_bold_low_grey_suppressed_blank_with_note(sheet):
    base = _row_of(sheet, "Base (unweighted)")
    ok, low, gone = (_column_of(sheet, v) for v in ("-ok", HOSTILE[4], HOSTILE[5]))
    assert [sheet.cell(base, c).value for c in (3, ok, low, gone)] == [225, 200, 20, 5]
    assert all(sheet.cell(base, c).font.bold for c in (3, ok, low, gone))
    assert sheet.cell(base, ok).number_format == COUNT
    assert sheet.cell(base, low).font.color.rgb == GREY
    assert sheet.cell(base + 1, 3).value == pytest.approx(225.0)  # weighted base
    yes = _row_of(sheet, HOSTILE[0])
    assert sheet.cell(yes, low).font.color.rgb == GREY
    assert isinstance(sheet.cell(yes, low).value, float)
    assert sheet.cell(yes, gone).value is None
    assert "under 10" in sheet.cell(yes, gone).comment.text


def test_footnote_under_the_table(sheet):
    texts = [sheet.cell(r, 1).value for r in range(FIRST_ROW, sheet.max_row + 1)]
    notes = [
        t for t in texts if isinstance(t, str) and t.startswith(("Bases", "Letters"))
    ]
    assert len(notes) == 2
    assert "holm" in notes[1] and "wald-z" in notes[1]


def test_hostile_labels_are_inert_text(sheet):
    seen = []
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and is_formula(cell.value):
                assert cell.data_type == "s", cell.value
                assert cell.quotePrefix, cell.value
                seen.append(cell.value)
    # answer labels arrive stripped ("\tTab" is "Tab"); a question's text not
    for label in ["=Banner", "\tWould you?", *HOSTILE[:2], *HOSTILE[4:], "-ok"]:
        assert label in seen
    assert "Tab" in {c.value for row in sheet.iter_rows() for c in row}


def test_csv_is_the_long_cells_and_inert(table):
    text = to_csv_bytes(table).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(CELL_KEYS)
    assert len(rows) == len(table.cells)
    answers = {r["answer"] for r in rows}
    assert "'" + HOSTILE[0] in answers and HOSTILE[0] not in answers
    columns = {r["column"] for r in rows}
    assert "'" + HOSTILE[4] in columns
