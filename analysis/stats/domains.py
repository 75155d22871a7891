"""Domain (segment) estimates of a whole design, every domain in one pass.

For a design without strata, clusters or fpc, every domain's weighted
proportion or mean, its R-compatible linearised SE, Kish effective base,
design effect and degrees of freedom follow from a few sums per domain, which
``np.bincount`` produces in one pass over the rows. Sums add, so a caller can
bincount one joint cell of several segment variables and collapse it to each margin
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
from analysis.stats.design_ci import design_proportion_ci
from analysis.stats.intervals import FloatArray

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

    ``labels`` names the domains; ``n`` counts the rows answering, ``n_rows``
    the rows of the domain answering or not; ``degf`` is counted on the
    domain before rows with a missing answer leave (R's
    ``degf(subset(design, …))``); ``deff`` is the design effect against
    simple random sampling with replacement on the rows used (survey's
    ``deff = "replace"``). The other fields are as in :class:`DesignEstimate`.
    """

    labels: npt.NDArray[Any]
    estimate: FloatArray
    se: FloatArray
    n: FloatArray
    sum_w: FloatArray
    n_eff: FloatArray
    degf: FloatArray
    n_rows: FloatArray
    deff: FloatArray

    def ci(self, level: float = 0.95, method: DesignMethod = "wilson") -> Intervals:
        """Confidence intervals; see :func:`analysis.stats.design_proportion_ci`."""
        low, high = design_proportion_ci(
            self.estimate,
            self.se,
            n_eff=self.n_eff,
            df=self.degf,
            nrow=self.n_rows,
            n=self.n,
            method=method,
            level=level,
        )
        return Intervals(low, high, level, method)


def beyond_rounding(value: FloatArray, scale: FloatArray) -> FloatArray:
    """``value``, or 0 where it is below 1e-12 of ``scale`` (or not a number).

    A sum of squares written as a difference of sums (Σw²y² − 2ȳΣw²y +
    ȳ²Σw², the mean of y² less ȳ²) is only the subtraction's rounding when
    every y is equal: then it is 0, so that routes adding in other orders
    (the rows, the store's cell sums) agree.
    """
    with np.errstate(invalid="ignore"):
        out: FloatArray = np.where(value > 1e-12 * np.abs(scale), value, 0.0)
    return out


def weighted_spread(mean_square: FloatArray, mean: FloatArray) -> FloatArray:
    """Σw(y − ȳ)²/Σw from the weighted means of y² and y (rounding: 0)."""
    with np.errstate(invalid="ignore"):
        return beyond_rounding(mean_square - mean * mean, mean_square)


def replace_deff(
    variance: FloatArray, spread: FloatArray, n_weighted: FloatArray
) -> FloatArray:
    """v̂ over the with-replacement SRS variance s²/m of the m rows of weight > 0.

    ``spread`` is the weighted variance Σw(y − ȳ)²/Σw; s² = spread·m/(m − 1).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        deff = variance * (n_weighted - 1) / spread
    out: FloatArray = np.where((n_weighted >= 2) & (spread > 0), deff, np.nan)
    return out


@dataclass(frozen=True, eq=False)
class DomainSums:
    """Sufficient statistics per domain for a design without strata or clusters.

    For rows i in domain d with a value y_i: ``n`` = Σ1, ``n_weighted`` = Σ1
    over rows of weight > 0, ``sum_w`` = Σw, ``sum_w2`` = Σw², ``sum_wy`` = Σwy,
    ``sum_wy2`` = Σwy², ``sum_w2y`` = Σw²y, ``sum_w2y2`` = Σw²y². ``rows``
    counts the domain's rows with or without a value, ``rows_weighted`` those
    of weight > 0 (the degrees of freedom are ``rows_weighted`` − 1).
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
    n_weighted: FloatArray
    rows: FloatArray
    rows_weighted: FloatArray
    sum_w: FloatArray
    sum_w2: FloatArray
    sum_wy: FloatArray
    sum_wy2: FloatArray
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
            Weights ≥ 0.
        y : array
            Values; NaN is missing (outside the group's sums, counted in its
            ``rows`` and in ``n_total``).
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
        outside = c < 0
        missing = np.isnan(v)
        key = np.where(missing | outside, n_groups, c)
        row_key = np.where(outside, n_groups, c)
        v = np.where(missing, 0.0, v)
        w2 = w * w
        w2y = w2 * v
        # For 0/1 values y² = y: skip the products and passes of the squares.
        binary = bool(np.all((v == 0.0) | (v == 1.0)))

        def per_group(values: FloatArray | None, by: IntArray = key) -> FloatArray:
            sums = np.bincount(by, values, minlength=n_groups + 1)
            return sums[:n_groups].astype(np.float64)

        n, rows, sum_wy, sum_w2y = (
            per_group(None),
            per_group(None, row_key),
            per_group(w * v),
            per_group(w2y),
        )
        zero = w == 0
        return cls(
            n=n,
            n_weighted=n - per_group(zero.astype(np.float64)) if zero.any() else n,
            rows=rows,
            rows_weighted=(
                rows - per_group(zero.astype(np.float64), row_key)
                if zero.any()
                else rows
            ),
            sum_w=per_group(w),
            sum_w2=per_group(w2),
            sum_wy=sum_wy,
            sum_wy2=sum_wy if binary else per_group(w * v * v),
            sum_w2y=sum_w2y,
            sum_w2y2=sum_w2y if binary else per_group(w2y * v),
            n_total=int(c.size),
        )

    def marginal(self, shape: tuple[int, ...], axis: int) -> DomainSums:
        """Collapse joint-cell sums (C-ordered over ``shape``) to one axis."""
        others = tuple(a for a in range(len(shape)) if a != axis)

        def collapse(a: FloatArray) -> FloatArray:
            return np.asarray(a.reshape(shape).sum(axis=others), dtype=np.float64)

        return self.map(collapse)

    def total(self) -> DomainSums:
        """Pool every group into one (the whole sample, less missing values)."""
        return self.map(lambda a: np.atleast_1d(a.sum()).astype(np.float64))

    def map(self, fn: Callable[[FloatArray], FloatArray]) -> DomainSums:
        """The same sums with ``fn`` applied to every array (a margin, a slice)."""
        return DomainSums(
            **{name: fn(getattr(self, name)) for name in _SUM_FIELDS},
            n_total=self.n_total,
        )

    def estimates(self, labels: npt.ArrayLike | None = None) -> DomainEstimates:
        """Estimate, linearised SE, Kish n_eff, degf and deff for every group."""
        with np.errstate(divide="ignore", invalid="ignore"):
            est = self.sum_wy / self.sum_w
            ss = self.sum_w2y2 - 2 * est * self.sum_w2y + est * est * self.sum_w2
            ss = beyond_rounding(ss, self.sum_w2y2)
            m = self.n_total
            var = m / (m - 1) * ss / self.sum_w**2
            n_eff = self.sum_w**2 / self.sum_w2
            spread = weighted_spread(self.sum_wy2 / self.sum_w, est)
        names = np.arange(self.n.size) if labels is None else np.asarray(labels)
        return DomainEstimates(
            labels=names,
            estimate=est,
            se=np.sqrt(var),
            n=self.n,
            sum_w=self.sum_w,
            n_eff=np.where(self.sum_w2 > 0, n_eff, 0.0),
            degf=np.maximum(self.rows_weighted - 1, 0.0),
            n_rows=self.rows,
            deff=replace_deff(var, spread, self.n_weighted),
        )


