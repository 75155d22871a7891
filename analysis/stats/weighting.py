"""Weighting a sample to its population: raking, post-stratification, trimming.

An opt-in panel is made to look like the population by adjusting its weights so
that weighted counts meet known population margins. :func:`rake` fits several
margins by iterative proportional fitting (R's ``survey::rake``), optionally
alternating with trimming to caps given as multiples of the mean weight, as
rim-weighting tools do; :func:`poststratify` fits one joint table;
:func:`trim_weights` is R's ``trimWeights(strict = TRUE)``.

Every failure is an error that names what failed — a margin that does not
converge, a target category the sample lacks, a sample category without a
target — never a silent best effort. The result carries its diagnostics and the
calibration variables, so :func:`analysis.stats.calibration.calibrated_mean` can
give the GREG-residual standard error that ``survey::calibrate(...,
calfun = "raking")`` reports.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import WeightingError
from analysis.stats.intervals import FloatArray

Targets = Mapping[str, Mapping[Hashable, float]]
"""Population counts per category of each weighting variable."""

TOLERANCE = 1e-12
"""Largest margin gap left, as a share of the population total.

Tight enough that raked weights agree with R's converged ``rake()`` (epsilon
1e-12) to 1e-8 relative.
"""

_Fitted = tuple[np.ndarray, FloatArray, list[str]]
"""One margin ready to fit: category codes, target counts, category labels."""


@dataclass(frozen=True)
class MarginFit:
    """One weighting variable: sample, target and weighted shares per category."""

    variable: str
    categories: tuple[str, ...]
    sample_share: tuple[float, ...]
    target_share: tuple[float, ...]
    weighted_share: tuple[float, ...]


@dataclass(frozen=True, eq=False)
class Weighting:
    """Weights fitted to population targets, with what a reader must know of them."""

    weights: FloatArray
    base_weights: FloatArray
    method: str
    iterations: int
    converged: bool
    max_margin_gap: float
    margins: tuple[MarginFit, ...]
    calibration: FloatArray
    """Indicator columns of the fitted categories (n × k), for GREG variances."""

    @property
    def n(self) -> int:
        """Number of respondents weighted."""
        return int(self.weights.size)

    @property
    def n_eff(self) -> float:
        """Kish's effective base (Σw)²/Σw²."""
        w = self.weights
        return float(w.sum() ** 2 / np.dot(w, w))

    @property
    def efficiency(self) -> float:
        """Weighting efficiency n_eff / n, in [0, 1]."""
        return self.n_eff / self.n

    @property
    def deff(self) -> float:
        """Kish's design effect from weighting, n / n_eff."""
        return self.n / self.n_eff

    @property
    def cv(self) -> float:
        """Coefficient of variation of the weights (population form)."""
        return float(self.weights.std() / self.weights.mean())


def _codes(
    values: npt.ArrayLike, variable: str, n: int
) -> tuple[np.ndarray, list[str]]:
    """Each row's category code, categories sorted by their text."""
    array = values if isinstance(values, pd.Series) else np.asarray(values)
    if array.shape != (n,):
        raise WeightingError(
            f"weighting variable {variable!r} has {array.shape[0]} rows; expected {n}"
        )
    found, uniques = pd.factorize(array)
    text = np.array([*(str(u) for u in uniques), ""], dtype=str)
    labels, inverse = np.unique(text, return_inverse=True)
    codes = inverse[found]  # a missing value (code -1) reads the "" at the end
    missing = np.isin(labels, ["", "nan"])
    if missing[codes].any():
        row = int(np.flatnonzero(missing[codes])[0])
        raise WeightingError(
            f"weighting variable {variable!r} is missing for respondent at row "
            f"{row + 1}; every respondent needs a category to be weighted"
        )
    kept = np.cumsum(~missing) - 1  # renumber without the missing labels
    return kept[codes].astype(np.intp), [str(v) for v in labels[~missing]]


def _margin(
    column: npt.ArrayLike, variable: str, counts: Mapping[Any, float], n: int
) -> _Fitted:
    codes, labels = _codes(column, variable, n)
    wanted = {str(k): float(v) for k, v in counts.items()}
    bad = [k for k, v in wanted.items() if not (np.isfinite(v) and v >= 0)]
    if bad:
        raise WeightingError(
            f"target for {variable}={bad[0]!r} must be a finite count ≥ 0; "
            f"got {wanted[bad[0]]}"
        )
    lacking = [k for k, v in wanted.items() if v > 0 and k not in labels]
    if lacking:
        raise WeightingError(
            f"target category {variable}={lacking[0]!r} has no respondent in the "
            f"sample (sample categories: {', '.join(labels)})"
        )
    empty = [lab for lab in labels if wanted.get(lab, 0.0) <= 0]
    if empty:
        raise WeightingError(
            f"sample category {variable}={empty[0]!r} has no target (or a target "
            f"of 0); give it a target or recode it (targets: "
            f"{', '.join(wanted) or 'none'})"
        )
    return codes, np.array([wanted[lab] for lab in labels]), labels


