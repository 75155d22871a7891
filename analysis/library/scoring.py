"""Per-respondent values of a metric: 1/0 for a share, 0–100 for an index.

NaN marks a respondent outside the metric's base (no answer, or an answer such
as "don't know" that the codebook excludes). Statistics only ever see these
values, so every route to an estimate applies the same base rules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.library.codebook import Item, Metric

FloatArray = np.ndarray[tuple[int], np.dtype[np.float64]]


def metric_values(frame: pd.DataFrame, metric: Metric) -> FloatArray:
    """The metric's value for every row of a respondent table (NaN = not in base)."""
    missing = [q for q in metric.questions if q not in frame.columns]
    if missing:
        raise SurveyDataError(
            f"metric '{metric.id}' needs question column(s) {missing}, "
            "which this wave does not have"
        )
    if metric.kind == "index":
        return _index_values(frame, metric.items)
    answers = np.column_stack([_item_values(frame, item) for item in metric.items])
    if metric.kind == "proportion":
        return answers[:, 0]
    in_base = np.isfinite(answers)
    if metric.kind == "any":
        value = np.where(
            np.nanmax(np.where(in_base, answers, 0.0), axis=1) > 0, 1.0, 0.0
        )
        return np.where(in_base.any(axis=1), value, np.nan)
    # "all": every item must be answered for the respondent to be in the base
    value = np.where((answers == 1.0).all(axis=1), 1.0, 0.0)
    return np.where(in_base.all(axis=1), value, np.nan)


def _codes(frame: pd.DataFrame, question: str) -> FloatArray:
    values: FloatArray = pd.to_numeric(frame[question], errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    return values


def _item_values(frame: pd.DataFrame, item: Item) -> FloatArray:
    codes = _codes(frame, item.question)
    yes = np.isin(codes, list(item.yes))
    out_of_base = np.isnan(codes) | np.isin(codes, list(item.exclude))
    return np.where(out_of_base, np.nan, yes.astype(np.float64))


def _index_values(frame: pd.DataFrame, items: tuple[Item, ...]) -> FloatArray:
    scored = []
    for item in items:
        assert item.scores is not None  # guaranteed by the codebook loader
        codes = _codes(frame, item.question)
        lookup = pd.Series(item.scores, dtype=np.float64)
        scored.append(pd.Series(codes).map(lookup).to_numpy(dtype=np.float64))
    matrix = np.column_stack(scored)
    answered = np.isfinite(matrix).sum(axis=1)
    totals = np.nansum(matrix, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(answered > 0, totals / answered, np.nan)
