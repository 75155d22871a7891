"""Confidence intervals for proportions, effective bases and base flags.

Unweighted intervals (:func:`proportion_ci`) take counts; they also accept
fractional counts, so a weighted estimate can be given as ``p̂·n*`` successes
out of an effective base ``n*``. Design-based intervals, which take an
estimate, its linearised standard error and the design degrees of freedom as
R's ``survey::svyciprop`` does, are in :mod:`analysis.stats.design_ci`.

Every function here is vectorised over numpy arrays. ``scipy.special`` (about
0.1 s to import) loads only for the intervals that need it: Wilson, Agresti–Coull
and the normal form take their quantile from :class:`statistics.NormalDist`.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Literal, overload

import numpy as np
import numpy.typing as npt

from analysis.errors import SurveyDataError
from analysis.methods import BINOMIAL_METHODS, BinomialMethod

FloatArray = npt.NDArray[np.float64]

BaseFlag = Literal["ok", "small_base", "low_base", "suppressed"]


@dataclass(frozen=True)
class Interval:
    """A confidence interval for one estimate, with the method that built it."""

    low: float
    high: float
    level: float
    method: str


def check_level(level: float) -> float:
    """Return ``level`` as a float, or raise if it is not strictly in (0, 1)."""
    if not isinstance(level, int | float) or not 0.0 < float(level) < 1.0:
        raise SurveyDataError(f"level ({level}) must be between 0 and 1")
    return float(level)


def check_method(method: str, allowed: tuple[str, ...]) -> None:
    """Raise unless ``method`` is one of ``allowed``, listing them."""
    if method not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise SurveyDataError(f"method ({method!r}) must be one of {choices}")


def _z(alpha: float) -> float:
    """The two-sided normal quantile z_{1−α/2} (to one ulp of ``ndtri``)."""
    return NormalDist().inv_cdf(1 - alpha / 2)


def _as_float_array(value: Any, name: str) -> FloatArray:
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise SurveyDataError(f"{name} ({value!r}) must be numeric") from None


def _check_counts(x: FloatArray, n: FloatArray) -> None:
    # NaN inputs pass through and give NaN bounds.
    bad_n = n < 0
    if np.any(bad_n):
        raise SurveyDataError(f"n ({n[bad_n].flat[0]}) must be 0 or more")
    bad_x = (x < 0) | (x > n)
    if np.any(bad_x):
        i = np.flatnonzero(np.broadcast_to(bad_x, bad_x.shape))[0]
        xb, nb = np.broadcast_arrays(x, n)
        raise SurveyDataError(
            f"successes ({xb.flat[i]}) must be between 0 and n ({nb.flat[i]})"
        )


def _wilson(x: FloatArray, n: FloatArray, z: float) -> tuple[FloatArray, FloatArray]:
    z2 = z * z
    centre = (x + z2 / 2) / (n + z2)
    half = z / (n + z2) * np.sqrt(x * (n - x) / n + z2 / 4)
    low = np.where(x <= 0, 0.0, centre - half)
    high = np.where(x >= n, 1.0, centre + half)
    return low, high


def _clopper_pearson(
    x: FloatArray, n: FloatArray, alpha: float
) -> tuple[FloatArray, FloatArray]:
    from scipy import special as _spec

    low = np.where(x <= 0, 0.0, _spec.betaincinv(x, n - x + 1, alpha / 2))
    high = np.where(x >= n, 1.0, _spec.betaincinv(x + 1, n - x, 1 - alpha / 2))
    return low, high


def _jeffreys(
    x: FloatArray, n: FloatArray, alpha: float
) -> tuple[FloatArray, FloatArray]:
    from scipy import special as _spec

    low = np.where(x <= 0, 0.0, _spec.betaincinv(x + 0.5, n - x + 0.5, alpha / 2))
    high = np.where(x >= n, 1.0, _spec.betaincinv(x + 0.5, n - x + 0.5, 1 - alpha / 2))
    return low, high


def _agresti_coull(
    x: FloatArray, n: FloatArray, z: float
) -> tuple[FloatArray, FloatArray]:
    n_tilde = n + z * z
    p_tilde = (x + z * z / 2) / n_tilde
    half = z * np.sqrt(p_tilde * (1 - p_tilde) / n_tilde)
    return np.clip(p_tilde - half, 0.0, 1.0), np.clip(p_tilde + half, 0.0, 1.0)


@overload
def proportion_ci(
    successes: float,
    n: float,
    *,
    method: BinomialMethod = ...,
    level: float = ...,
) -> tuple[float, float]: ...


@overload
def proportion_ci(
    successes: npt.NDArray[Any],
    n: npt.NDArray[Any] | float,
    *,
    method: BinomialMethod = ...,
    level: float = ...,
) -> tuple[FloatArray, FloatArray]: ...


@overload
def proportion_ci(
    successes: float,
    n: npt.NDArray[Any],
    *,
    method: BinomialMethod = ...,
    level: float = ...,
) -> tuple[FloatArray, FloatArray]: ...


def proportion_ci(
    successes: npt.NDArray[Any] | float,
    n: npt.NDArray[Any] | float,
    *,
    method: BinomialMethod = "wilson",
    level: float = 0.95,
) -> tuple[FloatArray | float, FloatArray | float]:
    """Two-sided confidence interval for a binomial proportion.

    Parameters
    ----------
    successes : float or array
        Number of successes. Fractional values are allowed, so a weighted
        proportion ``p`` on a Kish effective base ``n_eff`` is ``p * n_eff``.
    n : float or array
        Base (trials, or effective base); broadcast against ``successes``.
        ``n = 0`` gives NaN bounds.
    method : {"wilson", "clopper-pearson", "jeffreys", "agresti-coull"}
        Wilson score interval (default); Clopper–Pearson exact; Jeffreys
        equal-tailed Beta(½, ½) interval, with low = 0 at x = 0 and high = 1 at
        x = n; Agresti–Coull, clipped to [0, 1].
    level : float
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    (low, high) : tuple of floats, or of arrays when an input is an array

    Examples
    --------
    >>> low, high = proportion_ci(56, 70)
    >>> round(low, 4), round(high, 4)
    (0.6918, 0.877)

    References
    ----------
    E. B. Wilson (1927), JASA 22:209–212. C. J. Clopper and E. S. Pearson (1934),
    Biometrika 26:404–413. L. D. Brown, T. T. Cai and A. DasGupta (2001),
    "Interval estimation for a binomial proportion", Statistical Science
    16:101–133. A. Agresti and B. A. Coull (1998), The American Statistician
    52:119–126.
    """
    level = check_level(level)
    check_method(method, BINOMIAL_METHODS)
    x = _as_float_array(successes, "successes")
    nn = _as_float_array(n, "n")
    _check_counts(x, nn)
    x, nn = np.broadcast_arrays(x, nn)
    alpha = 1.0 - level
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "wilson":
            low, high = _wilson(x, nn, _z(alpha))
        elif method == "clopper-pearson":
            low, high = _clopper_pearson(x, nn, alpha)
        elif method == "jeffreys":
            low, high = _jeffreys(x, nn, alpha)
        else:
            low, high = _agresti_coull(x, nn, _z(alpha))
    empty = ~(nn > 0)
    low = np.where(empty, np.nan, low).astype(np.float64)
    high = np.where(empty, np.nan, high).astype(np.float64)
    if np.ndim(successes) == 0 and np.ndim(n) == 0:
        return float(low), float(high)
    return low, high


def kish_n_eff(weights: npt.ArrayLike) -> float:
    """Kish effective sample size (Σw)² / Σw² of a set of weights.

    Parameters
    ----------
    weights : array
        Non-negative weights.

    Returns
    -------
    float
        The effective base; 0 when the weights are empty or all zero.

    Examples
    --------
    >>> kish_n_eff([1.0, 1.0, 2.0])
    2.6666666666666665

    References
    ----------
    L. Kish (1965), *Survey Sampling*, Wiley, §11.7.
    """
    w = _as_float_array(weights, "weights")
    sum_w2 = float(np.sum(w * w))
    return float(np.sum(w)) ** 2 / sum_w2 if sum_w2 > 0 else 0.0


@overload
def base_flag(n: float, thresholds: tuple[float, float, float] = ...) -> str: ...


@overload
def base_flag(
    n: npt.NDArray[Any] | list[float] | list[int],
    thresholds: tuple[float, float, float] = ...,
) -> npt.NDArray[np.str_]: ...


def base_flag(
    n: npt.NDArray[Any] | list[float] | list[int] | float,
    thresholds: tuple[float, float, float] = (100, 30, 10),
) -> str | npt.NDArray[np.str_]:
    """Flag each base as ``ok``, ``small_base``, ``low_base`` or ``suppressed``.

    Parameters
    ----------
    n : float or array
        Bases (unweighted n or n_eff, as the caller's policy says). NaN is
        flagged ``suppressed``.
    thresholds : (small, low, suppressed)
        A base under ``small`` is ``small_base``, under ``low`` is ``low_base``
        (shown greyed, never tested), under ``suppressed`` is ``suppressed``
        (not shown). Must be decreasing.

    Returns
    -------
    str or numpy array of str
        A string for a scalar ``n``, else an array of the same shape.

    Examples
    --------
    >>> base_flag([250, 80, 12, 3]).tolist()
    ['ok', 'small_base', 'low_base', 'suppressed']
    """
    small, low, suppressed = (float(v) for v in thresholds)
    if not small >= low >= suppressed >= 0:
        raise SurveyDataError(
            f"thresholds ({thresholds}) must be decreasing and non-negative, "
            "as (small_base, low_base, suppressed)"
        )
    nn = _as_float_array(n, "n")
    flags = np.select(
        [~(nn >= suppressed), nn < low, nn < small],
        ["suppressed", "low_base", "small_base"],
        default="ok",
    )
    return str(flags) if flags.ndim == 0 else flags
