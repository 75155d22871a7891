"""The rules segment letters and wave trends share: which cells a test may use.

A cell is tested only when its estimate is shown, its flag allows it (not
``low_base``, ``suppressed`` or ``degenerate``) and it has a standard error:
every test is a Wald test on the design-based variances the table holds
(:func:`analysis.stats.contrasts.wald_test`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.stats.comparisons import UNTESTED_FLAGS
from analysis.stats.intervals import FloatArray

_NEEDED = ("wave", "metric", "segment_var", "segment_value", "estimate", "flag")


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
    """Cells a test may use: a shown, testable estimate with a standard error."""
    flags = table["flag"].astype(str).to_numpy()
    est = numeric_column(table, "estimate")
    se = numeric_column(table, "se")
    ok: npt.NDArray[np.bool_] = (
        ~np.isin(flags, list(UNTESTED_FLAGS)) & np.isfinite(est) & (se > 0)
    )
    return ok


def is_index(table: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Rows of means: a 0–100 index or a mean score (False without a scale)."""
    if "scale" not in table.columns:
        return np.zeros(len(table), dtype=bool)
    return np.asarray(table["scale"].astype(str).to_numpy() != "share")
