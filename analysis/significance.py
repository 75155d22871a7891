"""Significance over an EstimateTable: segment letters and wave-on-wave trends.

Both functions read the columns the table already holds (``estimate``,
``n_eff``, ``se``, ``flag``) and recompute nothing else, so a chart's letters
and its bars always agree. Shares (``scale == "share"``) are tested with the
pooled two-proportion z-test on Kish effective bases; indices
(``scale == "index"``, 0–100 means) with a two-sample z-test on the
linearised standard errors, (m₁ − m₂)/√(se₁² + se₂²), which is Welch's
statistic with a normal reference: the bases are large and the SEs already
carry the weighting. Cells flagged ``low_base`` or ``suppressed``, cells
without an estimate and toplines without a base are never tested and do not
count in a family's size.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats as _sps

from analysis.compare import (
    UNTESTED_FLAGS,
    AdjustMethod,
    adjust_pvalues,
    column_letters,
    compare_segments,
    wave_difference,
)
from analysis.errors import SurveyDataError
from analysis.stats import FloatArray, check_level, check_method
from analysis.wave import TOTAL

_FAMILY = ["wave", "metric", "segment_var"]
_NEEDED = ("wave", "metric", "segment_var", "segment_value", "estimate", "flag")
_ADJUST: tuple[str, ...] = ("holm", "bh", "none")


@dataclass(frozen=True)
class MeanTest:
    """Two-sample z-test of means: ``diff`` = m1 − m2, ``z`` and ``p_value``."""

    diff: FloatArray
    z: FloatArray
    p_value: FloatArray


def two_mean_test(
    m1: npt.ArrayLike, se1: npt.ArrayLike, m2: npt.ArrayLike, se2: npt.ArrayLike
) -> MeanTest:
    """Welch-type z-test for two independent means from their standard errors.

    z = (m1 − m2) / √(se1² + se2²), referred to the standard normal. With
    design-based (linearised) SEs this is the usual large-sample test between
    two domains; it ignores the covariance of domains sharing PSUs.

    Parameters
    ----------
    m1, m2 : array
        Means (e.g. a 0–100 index per segment).
    se1, se2 : array
        Their standard errors.

    Returns
    -------
    MeanTest
        NaN where both SEs are 0 or an input is NaN.

    Examples
    --------
    >>> round(float(two_mean_test(52.0, 1.0, 48.0, 1.5).p_value), 4)
    0.0265

    References
    ----------
    B. L. Welch (1947), Biometrika 34:28–35. T. Lumley (2010), *Complex
    Surveys*, Wiley, §3.3 (comparing domain means with ``svyby`` and
    ``svycontrast``).
    """
    a1, s1, a2, s2 = (np.asarray(v, dtype=np.float64) for v in (m1, se1, m2, se2))
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(s1 * s1 + s2 * s2)
        z = np.where(se > 0, (a1 - a2) / se, np.nan)
    return MeanTest(a1 - a2, z, 2 * _sps.norm.sf(np.abs(z)))


def _check_table(table: pd.DataFrame, extra: Sequence[str] = ()) -> None:
    missing = [c for c in (*_NEEDED, *extra) if c not in table.columns]
    if missing:
        raise SurveyDataError(f"the EstimateTable lacks column(s) {missing}")


def _column(table: pd.DataFrame, name: str) -> FloatArray:
    if name not in table.columns:
        return np.full(len(table), np.nan)
    values: FloatArray = pd.to_numeric(table[name]).to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    return values


def _testable(table: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Cells a test may use: a shown estimate with a base (or an SE)."""
    flags = table["flag"].astype(str).to_numpy()
    est = _column(table, "estimate")
    base = np.where(_is_index(table), _column(table, "se"), _column(table, "n_eff"))
    ok: npt.NDArray[np.bool_] = (
        ~np.isin(flags, list(UNTESTED_FLAGS)) & np.isfinite(est) & np.isfinite(base)
    )
    return ok


def _is_index(table: pd.DataFrame) -> npt.NDArray[np.bool_]:
    if "scale" not in table.columns:
        return np.zeros(len(table), dtype=bool)
    return np.asarray(table["scale"].astype(str).to_numpy() == "index")


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
    for _, chart in segments.groupby(_FAMILY, sort=False, dropna=False):
        tested = _testable(chart)
        est = _column(chart, "estimate")
        if _is_index(chart).all():
            yield _mean_family(chart.index, est, _column(chart, "se"), tested, adjust)
            continue
        res = compare_segments(
            np.where(tested, est, np.nan),
            np.where(tested, _column(chart, "n_eff"), 0.0),
            chart["flag"].astype(str).to_numpy(),
            adjust=adjust,
            alpha=alpha,
        )
        yield _Family(
            chart.index,
            res.letters,
            res.p_value,
            res.p_adjusted,
            tested,
            "two-proportion-z",
        )


