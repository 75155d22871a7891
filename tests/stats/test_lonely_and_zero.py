"""Lonely PSUs, zero weights and the table's design effect, against R survey 4.1.1.

References: ``round3_reference.json``, made by ``r/make_round3_reference.R``
(R 4.2.2, survey 4.1.1) on the package's ``apistrat`` and ``apiclus1``:
``lonely_psu`` is ``svymean`` and ``svyby(…, ~stype, svymean)`` under
``options(survey.lonely.psu = "adjust" | "average" | "certainty")`` with one
stratum holding a single PSU; ``zero_weights`` is a stratified design with
four weights set to 0; ``deff_replace`` is ``svymean(…, deff = "replace")``.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import SurveyDataError
from analysis.stats.design import SurveyDesign, design_mean
from analysis.stats.domains import domain_estimates
from analysis.table.rows import EstimateOptions, estimate_rows

REFERENCE = Path(__file__).parents[1] / "data" / "reference"
ROUND3 = json.loads((REFERENCE / "round3_reference.json").read_text())
API = pd.read_csv(REFERENCE / "apistrat.csv", dtype={"cds": str})
CLUS = pd.read_csv(REFERENCE / "apiclus1_na.csv", dtype={"cds": str})
OPEN = EstimateOptions(thresholds=(0, 0, 0))


def _lonely_design(name, rule):
    if name == "apistrat":
        strata = API["stype"].astype(str).to_numpy().copy()
        strata[0] = "Solo"
        return SurveyDesign(API["pw"].to_numpy(), strata=strata, lonely_psu=rule), API
    dnum = CLUS["dnum"].to_numpy()
    strata = np.where(dnum == 637, "Solo", np.where(dnum < 400, "Low", "High"))
    design = SurveyDesign(
        CLUS["pw"].to_numpy(), strata=strata, clusters=dnum, lonely_psu=rule
    )
    return design, CLUS


def _sch_wide(data):
    if "sch_wide_yes" in data:
        return data["sch_wide_yes"].to_numpy(dtype=float)
    return (data["sch.wide"] == "Yes").to_numpy(dtype=float)


@pytest.mark.parametrize(
    "ref", ROUND3["lonely_psu"], ids=lambda r: f"{r['design']}-{r['rule']}"
)
def test_lonely_psu_rules_match_r(ref):
    design, data = _lonely_design(ref["design"], ref["rule"])
    y = _sch_wide(data)
    whole = design_mean(design, y)
    assert whole.estimate == pytest.approx(ref["estimate"], rel=1e-9)
    assert whole.se == pytest.approx(ref["se"], rel=1e-9)
    assert design.degf == ref["degf"]
    by = ref["by_stype"]
    codes = pd.Categorical(data["stype"], categories=by["stype"]).codes
    fast = domain_estimates(design, y, codes.astype(np.intp), by["stype"])
    np.testing.assert_allclose(fast.estimate, by["estimate"], rtol=1e-9)
    np.testing.assert_allclose(fast.se, by["se"], rtol=1e-9)
    for k, stype in enumerate(by["stype"]):
        one = design_mean(design, y, domain=(data["stype"] == stype).to_numpy())
        assert one.se == pytest.approx(by["se"][k], rel=1e-9)


def test_a_lonely_stratum_is_named_by_its_own_label():
    strata = np.array(["North"] * 3 + ["Île-de-France"])
    with pytest.raises(SurveyDataError, match=r"stratum 'Île-de-France' has a single"):
        SurveyDesign(np.ones(4), strata=strata)
    with pytest.raises(SurveyDataError, match=r"stratum 7 has a single PSU"):
        SurveyDesign(np.ones(4), strata=np.array([3, 3, 3, 7]))


def test_zero_weights_stay_in_the_design_as_r_keeps_them():
    ref = ROUND3["zero_weights"]
    w = API["pw"].to_numpy().copy()
    w[np.array(ref["rows"]) - 1] = 0.0
    design = SurveyDesign(w, strata=API["stype"], fpc=API["fpc"])
    y = API["sch_wide_yes"].to_numpy(dtype=float)
    est = design_mean(design, y)
    assert est.estimate == pytest.approx(ref["estimate"], rel=1e-9)
    assert est.se == pytest.approx(ref["se"], rel=1e-9)
    assert design.degf == est.degf == ref["degf"]  # rows of weight 0 leave df
    assert est.n == est.n_rows == ref["nrow"]  # but count in n
    ci = est.ci(method="beta")
    assert (ci.low, ci.high) == pytest.approx(
        (ref["beta_low"], ref["beta_high"]), rel=1e-9
    )
    by = ref["by_stype"]
    table = estimate_rows(design, {"m": y}, {"stype": API["stype"]}, OPEN)
    seg = table[table["segment_var"] == "stype"]
    np.testing.assert_allclose(seg["estimate"], by["estimate"], rtol=1e-9)
    np.testing.assert_allclose(seg["se"], by["se"], rtol=1e-9)
    for k, stype in enumerate(by["stype"]):
        one = design_mean(design, y, domain=(API["stype"] == stype).to_numpy())
        assert one.degf == by["degf"][k]


def test_zero_weights_on_the_fast_path_leave_df_and_count_in_n():
    rng = np.random.default_rng(5)
    w = rng.lognormal(0, 0.5, 300)
    w[:30] = 0.0
    y = (rng.random(300) < 0.4).astype(float)
    seg = rng.choice(["a", "b"], 300)
    table = estimate_rows(SurveyDesign(w), {"m": y}, {"seg": seg}, OPEN)
    general = estimate_rows(
        SurveyDesign(w, strata=np.zeros(300)), {"m": y}, {"seg": seg}, OPEN
    )
    assert table["n"].tolist() == general["n"].tolist()
    assert int(table["n"].iloc[0]) == 300
    for column in ("estimate", "se", "ci_low", "ci_high", "deff"):
        np.testing.assert_allclose(table[column], general[column], rtol=1e-10)


@pytest.mark.parametrize("ref", ROUND3["deff_replace"], ids=lambda r: r["design"])
def test_table_deff_is_survey_deff_replace(ref):
    if ref["design"] == "apistrat_stratified":
        design = SurveyDesign(API["pw"].to_numpy(), strata=API["stype"], fpc=API["fpc"])
    else:
        design = SurveyDesign(API["pw"].to_numpy())
    y = API["sch_wide_yes"].to_numpy(dtype=float)
    table = estimate_rows(design, {"m": y}, {"stype": API["stype"]}, OPEN)
    assert table["deff"].iloc[0] == pytest.approx(ref["overall"], rel=1e-9)
    np.testing.assert_allclose(
        table["deff"].iloc[1:], ref["by_stype"]["deff"], rtol=1e-9
    )
