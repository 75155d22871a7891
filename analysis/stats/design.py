"""Design-based estimation: weighted means and proportions with linearised SEs.

A :class:`SurveyDesign` holds the weights and, when the sample has them, strata,
clusters (PSUs) and a finite-population correction, like R's ``svydesign``.
:func:`design_mean` estimates Σwy/Σw over the whole sample or a domain, with a
Taylor-linearised standard error that matches ``survey::svymean`` (with-replacement
variance n_h/(n_h − 1)·Σ(z − z̄_h)² per stratum over PSU totals, times (1 − f_h)
when an fpc is given).

Missing values (NaN in ``y``) leave the base, the way ``svymean(na.rm=TRUE)`` does:
the rows keep their place in the design with zero influence, so n in n/(n − 1) is
the number of rows of the design, not the number answering.

:class:`DomainSums` is the fast path for the common case with neither strata nor
clusters: a few ``np.bincount`` passes give every domain's estimate and SE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.methods import DesignMethod, LonelyPSU
from analysis.stats.design_ci import design_proportion_ci, effective_base
from analysis.stats.domains import DomainEstimates, DomainSums, domain_estimates
from analysis.stats.intervals import FloatArray, Interval
from analysis.stats.variance import StratumVariance, sampling_fraction

IntArray = npt.NDArray[np.intp]


def _codes(values: npt.ArrayLike, name: str, n: int) -> tuple[IntArray, Any]:
    """Codes 0..k−1 of each row and the k sorted labels."""
    arr = values if isinstance(values, pd.Series) else np.asarray(values)
    if arr.shape != (n,):
        raise SurveyDataError(f"{name} has shape {arr.shape}; expected ({n},)")
    if arr.dtype.kind in "iu" and n and arr.min() >= 0 and arr.max() < 4 * n:
        # already coded (a reader's factorize, a PSU index): no sort needed
        present = np.bincount(arr) > 0
        lookup = np.cumsum(present) - 1
        return lookup[arr].astype(np.intp), np.flatnonzero(present)
    # hashing, then sorting the few labels: np.unique would sort every row
    codes, labels = pd.factorize(arr, sort=True)
    if np.any(codes < 0):
        first = int(np.argmin(codes)) + 1
        raise SurveyDataError(f"{name} has a missing value (row {first})")
    return codes.astype(np.intp), np.asarray(labels)


@dataclass(frozen=True, eq=False)
class SurveyDesign:
    """A sample design: weights, and optionally strata, PSUs and an fpc.

    Parameters
    ----------
    weights : array
        Sampling weights, finite and ≥ 0, one per row. A row of weight 0
        stays in the design (its PSU counts in n_h) and adds nothing to an
        estimate, as a row outside a ``subset`` does in R.
    strata : array, optional
        Stratum of each row.
    clusters : array, optional
        Primary sampling unit of each row; PSU labels are read within strata
        (survey's ``nest=TRUE``). Without clusters, every row is its own PSU.
    fpc : array, optional
        Finite-population correction per row, constant within a stratum: either
        the stratum's population size in PSUs N_h (as ``apistrat$fpc``), or the
        sampling fraction n_h/N_h when every value is ≤ 1, as survey reads it.
    lonely_psu : {"fail", "adjust", "certainty", "average"}
        What a stratum with one PSU does, as R's
        ``options(survey.lonely.psu=…)``: raise (``fail``, survey's default),
        be measured from the grand mean (``adjust``), add no variance
        (``certainty``) or take the other strata's average (``average``); see
        :mod:`analysis.stats.variance`.
    weighted : bool
        False when the weights are all 1 because the sample is unweighted:
        tables then give the plain binomial intervals and SE on n for a
        design without strata, clusters or fpc.

    Examples
    --------
    >>> design = SurveyDesign(np.array([1.0, 2.0, 1.5, 1.0]))
    >>> design.degf
    3
    """

    weights: FloatArray
    strata: npt.ArrayLike | None = None
    clusters: npt.ArrayLike | None = None
    fpc: npt.ArrayLike | None = None
    lonely_psu: LonelyPSU = "fail"
    weighted: bool = True
    stratum_code: IntArray = field(init=False, repr=False)
    psu_code: IntArray = field(init=False, repr=False)
    psu_stratum: IntArray = field(init=False, repr=False)
    strata_variance: StratumVariance = field(init=False, repr=False)

    def __post_init__(self) -> None:
        w = np.asarray(self.weights, dtype=np.float64)
        if w.ndim != 1 or w.size < 2:
            raise SurveyDataError(
                f"weights must be a 1-D array of 2 or more rows; got {w.shape}"
            )
        if not np.all(np.isfinite(w) & (w >= 0)):
            bad = w[~(np.isfinite(w) & (w >= 0))][0]
            raise SurveyDataError(f"weights must be finite and ≥ 0; found {bad}")
        if not np.any(w > 0):
            raise SurveyDataError("weights are all 0: no row carries any weight")
        if not self.weighted and not np.all(w == 1.0):
            raise SurveyDataError("an unweighted design (weighted=False) has weights 1")
        n = w.size
        set_ = object.__setattr__
        set_(self, "weights", w)
        if self.strata is None:
            strata, labels = np.zeros(n, dtype=np.intp), np.zeros(1)
        else:
            strata, labels = _codes(self.strata, "strata", n)
        if self.clusters is None:
            psu = np.arange(n, dtype=np.intp)
        else:
            clusters, _ = _codes(self.clusters, "clusters", n)
            nested = strata * (int(clusters.max()) + 1) + clusters
            psu = _codes(nested, "clusters", n)[0]
        n_psu = int(psu.max()) + 1
        psu_stratum = np.zeros(n_psu, dtype=np.intp)
        psu_stratum[psu] = strata
        n_h = np.bincount(psu_stratum).astype(np.float64)
        fraction = None
        if self.fpc is not None:
            fraction = sampling_fraction(self.fpc, strata, n_h)
        set_(self, "stratum_code", strata)
        set_(self, "psu_code", psu)
        set_(self, "psu_stratum", psu_stratum)
        set_(
            self,
            "strata_variance",
            StratumVariance.build(psu_stratum, labels, fraction, self.lonely_psu),
        )

    @property
    def n(self) -> int:
        """Number of rows."""
        return int(self.weights.size)

    @property
    def is_simple(self) -> bool:
        """True without strata, clusters or fpc: each row is its own PSU."""
        return self.strata is None and self.clusters is None and self.fpc is None

    @property
    def degf(self) -> int:
        """PSUs minus strata, counting rows with a weight > 0 (survey's ``degf``)."""
        return self.domain_degf(np.ones(self.n, dtype=bool))

    def variance(
        self, z: FloatArray, rows: npt.NDArray[np.bool_] | None = None
    ) -> float:
        """Linearised variance of a total with influence values ``z`` (one per row).

        With-replacement: Σ_h n_h/(n_h − 1)·(1 − f_h)·Σ_j (z_hj − z̄_h)² over PSU
        totals z_hj, with the lonely-PSU rule of the design. ``rows`` marks the
        rows the statistic uses (a domain's answering rows): under
        ``lonely_psu="average"`` R counts only their strata.
        """
        values = np.asarray(z, dtype=np.float64)[:, None]
        return float(self.covariance(values, rows)[0, 0])

    def covariance(
        self, z: FloatArray, rows: npt.NDArray[np.bool_] | None = None
    ) -> FloatArray:
        """Covariance matrix of several totals, influence values one column each.

        The variance formula of :meth:`variance` with cross-products of PSU
        totals: for the estimates of two domains it is the covariance
        ``svyby(…, covmat = TRUE)`` reports.
        """
        values = np.asarray(z, dtype=np.float64)
        if values.ndim != 2 or values.shape[0] != self.n:
            raise SurveyDataError(
                f"influence values have shape {values.shape}; expected ({self.n}, m)"
            )
        n_psu = self.psu_stratum.size
        totals = np.stack(
            [np.bincount(self.psu_code, c, minlength=n_psu) for c in values.T], axis=1
        )
        present = None
        if rows is not None:
            present = np.bincount(self.stratum_code[rows], minlength=self.n_strata) > 0
        return self.strata_variance.covariance(totals.astype(np.float64), present)

    @property
    def n_strata(self) -> int:
        """Number of strata (1 without strata)."""
        return int(self.strata_variance.n_h.size)

    def domain_degf(self, in_domain: npt.NDArray[np.bool_]) -> int:
        """PSUs minus strata with rows of weight > 0 in the domain (``degf``).

        R counts them on the domain's design, before rows with a missing
        answer are dropped: pass the domain, not the rows answering.
        """
        psus = np.unique(self.psu_code[in_domain & (self.weights > 0)])
        return int(psus.size - np.unique(self.psu_stratum[psus]).size)


@dataclass(frozen=True)
class DesignEstimate:
    """A weighted mean or proportion with its design-based uncertainty.

    ``n`` is the unweighted base (rows in the domain with a value), ``sum_w`` the
    weighted base, ``n_eff`` the Kish effective base of the domain, ``degf`` the
    domain's design degrees of freedom (counted before rows with a missing
    value leave, as ``degf(subset(design, …))``), ``deff`` the design effect
    against simple random sampling without replacement (survey's
    ``deff=TRUE``) and ``n_rows`` the rows of the domain, answering or not
    (``nrow`` of the domain's design; None: ``n``).
    """

    estimate: float
    se: float
    n: int
    sum_w: float
    n_eff: float
    degf: int
    deff: float
    n_rows: int | None = None

    @property
    def n_star(self) -> float:
        """Design-based effective base p̂(1 − p̂)/v̂, capped at n, on ``degf``.

        See :func:`analysis.stats.design_ci.effective_base`; NaN when v̂ is 0
        or undefined.
        """
        return float(
            effective_base(
                self.estimate,
                self.se,
                n=self.n,
                nrow=self.n if self.n_rows is None else self.n_rows,
                df=self.degf,
            )
        )

    def ci(self, level: float = 0.95, method: DesignMethod = "wilson") -> Interval:
        """Confidence interval; see :func:`analysis.stats.design_proportion_ci`.

        ``mean`` (estimate ± t·SE) and ``normal`` also suit continuous scores;
        the other methods need a proportion.
        """
        if method not in ("mean", "normal") and not 0 <= self.estimate <= 1:
            raise SurveyDataError(
                f"method {method!r} needs a proportion, but the estimate is "
                f"{self.estimate}; use 'mean' or 'normal' for scores"
            )
        low, high = design_proportion_ci(
            self.estimate,
            self.se,
            n_eff=self.n_eff,
            df=self.degf,
            nrow=self.n if self.n_rows is None else self.n_rows,
            n=self.n,
            method=method,
            level=level,
        )
        return Interval(float(low), float(high), level, method)


def _as_values(y: npt.ArrayLike, n: int, name: str = "y") -> FloatArray:
    arr = np.asarray(y, dtype=np.float64)
    if arr.shape != (n,):
        raise SurveyDataError(f"{name} has shape {arr.shape}; expected ({n},)")
    if np.any(np.isinf(arr)):
        raise SurveyDataError(f"{name} holds infinite values; use NaN for missing")
    return arr


def design_mean(
    design: SurveyDesign,
    y: npt.ArrayLike,
    *,
    domain: npt.ArrayLike | None = None,
) -> DesignEstimate:
    """Weighted mean Σwy/Σw of ``y`` (a proportion when y is 0/1), with its SE.

    Parameters
    ----------
    design : SurveyDesign
        The sample design, kept whole even for a domain.
    y : array
        One value per row; NaN is missing and leaves the base.
    domain : array of bool, optional
        Rows of the domain (segment). Influence values are zero outside it and
        the whole design is kept, as ``svyby`` does.

    Returns
    -------
    DesignEstimate

    Examples
    --------
    >>> design = SurveyDesign(np.array([1.0, 1.0, 2.0, 2.0]))
    >>> round(design_mean(design, np.array([1, 0, 1, 1])).estimate, 4)
    0.8333

    References
    ----------
    C.-E. Särndal, B. Swensson and J. Wretman (1992), *Model Assisted Survey
    Sampling*, §5.6 and §10.3. T. Lumley (2010), *Complex Surveys*, Wiley, §2.
    """
    values = _as_values(y, design.n)
    dom = np.ones(design.n, dtype=bool)
    if domain is not None:
        dom = np.asarray(domain)
        if dom.shape != (design.n,) or dom.dtype != np.bool_:
            raise SurveyDataError(
                f"domain must be a boolean array of {design.n} rows; got "
                f"{dom.dtype} {dom.shape}"
            )
    mask = dom & ~np.isnan(values)
    w = np.where(mask, design.weights, 0.0)
    v = np.where(mask, values, 0.0)
    sum_w = float(w.sum())
    n = int(mask.sum())
    if sum_w == 0:
        return DesignEstimate(np.nan, np.nan, n, 0.0, 0.0, 0, np.nan, int(dom.sum()))
    est = float(np.dot(w, v)) / sum_w
    z = w * (v - est) / sum_w
    var = design.variance(z, mask)
    return DesignEstimate(
        estimate=est,
        se=float(np.sqrt(var)),
        n=n,
        sum_w=sum_w,
        n_eff=sum_w**2 / float(np.dot(w, w)),
        degf=design.domain_degf(dom),
        deff=_deff(var, w, v, est, int(np.count_nonzero(w))),
        n_rows=int(dom.sum()),
    )


def _deff(var: float, w: FloatArray, v: FloatArray, est: float, n: int) -> float:
    # survey's svymean deff: SRS without replacement with N̂ = Σw, on the n rows
    # used that carry a weight.
    sum_w = float(w.sum())
    if n < 2 or sum_w <= n:
        return np.nan
    s2 = float(np.dot(w, (v - est) ** 2)) / sum_w * n / (n - 1)
    v_srs = s2 / n * (sum_w - n) / sum_w
    return var / v_srs if v_srs > 0 else np.nan


def by_segment(
    design: SurveyDesign, y: npt.ArrayLike, segment: npt.ArrayLike
) -> DomainEstimates:
    """Domain estimates of ``y`` for every level of ``segment``.

    Uses :class:`DomainSums` (a few bincounts) when the design has neither
    strata, clusters nor fpc, and :func:`domain_estimates` otherwise. Both
    give the numbers :func:`design_mean` gives for each domain.

    Parameters
    ----------
    design : SurveyDesign
    y : array
        Values (0/1 for a proportion); NaN is missing.
    segment : array
        Segment label of each row.

    Returns
    -------
    DomainEstimates
        One entry per level of ``segment``, in sorted order.

    Examples
    --------
    >>> design = SurveyDesign(np.array([1.0, 2.0, 1.0, 1.0]))
    >>> by_segment(design, [1, 0, 1, 1], ["a", "a", "b", "b"]).estimate.tolist()
    [0.3333333333333333, 1.0]
    """
    codes, labels = _codes(segment, "segment", design.n)
    values = _as_values(y, design.n)
    if design.is_simple:
        sums = DomainSums.from_arrays(codes, design.weights, values, labels.size)
        return sums.estimates(labels)
    return domain_estimates(design, values, codes, labels)
