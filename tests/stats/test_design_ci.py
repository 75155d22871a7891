"""Design-based intervals: n* and svyciprop's degrees of freedom against R survey.

References: ``round2_reference.json`` (R 4.2.2, survey 4.1.1, made by
``r/make_round2_reference.R``): ``design_nstar`` is p̂(1 − p̂)/v̂ from ``svymean``
on ``apistrat`` (stratified, fpc) overall and on ``subset(…, stype == s)``;
``svyciprop_missing`` is ``svyciprop`` on ``subset(dclus1, cname == X)`` with
``awards`` missing on some rows, df = ``degf`` of the domain before the missing
rows leave.
"""

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.errors import SurveyDataError
from analysis.stats.design import SurveyDesign, design_mean
from analysis.stats.design_ci import degenerate, design_proportion_ci, effective_base
from analysis.stats.intervals import proportion_ci

REFERENCE = Path(__file__).parents[1] / "data" / "reference"
ROUND2 = json.loads((REFERENCE / "round2_reference.json").read_text())
API = pd.read_csv(REFERENCE / "apistrat.csv", dtype={"cds": str})
CLUS = pd.read_csv(REFERENCE / "apiclus1_na.csv", dtype={"cds": str})
COLUMN = {"sch.wide": "sch_wide_yes", "awards": "awards_yes", "both": "both"}


def _yes(values):
    if not pd.api.types.is_numeric_dtype(values):
        return np.where(values.isna(), np.nan, (values == "Yes").astype(float))
    return values.to_numpy(dtype=float)


@pytest.mark.parametrize(
    "ref",
    ROUND2["design_nstar"],
    ids=lambda r: f"{r['variable']}-{r['stype'] or 'all'}",
)
def test_design_base_matches_r(ref):
    design = SurveyDesign(API["pw"].to_numpy(), strata=API["stype"], fpc=API["fpc"])
    domain = None if ref["stype"] is None else (API["stype"] == ref["stype"]).to_numpy()
    est = design_mean(design, _yes(API[COLUMN[ref["variable"]]]), domain=domain)
    assert est.estimate == pytest.approx(ref["estimate"], rel=1e-9)
    assert est.se == pytest.approx(ref["se"], rel=1e-9)
    assert est.degf == ref["df"] and est.n == ref["n"]
    assert float(effective_base(est.estimate, est.se)) == pytest.approx(
        ref["n_star"], rel=1e-9
    )
    # the interval's base: capped at n, scaled by (t_{n−1}/t_df)² (Korn–Graubard)
    ratio = stats.t.ppf(0.975, ref["n"] - 1) / stats.t.ppf(0.975, ref["df"])
    expected = min(ref["n_star"], ref["n"]) * ratio**2
    assert est.n_star == pytest.approx(expected, rel=1e-9)


def _ciprop_cases():
    out = []
    for ref in ROUND2["svyciprop_missing"]:
        rid = f"{ref['cname']}-{ref['method']}"
        if ref["method"] == "logit" and ref["df"] == 1:
            # R's svyglm-based logit returns [0, NaN] on 1 df (its confint
            # fails); Santa Clara (2 df) checks the logit form instead
            continue
        out.append(pytest.param(ref, id=rid))
    return out


@pytest.mark.parametrize("ref", _ciprop_cases())
def test_svyciprop_counts_df_before_missing_rows_leave(ref):
    design = SurveyDesign(
        CLUS["pw"].to_numpy(), clusters=CLUS["dnum"].to_numpy(), fpc=CLUS["fpc"]
    )
    domain = (CLUS["cname"] == ref["cname"]).to_numpy()
    est = design_mean(design, _yes(CLUS["awards"]), domain=domain)
    assert est.degf == ref["df"]
    assert (est.n_rows, est.n) == (ref["n_rows"], ref["n_answered"])
    if ref["method"] != "logit":  # svyglm's estimate differs at 1e-13
        assert est.estimate == pytest.approx(ref["estimate"], rel=1e-9)
    assert est.se == pytest.approx(ref["se"], rel=1e-9, abs=1e-14)
    ci = est.ci(method=ref["method"])
    for ours, theirs in ((ci.low, ref["ci_low"]), (ci.high, ref["ci_high"])):
        if theirs == "NaN":  # df 0: R gives no interval
            assert math.isnan(ours)
        else:
            assert ours == pytest.approx(theirs, rel=1e-9)


