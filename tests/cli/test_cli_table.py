"""``python -m analysis table``: the contract of issue 14 point 6, end to end.

apistrat (tests/data/reference/apistrat_banner.csv, written by
tests/data/reference/r/make_banner_reference.R) is ingested with its strata,
weights and fpc, and the command's cells are checked against R's
``svyby`` estimates (tests/data/reference/banner_reference.json).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from analysis.cli import main
from analysis.table.banner import CELL_KEYS

REFERENCE = Path(__file__).parents[1] / "data" / "reference"


def run(capsys, *args):
    status = main([*map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """The apistrat data ingested as wave API: stratified by stype, weights pw, fpc."""
    store = tmp_path_factory.mktemp("api") / "s.duckdb"
    status = main(
        [
            "ingest",
            str(REFERENCE / "apistrat_banner.csv"),
            "--wave",
            "API",
            "--weight",
            "pw",
            "--strata",
            "stype",
            "--fpc",
            "fpc",
            "--segment",
            "yr_rnd",
            "comp_imp",
            "--store",
            str(store),
            "--format",
            "json",
        ]
    )
    assert status == 0
    return store


def test_json_cells_equal_svyby(api, capsys):
    status, out, err = run(
        capsys,
        "table",
        "--wave",
        "API",
        "--rows",
        "awards,sch_wide",
        "--banner",
        "yr_rnd,comp_imp",
        "--nest",
        "comp_imp:yr_rnd",
        "--store",
        api,
    )
    assert status == 0, err
    cells = json.loads(out)
    assert all(list(c) == list(CELL_KEYS) for c in cells)
    got = {(c["row"], c["banner"], c["column"], c["answer"]): c for c in cells}
    ref = json.loads((REFERENCE / "banner_reference.json").read_text())["cells"]
    checked = 0
    for r in ref:
        if r["row"] in ("awards", "sch_wide"):
            cell = got[(r["row"], r["banner"], r["column"], r["level"])]
            checked += 1
            if cell["flag"] == "suppressed":  # base under 10: shown blank
                assert cell["estimate"] is None and cell["n"] < 10
                continue
            assert cell["estimate"] == pytest.approx(r["estimate"], abs=1e-9)
    assert checked == 36  # 2 rows × (Total + 2 + 2 + 4 nested columns) × 2
    total = got[("awards", "total", "Total", "Yes")]
    assert total["letter"] is None and total["n"] == 200
    assert {c["letter"] for c in cells if c["banner"] == "yr_rnd"} == {"A", "B"}


def test_csv_is_the_same_cells_long(api, capsys):
    args = ["table", "--wave", "API", "--rows", "awards", "--banner", "yr_rnd"]
    _, out_json, _ = run(capsys, *args, "--store", api)
    status, out, _ = run(capsys, *args, "--format", "csv", "--store", api)
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    cells = json.loads(out_json)
    assert list(rows[0]) == list(CELL_KEYS) and len(rows) == len(cells) == 6
    assert float(rows[3]["estimate"]) == pytest.approx(cells[3]["estimate"])


def test_no_total_and_arrows(api, capsys):
    status, out, _ = run(
        capsys,
        "table",
        "--wave",
        "API",
        "--rows",
        "sch_wide",
        "--banner",
        "comp_imp",
        "--no-total",
        "--arrows",
        "--store",
        api,
    )
    cells = json.loads(out)
    assert status == 0 and {c["banner"] for c in cells} == {"comp_imp"}
    arrows = {(c["column"], c["answer"]): c["arrow"] for c in cells}
    # schools that improved are far likelier to meet the school-wide target
    assert arrows[("Yes", "Yes")] == "up" and arrows[("No", "Yes")] == "down"


def test_xlsx_needs_out_and_is_written(api, tmp_path, capsys):
    args = ["table", "--wave", "API", "--rows", "awards", "--banner", "yr_rnd"]
    status, out, err = run(capsys, *args, "--format", "xlsx", "--store", api)
    assert status == 2 and out == ""
    assert err == "error: --format xlsx needs --out FILE\n"
    target = tmp_path / "t.xlsx"
    status, _, err = run(
        capsys, *args, "--format", "xlsx", "--out", target, "--store", api
    )
    assert status == 0, err
    sheet = openpyxl.load_workbook(target).worksheets[0]
    assert sheet.freeze_panes == "C6"


@pytest.mark.parametrize(
    ("rows", "banner", "message"),
    [
        ("nope", "yr_rnd", "error: row 'nope': no question 'nope' in this wave"),
        ("awards", "region", "error: no segment or question 'region' in this wave"),
        ("awards:net=Maybe", "yr_rnd", "error: row 'awards:net=Maybe': "),
        ("metric:none", "yr_rnd", "error: row 'metric:none': no metric 'none'"),
    ],
)
def test_unknown_names_one_line_exit_2(api, capsys, rows, banner, message):
    status, out, err = run(
        capsys,
        "table",
        "--wave",
        "API",
        "--rows",
        rows,
        "--banner",
        banner,
        "--store",
        api,
    )
    assert status == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1


def test_saved_spec_applies_to_another_wave(demo_store_path, tmp_path, capsys):
    store = tmp_path / "demo.duckdb"
    shutil.copy(demo_store_path, store)
    status, _, err = run(
        capsys,
        "table",
        "--wave",
        "Demo-2019",
        "--rows",
        "share_caution:net=4+5",
        "--banner",
        "country",
        "--save",
        "Caution",
        "--store",
        store,
    )
    assert status == 0, err
    status, out, err = run(
        capsys, "table", "--wave", "Demo-2025", "--spec", "Caution", "--store", store
    )
    assert status == 0, err
    cells = json.loads(out)
    assert {c["row"] for c in cells} == {"share_caution:net=4+5"}
    assert {c["banner"] for c in cells} == {"total", "country"}
    status, _, err = run(
        capsys, "table", "--wave", "Demo-2025", "--spec", "Nope", "--store", store
    )
    assert status == 2 and "no table spec named 'Nope' (saved: Caution)" in err
