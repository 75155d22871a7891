"""Differences between estimates: the joint covariance of domains and a Wald test.

Two segments of one wave are domains of one design: they share its strata and
PSUs, so their estimates covary, and the variance of a difference is
v_a + v_b − 2·c_ab. :func:`domain_covariance` gives the joint linearised
covariance of every domain's estimate, as R's ``svyby(…, covmat = TRUE)``
does, and :func:`wald_test` the test of a difference from it, as
``svycontrast`` does. Two waves are independent samples: their covariance is 0.

When every row is its own PSU and there are no strata, the covariance of two
disjoint domains is exactly 0 (each domain's influence values sum to 0 over
the sample), so a table's own standard errors give the test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from analysis.stats.intervals import FloatArray

if TYPE_CHECKING:
    from analysis.stats.design import SurveyDesign

IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True, eq=False)
class DomainCovariance:
    """Domain estimates and their joint covariance matrix (k × k)."""

    labels: npt.NDArray[Any]
    estimate: FloatArray
    covariance: FloatArray

    def difference(self, a: int, b: int) -> WaldTest:
        """The Wald test of estimate[a] − estimate[b]."""
        cov = self.covariance
        return wald_test(
            self.estimate[a], self.estimate[b], cov[a, a], cov[b, b], cov[a, b]
        )


def domain_covariance(
    design: SurveyDesign, y: npt.ArrayLike, codes: npt.ArrayLike, labels: Any
) -> DomainCovariance:
    """Every domain's estimate Σwy/Σw and their joint linearised covariance.

    Parameters
    ----------
    design : SurveyDesign
        The whole design; rows outside every domain keep their place in it.
    y : array
        Values; NaN is missing and leaves the domain's base.
    codes : array of int
        Domain of each row, 0 .. len(labels) − 1; any other code: no domain.
    labels : array
        The domains' names.

    Returns
    -------
    DomainCovariance
        The diagonal is each domain's variance (that of
        :func:`analysis.stats.domains.domain_estimates`).

    Examples
    --------
    >>> from analysis.stats.design import SurveyDesign
    >>> design = SurveyDesign(np.ones(6), clusters=[1, 1, 2, 2, 3, 3])
    >>> res = domain_covariance(design, [1, 0, 1, 1, 0, 1], [0, 1, 0, 1, 0, 1], "ab")
    >>> round(float(res.covariance[0, 1]), 4)  # R: vcov(svyby(…, covmat = TRUE))
    -0.0556

    References
    ----------
    T. Lumley (2010), *Complex Surveys*, Wiley, §2.2 and §5.2 (``svyby`` with
    ``covmat = TRUE``, ``svycontrast``).
    """
    names = np.asarray(list(labels) if isinstance(labels, str) else labels)
    k = names.size
    values = np.asarray(y, dtype=np.float64)
    c = np.asarray(codes, dtype=np.intp)
    inside = (c >= 0) & (c < k) & ~np.isnan(values)
    d = np.where(inside, c, k)
    w = np.where(inside, design.weights, 0.0)
    v = np.where(inside, values, 0.0)
    sum_w = np.bincount(d, w, minlength=k + 1)[:k]
    with np.errstate(divide="ignore", invalid="ignore"):
        est = np.bincount(d, w * v, minlength=k + 1)[:k] / sum_w
        z = w * (v - np.append(est, 0.0)[d]) / np.append(sum_w, 1.0)[d]
    n_psu = design.psu_stratum.size
    totals = np.bincount(
        design.psu_code * (k + 1) + d, np.nan_to_num(z), minlength=n_psu * (k + 1)
    ).reshape(n_psu, k + 1)[:, :k]
    cov = design.strata_variance.covariance(totals.astype(np.float64))
    empty = ~(sum_w > 0)
    cov[empty, :] = np.nan
    cov[:, empty] = np.nan
    return DomainCovariance(names, est.astype(np.float64), cov)


@dataclass(frozen=True)
class WaldTest:
    """A difference a − b, its standard error, z and two-sided p-value."""

    diff: FloatArray
    se: FloatArray
    z: FloatArray
    p_value: FloatArray


def wald_test(
    a: npt.ArrayLike,
    b: npt.ArrayLike,
    var_a: npt.ArrayLike,
    var_b: npt.ArrayLike,
    cov: npt.ArrayLike = 0.0,
) -> WaldTest:
    """Wald test of a − b = 0 with Var(a − b) = v_a + v_b − 2·c_ab (vectorised).

    Parameters
    ----------
    a, b : array
        Two estimates (domains of one design, or two waves).
    var_a, var_b : array
        Their linearised variances (SE²).
    cov : array
        Their covariance: 0 for independent samples (two waves), the
        off-diagonal of :func:`domain_covariance` for two domains of a design.

    Returns
    -------
    WaldTest
        z = (a − b)/SE referred to the standard normal; NaN where the
        variance of the difference is not > 0 or an input is NaN.

    Examples
    --------
    >>> res = wald_test(0.91, 0.52, 0.0284352**2, 0.0689676**2)
    >>> round(float(res.se), 4), float(res.p_value) < 1e-6
    (0.0746, True)

    References
    ----------
    A. Wald (1943), Transactions of the AMS 54:426–482. T. Lumley (2010),
    *Complex Surveys*, Wiley, §2.2 (``svycontrast``).
    """
    from scipy import special as _spec

    ea, eb, va, vb, c = (
        np.asarray(x, dtype=np.float64) for x in (a, b, var_a, var_b, cov)
    )
    var = va + vb - 2 * c
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(np.where(var > 0, var, np.nan))
        z = (ea - eb) / se
    return WaldTest(ea - eb, se, z, 2 * _spec.ndtr(-np.abs(z)))
