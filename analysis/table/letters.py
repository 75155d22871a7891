"""Segment letters over an EstimateTable: which segments differ from which.

The letters read the columns the table already holds (``estimate``, ``se``,
``flag``) and recompute nothing else, so a chart's letters and its bars always
agree. Every pair of segments is compared by a Wald test on the difference,
(e_a − e_b)/√(se_a² + se_b² − 2·cov_ab) — R's ``svyby(…, covmat = TRUE)`` and
``svycontrast`` — for shares and indices alike. The covariance of two
segments is 0 when every row is its own PSU and there are no strata (every
stored wave); a design with strata or clusters leaves it in
``table.attrs["segment_covariance"]`` (:mod:`analysis.table.rows`). Cells
flagged ``low_base``, ``suppressed`` or ``degenerate``, cells without an
estimate and toplines without a base are never tested and do not count in a
family's size.

:func:`trend_table` is in :mod:`analysis.table.trends`, the shared testing
rules in :mod:`analysis.table.testable`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.methods import ADJUST_METHODS, AdjustMethod
from analysis.stats.comparisons import compare_segments
from analysis.stats.intervals import FloatArray, check_level, check_method
from analysis.store.wave import TOTAL
from analysis.table.rows import COVARIANCE
from analysis.table.testable import check_table, may_test, numeric_column

_FAMILY = ["wave", "metric", "segment_var"]
TEST = "wald-z"
"""The name of the test in a lettered table's ``test`` column."""


@dataclass(frozen=True, eq=False)
class _Family:
    """One chart's segments, as positions in the table, and their pair tests."""

    index: pd.Index
    letters: tuple[str, ...]
    p_value: FloatArray
    p_adjusted: FloatArray
    tested: npt.NDArray[np.bool_]
    test: str


def _families(
    table: pd.DataFrame, adjust: AdjustMethod, alpha: float
) -> Iterator[_Family]:
    segments = table[table["segment_var"].astype(str) != TOTAL]
    if segments.empty:
        return
    covariances: Mapping[tuple[str, ...], float] = table.attrs.get(COVARIANCE, {})
    # columns read once for the whole table; each family takes its positions
    tested_all = may_test(segments)
    est_all = numeric_column(segments, "estimate")
    se_all = numeric_column(segments, "se")
    flags_all = segments["flag"].astype(str).to_numpy()
    values_all = segments["segment_value"].astype(str).to_numpy()
    keys = segments[_FAMILY].to_numpy()
    group = segments.groupby(_FAMILY, sort=False, dropna=False).ngroup().to_numpy()
    order = np.argsort(group, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(group[order]) != 0])
    for rows in np.split(order, starts[1:]):
        tested = tested_all[rows]
        res = compare_segments(
            np.where(tested, est_all[rows], np.nan),
            np.where(tested, se_all[rows], np.nan),
            flags_all[rows],
            covariance=_covariance(covariances, keys[rows[0]], values_all[rows]),
            adjust=adjust,
            alpha=alpha,
        )
        yield _Family(
            segments.index[rows], res.letters, res.p_value, res.p_adjusted, tested, TEST
        )


def _covariance(
    covariances: Mapping[tuple[str, ...], float], key: Any, values: Any
) -> FloatArray | None:
    """The segments' covariance matrix from the table's attrs (None: all 0)."""
    if not covariances:
        return None
    family = tuple(str(k) for k in key)
    names = [str(v) for v in values]
    return np.array(
        [[covariances.get((*family, a, b), 0.0) for b in names] for a in names]
    )


def _above(family: _Family, est: FloatArray, alpha: float) -> npt.NDArray[np.bool_]:
    diff = est[:, None] - est[None, :]
    with np.errstate(invalid="ignore"):
        return np.asarray((family.p_adjusted < alpha) & (diff > 0))


