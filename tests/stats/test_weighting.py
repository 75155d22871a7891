"""Raking, post-stratification and trimming against R survey 4.1.1 on apistrat.

Reference values: tests/data/reference/round2_reference.json (``weighting``), made
by tests/data/reference/r/make_round2_reference.R.
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import WeightingError
from analysis.stats.calibration import calibrated_mean
from analysis.stats.design import SurveyDesign, design_mean
from analysis.stats.weighting import poststratify, rake, trim_weights

REFERENCE = Path(__file__).parents[1] / "data" / "reference"
R = json.loads((REFERENCE / "round2_reference.json").read_text())["weighting"]


@pytest.fixture(scope="module")
def apistrat():
    """The apistrat rows in the order R wrote its weights."""
    data = pd.read_csv(REFERENCE / "apistrat.csv", dtype={"cds": str})
    assert list(data["cds"]) == R["cds"]
    data["awards"] = np.where(data["awards_yes"] == 1, "Yes", "No")
    return data


def _targets():
    pop = R["population"]
    return {"stype": pop["stype"], "awards": pop["awards"]}


def _raked(data, **kw):
    columns = {"stype": data["stype"], "awards": data["awards"]}
    return rake(data["pw"].to_numpy(), columns, _targets(), **kw)


def test_raked_weights_match_r_rake_to_1e8(apistrat):
    # from R survey::rake(..., control = list(epsilon = 1e-12, maxit = 100))
    result = _raked(apistrat)
    np.testing.assert_allclose(result.weights, R["raked_weights"], rtol=1e-8, atol=0)
    np.testing.assert_allclose(result.weights, R["calibrated_weights"], rtol=1e-8)
    assert result.converged and result.max_margin_gap <= 1e-12


def test_calibration_se_matches_r_calibrate_raking(apistrat):
    # from R survey::calibrate(~stype + awards, calfun = "raking"); svymean
    result = _raked(apistrat)
    design = SurveyDesign(apistrat["pw"].to_numpy())
    y = apistrat["sch_wide_yes"].to_numpy(dtype=float)
    est = calibrated_mean(design, result, y)
    assert est.estimate == pytest.approx(R["calibrate_raking"]["estimate"], rel=1e-9)
    assert est.se == pytest.approx(R["calibrate_raking"]["se"], rel=1e-6)
    # rake() reports a different SE (0.0191); ours is calibrate's (0.0188)
    assert abs(est.se - R["rake_reported"]["se"]) > 1e-4


def test_poststratify_matches_r(apistrat):
    # from R survey::postStratify(design, ~stype, population table)
    result = poststratify(
        apistrat["pw"].to_numpy(),
        {"stype": apistrat["stype"]},
        {(k,): v for k, v in R["population"]["stype"].items()},
    )
    np.testing.assert_allclose(result.weights, R["poststratify"]["weights"], rtol=1e-12)
    design = SurveyDesign(apistrat["pw"].to_numpy())
    y = apistrat["sch_wide_yes"].to_numpy(dtype=float)
    est = calibrated_mean(design, result, y)
    assert est.estimate == pytest.approx(R["poststratify"]["estimate"], rel=1e-9)
    assert est.se == pytest.approx(R["poststratify"]["se"], rel=1e-6)


@pytest.mark.parametrize("case", R["trim"], ids=lambda c: f"{c['low']}-{c['high']}")
def test_trim_step_matches_r_trimweights(apistrat, case):
    # from R survey::trimWeights(lower = a * mean(w), upper = b * mean(w), strict = TRUE)
    # (0.8, 1.2) moves every weight: R then keeps the clipped weights as they are
    w = apistrat["pw"].to_numpy()
    trimmed = trim_weights(w, case["low"] * w.mean(), case["high"] * w.mean())
    np.testing.assert_allclose(trimmed, case["weights"], rtol=1e-12)


def test_capped_raking_meets_margins_and_caps():
    rng = np.random.default_rng(7)
    n = 400
    columns = {"a": rng.choice(list("pqr"), n), "b": rng.choice(list("uv"), n)}
    targets = {"a": {"p": 500, "q": 300, "r": 200}, "b": {"u": 400, "v": 600}}
    start = rng.lognormal(0, 1.0, n)
    assert start.max() > 3 * start.mean()  # the cap binds
    result = rake(start, columns, targets, cap=(0.3, 3))
    w = result.weights
    assert w.min() >= 0.3 * w.mean() * (1 - 1e-9)
    assert w.max() <= 3 * w.mean() * (1 + 1e-9)
    for fit in result.margins:
        np.testing.assert_allclose(fit.weighted_share, fit.target_share, atol=1e-10)


def test_caps_that_cannot_hold_with_the_margins_are_an_error(apistrat):
    with pytest.raises(WeightingError, match="caps may be too tight"):
        _raked(apistrat, cap=(0.8, 1.25), max_iter=200)


def test_raking_to_a_margin_correlated_with_the_answer_narrows_the_interval(apistrat):
    design = SurveyDesign(apistrat["pw"].to_numpy())
    y = (apistrat["awards"] == "Yes").to_numpy(dtype=float)
    plain = design_mean(design, y)
    raked = calibrated_mean(design, _raked(apistrat), y)
    assert (
        raked.se < plain.se / 10
    )  # the answer is itself a margin: almost no error left


def test_diagnostics_are_consistent(apistrat):
    result = _raked(apistrat)
    w = result.weights
    assert result.n_eff == pytest.approx(w.sum() ** 2 / (w**2).sum())
    assert 0 < result.efficiency <= 1
    assert result.deff == pytest.approx(1 / result.efficiency)
    assert result.cv == pytest.approx(w.std() / w.mean())


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ({"stype": {"E": 10, "H": 5, "M": 5, "X": 3}}, "'X' has no respondent"),
        ({"stype": {"E": 10, "H": 5}}, "sample category stype='M' has no target"),
        ({"stype": {"E": 10, "H": 5, "M": 0}}, "stype='M' has no target"),
        ({"stype": {"E": 10, "H": -5, "M": 5}}, "finite count ≥ 0"),
    ],
)
def test_target_problems_are_errors_that_name_them(apistrat, targets, message):
    with pytest.raises(WeightingError, match=message):
        rake(apistrat["pw"].to_numpy(), {"stype": apistrat["stype"]}, targets)


def test_margins_of_different_totals_are_refused(apistrat):
    targets = {"stype": {"E": 10, "H": 5, "M": 5}, "awards": {"Yes": 1, "No": 1}}
    columns = {"stype": apistrat["stype"], "awards": apistrat["awards"]}
    with pytest.raises(WeightingError, match="'awards' add up to 2"):
        rake(apistrat["pw"].to_numpy(), columns, targets)


def test_non_convergence_names_the_margin():
    # two margins that cannot both hold: every "a" is also "x"
    columns = {"v1": ["a", "a", "b", "b"], "v2": ["x", "x", "y", "y"]}
    targets = {"v1": {"a": 1, "b": 3}, "v2": {"x": 3, "y": 1}}
    with pytest.raises(WeightingError, match=r"did not converge.*margin 'v"):
        rake(np.ones(4), columns, targets, max_iter=50)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from("abc"), min_size=12, max_size=60),
    st.lists(st.sampled_from("xy"), min_size=12, max_size=60),
    st.integers(0, 2**31 - 1),
)
def test_raking_to_the_samples_own_margins_leaves_weights_unchanged(v1, v2, seed):
    n = min(len(v1), len(v2))
    v1, v2 = v1[:n], v2[:n]
    w = np.random.default_rng(seed).lognormal(0, 0.5, n)
    columns = {"v1": v1, "v2": v2}
    targets = {
        name: {c: float(w[np.array(col) == c].sum()) for c in set(col)}
        for name, col in columns.items()
    }
    result = rake(w, columns, targets)
    np.testing.assert_allclose(result.weights, w, rtol=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**31 - 1), st.floats(0.2, 0.9), st.floats(1.5, 6))
def test_trimmed_weights_keep_the_total_and_hold_the_bounds(seed, low, high):
    w = np.random.default_rng(seed).lognormal(0, 1.0, 200)
    trimmed = trim_weights(w, low * w.mean(), high * w.mean())
    assert trimmed.sum() == pytest.approx(w.sum(), rel=1e-12)
    assert trimmed.min() >= low * w.mean() * (1 - 1e-12)
    assert trimmed.max() <= high * w.mean() * (1 + 1e-12)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31 - 1))
def test_raked_margins_equal_the_targets(seed):
    rng = np.random.default_rng(seed)
    n = 300
    columns = {"a": rng.choice(list("pqr"), n), "b": rng.choice(list("uv"), n)}
    targets = {"a": {"p": 500, "q": 300, "r": 200}, "b": {"u": 400, "v": 600}}
    result = rake(rng.lognormal(0, 0.7, n), columns, targets)
    for name, wanted in targets.items():
        got = pd.Series(result.weights).groupby(columns[name]).sum()
        for category, count in wanted.items():
            assert got[category] == pytest.approx(count, rel=1e-10)