def _fit(
    weights: FloatArray, codes: np.ndarray, target: FloatArray
) -> tuple[FloatArray, float]:
    sums = np.bincount(codes, weights, minlength=target.size)
    gap = float(np.max(np.abs(sums - target)))
    return weights * (target / sums)[codes], gap


def rake(
    weights: npt.ArrayLike,
    columns: Mapping[str, npt.ArrayLike],
    targets: Targets,
    *,
    cap: tuple[float, float] | None = None,
    tolerance: float = TOLERANCE,
    max_iter: int = 1000,
) -> Weighting:
    """Rake ``weights`` so the weighted counts of each variable meet its targets.

    Parameters
    ----------
    weights : array
        Starting (design) weights, > 0; use ones for an unweighted sample.
    columns : mapping
        The category of each respondent, per weighting variable.
    targets : mapping
        Population counts per category, per variable; every variable's counts
        must add up to the same population total.
    cap : (low, high), optional
        Bounds on the final weights as multiples of their mean; raking and
        trimming alternate until both the margins and the caps hold.
    tolerance : float
        Largest margin gap left, as a share of the population total.
    max_iter : int
        Raking cycles allowed before failing with the margin that is furthest off.

    Returns
    -------
    Weighting

    References
    ----------
    W. E. Deming and F. F. Stephan (1940), On a least squares adjustment of a
    sampled frequency table when the expected marginal totals are known, *Ann.
    Math. Statist.* 11, 427–444. T. Lumley (2010), *Complex Surveys*, §7.
    """
    base = _as_weights(weights)
    n = base.size
    if not columns:
        raise WeightingError("raking needs at least one weighting variable")
    missing = [v for v in columns if v not in targets]
    if missing:
        raise WeightingError(f"no targets for weighting variable {missing[0]!r}")
    fitted = {v: _margin(columns[v], v, targets[v], n) for v in columns}
    total = _common_total(fitted)
    w = base * (total / base.sum())
    if cap is None:
        # without caps every weight of one joint cell moves by the same factor:
        # rake the cells' totals, then spread them over their respondents
        cell, cells = _joint_cells(fitted, n)
        start: FloatArray = np.bincount(cell, w).astype(np.float64)
        raked, iterations, gap = _ipf(start, cells, total, None, tolerance, max_iter)
        w = w * (raked / start)[cell]
    else:
        _check_cap(cap)
        w, iterations, gap = _ipf(w, fitted, total, cap, tolerance, max_iter)
    return _result(base, w, "rake", iterations, gap, fitted)


def _ipf(
    w: FloatArray,
    fitted: Mapping[str, _Fitted],
    total: float,
    cap: tuple[float, float] | None,
    tolerance: float,
    max_iter: int,
) -> tuple[FloatArray, int, float]:
    """Raking cycles (then trimming, with caps) until every margin is met."""
    gaps: dict[str, float] = {}
    for iterations in range(1, max_iter + 1):
        for codes, target, _ in fitted.values():
            w, _ = _fit(w, codes, target)
        if cap is not None:
            w = trim_weights(w, cap[0] * w.mean(), cap[1] * w.mean())
        gaps = {
            v: float(np.max(np.abs(np.bincount(c, w, minlength=t.size) - t)))
            for v, (c, t, _) in fitted.items()
        }
        if max(gaps.values()) / total <= tolerance and _within_cap(w, cap):
            return w, iterations, max(gaps.values()) / total
    worst = max(gaps, key=gaps.__getitem__)
    raise WeightingError(
        f"raking did not converge in {max_iter} cycles: margin {worst!r} is "
        f"still {gaps[worst] / total:.2%} of the population off its targets"
        + (" (the caps may be too tight for these targets)" if cap else "")
    )


def _joint_cells(
    fitted: Mapping[str, _Fitted], n: int
) -> tuple[np.ndarray, dict[str, _Fitted]]:
    """Each respondent's joint cell of every margin, and the margins per cell."""
    key = np.zeros(n, dtype=np.int64)
    for codes, target, _ in fitted.values():
        if target.size * (int(key.max()) + 1) > 2**62:  # keep the key in range
            key = pd.factorize(key)[0].astype(np.int64)
        key = key * target.size + codes
    cell, uniques = pd.factorize(key)
    first = np.empty(len(uniques), dtype=np.intp)
    first[cell] = np.arange(n)  # any row of a cell stands for its categories
    cells = {v: (c[first], t, labels) for v, (c, t, labels) in fitted.items()}
    return cell.astype(np.intp), cells