_SUM_FIELDS = tuple(f for f in DomainSums.__dataclass_fields__ if f != "n_total")


def domain_estimates(
    design: SurveyDesign, y: FloatArray, codes: IntArray, labels: npt.ArrayLike
) -> DomainEstimates:
    """Every domain's estimate and linearised SE in one pass, for any design.

    Row i is in domain ``codes[i]`` when that is in 0 .. len(labels) − 1, else
    in none; rows stay in the design either way, as ``svyby`` keeps them.
    Within stratum h, the variance of domain d is
    n_h/(n_h − 1)·(1 − f_h)·(Σ_j t_dj² − (Σ_j t_dj)²/n_h) over the stratum's
    n_h PSUs, t_dj being PSU j's total of the influence values of domain d
    (with the design's lonely-PSU rule for a stratum of one PSU).
    """
    names = np.asarray(labels)
    k = names.size
    in_domain = (codes >= 0) & (codes < k)
    inside = in_domain & ~np.isnan(y)
    d = np.where(inside, codes, k)
    w = design.weights
    v = np.where(inside, y, 0.0)

    def per_domain(x: FloatArray | None, by: IntArray = d) -> FloatArray:
        return np.bincount(by, x, minlength=k + 1)[:k].astype(np.float64)

    n, sum_w, sum_w2 = per_domain(None), per_domain(w), per_domain(w * w)
    with np.errstate(divide="ignore", invalid="ignore"):
        est = per_domain(w * v) / sum_w
        z = w * (v - np.append(est, 0.0)[d]) / np.append(sum_w, 1.0)[d]
        spread = weighted_spread(per_domain(w * v * v) / sum_w, est)
    rows = np.flatnonzero(inside)
    var = _domain_variance(design, rows, d[rows], z[rows], k)
    degf = _domain_degf(design, np.where(in_domain, codes, k), k)
    with np.errstate(divide="ignore", invalid="ignore"):
        return DomainEstimates(
            labels=names,
            estimate=est,
            se=np.where(sum_w > 0, np.sqrt(np.maximum(var, 0.0)), np.nan),
            n=n,
            sum_w=sum_w,
            n_eff=np.where(sum_w2 > 0, sum_w**2 / sum_w2, 0.0),
            degf=degf,
            n_rows=per_domain(None, np.where(in_domain, codes, k)),
            deff=replace_deff(var, spread, per_domain((w > 0).astype(np.float64))),
        )


def _domain_variance(
    design: SurveyDesign, rows: IntArray, domain: IntArray, z: FloatArray, k: int
) -> FloatArray:
    """Variance of k domains from their rows' influence values."""
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
    rule = design.strata_variance
    n_strata = rule.n_h.size
    key = pair_domain * n_strata + design.psu_stratum[pair_psu]

    def per_cell(x: FloatArray | None) -> FloatArray:
        cells = np.bincount(key, x, minlength=k * n_strata)
        return cells.reshape(k, n_strata).astype(np.float64)

    return rule.from_sums(per_cell(t * t), per_cell(t), per_cell(None) > 0)


def _domain_degf(design: SurveyDesign, domain: IntArray, k: int) -> FloatArray:
    """PSUs minus strata with rows of weight > 0 in each domain (R's ``degf``)."""
    n_psu = design.psu_stratum.size
    used = (domain < k) & (design.weights > 0)
    pairs = np.unique(domain[used] * n_psu + design.psu_code[used])
    pair_domain, pair_psu = pairs // n_psu, pairs % n_psu
    strata = np.unique(pair_domain * n_psu + design.psu_stratum[pair_psu]) // n_psu
    psus = np.bincount(pair_domain, minlength=k)
    return (psus - np.bincount(strata, minlength=k)).astype(np.float64)
