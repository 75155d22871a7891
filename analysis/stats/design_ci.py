"""Design-based intervals for a proportion: Wilson on n*, and svyciprop's forms.

Wilson on Kish's base (Σw)²/Σw² treats a weighted share as binomial, which holds
only when the weights are unrelated to the answer; in an opt-in panel they
rarely are, and the interval under-covers. The default interval here stands on
the design-based effective base n* = p̂(1 − p̂)/v̂ instead, v̂ being the
linearised variance (Korn & Graubard 1998): capped at n, and scaled by
(t_{nrow−1}/t_df)² so that a design with few PSUs widens it, as
``svyciprop(method = "beta")`` does. Where v̂ is 0 or undefined, or the domain
has no degrees of freedom, n* is undefined: the binomial methods then stand on
Kish's base, and :func:`degenerate` marks the cell so a table can say so.

Quantiles come from ``scipy.special`` and load only when a t quantile is
needed; the Wilson form on a design where nrow − 1 equals df needs none.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import numpy.typing as npt

from analysis.methods import DESIGN_METHODS, DesignMethod, as_binomial
from analysis.stats.intervals import (
    FloatArray,
    check_level,
    check_method,
    proportion_ci,
)

SE_TOLERANCE = 1e-12
"""An SE at most this (times max(1, |estimate|)) is 0: R gives 1e-17 for a
domain inside one PSU, where the exact value is 0."""


def _floats(value: npt.ArrayLike) -> FloatArray:
    return np.asarray(value, dtype=np.float64)


def effective_base(
    estimate: npt.ArrayLike,
    se: npt.ArrayLike,
    *,
    n: npt.ArrayLike | None = None,
    nrow: npt.ArrayLike | None = None,
    df: npt.ArrayLike | None = None,
    level: float = 0.95,
) -> FloatArray:
    """Design-based effective base n* = p̂(1 − p̂)/v̂ of a proportion (vectorised).

    Parameters
    ----------
    estimate, se : array
        The proportion and its linearised standard error (v̂ = SE²).
    n : array, optional
        Rows answering: n* is capped at n.
    nrow, df : array, optional
        Rows of the domain and its design degrees of freedom: n* is scaled
        by (t_{nrow−1}/t_df)² at ``level`` (1 when nrow − 1 = df, as for a
        design where every row is its own PSU). ``nrow`` defaults to df + 1.
    level : float
        Confidence level of the t quantiles.

    Returns
    -------
    array
        n*; NaN where v̂ is 0 or undefined, or df < 1.

    Examples
    --------
    >>> round(float(effective_base(0.91, 0.0284351962063673)), 3)
    101.291
    >>> float(effective_base(0.91, 0.0284351962063673, n=100))
    100.0

    References
    ----------
    E. L. Korn and B. I. Graubard (1998), "Confidence intervals for proportions
    with small expected number of positive counts estimated from survey data",
    Survey Methodology 24:193–201. P. Kott and P. D. Liu (2009), "One-sided
    coverage intervals for a proportion estimated from a stratified simple
    random sample", International Statistical Review 77:251–265.
    """
    p, s = _floats(estimate), _floats(se)
    with np.errstate(divide="ignore", invalid="ignore"):
        base = p * (1 - p) / (s * s)
    undefined = ~(s > SE_TOLERANCE * np.maximum(1.0, np.abs(p))) | ~(base > 0)
    if n is not None:
        base = np.minimum(base, _floats(n))
    if df is not None:
        d = _floats(df)
        rows = d + 1 if nrow is None else _floats(nrow)
        undefined = undefined | ~(d >= 1)
        scaled = (rows - 1 != d) & ~undefined
        if np.any(scaled):
            from scipy import special as _spec

            q = 1 - (1 - check_level(level)) / 2
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = _spec.stdtrit(rows - 1, q) / _spec.stdtrit(d, q)
            base = np.where(scaled, base * ratio * ratio, base)
    out: FloatArray = np.where(undefined | ~np.isfinite(base), np.nan, base)
    return out


def degenerate(
    estimate: npt.ArrayLike, se: npt.ArrayLike, df: npt.ArrayLike
) -> npt.NDArray[np.bool_]:
    """Cells whose variance says nothing: SE 0 or undefined, df < 1, p̂ 0 or 1.

    A domain inside one PSU has df 0 and SE 0 (its influence values sum to 0
    within the PSU); an all-0 or all-1 cell has SE 0. Neither has a
    design-based interval.
    """
    p, s = _floats(estimate), _floats(se)
    zero_se = ~(s > SE_TOLERANCE * np.maximum(1.0, np.abs(p)))
    mask: npt.NDArray[np.bool_] = zero_se | ~(_floats(df) >= 1)
    return mask


def design_proportion_ci(
    estimate: npt.ArrayLike,
    se: npt.ArrayLike,
    *,
    n_eff: npt.ArrayLike,
    df: npt.ArrayLike,
    nrow: npt.ArrayLike,
    n: npt.ArrayLike | None = None,
    method: DesignMethod = "wilson",
    level: float = 0.95,
) -> tuple[FloatArray, FloatArray]:
    """Confidence interval for a design-based proportion (vectorised).

    Parameters
    ----------
    estimate, se : array
        Estimated proportion and its (linearised) standard error.
    n_eff : array
        Kish effective base: ``wilson-kish`` stands on it, and the binomial
        methods fall back on it where n* is undefined.
    df : array
        Design degrees of freedom of the domain (PSUs minus strata), counted
        before rows with a missing answer leave.
    nrow : array
        Rows of the domain, answering or not (``svyciprop``'s
        ``nrow(design)``), read by ``beta`` and by n*.
    n : array, optional
        Rows answering, the cap of n* (default ``nrow``).
    method : {"wilson", "clopper-pearson", "jeffreys", "agresti-coull", \
"wilson-kish", "logit", "mean", "beta", "normal"}
        A binomial method (:data:`analysis.methods.BinomialMethod`): that
        interval for p̂·n* successes out of the design-based base n*
        (:func:`effective_base`), as :func:`proportion_ci` computes it.
        ``wilson-kish``: Wilson on Kish's base. ``mean``: p̂ ± t·SE.
        ``logit``: expit(logit p̂ ± t·SE / (p̂(1 − p̂))). ``beta``:
        Clopper–Pearson on p̂(1 − p̂)/SE², scaled by (t_{nrow−1}/t_df)².
        ``normal``: p̂ ± z·SE. t is Student's t on ``df``; on 0 df the t-based
        forms give NaN, as R does. When SE = 0 on 1 df or more, ``logit`` and
        ``beta`` return the point p̂ as both bounds; ``mean`` and ``normal``
        may leave [0, 1] (the bounds R gives, unclipped).
    level : float
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    (low, high) : tuple of arrays

    Examples
    --------
    >>> low, high = design_proportion_ci(
    ...     0.91, 0.0284352, n_eff=100, df=99, nrow=100, method="logit"
    ... )
    >>> round(float(low), 4), round(float(high), 4)
    (0.8354, 0.9527)

    References
    ----------
    T. Lumley, R package survey, ``svyciprop``. E. L. Korn and B. I. Graubard
    (1998), Survey Methodology 24:193–201. E. B. Wilson (1927), JASA
    22:209–212.
    """
    level = check_level(level)
    check_method(method, DESIGN_METHODS)
    p, s = _floats(estimate), _floats(se)
    alpha = 1.0 - level
    binomial = as_binomial(method)
    if binomial is not None or method == "wilson-kish":
        kish = _floats(n_eff)
        base = kish
        if binomial is not None:
            rows = _floats(nrow)
            n_star = effective_base(
                p, s, n=rows if n is None else n, nrow=rows, df=df, level=level
            )
            base = np.where(np.isnan(n_star), kish, n_star)
        low, high = proportion_ci(
            p * base, base, method=binomial or "wilson", level=level
        )
        return _floats(low), _floats(high)
    if method == "normal":
        z = NormalDist().inv_cdf(1 - alpha / 2)
        return p - z * s, p + z * s
    from scipy import special as _spec

    d = _floats(df)
    t = _spec.stdtrit(d, 1 - alpha / 2)  # NaN on 0 df: no interval, as in R
    if method == "mean":
        return p - t * s, p + t * s
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "logit":
            low, high = _logit_ci(p, s, t)
        else:
            low, high = _beta_ci(p, s, t, _floats(nrow), alpha)
    point = (s == 0) & (d >= 1)
    return np.where(point, p, low), np.where(point, p, high)


def _logit_ci(
    p: FloatArray, se: FloatArray, t: FloatArray
) -> tuple[FloatArray, FloatArray]:
    from scipy import special as _spec

    centre = np.log(p / (1 - p))
    half = t * se / (p * (1 - p))
    return _spec.expit(centre - half), _spec.expit(centre + half)


def _beta_ci(
    p: FloatArray, se: FloatArray, t: FloatArray, nrow: FloatArray, alpha: float
) -> tuple[FloatArray, FloatArray]:
    from scipy import special as _spec

    df = _spec.stdtrit(nrow - 1, alpha / 2) / (-t)
    n_eff = p * (1 - p) / se**2 * df**2
    low = _spec.betaincinv(n_eff * p, n_eff * (1 - p) + 1, alpha / 2)
    high = _spec.betaincinv(n_eff * p + 1, n_eff * (1 - p), 1 - alpha / 2)
    known = np.isfinite(t)
    return (
        np.where((p <= 0) & known, 0.0, low),
        np.where((p >= 1) & known, 1.0, high),
    )