def _mean_family(
    index: pd.Index,
    est: FloatArray,
    se: FloatArray,
    tested: npt.NDArray[np.bool_],
    adjust: AdjustMethod,
) -> _Family:
    k = est.size
    i, j = np.triu_indices(k, k=1)
    raw = np.where(
        tested[i] & tested[j],
        two_mean_test(est[i], se[i], est[j], se[j]).p_value,
        np.nan,
    )
    adjusted = adjust_pvalues(raw, adjust)
    p_value, p_adjusted = np.full((k, k), np.nan), np.full((k, k), np.nan)
    p_value[i, j] = p_value[j, i] = raw
    p_adjusted[i, j] = p_adjusted[j, i] = adjusted
    return _Family(
        index,
        column_letters(k),
        p_value,
        p_adjusted,
        tested,
        "two-mean-z",
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
    part of it. Every pair of testable segments is compared (see the module
    docstring for the tests) and the p-values are adjusted across the family.

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
        other segment), ``family_size`` (pairs tested), ``test`` and ``adjust``.

    Examples
    --------
    >>> t = pd.DataFrame({
    ...     "wave": "W", "metric": "m", "segment_var": "g",
    ...     "segment_value": ["a", "b", "c"], "estimate": [0.30, 0.50, 0.52],
    ...     "n_eff": 400.0, "flag": "ok", "scale": "share"})
    >>> with_segment_letters(t)["letters"].tolist()
    ['', 'A', 'A']

    References
    ----------
    S. Holm (1979), Scandinavian Journal of Statistics 6:65–70. Y. Benjamini
    and Y. Hochberg (1995), JRSS B 57:289–300.
    """
    _check_table(table)
    check_method(adjust, _ADJUST)
    alpha = check_level(alpha)
    out = table.copy()
    out["letter"] = ""
    out["letters"] = ""
    out["tested"] = False
    out["p_adjusted_min"] = np.nan
    out["family_size"] = 0
    out["test"] = ""
    for fam in _families(out, adjust, alpha):
        above = _above(fam, _column(out.loc[fam.index], "estimate"), alpha)
        cells = ["".join(fam.letters[k] for k in np.flatnonzero(r)) for r in above]
        smallest = np.where(np.isnan(fam.p_adjusted), np.inf, fam.p_adjusted).min(1)
        p_min = np.where(np.isfinite(smallest), smallest, np.nan)
        out.loc[fam.index, "letter"] = list(fam.letters)
        out.loc[fam.index, "letters"] = cells
        out.loc[fam.index, "tested"] = fam.tested
        out.loc[fam.index, "p_adjusted_min"] = p_min
        out.loc[fam.index, "family_size"] = int(np.isfinite(fam.p_value).sum() // 2)
        out.loc[fam.index, "test"] = fam.test
    out["adjust"] = adjust
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
    _check_table(table)
    check_method(adjust, _ADJUST)
    alpha = check_level(alpha)
    rows: list[dict[str, Any]] = []
    for fam in _families(table, adjust, alpha):
        chart = table.loc[fam.index]
        est = _column(chart, "estimate")
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

TREND_COLUMNS = (
    "metric",
    "segment_var",
    "segment_value",
    "wave_from",
    "wave_to",
    "estimate_from",
    "estimate_to",
    "n_eff_from",
    "n_eff_to",
    "diff",
    "diff_low",
    "diff_high",
    "p_value",
    "p_adjusted",
    "significant",
    "tested",
    "method",
    "level",
    "scale",
)


def trend_table(
    table: pd.DataFrame,
    waves: Sequence[str],
    *,
    adjust: AdjustMethod = "holm",
    level: float = 0.95,
) -> pd.DataFrame:
    """Change between consecutive waves for every metric and segment.

    For each (metric, segment_var, segment_value), the waves of ``waves`` in
    which the cell appears are taken in that order and each is compared with
    the previous one. Shares: difference with Newcombe's hybrid-score interval
    on the effective bases (:func:`analysis.compare.wave_difference`) and the
    pooled two-proportion test. Indices: diff ± z·√(se₁² + se₂²) and the
    two-mean z-test. p-values are adjusted across the family of one chart,
    i.e. every comparison of one metric × segment_var; ``significant`` is
    p_adjusted < 1 − level.

    Parameters
    ----------
    table : pandas.DataFrame
        An EstimateTable holding the waves.
    waves : sequence of str
        Wave names in time order.
    adjust : {"holm", "bh", "none"}
        Multiplicity adjustment within each family.
    level : float
        Confidence level of the intervals; 1 − level is the test's alpha.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`TREND_COLUMNS`. ``diff`` = later − earlier; an
        untested comparison (low or suppressed base, or a published figure
        without a base) keeps its ``diff`` when both estimates are shown, with
        NaN interval and p-values and ``significant`` False.

    Examples
    --------
    >>> t = pd.DataFrame({
    ...     "wave": ["W1", "W2"], "metric": "m", "segment_var": "total",
    ...     "segment_value": "total", "estimate": [0.6, 0.8], "n_eff": [80, 70],
    ...     "flag": "ok", "scale": "share"})
    >>> row = trend_table(t, ["W1", "W2"]).iloc[0]
    >>> [round(float(row[c]), 4) for c in ("diff", "diff_low", "diff_high")]
    [0.2, 0.0524, 0.3339]

    References
    ----------
    R. G. Newcombe (1998), "Interval estimation for the difference between
    independent proportions: comparison of eleven methods", Statistics in
    Medicine 17:873–890, method 10.
    """
    _check_table(table)
    check_method(adjust, _ADJUST)
    level = check_level(level)
    order = {str(w): i for i, w in enumerate(waves)}
    if len(order) < 2:
        raise SurveyDataError(f"a trend needs at least two waves; got {list(waves)}")
    data = table[table["wave"].astype(str).isin(order)]
    data = data.assign(_order=data["wave"].astype(str).map(order))
    data = data.assign(_tested=_testable(data), _index=_is_index(data))
    keys = ["metric", "segment_var", "segment_value"]
    rows: list[dict[str, Any]] = []
    for _, cell in data.groupby(keys, sort=False, dropna=False):
        cell = cell.sort_values("_order", kind="stable")
        for (_, before), (_, after) in zip(
            cell.iloc[:-1].iterrows(), cell.iloc[1:].iterrows(), strict=True
        ):
            rows.append(_change(before, after, level))
    out = pd.DataFrame(rows, columns=[*TREND_COLUMNS, "_family"])
    for _, fam in out.groupby("_family", sort=False):
        out.loc[fam.index, "p_adjusted"] = adjust_pvalues(
            fam["p_value"].to_numpy(dtype=np.float64), adjust
        )
    alpha = 1.0 - level
    p_adj = out["p_adjusted"].to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore"):
        out["significant"] = p_adj < alpha
    return out.drop(columns="_family").reset_index(drop=True)


def _change(before: pd.Series, after: pd.Series, level: float) -> dict[str, Any]:
    def num(row: pd.Series, name: str) -> float:
        value = row.get(name, np.nan)
        return float("nan") if pd.isna(value) else float(value)

    p1, p2 = num(before, "estimate"), num(after, "estimate")
    n1, n2 = num(before, "n_eff"), num(after, "n_eff")
    index = bool(before["_index"] or after["_index"])
    tested = bool(before["_tested"] and after["_tested"])
    tested &= bool(before["_index"] == after["_index"])
    low = high = p_value = float("nan")
    if tested and index:
        se1, se2 = num(before, "se"), num(after, "se")
        z = float(_sps.norm.ppf(1 - (1 - level) / 2))
        half = z * float(np.hypot(se1, se2))
        low, high = p2 - p1 - half, p2 - p1 + half
        p_value = float(two_mean_test(p2, se2, p1, se1).p_value)
    elif tested:
        if n1 > 0 and n2 > 0:
            change = wave_difference(p1, n1, p2, n2, level=level)
            low, high, p_value = change.low, change.high, change.p_value
        else:
            tested = False
    return {
        "metric": after["metric"],
        "segment_var": after["segment_var"],
        "segment_value": after["segment_value"],
        "wave_from": before["wave"],
        "wave_to": after["wave"],
        "estimate_from": p1,
        "estimate_to": p2,
        "n_eff_from": n1,
        "n_eff_to": n2,
        "diff": p2 - p1,
        "diff_low": low,
        "diff_high": high,
        "p_value": p_value,
        "p_adjusted": np.nan,
        "significant": False,
        "tested": tested,
        "method": ("welch-z" if index else "newcombe-wilson") if tested else "",
        "level": level,
        "scale": "index" if index else "share",
        "_family": (after["metric"], after["segment_var"]),
    }
