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
from analysis.methods import LONELY_PSU_RULES, DesignMethod, LonelyPSU
from analysis.stats.domains import DomainEstimates, DomainSums, domain_estimates
from analysis.stats.intervals import FloatArray, Interval, design_proportion_ci

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
        Sampling weights, finite and > 0, one per row.
    strata : array, optional
        Stratum of each row.
    clusters : array, optional
        Primary sampling unit of each row; PSU labels are read within strata
        (survey's ``nest=TRUE``). Without clusters, every row is its own PSU.
    fpc : array, optional
        Finite-population correction per row, constant within a stratum: either
        the stratum's population size in PSUs N_h (as ``apistrat$fpc``), or the
        sampling fraction n_h/N_h when every value is ≤ 1, as survey reads it.
    lonely_psu : {"fail", "certainty"}
        A stratum with one PSU raises (``fail``, survey's default) or is
        self-representing and adds no variance (``certainty``, survey's
        ``options(survey.lonely.psu="certainty")``).
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
    stratum_scale: FloatArray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        w = np.asarray(self.weights, dtype=np.float64)
        if w.ndim != 1 or w.size < 2:
            raise SurveyDataError(
                f"weights must be a 1-D array of 2 or more rows; got {w.shape}"
            )
        if not np.all(np.isfinite(w) & (w > 0)):
            bad = w[~(np.isfinite(w) & (w > 0))][0]
            raise SurveyDataError(f"weights must be finite and > 0; found {bad}")
        if not self.weighted and not np.all(w == 1.0):
            raise SurveyDataError("an unweighted design (weighted=False) has weights 1")
        if self.lonely_psu not in LONELY_PSU_RULES:
            raise SurveyDataError(
                f"lonely_psu ({self.lonely_psu!r}) must be 'fail' or 'certainty'"
            )
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
        set_(self, "stratum_code", strata)
        set_(self, "psu_code", psu)
        set_(self, "psu_stratum", psu_stratum)
        set_(self, "stratum_scale", self._scale(n_h, labels, strata))

    def _scale(self, n_h: FloatArray, labels: Any, strata: IntArray) -> FloatArray:
        lonely = n_h < 2
        if np.any(lonely) and self.lonely_psu == "fail":
            label = labels[np.flatnonzero(lonely)[0]].item()
            raise SurveyDataError(
                f"stratum {label!r} has a single PSU, so its variance cannot be "
                "estimated; pass lonely_psu='certainty' to treat it as "
                "self-representing"
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(lonely, 0.0, n_h / (n_h - 1))
        if self.fpc is None:
            return scale
        f = np.asarray(self.fpc, dtype=np.float64)
        if f.shape != strata.shape or not np.all(np.isfinite(f) & (f > 0)):
            raise SurveyDataError("fpc must hold one finite value > 0 per row")
        f_h = np.bincount(strata, f) / np.bincount(strata)
        if not np.allclose(f, f_h[strata], rtol=0, atol=1e-9 * f.max()):
            raise SurveyDataError("fpc must be constant within each stratum")
        fraction = f_h if np.all(f <= 1) else n_h / f_h
        if np.any(fraction > 1):
            raise SurveyDataError(
                "fpc gives a population smaller than the sample in some stratum: "
                "pass population sizes N_h ≥ n_h, or sampling fractions ≤ 1"
            )
        return scale * (1 - fraction)

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
        """Design degrees of freedom: number of PSUs minus number of strata."""
        return int(self.psu_stratum.size - self.stratum_scale.size)

    def variance(self, z: FloatArray) -> float:
        """Linearised variance of a total with influence values ``z`` (one per row).

        With-replacement: Σ_h n_h/(n_h − 1)·(1 − f_h)·Σ_j (z_hj − z̄_h)² over PSU
        totals z_hj.
        """
        totals = np.bincount(self.psu_code, z, minlength=self.psu_stratum.size)
        n_h = np.bincount(self.psu_stratum).astype(np.float64)
        mean_h = np.bincount(self.psu_stratum, totals) / n_h
        dev = totals - mean_h[self.psu_stratum]
        ss_h = np.bincount(self.psu_stratum, dev * dev, minlength=n_h.size)
        return float(np.sum(self.stratum_scale * ss_h))

    def domain_degf(self, in_domain: npt.NDArray[np.bool_]) -> int:
        """PSUs in the domain minus strata in the domain (survey's ``degf``)."""
        psus = np.unique(self.psu_code[in_domain])
        return int(psus.size - np.unique(self.psu_stratum[psus]).size)


@dataclass(frozen=True)
class DesignEstimate:
    """A weighted mean or proportion with its design-based uncertainty.

    ``n`` is the unweighted base (rows in the domain with a value), ``sum_w`` the
    weighted base, ``n_eff`` the Kish effective base of the domain, ``degf`` the
    domain's design degrees of freedom and ``deff`` the design effect against
    simple random sampling without replacement (survey's ``deff=TRUE``).
    """

    estimate: float
    se: float
    n: int
    sum_w: float
    n_eff: float
    degf: int
    deff: float

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
            nrow=self.n,
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
    mask = ~np.isnan(values)
    if domain is not None:
        dom = np.asarray(domain)
        if dom.shape != (design.n,) or dom.dtype != np.bool_:
            raise SurveyDataError(
                f"domain must be a boolean array of {design.n} rows; got "
                f"{dom.dtype} {dom.shape}"
            )
        mask &= dom
    w = np.where(mask, design.weights, 0.0)
    v = np.where(mask, values, 0.0)
    sum_w = float(w.sum())
    n = int(mask.sum())
    if n == 0:
        return DesignEstimate(np.nan, np.nan, 0, 0.0, 0.0, 0, np.nan)
    est = float(np.dot(w, v)) / sum_w
    z = w * (v - est) / sum_w
    var = design.variance(z)
    return DesignEstimate(
        estimate=est,
        se=float(np.sqrt(var)),
        n=n,
        sum_w=sum_w,
        n_eff=sum_w**2 / float(np.dot(w, w)),
        degf=design.domain_degf(mask),
        deff=_deff(var, w, v, est, n),
    )


def _deff(var: float, w: FloatArray, v: FloatArray, est: float, n: int) -> float:
    # survey's svymean deff: SRS without replacement with N̂ = Σw, on the rows used.
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
