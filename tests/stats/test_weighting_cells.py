"""Raking on joint cells (no caps) equals raking respondent by respondent.

Without caps every weight of one joint cell of the weighting variables moves
by the same factor, so :func:`rake` rakes the cells' totals; with caps it
rakes the respondents. A cap that never binds must give the same weights.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import WeightingError
from analysis.stats.weighting import rake


def _sample(seed, n=400):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=n)
    columns = {
        "a": np.where(z + rng.normal(size=n) > 0, "x", "y"),
        "b": np.digitize(z + rng.normal(size=n), [-1, 0, 1]),
        "c": np.digitize(z + rng.normal(size=n), [-0.5, 0.5]),
    }
    weights = rng.lognormal(0, 0.4, n)
    targets = {}
    for name, col in columns.items():
        labels, counts = np.unique(col, return_counts=True)
        tilt = np.linspace(0.8, 1.2, labels.size)
        share = counts * tilt / (counts * tilt).sum()
        targets[name] = dict(zip(labels.tolist(), 1000 * share, strict=True))
    return weights, columns, targets


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_cells_and_respondents_give_the_same_weights(seed):
    weights, columns, targets = _sample(seed)
    cells = rake(weights, columns, targets)
    rows = rake(weights, columns, targets, cap=(0.0, 1e12))  # never binds
    np.testing.assert_allclose(cells.weights, rows.weights, rtol=1e-9)
    assert cells.iterations == rows.iterations
    for margin in cells.margins:
        np.testing.assert_allclose(
            margin.weighted_share, margin.target_share, atol=1e-11
        )


def test_integer_and_categorical_columns_read_as_text():
    weights, columns, targets = _sample(1)
    as_category = {k: pd.Series(v).astype("category") for k, v in columns.items()}
    as_text = {k: np.asarray(v).astype(str) for k, v in columns.items()}
    text_targets = {k: {str(c): t for c, t in v.items()} for k, v in targets.items()}
    a = rake(weights, as_category, targets)
    b = rake(weights, as_text, text_targets)
    np.testing.assert_allclose(a.weights, b.weights, rtol=1e-12)
    assert a.margins[1].categories == ("0", "1", "2", "3")


def test_a_missing_category_names_the_row():
    weights, columns, targets = _sample(2)
    columns["a"] = pd.Series(columns["a"]).astype("category")
    columns["a"].iloc[7] = np.nan
    with pytest.raises(WeightingError, match="'a' is missing for respondent at row 8"):
        rake(weights, columns, targets)
