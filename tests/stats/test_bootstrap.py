"""Tests for analysis.stats.bootstrap: seeded, and close to the linearised interval."""

import numpy as np
import pytest

from analysis.errors import SurveyDataError
from analysis.stats.bootstrap import bootstrap_mean_ci
from analysis.stats.design import SurveyDesign, design_mean


def test_bootstrap_is_seeded_and_close_to_linearised():
    rng = np.random.default_rng(3)
    score = rng.uniform(0, 100, 400)
    w = rng.lognormal(0, 0.4, 400)
    a = bootstrap_mean_ci(score, w, rng=11, n_resamples=999)
    b = bootstrap_mean_ci(score, w, rng=11, n_resamples=999)
    assert a == b and a.method == "bootstrap-BCa"
    lin = design_mean(SurveyDesign(w), score).ci(method="normal")
    assert a.low == pytest.approx(lin.low, abs=1.0)
    assert a.high == pytest.approx(lin.high, abs=1.0)


def test_bootstrap_validation():
    with pytest.raises(SurveyDataError, match=r"method \('bca'\) must be one of"):
        bootstrap_mean_ci([1.0, 2.0], [1.0, 1.0], method="bca")
    with pytest.raises(SurveyDataError, match="at least 2 values"):
        bootstrap_mean_ci([1.0, np.nan], [1.0, 1.0])
