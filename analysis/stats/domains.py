"""Domain (segment) estimates of a whole design, every domain in one pass.

For a design without strata, clusters or fpc, every domain's weighted
proportion or mean, its R-compatible linearised SE, Kish effective base and
degrees of freedom follow from six sums per domain, which ``np.bincount``
produces in one pass over the rows. Sums add, so a caller can bincount one joint
cell of several segment variables and collapse it to each margin
(:meth:`DomainSums.marginal`) instead of passing over the rows per variable.
With strata, clusters or fpc, :func:`domain_estimates` sums influence values
per domain and PSU instead. Both agree with
:func:`analysis.stats.design.design_mean` applied domain by domain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from analysis.errors import SurveyDataError
from analysis.methods import DesignMethod
from analysis.stats.intervals import FloatArray, design_proportion_ci

if TYPE_CHECKING:
    from analysis.stats.design import SurveyDesign

IntArray = npt.NDArray[np.intp]


@dataclass(frozen=True)
class Intervals:
    """Confidence intervals for an array of estimates."""

    low: FloatArray
    high: FloatArray
    level: float
    method: str


@dataclass(frozen=True, eq=False)
class DomainEstimates:
    """Estimates for several domains (segments), as parallel arrays.

    ``labels`` names the domains; the other fields are as in
    :class:`DesignEstimate` (without ``deff``).
    """

    labels: npt.NDArray[Any]
    estimate: FloatArray
    se: FloatArray
    n: FloatArray
    sum_w: FloatArray
    n_eff: FloatArray
    degf: FloatArray

    def ci(self, level: float = 0.95, method: DesignMethod = "wilson") -> Intervals:
        """Confidence intervals; see :func:`analysis.stats.design_proportion_ci`."""
        low, high = design_proportion_ci(
            self.estimate,
            self.se,
            n_eff=self.n_eff,
            df=self.degf,
            nrow=self.n,
            method=method,
            level=level,
        )
        return Intervals(low, high, level, method)


@dataclass(frozen=True, eq=False)
class DomainSums:
    """Sufficient statistics per domain for a design without strata or clusters.

    For rows i in domain d with a value y_i: ``n`` = Σ1, ``sum_w`` = Σw,
    ``sum_w2`` = Σw², ``sum_wy`` = Σwy, ``sum_w2y`` = Σw²y, ``sum_w2y2`` = Σw²y².
    ``n_total`` is the number of rows of the whole analysis (R's n).

    The sums add, so the sums of a joint cell of several segment variables can
    be collapsed to each variable's margin with :meth:`marginal`.

    Notes
    -----
    With every row its own PSU, the influence values of the ratio estimator
    p̂_d = Σ_d wy / W_d are z_i = w_i·1[i ∈ d]·(y_i − p̂_d)/W_d. They sum to zero
    over the whole sample, so the with-replacement variance
    n/(n − 1)·Σ_i (z_i − z̄)² is n/(n − 1)·(Σw²y² − 2p̂Σw²y + p̂²Σw²)/W_d².
    """

    n: FloatArray
    sum_w: FloatArray
    sum_w2: FloatArray
    sum_wy: FloatArray
    sum_w2y: FloatArray
    sum_w2y2: FloatArray
    n_total: int

    @classmethod
    def from_arrays(
        cls,
        codes: npt.ArrayLike,
        weights: npt.ArrayLike,
        y: npt.ArrayLike,
        n_groups: int,
    ) -> DomainSums:
        """Bincount the sums per group.

        Parameters
        ----------
        codes : array of int
            Group of each row in ``0 .. n_groups - 1``; a negative code puts the
            row outside every group (it still counts in ``n_total``).
        weights : array
            Weights > 0.
        y : array
            Values; NaN is missing (outside every group, counted in ``n_total``).
        n_groups : int
            Number of groups.

        Returns
        -------
        DomainSums

        Examples
        --------
        >>> s = DomainSums.from_arrays([0, 0, 1], [1.0, 2.0, 1.0], [1, 0, 1], 2)
        >>> s.sum_wy.tolist()
        [1.0, 1.0]
        """
        c = np.asarray(codes, dtype=np.intp)
        w = np.asarray(weights, dtype=np.float64)
        v = np.asarray(y, dtype=np.float64)
        if not c.shape == w.shape == v.shape or c.ndim != 1:
            raise SurveyDataError(
                f"codes {c.shape}, weights {w.shape} and y {v.shape} must be "
                "1-D arrays of the same length"
            )
        if c.size and int(c.max()) >= n_groups:
            raise SurveyDataError(f"codes ({int(c.max())}) must be below n_groups")
        missing = np.isnan(v)
        key = c.copy()
        key[missing | (c < 0)] = n_groups
        v = v.copy()
        v[missing] = 0.0
        w2 = w * w
        w2y = w2 * v
        # For 0/1 values w²y² = w²y: skip one product and one pass.
        binary = bool(np.all((v == 0.0) | (v == 1.0)))

        def per_group(values: FloatArray | None) -> FloatArray:
            sums = np.bincount(key, values, minlength=n_groups + 1)
            return sums[:n_groups].astype(np.float64)

        sum_w2y = per_group(w2y)
        return cls(
            n=per_group(None),
            sum_w=per_group(w),
            sum_w2=per_group(w2),
            sum_wy=per_group(w * v),
            sum_w2y=sum_w2y,
            sum_w2y2=sum_w2y if binary else per_group(w2y * v),
            n_total=int(c.size),
        )

    def marginal(self, shape: tuple[int, ...], axis: int) -> DomainSums:
        """Collapse joint-cell sums (C-ordered over ``shape``) to one axis."""
        others = tuple(a for a in range(len(shape)) if a != axis)

        def collapse(a: FloatArray) -> FloatArray:
            return np.asarray(a.reshape(shape).sum(axis=others), dtype=np.float64)

        return self._map(collapse)

    def total(self) -> DomainSums:
        """Pool every group into one (the whole sample, less missing values)."""
        return self._map(lambda a: np.atleast_1d(a.sum()).astype(np.float64))

    def _map(self, fn: Callable[[FloatArray], FloatArray]) -> DomainSums:
        return DomainSums(
            n=fn(self.n),
            sum_w=fn(self.sum_w),
            sum_w2=fn(self.sum_w2),
            sum_wy=fn(self.sum_wy),
            sum_w2y=fn(self.sum_w2y),
            sum_w2y2=fn(self.sum_w2y2),
            n_total=self.n_total,
        )

    def estimates(self, labels: npt.ArrayLike | None = None) -> DomainEstimates:
        """Estimate, linearised SE, Kish n_eff and degf for every group."""
        with np.errstate(divide="ignore", invalid="ignore"):
            est = self.sum_wy / self.sum_w
            ss = self.sum_w2y2 - 2 * est * self.sum_w2y + est * est * self.sum_w2
            ss = np.maximum(ss, 0.0)
            m = self.n_total
            se = np.sqrt(m / (m - 1) * ss) / self.sum_w
            n_eff = self.sum_w**2 / self.sum_w2
        names = np.arange(self.n.size) if labels is None else np.asarray(labels)
        return DomainEstimates(
            labels=names,
            estimate=est,
            se=se,
            n=self.n,
            sum_w=self.sum_w,
            n_eff=np.where(self.n > 0, n_eff, 0.0),
            degf=np.maximum(self.n - 1, 0.0),
        )


def domain_estimates(
    design: SurveyDesign, y: FloatArray, codes: IntArray, labels: npt.ArrayLike
) -> DomainEstimates:
    """Every domain's estimate and linearised SE in one pass, for any design.

    Row i is in domain ``codes[i]`` when that is in 0 .. len(labels) − 1, else
    in none; rows stay in the design either way, as ``svyby`` keeps them.
    Within stratum h, the variance of domain d is
    n_h/(n_h − 1)·(1 − f_h)·(Σ_j t_dj² − (Σ_j t_dj)²/n_h) over the stratum's
    n_h PSUs, t_dj being PSU j's total of the influence values of domain d.
    """
    names = np.asarray(labels)
    k = names.size
    inside = (codes >= 0) & (codes < k) & ~np.isnan(y)
    d = np.where(inside, codes, k)
    w = design.weights
    v = np.where(inside, y, 0.0)

    def per_domain(x: FloatArray | None) -> FloatArray:
        return np.bincount(d, x, minlength=k + 1)[:k].astype(np.float64)

    n, sum_w, sum_w2 = per_domain(None), per_domain(w), per_domain(w * w)
    with np.errstate(divide="ignore", invalid="ignore"):
        est = per_domain(w * v) / sum_w
        z = w * (v - np.append(est, 0.0)[d]) / np.append(sum_w, 1.0)[d]
    rows = np.flatnonzero(inside)
    var, degf = _domain_variance(design, rows, d[rows], z[rows], k)
    with np.errstate(divide="ignore", invalid="ignore"):
        return DomainEstimates(
            labels=names,
            estimate=est,
            se=np.where(n > 0, np.sqrt(np.maximum(var, 0.0)), np.nan),
            n=n,
            sum_w=sum_w,
            n_eff=np.where(n > 0, sum_w**2 / sum_w2, 0.0),
            degf=degf,
        )


def _domain_variance(
    design: SurveyDesign, rows: IntArray, domain: IntArray, z: FloatArray, k: int
) -> tuple[FloatArray, FloatArray]:
    """Variance and degrees of freedom of k domains from their rows' influences."""
    n_psu = design.psu_stratum.size
    if design.clusters is None:
        # every row its own PSU: each (domain, PSU) pair is one row
        pair_domain, pair_psu, t = domain, design.psu_code[rows], z
    else:
        pairs, inverse = np.unique(
            domain * n_psu + design.psu_code[rows], return_inverse=True
        )
        pair_domain, pair_psu = pairs // n_psu, pairs % n_psu
        t = np.bincount(inverse, z).astype(np.float64)
    n_strata = design.stratum_scale.size
    key = pair_domain * n_strata + design.psu_stratum[pair_psu]

    def per_cell(x: FloatArray | None) -> FloatArray:
        cells = np.bincount(key, x, minlength=k * n_strata)
        return cells.reshape(k, n_strata).astype(np.float64)

    n_h = np.bincount(design.psu_stratum, minlength=n_strata).astype(np.float64)
    ss = per_cell(t * t) - per_cell(t) ** 2 / n_h
    var = np.sum(design.stratum_scale * ss, axis=1)
    psus = np.bincount(pair_domain, minlength=k)
    strata = np.count_nonzero(per_cell(None) > 0, axis=1)
    return var, (psus - strata).astype(np.float64)
