"""Joint covariance of domains, Wald tests and Rao–Scott, against R survey 4.1.1.

References: ``round2_reference.json`` (``r/make_round2_reference.R``):
``contrasts`` is ``svyby(~I(sch.wide == "Yes"), ~stype, design, svymean,
covmat = TRUE)`` + ``svycontrast`` for each pair of school types; ``svychisq``
is ``svychisq(~a + b, design, statistic = "F")``.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.errors import SurveyDataError
from analysis.stats.contrasts import domain_covariance, wald_test
from analysis.stats.design import SurveyDesign
from analysis.stats.domains import domain_estimates
from analysis.stats.raoscott import rao_scott, segment_test, simple_cell_covariance

REFERENCE = Path(__file__).parents[1] / "data" / "reference"
ROUND2 = json.loads((REFERENCE / "round2_reference.json").read_text())
API = pd.read_csv(REFERENCE / "apistrat.csv", dtype={"cds": str})
CLUS = pd.read_csv(REFERENCE / "apiclus1_na.csv", dtype={"cds": str})


def _design(name):
    if name == "apistrat":
        return SurveyDesign(API["pw"].to_numpy(), strata=API["stype"], fpc=API["fpc"])
    return SurveyDesign(
        CLUS["pw"].to_numpy(), clusters=CLUS["dnum"].to_numpy(), fpc=CLUS["fpc"]
    )


def _data(name):
    return API if name == "apistrat" else CLUS


def _yes(data, column):
    if column == "sch.wide" and "sch_wide_yes" in data:
        return data["sch_wide_yes"].to_numpy(dtype=float)
    if column == "awards" and "awards_yes" in data:
        return data["awards_yes"].to_numpy(dtype=float)
    values = data[column]
    return np.where(values.isna(), np.nan, (values == "Yes").astype(float))


@pytest.mark.parametrize(
    "ref", ROUND2["contrasts"], ids=lambda r: f"{r['design']}-{r['a']}{r['b']}"
)
def test_domain_covariance_and_contrast_match_r(ref):
    data = _data(ref["design"])
    codes = pd.Categorical(data["stype"], categories=list("EHM")).codes
    res = domain_covariance(
        _design(ref["design"]), _yes(data, "sch.wide"), codes, "EHM"
    )
    a, b = "EHM".index(ref["a"]), "EHM".index(ref["b"])
    assert res.estimate[a] == pytest.approx(ref["estimate_a"], rel=1e-9)
    assert np.sqrt(res.covariance[a, a]) == pytest.approx(ref["se_a"], rel=1e-9)
    assert np.sqrt(res.covariance[b, b]) == pytest.approx(ref["se_b"], rel=1e-9)
    assert res.covariance[a, b] == pytest.approx(ref["cov_ab"], rel=1e-9, abs=1e-15)
    test = res.difference(a, b)
    assert float(test.diff) == pytest.approx(ref["diff"], rel=1e-9)
    assert float(test.se) == pytest.approx(ref["se_diff"], rel=1e-9)
    z = ref["diff"] / ref["se_diff"]
    assert float(test.p_value) == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)


def test_covariance_diagonal_is_the_domain_variance():
    design = _design("apiclus1")
    y = _yes(CLUS, "awards")  # with missing answers
    codes = pd.factorize(CLUS["stype"], sort=True)[0]
    joint = domain_covariance(design, y, codes, "EHM")
    alone = domain_estimates(design, y, codes.astype(np.intp), list("EHM"))
    np.testing.assert_allclose(np.sqrt(np.diag(joint.covariance)), alone.se, rtol=1e-12)


def test_disjoint_domains_of_a_weights_only_design_do_not_covary():
    rng = np.random.default_rng(4)
    design = SurveyDesign(rng.lognormal(0, 0.7, 500))
    y = (rng.random(500) < 0.4).astype(float)
    y[rng.random(500) < 0.1] = np.nan
    cov = domain_covariance(design, y, rng.integers(0, 4, 500), "abcd").covariance
    off = cov[~np.eye(4, dtype=bool)]
    assert np.abs(off).max() < 1e-15 * np.abs(np.diag(cov)).max()


def test_wald_test_closed_form():
    res = wald_test(0.5, 0.4, 0.03**2, 0.04**2, 0.0002)
    se = np.sqrt(0.03**2 + 0.04**2 - 2 * 0.0002)
    assert float(res.se) == pytest.approx(se)
    assert float(res.p_value) == pytest.approx(2 * stats.norm.sf(0.1 / se))
    assert np.isnan(wald_test(0.5, 0.5, 0.0, 0.0).p_value)


# ---- Rao–Scott ---------------------------------------------------------------


CHISQ = {
    "apistrat sch.wide x stype": ("apistrat", "sch.wide"),
    "apistrat awards x stype": ("apistrat", "awards"),
    "apiclus1 sch.wide x stype": ("apiclus1", "sch.wide"),
}


@pytest.mark.parametrize("ref", ROUND2["svychisq"], ids=lambda r: r["case"])
def test_segment_test_is_svychisq_f(ref):
    name, column = CHISQ[ref["case"]]
    data = _data(name)
    res = segment_test(_design(name), _yes(data, column), data["stype"].to_numpy())
    assert res.statistic == pytest.approx(ref["F"], rel=1e-6)
    assert res.ndf == pytest.approx(ref["ndf"], rel=1e-6)
    assert res.ddf == pytest.approx(ref["ddf"], rel=1e-6)
    assert res.p_value == pytest.approx(ref["p_value"], rel=1e-6)


def test_simple_route_equals_the_psu_route():
    rng = np.random.default_rng(8)
    w = rng.lognormal(0, 0.6, 800)
    y = (rng.random(800) < 0.35).astype(float)
    seg = rng.choice(list("abc"), 800)
    simple = segment_test(SurveyDesign(w), y, seg)
    # one stratum named: the same design, taken through PSU totals
    general = segment_test(SurveyDesign(w, strata=np.zeros(800)), y, seg)
    assert simple.statistic == pytest.approx(general.statistic, rel=1e-10)
    assert simple.p_value == pytest.approx(general.p_value, rel=1e-10)


def test_unweighted_rao_scott_is_close_to_pearson():
    # equal weights: Δ ≈ I·n/(n − 1), so F·(r − 1)(c − 1) ≈ Pearson's X²
    rng = np.random.default_rng(2)
    y = (rng.random(3000) < 0.4).astype(float)
    seg = rng.choice(list("abcd"), 3000)
    res = segment_test(SurveyDesign(np.ones(3000)), y, seg)
    table = pd.crosstab(y, seg).to_numpy()
    pearson = stats.chi2_contingency(table, correction=False).statistic
    assert res.chisq == pytest.approx(pearson, rel=1e-9)
    assert res.statistic * 3 == pytest.approx(pearson, rel=1e-3)
    assert res.ndf == pytest.approx(3.0, rel=1e-2)


def test_rao_scott_is_vectorised_over_tables():
    w = np.array([[10.0, 20.0, 15.0, 25.0], [12.0, 18.0, 20.0, 10.0]])
    s = w * 1.5
    pi, cov = simple_cell_covariance(w, s, 300)
    both = rao_scott(pi.reshape(2, 2, 2).swapaxes(-1, -2), cov, 300, 299)
    one = rao_scott(pi[1].reshape(2, 2).T, cov[1], 300, 299)
    assert both.statistic[1] == pytest.approx(float(one.statistic))
    assert both.p_value[1] == pytest.approx(float(one.p_value))


def test_segment_test_refuses_scores():
    with pytest.raises(SurveyDataError, match="0/1 answers"):
        segment_test(SurveyDesign(np.ones(4)), [1, 2, 3, 4], list("aabb"))
