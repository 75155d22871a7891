"""The Rao–Scott test of a share across the segments of one variable.

Letters compare segments two by two; the question "does this share differ by
segment at all?" is one test of the answer × segment table. Pearson's X² on a
weighted table is not χ²: the design inflates it. Rao and Scott's
second-order correction divides X² by the trace of the generalised design
effect matrix Δ and refers it to an F distribution on d = tr(Δ)²/tr(Δ²) and
d·ν degrees of freedom, ν being the design's degrees of freedom — R's
``svychisq(~answer + segment, design, statistic = "F")``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.stats.design import SurveyDesign
from analysis.stats.intervals import FloatArray


@dataclass(frozen=True)
class RaoScottTest:
    """F = X²/tr(Δ) on (ndf, ddf) degrees of freedom, and its p-value.

    ``chisq`` is Pearson's X² on the weighted table scaled to the rows used;
    ``mean_deff`` the mean generalised design effect tr(Δ)/((r − 1)(c − 1)).
    Arrays when :func:`rao_scott` is given a stack of tables.
    """

    statistic: Any
    ndf: Any
    ddf: Any
    p_value: Any
    chisq: Any
    mean_deff: Any
    method: str = "rao-scott-f"


def _vec(p: FloatArray) -> FloatArray:
    """Cells in R's ``interaction(rows, cols)`` order: rows vary fastest."""
    flat: FloatArray = np.swapaxes(p, -1, -2).reshape(*p.shape[:-2], -1)
    return flat


def _contrasts(nr: int, nc: int) -> FloatArray:
    """Interaction contrasts made orthogonal to the main effects (R's Cmat)."""
    rows = np.tile(np.arange(nr), nc)
    cols = np.repeat(np.arange(nc), nr)
    main = [np.ones(nr * nc)]
    main += [(rows == r).astype(float) for r in range(1, nr)]
    main += [(cols == c).astype(float) for c in range(1, nc)]
    x1 = np.column_stack(main)
    inter = np.column_stack(
        [
            ((rows == r) & (cols == c)).astype(float)
            for c in range(1, nc)
            for r in range(1, nr)
        ]
    )
    fitted = x1 @ np.linalg.lstsq(x1, inter, rcond=None)[0]
    resid: FloatArray = inter - fitted
    return resid


