"""Comparisons: between segments of one chart, and between waves.

Tests are Wald tests on design-based variances (:func:`analysis.stats.contrasts.
wald_test`): a difference over the standard error the design gives it, with
the covariance of two segments sharing the design's PSUs, so weights that
correlate with the answer cost power honestly. Between segments, every pair of
testable cells is one comparison of the chart's family, and p-values are
adjusted across that family (Holm by default). Cells flagged ``low_base``,
``suppressed`` or ``degenerate`` are never tested: their p-values are NaN, they
get no letters and they do not count in the family size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import special as _spec

from analysis.errors import SurveyDataError
from analysis.methods import ADJUST_METHODS, AdjustMethod
from analysis.stats.contrasts import wald_test
from analysis.stats.intervals import (
    FloatArray,
    check_level,
    check_method,
    proportion_ci,
)

UNTESTED_FLAGS = frozenset({"low_base", "suppressed", "degenerate"})


@dataclass(frozen=True)
class ProportionTest:
    """Two-proportion z-test: ``diff`` = p1 − p2, ``z`` and two-sided ``p_value``."""

    diff: FloatArray
    z: FloatArray
    p_value: FloatArray


def two_proportion_test(
    p1: npt.ArrayLike, n1: npt.ArrayLike, p2: npt.ArrayLike, n2: npt.ArrayLike
) -> ProportionTest:
    """Pooled two-proportion z-test for two independent binomial samples.

    z = (p1 − p2) / √(p̄(1 − p̄)(1/n1 + 1/n2)), with p̄ = (n1·p1 + n2·p2)/(n1 + n2).
    For counts; weighted shares are compared with
    :func:`analysis.stats.contrasts.wald_test` on their design variances.

    Parameters
    ----------
    p1, p2 : array
        Proportions.
    n1, n2 : array
        Bases, > 0.

    Returns
    -------
    ProportionTest
        NaN where a base is 0 or both proportions are 0 (or both 1).

    Examples
    --------
    >>> round(float(two_proportion_test(0.8, 70, 0.6, 80).p_value), 4)
    0.008

    References
    ----------
    A. Agresti (2013), *Categorical Data Analysis*, 3rd ed., §3.1.
    """
    a1, b1, a2, b2 = (np.asarray(v, dtype=np.float64) for v in (p1, n1, p2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (b1 * a1 + b2 * a2) / (b1 + b2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / b1 + 1 / b2))
        z = (a1 - a2) / se
    z = np.where(se > 0, z, np.nan)
    return ProportionTest(a1 - a2, z, 2 * _spec.ndtr(-np.abs(z)))


def adjust_pvalues(p: npt.ArrayLike, method: AdjustMethod = "holm") -> FloatArray:
    """Adjust a family of p-values; NaN entries are left out of the family.

    Parameters
    ----------
    p : array
        Raw p-values; NaN marks a comparison that was not made.
    method : {"holm", "bh", "none"}
        Holm's step-down (controls the family-wise error rate) or
        Benjamini–Hochberg (controls the false discovery rate).

    Returns
    -------
    array
        Adjusted p-values, same shape, NaN where ``p`` is NaN.

    Examples
    --------
    >>> adjust_pvalues([0.01, 0.04, 0.03]).tolist()
    [0.03, 0.06, 0.06]

    References
    ----------
    S. Holm (1979), Scandinavian Journal of Statistics 6:65–70. Y. Benjamini and
    Y. Hochberg (1995), JRSS B 57:289–300.
    """
    check_method(method, ADJUST_METHODS)
    raw = np.asarray(p, dtype=np.float64)
    out = np.full(raw.shape, np.nan)
    tested = ~np.isnan(raw)
    values = raw[tested]
    if np.any((values < 0) | (values > 1)):
        raise SurveyDataError("p-values must be between 0 and 1 (NaN if untested)")
    if values.size == 0 or method == "none":
        out[tested] = values
    elif method == "holm":
        out[tested] = _holm(values)
    else:
        from scipy.stats import false_discovery_control  # slow import: only here

        out[tested] = false_discovery_control(values, method="bh")
    return out


def _holm(p: FloatArray) -> FloatArray:
    m = p.size
    order = np.argsort(p, kind="stable")
    stepped = np.minimum(1.0, (m - np.arange(m)) * p[order])
    adjusted = np.empty(m)
    adjusted[order] = np.maximum.accumulate(stepped)
    return adjusted


def column_letters(k: int) -> tuple[str, ...]:
    """Letters for ``k`` segments: A … Z, then AA, AB, …."""
    letters = []
    for i in range(k):
        name = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            name = chr(ord("A") + r) + name
        letters.append(name)
    return tuple(letters)


@dataclass(frozen=True, eq=False)
class SegmentComparison:
    """Pairwise comparisons between the segments of one chart.

    ``p_value[i, j]`` and ``p_adjusted[i, j]`` compare segment i with j (NaN if
    untested); ``above[i, j]`` is True when i is significantly above j after
    adjustment. ``cell_letters[i]`` lists the letters of the segments that
    segment i is significantly above (market-research column letters).
    """

    letters: tuple[str, ...]
    p_value: FloatArray
    p_adjusted: FloatArray
    above: npt.NDArray[np.bool_]
    cell_letters: tuple[str, ...]
    family_size: int
    adjust: str
    alpha: float


def compare_segments(
    estimate: npt.ArrayLike,
    se: npt.ArrayLike,
    flag: npt.ArrayLike | None = None,
    *,
    covariance: npt.ArrayLike | None = None,
    adjust: AdjustMethod = "holm",
    alpha: float = 0.05,
) -> SegmentComparison:
    """Test every pair of segments and give market-research column letters.

    Parameters
    ----------
    estimate : array
        Estimate per segment (one chart's bars).
    se : array
        Design-based (linearised) standard error per segment.
    flag : array of str, optional
        Flag per segment (see :func:`analysis.stats.base_flag`); ``low_base``,
        ``suppressed`` and ``degenerate`` segments are not tested.
    covariance : array (k × k), optional
        Covariance of the segments' estimates
        (:func:`analysis.stats.contrasts.domain_covariance`); only its
        off-diagonal is read. Default 0: exact when every row is its own PSU
        and there are no strata.
    adjust : {"holm", "bh", "none"}
        Adjustment across the family of tested pairs.
    alpha : float
        Significance level after adjustment.

    Returns
    -------
    SegmentComparison

    Examples
    --------
    >>> res = compare_segments([0.30, 0.50, 0.52], [0.023, 0.025, 0.025])
    >>> res.cell_letters
    ('', 'A', 'A')
    """
    check_level(alpha)
    p = np.asarray(estimate, dtype=np.float64)
    s = np.asarray(se, dtype=np.float64)
    if p.ndim != 1 or s.shape != p.shape:
        raise SurveyDataError(
            f"estimate {p.shape} and se {s.shape} must be 1-D, same length"
        )
    cov = np.zeros((p.size, p.size))
    if covariance is not None:
        cov = np.nan_to_num(np.asarray(covariance, dtype=np.float64))
        if cov.shape != (p.size, p.size):
            raise SurveyDataError(
                f"covariance {cov.shape} must be ({p.size}, {p.size}): "
                "one row a segment"
            )
    flags = np.full(p.shape, "ok") if flag is None else np.asarray(flag, dtype=str)
    testable = ~np.isin(flags, list(UNTESTED_FLAGS)) & np.isfinite(p) & (s > 0)
    i, j = np.triu_indices(p.size, k=1)
    pair_ok = testable[i] & testable[j]
    test = wald_test(p[i], p[j], s[i] ** 2, s[j] ** 2, cov[i, j])
    raw = np.where(pair_ok, test.p_value, np.nan)
    adjusted = adjust_pvalues(raw, adjust)
    p_value, p_adjusted = (
        _symmetric(raw, i, j, p.size),
        _symmetric(adjusted, i, j, p.size),
    )
    diff = p[:, None] - p[None, :]
    with np.errstate(invalid="ignore"):
        above = (p_adjusted < alpha) & (diff > 0)
    letters = column_letters(p.size)
    cells = tuple("".join(letters[k] for k in np.flatnonzero(row)) for row in above)
    return SegmentComparison(
        letters=letters,
        p_value=p_value,
        p_adjusted=p_adjusted,
        above=above,
        cell_letters=cells,
        family_size=int(np.sum(~np.isnan(raw))),
        adjust=adjust,
        alpha=alpha,
    )


def _symmetric(values: FloatArray, i: Any, j: Any, k: int) -> FloatArray:
    out = np.full((k, k), np.nan)
    out[i, j] = values
    out[j, i] = values
    return out


@dataclass(frozen=True)
class WaveDifference:
    """Change p2 − p1 between two waves, its interval and its two-sided test."""

    diff: float
    low: float
    high: float
    p_value: float
    level: float
    method: str = "newcombe-wilson"
    test: str = "wald-z"


def wave_difference(
    p1: float,
    n1: float,
    p2: float,
    n2: float,
    *,
    level: float = 0.95,
    se1: float | None = None,
    se2: float | None = None,
) -> WaveDifference:
    """Difference between two independent proportions with a Newcombe interval.

    Parameters
    ----------
    p1, n1 : float
        Earlier wave: proportion and effective base (the design-based n*).
    p2, n2 : float
        Later wave: proportion and effective base.
    level : float
        Confidence level of the interval.
    se1, se2 : float, optional
        The waves' design-based standard errors, for the test (default: the
        binomial √(p(1 − p)/n) on the bases).

    Returns
    -------
    WaveDifference
        ``diff`` = p2 − p1; ``low``/``high`` the hybrid-score interval built from
        the two Wilson intervals (l_k, u_k) on the bases:
        diff − √((p2 − l2)² + (u1 − p1)²) and diff + √((u2 − p2)² + (p1 − l1)²);
        ``p_value`` from the Wald test (p2 − p1)/√(se1² + se2²) (independent
        waves have no covariance).

    Examples
    --------
    >>> d = wave_difference(48 / 80, 80, 56 / 70, 70)
    >>> round(d.diff, 4), round(d.low, 4), round(d.high, 4), round(d.p_value, 4)
    (0.2, 0.0524, 0.3339, 0.0059)

    References
    ----------
    R. G. Newcombe (1998), "Interval estimation for the difference between
    independent proportions: comparison of eleven methods", Statistics in
    Medicine 17:873–890, method 10.
    """
    level = check_level(level)
    for name, value in (("n1", n1), ("n2", n2)):
        if not value > 0:
            raise SurveyDataError(f"{name} ({value}) must be > 0")
    l1, u1 = proportion_ci(p1 * n1, n1, level=level)
    l2, u2 = proportion_ci(p2 * n2, n2, level=level)
    diff = p2 - p1
    low = diff - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = diff + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    v1 = p1 * (1 - p1) / n1 if se1 is None else se1 * se1
    v2 = p2 * (1 - p2) / n2 if se2 is None else se2 * se2
    p_value = float(wald_test(p2, p1, v2, v1).p_value)
    return WaveDifference(float(diff), float(low), float(high), p_value, level)