def with_segment_letters(
    table: pd.DataFrame, *, adjust: AdjustMethod = "holm", alpha: float = 0.05
) -> pd.DataFrame:
    """The table with market-research column letters for every chart's segments.

    A chart's family is one (wave, metric, segment_var); the total row is not
    part of it. Every pair of testable segments is compared by the Wald test
    of the module docstring and the p-values are adjusted across the family.

    Parameters
    ----------
    table : pandas.DataFrame
        An EstimateTable (:func:`analysis.metrics.estimate`).
    adjust : {"holm", "bh", "none"}
        Multiplicity adjustment within each family.
    alpha : float
        Significance level after adjustment.

    Returns
    -------
    pandas.DataFrame
        A copy with ``letter`` (A, B, C… per segment in row order; empty for the
        total), ``letters`` (letters of the segments this one is significantly
        above), ``tested``, ``p_adjusted_min`` (smallest adjusted p against any
        other segment), ``family_size`` (pairs tested), ``test``, ``adjust`` and
        ``alpha`` (so a chart's footnote names the level its letters used).

    Examples
    --------
    >>> t = pd.DataFrame({
    ...     "wave": "W", "metric": "m", "segment_var": "g",
    ...     "segment_value": ["a", "b", "c"], "estimate": [0.30, 0.50, 0.52],
    ...     "se": [0.023, 0.025, 0.025], "flag": "ok", "scale": "share"})
    >>> with_segment_letters(t)["letters"].tolist()
    ['', 'A', 'A']

    References
    ----------
    S. Holm (1979), Scandinavian Journal of Statistics 6:65–70. Y. Benjamini
    and Y. Hochberg (1995), JRSS B 57:289–300. T. Lumley (2010), *Complex
    Surveys*, Wiley, §2.2 (``svycontrast``).
    """
    check_table(table)
    check_method(adjust, ADJUST_METHODS)
    alpha = check_level(alpha)
    out = table.copy()
    size = len(out)
    letter = np.full(size, "", dtype=object)
    above_cells = np.full(size, "", dtype=object)
    tested = np.zeros(size, dtype=bool)
    p_min = np.full(size, np.nan)
    family_size = np.zeros(size, dtype=np.int64)
    test = np.full(size, "", dtype=object)
    estimates = numeric_column(out, "estimate")
    # results gathered by position and written once: per-family .loc writes
    # cost more than the tests on a table of many lines
    for fam in _families(out, adjust, alpha):
        at = out.index.get_indexer(fam.index)
        above = _above(fam, estimates[at], alpha)
        smallest = np.where(np.isnan(fam.p_adjusted), np.inf, fam.p_adjusted).min(1)
        letter[at] = list(fam.letters)
        above_cells[at] = [
            "".join(fam.letters[k] for k in np.flatnonzero(r)) for r in above
        ]
        tested[at] = fam.tested
        p_min[at] = np.where(np.isfinite(smallest), smallest, np.nan)
        family_size[at] = int(np.isfinite(fam.p_value).sum() // 2)
        test[at] = fam.test
    out["letter"] = letter
    out["letters"] = above_cells
    out["tested"] = tested
    out["p_adjusted_min"] = p_min
    out["family_size"] = family_size
    out["test"] = test
    out["adjust"] = adjust
    out["alpha"] = alpha
    return out


def segment_pairs(
    table: pd.DataFrame, *, adjust: AdjustMethod = "holm", alpha: float = 0.05
) -> pd.DataFrame:
    """Every pair of segments of every chart, one row each, with its test.

    The long form of :func:`with_segment_letters`: columns ``wave, metric,
    segment_var, segment_a, letter_a, segment_b, letter_b, diff`` (a − b),
    ``p_value, p_adjusted, significant, test``. Untested pairs have NaN
    p-values and ``significant`` False.
    """
    check_table(table)
    check_method(adjust, ADJUST_METHODS)
    alpha = check_level(alpha)
    rows: list[dict[str, Any]] = []
    for fam in _families(table, adjust, alpha):
        chart = table.loc[fam.index]
        est = numeric_column(chart, "estimate")
        values = chart["segment_value"].astype(str).tolist()
        head = chart.iloc[0]
        for a, b in zip(*np.triu_indices(len(values), k=1), strict=True):
            p_adj = float(fam.p_adjusted[a, b])
            rows.append(
                {
                    "wave": head["wave"],
                    "metric": head["metric"],
                    "segment_var": head["segment_var"],
                    "segment_a": values[a],
                    "letter_a": fam.letters[a],
                    "segment_b": values[b],
                    "letter_b": fam.letters[b],
                    "diff": float(est[a] - est[b]),
                    "p_value": float(fam.p_value[a, b]),
                    "p_adjusted": p_adj,
                    "significant": bool(p_adj < alpha),
                    "test": fam.test,
                }
            )
    return pd.DataFrame(rows, columns=_PAIR_COLUMNS)


_PAIR_COLUMNS = [
    "wave",
    "metric",
    "segment_var",
    "segment_a",
    "letter_a",
    "segment_b",
    "letter_b",
    "diff",
    "p_value",
    "p_adjusted",
    "significant",
    "test",
]