def rao_scott(
    table: npt.ArrayLike, covariance: npt.ArrayLike, n: npt.ArrayLike, df: npt.ArrayLike
) -> RaoScottTest:
    """Rao–Scott F for an r × c table of estimated cell proportions (vectorised).

    Parameters
    ----------
    table : array (…, r, c)
        Estimated proportions of each cell, summing to 1.
    covariance : array (…, rc, rc)
        Their linearised covariance, cells in R's order (rows vary fastest).
    n : array
        Rows used (the table's total): X² and Δ both scale with it, F does not.
    df : array
        The design's degrees of freedom ν.

    Returns
    -------
    RaoScottTest
        NaN where the table has a single row or column with cases.

    References
    ----------
    J. N. K. Rao and A. J. Scott (1984), "On chi-squared tests for multiway
    contingency tables with cell proportions estimated from survey data",
    Annals of Statistics 12:46–60. T. Lumley, R package survey, ``svychisq``.
    """
    from scipy import special as _spec

    p = np.asarray(table, dtype=np.float64)
    v = np.asarray(covariance, dtype=np.float64)
    nn, nu = np.asarray(n, dtype=np.float64), np.asarray(df, dtype=np.float64)
    nr, nc = p.shape[-2:]
    c = _contrasts(nr, nc)
    mean = _vec(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        inverse = np.where(mean > 0, 1.0 / mean, 0.0)
        scaled = c * inverse[..., :, None]  # diag(1/π)·C
        denom = np.swapaxes(c, -1, -2) @ scaled / nn[..., None, None]
        numr = np.swapaxes(scaled, -1, -2) @ v @ scaled
        delta = np.linalg.solve(denom, numr)
        trace = np.trace(delta, axis1=-2, axis2=-1)
        trace2 = np.sum(delta * np.swapaxes(delta, -1, -2), axis=(-2, -1))
        rows, cols = p.sum(axis=-1), p.sum(axis=-2)
        expected = rows[..., :, None] * cols[..., None, :]
        chisq = nn * np.sum(
            np.where(expected > 0, (p - expected) ** 2 / expected, 0.0), axis=(-2, -1)
        )
        ndf = trace * trace / trace2
        stat = chisq / trace
    ddf = ndf * nu
    return RaoScottTest(
        statistic=stat,
        ndf=ndf,
        ddf=ddf,
        p_value=_spec.fdtrc(ndf, ddf, stat),
        chisq=chisq,
        mean_deff=trace / ((nr - 1) * (nc - 1)),
    )


def simple_cell_covariance(
    sum_w: npt.ArrayLike, sum_w2: npt.ArrayLike, n_total: npt.ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Cell proportions and their covariance when every row is its own PSU.

    Parameters
    ----------
    sum_w, sum_w2 : array (…, C)
        Σw and Σw² of the rows in each cell.
    n_total : array
        Rows of the design (the n of n/(n − 1)).

    Returns
    -------
    (proportions, covariance) : arrays (…, C) and (…, C, C)
        π_c = W_c/W and n/(n − 1)·(δ_cd·S_c − π_d·S_c − π_c·S_d + π_c·π_d·S)/W²,
        S_c = Σ_c w²: the linearised covariance of the cells' shares.
    """
    w = np.asarray(sum_w, dtype=np.float64)
    s = np.asarray(sum_w2, dtype=np.float64)
    total = w.sum(axis=-1, keepdims=True)
    pi = w / total
    m = np.asarray(n_total, dtype=np.float64)[..., None, None]
    outer_s = pi[..., None, :] * s[..., :, None]
    cov = (
        np.eye(w.shape[-1]) * s[..., None, :]
        - outer_s
        - np.swapaxes(outer_s, -1, -2)
        + pi[..., :, None] * pi[..., None, :] * s.sum(axis=-1)[..., None, None]
    )
    scaled: FloatArray = m / (m - 1) * cov / (total[..., None] ** 2)
    return pi, scaled


def segment_test(
    design: SurveyDesign,
    y: npt.ArrayLike,
    segment: npt.ArrayLike,
    *,
    within: npt.ArrayLike | None = None,
) -> RaoScottTest:
    """Rao–Scott test that a share is the same in every segment.

    Parameters
    ----------
    design : SurveyDesign
    y : array
        0/1 answers; NaN is missing.
    segment : array
        Each row's segment; a missing label leaves the row out.
    within : array of bool, optional
        A filter (as ``subset(design, …)``): ν is then the filter's degrees
        of freedom.

    Returns
    -------
    RaoScottTest

    Examples
    --------
    >>> design = SurveyDesign(np.array([1.0, 2.0, 1.0, 1.5, 1.0, 2.0, 1.0, 1.0]))
    >>> res = segment_test(design, [1, 0, 1, 1, 0, 0, 1, 0], list("aaaabbbb"))
    >>> round(float(res.p_value), 3)  # R: svychisq(~y + g, design, statistic = "F")
    0.286

    References
    ----------
    J. N. K. Rao and A. J. Scott (1984), Annals of Statistics 12:46–60.
    """
    values = np.asarray(y, dtype=np.float64)
    if values.shape != (design.n,):
        raise SurveyDataError(f"y has shape {values.shape}; expected ({design.n},)")
    answered = values[~np.isnan(values)]
    if np.any((answered != 0) & (answered != 1)):
        raise SurveyDataError("segment_test needs 0/1 answers (a share), NaN missing")
    codes, _ = pd.factorize(np.asarray(segment), sort=True)
    keep = np.ones(design.n, bool) if within is None else np.asarray(within, bool)
    used = keep & (codes >= 0) & ~np.isnan(values)
    present = np.unique(codes[used])
    col = np.searchsorted(present, codes)
    cell = np.where(used, col * 2 + np.nan_to_num(values).astype(np.intp), -1)
    nc, cells = present.size, 2 * present.size
    df = design.domain_degf(keep)
    if design.is_simple:
        sums = [
            np.bincount(cell[used], x[used], minlength=cells)
            for x in (design.weights, design.weights**2)
        ]
        pi, cov = simple_cell_covariance(sums[0], sums[1], design.n)
    else:
        pi, cov = _design_cell_covariance(design, cell, used, cells)
    table = pi.reshape(nc, 2).T
    if nc < 2 or np.any(table.sum(axis=1) <= 0):
        nan = float("nan")
        return RaoScottTest(nan, nan, nan, nan, nan, nan)
    res = rao_scott(table, cov, np.count_nonzero(used), df)
    return RaoScottTest(
        statistic=float(res.statistic),
        ndf=float(res.ndf),
        ddf=float(res.ddf),
        p_value=float(res.p_value),
        chisq=float(res.chisq),
        mean_deff=float(res.mean_deff),
    )


def _design_cell_covariance(
    design: SurveyDesign, cell: npt.NDArray[np.intp], used: Any, cells: int
) -> tuple[FloatArray, FloatArray]:
    """Cell shares and their covariance from PSU totals of the influence values."""
    w = np.where(used, design.weights, 0.0)
    total = w.sum()
    pi = np.bincount(cell[used], w[used], minlength=cells) / total
    n_psu = design.psu_stratum.size
    by_cell = np.bincount(
        design.psu_code[used] * cells + cell[used], w[used], minlength=n_psu * cells
    ).reshape(n_psu, cells)
    by_psu = np.bincount(design.psu_code, w, minlength=n_psu)
    totals = (by_cell - by_psu[:, None] * pi[None, :]) / total
    present = np.bincount(design.stratum_code[used], minlength=design.n_strata) > 0
    return pi, design.strata_variance.covariance(totals.astype(np.float64), present)
