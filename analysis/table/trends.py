"""Wave-on-wave trends over an EstimateTable: :func:`trend_table`.

Two waves are independent samples, so the variance of a change is the sum of
the two design-based variances the table holds and the test is the Wald test
(p₂ − p₁)/√(se₁² + se₂²), as in :mod:`analysis.table.letters` with no
covariance. Shares get Newcombe's interval on the design-based effective bases
(``n_star``), indices diff ± z·√(se₁² + se₂²); untested cells keep their
difference only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import special as _spec

from analysis.errors import SurveyDataError
from analysis.methods import ADJUST_METHODS, AdjustMethod
from analysis.stats.comparisons import adjust_pvalues, wave_difference
from analysis.stats.contrasts import wald_test
from analysis.stats.intervals import check_level, check_method
from analysis.table.letters import TEST
from analysis.table.testable import check_table, is_index, may_test

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
    "test",
    "adjust",
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
    the previous one by the Wald test on the two design-based SEs (``test`` =
    ``"wald-z"``). Shares: difference with Newcombe's hybrid-score interval
    on the design-based effective bases ``n_star``
    (:func:`analysis.stats.comparisons.wave_difference`; ``n_eff`` when the
    table has no ``n_star``). Indices: diff ± z·√(se₁² + se₂²). p-values are
    adjusted across the family of one chart, i.e. every comparison of one
    metric × segment_var; ``significant`` is p_adjusted < 1 − level.

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
        The columns of :data:`TREND_COLUMNS`, ``level`` and ``adjust`` saying
        how ``significant`` was decided. ``diff`` = later − earlier; an
        untested comparison (low or suppressed base, or a published figure
        without a base) keeps its ``diff`` when both estimates are shown, with
        NaN interval and p-values and ``significant`` False.

    Examples
    --------
    >>> t = pd.DataFrame({
    ...     "wave": ["W1", "W2"], "metric": "m", "segment_var": "total",
    ...     "segment_value": "total", "estimate": [0.6, 0.8], "n_star": [80, 70],
    ...     "se": [0.0548, 0.0478], "flag": "ok", "scale": "share"})
    >>> row = trend_table(t, ["W1", "W2"]).iloc[0]
    >>> [round(float(row[c]), 4) for c in ("diff", "diff_low", "diff_high")]
    [0.2, 0.0524, 0.3339]

    References
    ----------
    R. G. Newcombe (1998), "Interval estimation for the difference between
    independent proportions: comparison of eleven methods", Statistics in
    Medicine 17:873–890, method 10.
    """
    check_table(table)
    check_method(adjust, ADJUST_METHODS)
    level = check_level(level)
    order = {str(w): i for i, w in enumerate(waves)}
    if len(order) < 2:
        raise SurveyDataError(f"a trend needs at least two waves; got {list(waves)}")
    data = table[table["wave"].astype(str).isin(order)]
    data = data.assign(_order=data["wave"].astype(str).map(order))
    data = data.assign(_tested=may_test(data), _index=is_index(data))
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
    out["adjust"] = adjust
    return out.drop(columns="_family").reset_index(drop=True)


def _change(before: pd.Series, after: pd.Series, level: float) -> dict[str, Any]:
    def num(row: pd.Series, name: str) -> float:
        value = row.get(name, np.nan)
        return float("nan") if pd.isna(value) else float(value)

    p1, p2 = num(before, "estimate"), num(after, "estimate")
    se1, se2 = num(before, "se"), num(after, "se")
    index = bool(before["_index"] or after["_index"])
    tested = bool(before["_tested"] and after["_tested"])
    tested &= bool(before["_index"] == after["_index"])
    low = high = p_value = float("nan")
    if tested:
        p_value = float(wald_test(p2, p1, se2 * se2, se1 * se1).p_value)
        if index:
            z = float(_spec.ndtri(1 - (1 - level) / 2))
            half = z * float(np.hypot(se1, se2))
            low, high = p2 - p1 - half, p2 - p1 + half
        else:
            n1, n2 = _base(before), _base(after)
            if n1 > 0 and n2 > 0:
                change = wave_difference(p1, n1, p2, n2, level=level, se1=se1, se2=se2)
                low, high = change.low, change.high
            else:
                tested, p_value = False, float("nan")
    return {
        "metric": after["metric"],
        "segment_var": after["segment_var"],
        "segment_value": after["segment_value"],
        "wave_from": before["wave"],
        "wave_to": after["wave"],
        "estimate_from": p1,
        "estimate_to": p2,
        "n_eff_from": num(before, "n_eff"),
        "n_eff_to": num(after, "n_eff"),
        "diff": p2 - p1,
        "diff_low": low,
        "diff_high": high,
        "p_value": p_value,
        "p_adjusted": np.nan,
        "significant": False,
        "tested": tested,
        "method": ("welch-z" if index else "newcombe-wilson") if tested else "",
        "test": TEST if tested else "",
        "level": level,
        "scale": "index" if index else "share",
        "_family": (after["metric"], after["segment_var"]),
    }


def _base(row: pd.Series) -> float:
    """The base Newcombe's interval stands on: n*, else Kish's n_eff."""
    for name in ("n_star", "n_eff"):
        value = row.get(name, np.nan)
        if not pd.isna(value):
            return float(value)
    return float("nan")


def paired_trend_table(
    table: pd.DataFrame,
    pairs: Sequence[tuple[str, str]],
    *,
    adjust: AdjustMethod = "holm",
    level: float = 0.95,
) -> pd.DataFrame:
    """Changes between the given (earlier, later) waves, one family per chart.

    :func:`trend_table` compares consecutive waves; here each wave is set
    against the wave named as its previous *comparable* one
    (:func:`analysis.table.trackers.previous_comparable`), which need not be
    the one listed just before it. Each pair is tested as ``trend_table``
    tests it, then p-values are adjusted across every comparison of one
    metric × segment_var, as there.
    """
    check_method(adjust, ADJUST_METHODS)
    level = check_level(level)
    parts = [
        trend_table(table, list(pair), adjust="none", level=level)
        for pair in dict.fromkeys(pairs)
    ]
    if not parts:
        return pd.DataFrame(columns=list(TREND_COLUMNS))
    out = pd.concat(parts, ignore_index=True)
    for _, fam in out.groupby(["metric", "segment_var"], sort=False, dropna=False):
        out.loc[fam.index, "p_adjusted"] = adjust_pvalues(
            fam["p_value"].to_numpy(dtype=np.float64), adjust
        )
    p_adj = out["p_adjusted"].to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore"):
        out["significant"] = p_adj < 1.0 - level
    out["adjust"] = adjust
    return out
