"""Banner cells against R survey on apistrat (stratified by stype, with fpc).

The reference (``tests/data/reference/banner_reference.json``, made by
``tests/data/reference/r/make_banner_reference.R``) holds ``svymean`` for the
Total and ``svyby(~row, ~banner, design, svymean)`` for each banner — single
banners and the nested ``comp.imp + yr.rnd`` — with categorical rows
(``awards``, ``sch.wide``, ``stype``) and a numeric row's mean (``api00``),
and for arrows ``svyby(…, covmat = TRUE)`` + ``svycontrast`` of each school
type against the rest of the sample.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.store.questionnaire import Answer, Design, Question, Questionnaire
from analysis.table.banner import banner_table
from analysis.table.banner_arrows import _against_rest
from analysis.table.banner_spec import TableSpec
from analysis.table.questions import design_columns
from analysis.table.rows import EstimateOptions

REFERENCE = Path(__file__).parents[1] / "data" / "reference"
NO_FLAGS = EstimateOptions(thresholds=(0, 0, 0))


def _single(qid, levels):
    return Question(qid, qid, "single", tuple(Answer(v, v) for v in levels))


@pytest.fixture(scope="module")
def apistrat():
    """The apistrat data as a stored wave: its questions, segments and stratified design."""
    data = pd.read_csv(REFERENCE / "apistrat_banner.csv", dtype={"cds": str})
    questionnaire = Questionnaire(
        (
            _single("awards", ["No", "Yes"]),
            _single("sch_wide", ["No", "Yes"]),
            _single("stype", ["E", "H", "M"]),
            Question("api00", "API 2000", "numeric", ()),
        ),
        segments=("yr_rnd", "comp_imp"),
        design=Design(weight="pw", strata="stype", fpc="fpc"),
    )
    return data, questionnaire


@pytest.fixture(scope="module")
def reference():
    """R's cells and arrows."""
    return json.loads((REFERENCE / "banner_reference.json").read_text())


def test_cells_equal_svyby_to_1e9(apistrat, reference):
    data, questionnaire = apistrat
    spec = TableSpec(
        rows=("awards", "sch_wide", "stype", "api00"),
        banners=("yr_rnd", "comp_imp"),
        nest=(("comp_imp", "yr_rnd"),),
    )
    table = banner_table(data, questionnaire, spec, options=NO_FLAGS, wave="api")
    cells = table.cells.set_index(["row", "banner", "column", "answer"])
    checked = 0
    for ref in reference["cells"]:
        key = (ref["row"], ref["banner"], ref["column"], ref["level"])
        got = cells.loc[key]
        assert got["estimate"] == pytest.approx(ref["estimate"], abs=1e-9), key
        if ref["se"] == 0:
            # stype rows within stype strata: R's exact 0; the linearised
            # variance rounds to ~1e-18, whose square root is ~1e-9
            assert got["se"] ** 2 < 1e-15, key
        else:
            assert got["se"] == pytest.approx(ref["se"], abs=1e-9), key
        checked += 1
    assert checked == len(reference["cells"]) == 66


def test_arrow_tests_equal_svycontrast(apistrat, reference):
    data, questionnaire = apistrat
    design = design_columns(questionnaire).design(data)
    yes = np.where(data["awards"] == "Yes", 1.0, 0.0)
    for ref in reference["arrows"]:
        inside = (data["stype"] == ref["column"]).to_numpy()
        tested, diff, p = _against_rest(design, {"y": yes}, inside, NO_FLAGS, None)["y"]
        assert tested
        assert diff == pytest.approx(ref["diff"], abs=1e-9)
        assert p == pytest.approx(ref["p_value"], rel=1e-6)