def poststratify(
    weights: npt.ArrayLike,
    columns: Mapping[str, npt.ArrayLike],
    cells: Mapping[tuple[str, ...], float],
) -> Weighting:
    """Scale ``weights`` so each joint cell of ``columns`` meets its target count.

    ``cells`` maps a tuple of categories, in the order of ``columns``, to the
    population count of that cell (R's ``postStratify``).
    """
    base = _as_weights(weights)
    n = base.size
    names = list(columns)
    if not names:
        raise WeightingError("post-stratification needs at least one variable")
    parts = [_codes(columns[v], v, n) for v in names]
    keys = np.array(
        ["\x1f".join(labels[c[i]] for c, labels in parts) for i in range(n)]
    )
    joint = {"\x1f".join(map(str, k)): float(v) for k, v in cells.items()}
    label = " × ".join(names)
    codes, target, labels = _margin(keys, label, joint, n)
    w, _ = _fit(base, codes, target)
    gap = float(np.max(np.abs(np.bincount(codes, w) - target))) / target.sum()
    fit = {label: (codes, target, [lab.replace("\x1f", " × ") for lab in labels])}
    return _result(base, w, "poststratify", 1, gap, fit)


def trim_weights(
    weights: npt.ArrayLike, lower: float, upper: float, *, strict: bool = True
) -> FloatArray:
    """Weights clipped to [lower, upper], the excess spread over the others.

    R's ``trimWeights(design, lower, upper, strict)``: the total weight is kept;
    with ``strict`` the spreading is repeated until no weight is outside.
    """
    w = _as_weights(weights)
    if not lower <= upper:
        raise WeightingError(f"trim bounds ({lower}, {upper}) must have low ≤ high")
    if lower * w.size > w.sum() or upper * w.size < w.sum():
        raise WeightingError(
            f"trim bounds ({lower:g}, {upper:g}) cannot hold: the mean weight "
            f"{w.mean():g} lies outside them"
        )
    for _ in range(10 * w.size):
        outside = (w < lower) | (w > upper)
        if not outside.any():
            break
        clipped = np.clip(w, lower, upper)
        if not outside.all():  # as R: with every weight outside, none takes the rest
            clipped[~outside] += (w - clipped).sum() / np.count_nonzero(~outside)
        w = clipped
        if not strict:
            break
    return w


def _as_weights(weights: npt.ArrayLike) -> FloatArray:
    w = np.array(weights, dtype=np.float64)
    if w.ndim != 1 or w.size == 0:
        raise WeightingError("weights must be a non-empty 1-D array")
    if not np.all(np.isfinite(w) & (w > 0)):
        row = int(np.flatnonzero(~(np.isfinite(w) & (w > 0)))[0])
        raise WeightingError(
            f"starting weight at row {row + 1} is {w[row]}; weights must be > 0"
        )
    return w


def _common_total(fitted: Mapping[str, _Fitted]) -> float:
    totals = {v: float(t.sum()) for v, (_, t, _) in fitted.items()}
    first, total = next(iter(totals.items()))
    for variable, value in totals.items():
        if not np.isclose(value, total, rtol=1e-6, atol=0):
            raise WeightingError(
                f"targets of {variable!r} add up to {value:g} but those of "
                f"{first!r} to {total:g}: every margin must describe the same "
                "population"
            )
    return total


def _check_cap(cap: tuple[float, float]) -> None:
    low, high = cap
    if not (0 <= low < 1 < high):
        raise WeightingError(
            f"cap ({low:g}, {high:g}) must be multiples of the mean weight with "
            "0 ≤ low < 1 < high, e.g. 0.3,3"
        )


def _within_cap(w: FloatArray, cap: tuple[float, float] | None) -> bool:
    if cap is None:
        return True
    mean = w.mean()
    slack = 1e-9 * mean
    return bool(w.min() >= cap[0] * mean - slack and w.max() <= cap[1] * mean + slack)


def _result(
    base: FloatArray,
    w: FloatArray,
    method: str,
    iterations: int,
    gap: float,
    fitted: Mapping[str, _Fitted],
) -> Weighting:
    margins = []
    sizes = [t.size for _, t, _ in fitted.values()]
    calibration = np.zeros((w.size, sum(sizes)))
    rows = np.arange(w.size)
    for offset, (variable, (codes, target, labels)) in zip(
        np.cumsum([0, *sizes[:-1]]), fitted.items(), strict=True
    ):
        k = target.size
        sample = np.bincount(codes, minlength=k) / codes.size
        weighted = np.bincount(codes, w, minlength=k) / w.sum()
        margins.append(
            MarginFit(
                variable,
                tuple(labels),
                tuple(map(float, sample)),
                tuple(map(float, target / target.sum())),
                tuple(map(float, weighted)),
            )
        )
        calibration[rows, offset + codes] = 1.0
    return Weighting(
        weights=w,
        base_weights=base,
        method=method,
        iterations=iterations,
        converged=True,
        max_margin_gap=gap,
        margins=tuple(margins),
        calibration=calibration,
    )
