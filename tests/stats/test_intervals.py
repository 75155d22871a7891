"""Tests for analysis.stats.intervals: proportion intervals, Kish bases, flags."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import SurveyDataError
from analysis.stats.intervals import base_flag, kish_n_eff, proportion_ci

REFERENCE = Path(__file__).parents[1] / "data" / "reference"
METHODS = ["wilson", "clopper-pearson", "jeffreys", "agresti-coull"]


def _ci_cases():
    cases = json.loads((REFERENCE / "ci_unweighted.json").read_text())
    return [
        pytest.param(c, id=f"{c['method']}-{c['x']}/{c['n']}-{c['level']}")
        for c in cases
    ]


# R 4.2.2 prop.test(correct=FALSE) / binom.test, and the closed forms for
# Jeffreys and Agresti–Coull documented in tests/data/reference/README.md.
@pytest.mark.parametrize("case", _ci_cases())
def test_proportion_ci_matches_r(case):
    method = case["method"].replace("_", "-")
    low, high = proportion_ci(case["x"], case["n"], method=method, level=case["level"])
    assert low == pytest.approx(case["low"], abs=1e-9)
    assert high == pytest.approx(case["high"], abs=1e-9)


def test_reference_table_is_complete():
    assert len(_ci_cases()) == 528


@pytest.mark.parametrize("method", METHODS)
def test_vectorised_equals_scalar(method):
    x = np.array([0, 3, 7, 10, 2.5])
    n = np.array([10, 10, 10, 10, 6.2])
    low, high = proportion_ci(x, n, method=method)
    for k in range(x.size):
        lo, hi = proportion_ci(float(x[k]), float(n[k]), method=method)
        assert (low[k], high[k]) == pytest.approx((lo, hi), abs=1e-14)


def test_scalar_inputs_give_floats_and_arrays_give_arrays():
    assert isinstance(proportion_ci(3, 10)[0], float)
    assert isinstance(proportion_ci(np.array([3]), 10)[0], np.ndarray)


def test_zero_base_gives_nan_not_crash():
    low, high = proportion_ci(np.array([0, 1]), np.array([0, 4]))
    assert np.isnan(low[0]) and np.isnan(high[0])
    assert 0 < low[1] < high[1] < 1


# Validation at the boundary: the message echoes the value and what is allowed.
@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"level": 1.5}, r"level \(1\.5\) must be between 0 and 1"),
        ({"level": 0}, r"level \(0\) must be between 0 and 1"),
        ({"method": "wald"}, r"method \('wald'\) must be one of 'wilson'"),
    ],
)
def test_invalid_options(kwargs, match):
    with pytest.raises(SurveyDataError, match=match):
        proportion_ci(3, 10, **kwargs)


@pytest.mark.parametrize(
    ("x", "n", "match"),
    [
        (11, 10, r"successes \(11\.0\) must be between 0 and n \(10\.0\)"),
        (-1, 10, r"successes \(-1\.0\) must be between 0 and n"),
        (0, -5, r"n \(-5\.0\) must be 0 or more"),
        ("a", 10, r"successes \('a'\) must be numeric"),
    ],
)
def test_invalid_counts(x, n, match):
    with pytest.raises(SurveyDataError, match=match):
        proportion_ci(x, n)


# ---- properties -------------------------------------------------------------

counts = st.integers(min_value=1, max_value=5000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)
levels = st.floats(min_value=0.5, max_value=0.999)


@settings(max_examples=200, deadline=None)
@given(counts, levels, st.sampled_from(METHODS))
def test_bounds_in_unit_interval_and_contain_estimate(xn, level, method):
    x, n = xn
    low, high = proportion_ci(x, n, method=method, level=level)
    assert 0 <= low <= x / n <= high <= 1


@settings(max_examples=200, deadline=None)
@given(counts, st.sampled_from(METHODS))
def test_wider_at_higher_level(xn, method):
    x, n = xn
    lo90, hi90 = proportion_ci(x, n, method=method, level=0.90)
    lo99, hi99 = proportion_ci(x, n, method=method, level=0.99)
    assert lo99 <= lo90 + 1e-12 and hi90 <= hi99 + 1e-12
    assert hi99 - lo99 > hi90 - lo90


@settings(max_examples=200, deadline=None)
@given(counts, levels, st.sampled_from(METHODS))
def test_symmetric_under_swap(xn, level, method):
    x, n = xn
    low, high = proportion_ci(x, n, method=method, level=level)
    low_s, high_s = proportion_ci(n - x, n, method=method, level=level)
    assert low == pytest.approx(1 - high_s, abs=1e-9)
    assert high == pytest.approx(1 - low_s, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    st.floats(min_value=0.01, max_value=0.99),
    st.integers(min_value=10, max_value=2000),
    st.sampled_from(METHODS),
)
def test_narrower_as_n_grows(p, n, method):
    lo1, hi1 = proportion_ci(p * n, n, method=method)
    lo4, hi4 = proportion_ci(p * 4 * n, 4 * n, method=method)
    assert hi4 - lo4 < hi1 - lo1


# ---- Kish and base flags ----------------------------------------------------


def test_kish_matches_r_survey():
    # R survey 4.1.1 reference: (Σpw)²/Σpw² on apistrat.
    import pandas as pd

    pw = pd.read_csv(REFERENCE / "apistrat.csv")["pw"].to_numpy()
    assert kish_n_eff(pw) == pytest.approx(168.581331280756, rel=1e-12)
    assert kish_n_eff([]) == 0.0


@pytest.mark.parametrize(
    ("n", "flag"),
    [
        (1000, "ok"),
        (100, "ok"),
        (99.9, "small_base"),
        (30, "small_base"),
        (29, "low_base"),
        (10, "low_base"),
        (9, "suppressed"),
        (0, "suppressed"),
        (float("nan"), "suppressed"),
    ],
)
def test_base_flag_thresholds(n, flag):
    assert base_flag(n) == flag


def test_base_flag_vectorised_and_configurable():
    flags = base_flag(np.array([[250, 60], [40, 8]]), thresholds=(50, 20, 5))
    assert flags.tolist() == [["ok", "ok"], ["small_base", "low_base"]]


def test_base_flag_rejects_increasing_thresholds():
    with pytest.raises(SurveyDataError, match=r"thresholds \(\(10, 30, 100\)\)"):
        base_flag(50, thresholds=(10, 30, 100))
