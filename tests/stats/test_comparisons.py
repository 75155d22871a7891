"""Tests for analysis.stats.comparisons: segment tests, adjustment, letters, wave change."""

import numpy as np
import pytest
from scipy import stats

from analysis.errors import SurveyDataError
from analysis.stats.comparisons import (
    adjust_pvalues,
    column_letters,
    compare_segments,
    two_proportion_test,
    wave_difference,
)

# ---- multiplicity -----------------------------------------------------------


def test_holm_closed_form():
    # By hand, m = 4: sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 gives
    # 0.02, 0.03, 0.06, 0.04; running maximum 0.02, 0.03, 0.06, 0.06.
    p = [0.01, 0.04, 0.03, 0.005]
    assert adjust_pvalues(p, "holm") == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_holm_caps_at_one_and_skips_untested():
    adjusted = adjust_pvalues([0.01, np.nan, 0.04, 0.03, 0.005, np.nan], "holm")
    assert np.isnan(adjusted[[1, 5]]).all()
    assert adjusted[[0, 2, 3, 4]] == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert adjust_pvalues([0.6, 0.7], "holm").tolist() == [1.0, 1.0]


def test_bh_closed_form():
    # By hand: p·m/rank = 0.02, 0.02, 0.04, 0.04 for the sorted p-values.
    p = [0.01, 0.04, 0.03, 0.005]
    assert adjust_pvalues(p, "bh") == pytest.approx([0.02, 0.04, 0.04, 0.02])


def test_adjust_rejects_bad_input():
    with pytest.raises(SurveyDataError, match=r"method \('bonferroni'\) must be"):
        adjust_pvalues([0.1], "bonferroni")
    with pytest.raises(SurveyDataError, match="between 0 and 1"):
        adjust_pvalues([1.5])


# ---- two-proportion test ----------------------------------------------------


def test_two_proportion_test_equals_chi_square_without_correction():
    # R: prop.test(c(56, 48), c(70, 80), correct = FALSE) is the pooled z-test.
    table = np.array([[56, 14], [48, 32]])
    chi2 = stats.chi2_contingency(table, correction=False)
    test = two_proportion_test(56 / 70, 70, 48 / 80, 80)
    assert float(test.z) ** 2 == pytest.approx(chi2.statistic, rel=1e-12)
    assert float(test.p_value) == pytest.approx(chi2.pvalue, rel=1e-10)


def test_two_proportion_test_is_nan_without_variance():
    assert np.isnan(two_proportion_test(0.0, 50, 0.0, 40).p_value)


# ---- column letters ---------------------------------------------------------


def test_column_letters():
    assert column_letters(3) == ("A", "B", "C")
    assert column_letters(28)[25:] == ("Z", "AA", "AB")


def _se(est, n):
    """Binomial standard errors, as an unweighted table holds them."""
    p = np.asarray(est, float)
    return np.sqrt(p * (1 - p) / np.asarray(n, float))


def test_segment_letters_mark_significantly_higher_cells():
    est = [0.30, 0.50, 0.52, 0.70]
    res = compare_segments(est, _se(est, [400] * 4))
    assert res.letters == ("A", "B", "C", "D")
    assert res.cell_letters == ("", "A", "A", "ABC")
    assert res.family_size == 6
    assert np.allclose(res.p_value, res.p_value.T, equal_nan=True)


def test_untested_cells_leave_the_family():
    est, base = [0.30, 0.50, 0.90, 0.95], [400, 400, 20, 5]
    flags = ["ok", "ok", "low_base", "suppressed"]
    res = compare_segments(est, _se(est, base), flags)
    assert res.family_size == 1
    assert np.isnan(res.p_value[2]).all() and np.isnan(res.p_value[:, 3]).all()
    assert res.cell_letters == ("", "A", "", "")
    # With one comparison, Holm leaves the p-value as it is.
    assert res.p_adjusted[0, 1] == pytest.approx(res.p_value[0, 1])


def test_holm_can_remove_a_letter_that_raw_p_gives():
    est, base = [0.40, 0.47, 0.40, 0.40], [500, 500, 500, 500]
    raw = compare_segments(est, _se(est, base), adjust="none")
    holm = compare_segments(est, _se(est, base), adjust="holm")
    assert raw.cell_letters[1] == "ACD"
    assert holm.cell_letters[1] == ""


def test_letters_are_wald_tests_on_the_ses_and_covariance():
    est, se = [0.40, 0.46], [0.02, 0.02]
    independent = compare_segments(est, se, adjust="none")
    z = 0.06 / np.sqrt(0.02**2 + 0.02**2)
    assert independent.p_value[0, 1] == pytest.approx(2 * stats.norm.sf(z))
    # a positive covariance (segments sharing PSUs) shrinks Var(a − b)
    cov = np.array([[4e-4, 2e-4], [2e-4, 4e-4]])
    shared = compare_segments(est, se, covariance=cov, adjust="none")
    z = 0.06 / np.sqrt(0.02**2 + 0.02**2 - 2 * 2e-4)
    assert shared.p_value[0, 1] == pytest.approx(2 * stats.norm.sf(z))
    assert shared.cell_letters == ("", "A") and independent.cell_letters == ("", "A")


def test_compare_segments_validation():
    with pytest.raises(SurveyDataError, match="same length"):
        compare_segments([0.1, 0.2], [10])
    with pytest.raises(SurveyDataError, match="one row a segment"):
        compare_segments([0.1, 0.2], [0.01, 0.01], covariance=np.eye(3))


# ---- wave difference: Newcombe (1998) method 10 -----------------------------


# Newcombe RG (1998), Statistics in Medicine 17:873–890, Table II, method 10
# (score interval, no continuity correction), examples (a)–(h): p2 = x2/n2 is
# the first proportion in Newcombe's table, so diff = x2/n2 − x1/n1.
@pytest.mark.parametrize(
    ("x2", "n2", "x1", "n1", "low", "high"),
    [
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (0, 10, 0, 10, -0.2775, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0000),
        (10, 10, 0, 10, 0.6075, 1.0000),
    ],
)
def test_newcombe_table_ii(x2, n2, x1, n1, low, high):
    d = wave_difference(x1 / n1, n1, x2 / n2, n2)
    assert d.diff == pytest.approx(x2 / n2 - x1 / n1)
    assert (round(d.low, 4), round(d.high, 4)) == (low, high)
    assert d.method == "newcombe-wilson"


def test_wave_difference_tests_on_the_design_ses():
    d = wave_difference(48 / 80, 80, 56 / 70, 70)
    # without SEs: the binomial ones on the bases, unpooled (Wald)
    z = 0.2 / np.sqrt(0.6 * 0.4 / 80 + 0.8 * 0.2 / 70)
    assert d.p_value == pytest.approx(2 * stats.norm.sf(z), rel=1e-12)
    assert d.p_value < 0.05 and d.low > 0 and d.test == "wald-z"
    wide = wave_difference(0.6, 80, 0.8, 70, se1=0.08, se2=0.07)
    z = 0.2 / np.hypot(0.08, 0.07)
    assert wide.p_value == pytest.approx(2 * stats.norm.sf(z), rel=1e-12)
    assert (wide.low, wide.high) == (d.low, d.high)  # the interval reads the bases


def test_wave_difference_validation():
    with pytest.raises(SurveyDataError, match=r"n1 \(0\) must be > 0"):
        wave_difference(0.5, 0, 0.4, 10)
    with pytest.raises(SurveyDataError, match=r"level \(95\) must be between 0 and 1"):
        wave_difference(0.5, 10, 0.4, 10, level=95)
