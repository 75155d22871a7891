"""Tests for analysis.stats.design and analysis.stats.domains against R survey 4.1.1."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import SurveyDataError
from analysis.stats.design import SurveyDesign, by_segment, design_mean
from analysis.stats.domains import DomainSums, domain_estimates

REFERENCE = Path(__file__).parents[1] / "data" / "reference"
SURVEY = json.loads((REFERENCE / "survey_reference.json").read_text())
API = pd.read_csv(REFERENCE / "apistrat.csv", dtype={"cds": str})


def _design(name):
    if name == "apistrat_stratified":
        return SurveyDesign(
            API["pw"].to_numpy(), strata=API["stype"].to_numpy(), fpc=API["fpc"]
        )
    return SurveyDesign(API["pw"].to_numpy())


def _cases(kind):
    """(design, variable, domain or None, reference) for every R result."""
    out = []
    for design in ("apistrat_stratified", "apistrat_weights_only"):
        for var, block in SURVEY[design][kind].items():
            rows = [(None, block["overall"]), *block["by_stype"].items()]
            for stype, ref in rows:
                if kind == "svymean":
                    out.append(pytest.param(design, var, stype, ref))
                    continue
                for method in ("logit", "mean", "beta"):
                    if method in ref:
                        args = (design, var, stype, method, ref[method])
                        out.append(pytest.param(*args))
    return out


def _estimate(design, var, stype):
    domain = None if stype is None else (API["stype"] == stype).to_numpy()
    return design_mean(_design(design), API[var].to_numpy(), domain=domain)


# R survey 4.1.1: svymean / svyby(svymean) estimates and linearised SEs.
@pytest.mark.parametrize(("design", "var", "stype", "ref"), _cases("svymean"))
def test_svymean(design, var, stype, ref):
    est = _estimate(design, var, stype)
    assert est.estimate == pytest.approx(ref["estimate"], rel=1e-6)
    assert est.se == pytest.approx(ref["se"], rel=1e-6)


# R survey 4.1.1: svyciprop(method = "logit" | "mean" | "beta"), level 0.95,
# with df = degf(design) (domains: PSUs in the domain minus strata in it).
@pytest.mark.parametrize(
    ("design", "var", "stype", "method", "ref"), _cases("svyciprop")
)
def test_svyciprop(design, var, stype, method, ref):
    est = _estimate(design, var, stype)
    ci = est.ci(0.95, method)
    assert est.degf == ref["df"]
    assert ci.low == pytest.approx(ref["low"], abs=1e-6)
    assert ci.high == pytest.approx(ref["high"], abs=1e-6)
    assert ci.method == method


@pytest.mark.parametrize("design", ["apistrat_stratified", "apistrat_weights_only"])
def test_degf(design):
    ref = SURVEY[design]["degf"]
    assert _design(design).degf == ref["overall"]
    for stype in "EHM":
        assert _estimate(design, "awards_yes", stype).degf == ref[stype]


# R survey 4.1.1: svymean(..., deff = TRUE) and Kish's effective base.
@pytest.mark.parametrize(
    ("design", "key"),
    [
        ("apistrat_weights_only", "sch_wide_yes_weights_only"),
        ("apistrat_stratified", "sch_wide_yes_stratified"),
    ],
)
def test_deff_and_kish(design, key):
    ref = SURVEY["effective_sample_size"]
    est = _estimate(design, "sch_wide_yes", None)
    assert est.deff == pytest.approx(ref[key]["deff"], rel=1e-6)
    assert est.n_eff == pytest.approx(ref["kish_ess"], rel=1e-9)
    assert est.sum_w == pytest.approx(ref["sum_w"], rel=1e-12)


def test_fpc_as_fraction_equals_population_size():
    n_h = API.groupby("stype")["stype"].transform("size").to_numpy()
    frac = SurveyDesign(API["pw"], strata=API["stype"], fpc=n_h / API["fpc"])
    y = API["awards_yes"].to_numpy()
    assert design_mean(frac, y).se == pytest.approx(
        _estimate("apistrat_stratified", "awards_yes", None).se, rel=1e-12
    )


def test_clusters_collapse_to_psu_totals():
    # Duplicating every row inside its own cluster doubles nothing but the
    # weights' spread: PSU totals, hence the SE, are those of the original.
    w = API["pw"].to_numpy()
    y = API["awards_yes"].to_numpy().astype(float)
    half = SurveyDesign(np.repeat(w / 2, 2), clusters=np.repeat(np.arange(200), 2))
    whole = SurveyDesign(w)
    assert design_mean(half, np.repeat(y, 2)).se == pytest.approx(
        design_mean(whole, y).se, rel=1e-12
    )
    assert half.degf == whole.degf == 199


def test_missing_values_leave_the_base_but_keep_the_design():
    # svymean(na.rm=TRUE): a missing row is a zero-influence row of the design,
    # i.e. the same as a domain of the answering rows.
    d = _design("apistrat_weights_only")
    y = API["awards_yes"].to_numpy().astype(float)
    hole = np.arange(200) % 7 == 0
    with_nan = design_mean(d, np.where(hole, np.nan, y))
    as_domain = design_mean(d, y, domain=~hole)
    same = ("estimate", "se", "n", "sum_w", "n_eff", "deff")
    assert [getattr(with_nan, f) for f in same] == [getattr(as_domain, f) for f in same]
    assert with_nan.n == 200 - hole.sum()
    # but R counts degrees of freedom before the missing rows leave
    assert (with_nan.degf, with_nan.n_rows) == (199, 200)
    assert (as_domain.degf, as_domain.n_rows) == (170, 171)


def test_empty_domain_gives_nan():
    est = _estimate("apistrat_weights_only", "awards_yes", "X")
    assert est.n == 0 and np.isnan(est.estimate) and np.isnan(est.se)


def test_continuous_score_intervals():
    d = _design("apistrat_stratified")
    score = API["dnum"].to_numpy() / 10.0  # any continuous column will do
    est = design_mean(d, score)
    t_ci, z_ci = est.ci(method="mean"), est.ci(method="normal")
    assert t_ci.low < z_ci.low < est.estimate < z_ci.high < t_ci.high
    with pytest.raises(SurveyDataError, match=r"method 'logit' needs a proportion"):
        est.ci(method="logit")


# ---- design validation ------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"weights": np.array([1.0, -2.0])}, r"finite and ≥ 0; found -2\.0"),
        ({"weights": np.zeros(3)}, r"weights are all 0"),
        ({"weights": np.array([1.0])}, r"2 or more rows"),
        (
            {"weights": np.ones(3), "strata": ["a", "b", "b"]},
            r"stratum 'a' has a single PSU.*--lonely-psu.*'adjust' or 'average'",
        ),
        ({"weights": np.ones(3), "strata": [1, 1]}, r"strata has shape \(2,\)"),
        (
            {"weights": np.ones(4), "strata": [1, 1, 2, 2], "fpc": [10, 10, 10, 11]},
            r"fpc must be constant within each stratum",
        ),
        ({"weights": np.ones(4), "fpc": [3, 3, 3, 3]}, r"population smaller than"),
        ({"weights": np.ones(2), "lonely_psu": "remove"}, r"lonely_psu \('remove'\)"),
    ],
)
def test_design_validation(kwargs, match):
    with pytest.raises(SurveyDataError, match=match):
        SurveyDesign(**kwargs)


def test_lonely_psu_certainty_contributes_no_variance():
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    d = SurveyDesign(
        np.ones(5), strata=["a", "b", "b", "b", "b"], lonely_psu="certainty"
    )
    z = np.zeros(5)
    z[0] = 3.0
    assert d.variance(z) == 0.0
    assert design_mean(d, y).se > 0


# ---- fast path: sums per domain ---------------------------------------------


def _random_sample(seed, n=600, groups=5):
    rng = np.random.default_rng(seed)
    w = rng.lognormal(0, 0.5, n)
    y = (rng.random(n) < 0.35).astype(float)
    y[rng.random(n) < 0.05] = np.nan
    return w, y, rng.integers(0, groups, n)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("continuous", [False, True])
def test_domain_sums_equal_general_path(seed, continuous):
    w, y, seg = _random_sample(seed)
    if continuous:
        y = y * np.random.default_rng(seed).uniform(0, 100, y.size)
    fast = DomainSums.from_arrays(seg, w, y, 5).estimates()
    design = SurveyDesign(w)
    for k in range(5):
        slow = design_mean(design, y, domain=seg == k)
        assert fast.estimate[k] == pytest.approx(slow.estimate, rel=1e-12)
        assert fast.se[k] == pytest.approx(slow.se, rel=1e-9)
        assert fast.n_eff[k] == pytest.approx(slow.n_eff, rel=1e-12)
        assert (fast.n[k], fast.degf[k]) == (slow.n, slow.degf)
    total = DomainSums.from_arrays(seg, w, y, 5).total().estimates()
    overall = design_mean(design, y)
    assert total.se[0] == pytest.approx(overall.se, rel=1e-9)


def test_domain_sums_match_r_weights_only_by_stype():
    codes = API["stype"].map({"E": 0, "H": 1, "M": 2}).to_numpy()
    sums = DomainSums.from_arrays(codes, API["pw"], API["sch_wide_yes"], 3)
    est = sums.estimates(["E", "H", "M"])
    ref = SURVEY["apistrat_weights_only"]["svymean"]["sch_wide_yes"]["by_stype"]
    assert est.se == pytest.approx([ref[s]["se"] for s in "EHM"], rel=1e-6)
    ci = est.ci(method="mean")
    r_ci = SURVEY["apistrat_weights_only"]["svyciprop"]["sch_wide_yes"]["by_stype"]
    assert ci.low == pytest.approx([r_ci[s]["mean"]["low"] for s in "EHM"], abs=1e-9)


def test_marginal_equals_direct_bincount():
    rng = np.random.default_rng(7)
    w, y, _ = _random_sample(7, n=800)
    a, b = rng.integers(0, 3, 800), rng.integers(0, 4, 800)
    joint = DomainSums.from_arrays(np.ravel_multi_index((a, b), (3, 4)), w, y, 12)
    for axis, codes, k in ((0, a, 3), (1, b, 4)):
        direct = DomainSums.from_arrays(codes, w, y, k).estimates()
        margin = joint.marginal((3, 4), axis).estimates()
        assert margin.se == pytest.approx(direct.se, rel=1e-12)
        assert margin.estimate == pytest.approx(direct.estimate, rel=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(1, 8))
def test_segment_bases_add_up_to_total(seed, groups):
    w, y, seg = _random_sample(seed, n=300, groups=groups)
    est = by_segment(SurveyDesign(w), y, seg)
    total = design_mean(SurveyDesign(w), y)
    assert est.n.sum() == total.n
    assert est.sum_w.sum() == pytest.approx(total.sum_w, rel=1e-12)
    ci = est.ci()
    ok = est.n > 0
    assert np.all((ci.low[ok] <= est.estimate[ok]) & (est.estimate[ok] <= ci.high[ok]))


def test_by_segment_same_on_both_paths():
    d_strat = SurveyDesign(API["pw"], strata=np.zeros(200))  # one stratum: general
    d_simple = SurveyDesign(API["pw"].to_numpy())
    slow = by_segment(d_strat, API["awards_yes"], API["stype"])
    fast = by_segment(d_simple, API["awards_yes"], API["stype"])
    assert list(fast.labels) == ["E", "H", "M"]
    assert fast.se == pytest.approx(slow.se, rel=1e-9)
    assert fast.degf.tolist() == slow.degf.tolist() == [99, 49, 49]


# R survey 4.1.1: svyby(~sch_wide_yes, ~stype, stratified design, svymean).
def test_by_segment_general_path_matches_r_stratified():
    ref = SURVEY["apistrat_stratified"]
    est = by_segment(
        _design("apistrat_stratified"), API["sch_wide_yes"], API["stype"].to_numpy()
    )
    by_stype = ref["svymean"]["sch_wide_yes"]["by_stype"]
    assert list(est.labels) == ["E", "H", "M"]
    assert est.estimate == pytest.approx([by_stype[s]["estimate"] for s in "EHM"])
    assert est.se == pytest.approx([by_stype[s]["se"] for s in "EHM"], rel=1e-7)
    assert est.degf.tolist() == [ref["degf"][s] for s in "EHM"]


def _clustered_sample(seed, n=500):
    rng = np.random.default_rng(seed)
    strata = rng.integers(0, 4, n)
    clusters = rng.integers(0, 15, n)  # PSU labels repeat across strata: nested
    w = rng.lognormal(0, 0.5, n)
    y = (rng.random(n) < 0.4).astype(float)
    y[rng.random(n) < 0.08] = np.nan
    fpc = np.array([40.0, 60.0, 90.0, 200.0])[strata]
    return SurveyDesign(w, strata, clusters, fpc), y


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_domain_estimates_equal_design_mean_on_each_domain(seed):
    """One vectorised pass must give what design_mean gives domain by domain."""
    design, y = _clustered_sample(seed)
    rng = np.random.default_rng(seed + 100)
    codes = rng.integers(-1, 5, design.n)  # -1 and 4: in no reported domain
    est = domain_estimates(design, y, codes, ["a", "b", "c", "d"])
    for k in range(4):
        ref = design_mean(design, y, domain=codes == k)
        assert est.estimate[k] == pytest.approx(ref.estimate, rel=1e-12)
        assert est.se[k] == pytest.approx(ref.se, rel=1e-9)
        assert est.n_eff[k] == pytest.approx(ref.n_eff, rel=1e-12)
        assert (est.n[k], est.degf[k]) == (ref.n, ref.degf)


def test_coded_and_labelled_strata_give_one_design():
    """Integer codes skip the sort; labels are sorted: same design either way."""
    design, y = _clustered_sample(8)
    names = np.array(["north", "south", "east", "west"])[design.stratum_code]
    labelled = SurveyDesign(
        design.weights, names, design.clusters, design.fpc, weighted=True
    )
    assert design_mean(labelled, y).se == pytest.approx(design_mean(design, y).se)
    gaps = SurveyDesign(design.weights, design.stratum_code * 7 + 3)
    assert gaps.degf == SurveyDesign(design.weights, names).degf


def test_unweighted_design_has_unit_weights():
    with pytest.raises(SurveyDataError, match="weighted=False"):
        SurveyDesign(np.array([1.0, 2.0]), weighted=False)


def test_domain_sums_validation():
    with pytest.raises(SurveyDataError, match=r"codes \(3\) must be below n_groups"):
        DomainSums.from_arrays([0, 3], [1.0, 1.0], [1, 0], 3)
    with pytest.raises(SurveyDataError, match="same length"):
        DomainSums.from_arrays([0, 1], [1.0], [1, 0], 3)
