"""estimate_rows: the one builder of EstimateTable rows, on any survey design."""

import numpy as np
import pytest
from scipy import stats

from analysis.errors import SurveyDataError
from analysis.stats.design import SurveyDesign, design_mean
from analysis.table.rows import COLUMNS, EstimateOptions, estimate_rows

OPEN = EstimateOptions(thresholds=(0, 0, 0))  # small samples: no flag hides a row


def _sample(seed=3, n=400):
    rng = np.random.default_rng(seed)
    strata = rng.integers(0, 3, n)
    design = SurveyDesign(
        rng.lognormal(0, 0.4, n), strata, rng.integers(0, 8, n), lonely_psu="fail"
    )
    y = (rng.random(n) < 0.3 + 0.1 * strata).astype(float)
    y[rng.random(n) < 0.05] = np.nan
    return design, y, rng.choice(["a", "b"], n)


def test_a_filter_is_a_domain_of_the_whole_design():
    design, y, seg = _sample()
    within = seg == "a"
    table = estimate_rows(design, {"m": y}, {}, OPEN, within=within)
    ref = design_mean(design, y, domain=within)
    assert tuple(table.columns) == COLUMNS and len(table) == 1
    assert table["estimate"].iloc[0] == pytest.approx(ref.estimate, rel=1e-12)
    assert table["se"].iloc[0] == pytest.approx(ref.se, rel=1e-9)


def test_index_rows_are_mean_plus_t_se_on_design_df():
    design, y, seg = _sample()
    score = np.where(np.isnan(y), np.nan, 100 * y)
    table = estimate_rows(
        design, {"idx": score}, {"seg": seg}, OPEN, scales={"idx": "index"}
    )
    total = table.iloc[0]
    ref = design_mean(design, score)
    t = stats.t.ppf(0.975, ref.degf)
    assert total["method"] == "mean-t" and total["scale"] == "index"
    assert total["ci_low"] == pytest.approx(ref.estimate - t * ref.se, rel=1e-10)
    assert total["ci_high"] == pytest.approx(ref.estimate + t * ref.se, rel=1e-10)


def test_unweighted_simple_design_is_plain_binomial():
    _, y, seg = _sample()
    table = estimate_rows(
        SurveyDesign(np.ones(y.size), weighted=False), {"m": y}, {"seg": seg}, OPEN
    )
    p, n = table["estimate"].to_numpy(), table["n"].to_numpy(dtype=float)
    assert table["se"].to_numpy() == pytest.approx(np.sqrt(p * (1 - p) / n))
    assert (table["method"] == "wilson").all()
    weighted = estimate_rows(SurveyDesign(np.ones(y.size)), {"m": y}, {}, OPEN)
    assert weighted["method"].iloc[0] == "wilson"


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda d, y: estimate_rows(d, {}, {}), "values is empty"),
        (lambda d, y: estimate_rows(d, {"m": y[:5]}, {}), r"values of 'm' has shape"),
        (
            lambda d, y: estimate_rows(d, {"m": np.where(y > 0, np.inf, y)}, {}),
            "infinite values",
        ),
        (lambda d, y: estimate_rows(d, {"m": y}, {"g": [1, 2]}), "segment 'g'"),
        (
            lambda d, y: estimate_rows(d, {"m": y}, {}, within=np.ones(3, bool)),
            "within has shape",
        ),
    ],
)
def test_bad_inputs_are_named(call, match):
    design, y, _ = _sample()
    with pytest.raises(SurveyDataError, match=match):
        call(design, y)
