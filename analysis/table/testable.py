"""The rules segment letters and wave trends share: which cells a test may use.

A cell is tested only when its estimate is shown and it has a base (shares:
the Kish effective base) or a standard error (indices). Indices are compared
with :func:`two_mean_test`, the two-sample z-test on linearised SEs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special as _spec

from analysis.errors import SurveyDataError
from analysis.stats.comparisons import UNTESTED_FLAGS
from analysis.stats.intervals import FloatArray

_NEEDED = ("wave", "metric", "segment_var", "segment_value", "estimate", "flag")


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
    return MeanTest(a1 - a2, z, 2 * _spec.ndtr(-np.abs(z)))


def check_table(table: pd.DataFrame, extra: Sequence[str] = ()) -> None:
    """Refuse a table without the columns a test reads."""
    missing = [c for c in (*_NEEDED, *extra) if c not in table.columns]
    if missing:
        raise SurveyDataError(f"the EstimateTable lacks column(s) {missing}")


def numeric_column(table: pd.DataFrame, name: str) -> FloatArray:
    """A column as floats (NaN for missing values, all NaN when absent)."""
    if name not in table.columns:
        return np.full(len(table), np.nan)
    values: FloatArray = pd.to_numeric(table[name]).to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    return values


def may_test(table: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Cells a test may use: a shown estimate with a base (or an SE)."""
    flags = table["flag"].astype(str).to_numpy()
    est = numeric_column(table, "estimate")
    base = np.where(
        is_index(table), numeric_column(table, "se"), numeric_column(table, "n_eff")
    )
    ok: npt.NDArray[np.bool_] = (
        ~np.isin(flags, list(UNTESTED_FLAGS)) & np.isfinite(est) & np.isfinite(base)
    )
    return ok


def is_index(table: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Rows on the 0–100 index scale (False when the table has no scale)."""
    if "scale" not in table.columns:
        return np.zeros(len(table), dtype=bool)
    return np.asarray(table["scale"].astype(str).to_numpy() == "index")
