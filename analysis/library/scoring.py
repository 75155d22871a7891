"""Per-respondent values of a metric: 1/0 for a share, 0–100 for an index.

NaN marks a respondent outside the metric's base: no answer, an answer such as
"don't know" that the codebook excludes, or — for a composite — fewer answered
items than its base rule asks (:class:`analysis.library.bases.BaseRule`).
Statistics only ever see these values, so every route to an estimate applies
the same base rules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.library.bases import BaseRule
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
    rule = metric.base_rule
    if metric.kind == "index":
        return _index_values(frame, metric.items, rule)
    answers = np.column_stack([_item_values(frame, item) for item in metric.items])
    answered = np.isfinite(answers)
    in_base = rule.admits(answered.sum(axis=1))
    if metric.kind == "proportion":
        value = answers[:, 0]
    elif metric.kind == "any":
        # any "yes" among the answered items; the base rule says who is counted
        value = np.where((answers == 1.0).any(axis=1), 1.0, 0.0)
    else:  # "all": every answered item is a "yes"
        value = np.where((answers == 1.0).sum(axis=1) == answered.sum(axis=1), 1, 0)
    return np.where(in_base, value, np.nan).astype(np.float64)


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


def _index_values(
    frame: pd.DataFrame, items: tuple[Item, ...], rule: BaseRule
) -> FloatArray:
    scored = []
    for item in items:
        assert item.scores is not None  # guaranteed by the codebook loader
        codes = _codes(frame, item.question)
        lookup = pd.Series(item.scores, dtype=np.float64)
        scored.append(pd.Series(codes).map(lookup).to_numpy(dtype=np.float64))
    matrix = np.column_stack(scored)
    answered = np.isfinite(matrix).sum(axis=1)
    totals = np.nansum(matrix, axis=1)
    # the mean of the answered items, for respondents the base rule admits
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(rule.admits(answered), totals / answered, np.nan)