def test_missing_rows_keep_santa_clara_on_two_df():
    # the case: dropping missing rows first left 1 df and [0.088, 1.564]
    design = SurveyDesign(
        CLUS["pw"].to_numpy(), clusters=CLUS["dnum"].to_numpy(), fpc=CLUS["fpc"]
    )
    domain = (CLUS["cname"] == "Santa Clara").to_numpy()
    est = design_mean(design, _yes(CLUS["awards"]), domain=domain)
    assert est.degf == 2
    ci = est.ci(method="mean")
    t = stats.t.ppf(0.975, 2)
    assert (ci.low, ci.high) == pytest.approx(
        (est.estimate - t * est.se, est.estimate + t * est.se)
    )


# ---- Wilson on the design-based base ---------------------------------------


def test_default_wilson_stands_on_n_star():
    p, se = 0.3, 0.025
    n_star = p * (1 - p) / se**2  # 336
    low, high = design_proportion_ci(p, se, n_eff=900.0, df=999, nrow=1000)
    assert (float(low), float(high)) == pytest.approx(proportion_ci(p * n_star, n_star))
    kish = design_proportion_ci(
        p, se, n_eff=900.0, df=999, nrow=1000, method="wilson-kish"
    )
    assert (float(kish[0]), float(kish[1])) == pytest.approx(
        proportion_ci(p * 900, 900)
    )


def test_n_star_is_capped_at_n():
    low, high = design_proportion_ci(0.5, 0.01, n_eff=150.0, df=199, nrow=200)
    assert (float(low), float(high)) == pytest.approx(proportion_ci(100.0, 200.0))


def test_few_psus_scale_n_star_as_korn_graubard():
    # 15 PSUs, 14 df, 300 rows: n* × (t_299 / t_14)², t from scipy.stats
    p, se = 0.2, 0.03
    ratio = stats.t.ppf(0.975, 299) / stats.t.ppf(0.975, 14)
    expected = p * (1 - p) / se**2 * ratio**2
    got = effective_base(p, se, n=300, nrow=300, df=14)
    assert float(got) == pytest.approx(expected, rel=1e-12)
    assert float(effective_base(p, se, n=300, nrow=300, df=299)) == pytest.approx(
        p * (1 - p) / se**2
    )


@pytest.mark.parametrize(
    ("p", "se", "df"),
    [(0.0, 0.0, 99), (1.0, 0.0, 99), (0.4, 0.0, 0), (0.4, 1e-17, 0), (0.4, 0.05, 0)],
)
def test_without_a_variance_wilson_falls_back_on_kish(p, se, df):
    assert bool(degenerate(p, se, df))
    assert np.isnan(effective_base(p, se, n=100, nrow=100, df=df))
    low, high = design_proportion_ci(p, se, n_eff=80.0, df=df, nrow=100)
    assert (float(low), float(high)) == pytest.approx(proportion_ci(p * 80, 80.0))


def test_a_real_variance_is_not_degenerate():
    assert not degenerate(0.4, 0.05, 10).any()


def test_design_ci_logit_is_asymmetric_and_mean_symmetric():
    kw = {"n_eff": 100, "df": 99, "nrow": 100}
    lo, hi = design_proportion_ci(0.91, 0.0284, method="logit", **kw)
    assert 0.91 - lo > hi - 0.91
    lo, hi = design_proportion_ci(0.91, 0.0284, method="mean", **kw)
    assert 0.91 - lo == pytest.approx(hi - 0.91)


@pytest.mark.parametrize("method", ["logit", "beta"])
def test_design_ci_point_at_zero_se(method):
    lo, hi = design_proportion_ci(
        [0.0, 1.0], [0.0, 0.0], n_eff=50, df=49, nrow=50, method=method
    )
    assert lo.tolist() == [0.0, 1.0] and hi.tolist() == [0.0, 1.0]


def test_design_ci_rejects_unknown_method():
    with pytest.raises(SurveyDataError, match=r"method \('exact'\) must be one of"):
        design_proportion_ci(0.5, 0.1, n_eff=10, df=9, nrow=10, method="exact")
