"""Domain estimates under calibrated weights, against R and against one-at-a-time.

R values: ``svyby(~I(sch.wide == "Yes"), ~stype, cal, svymean)`` on
``calibrate(svydesign(id=~1, weights=~pw, data=apistrat), ~stype + awards,
population, calfun = "raking")`` (tests/data/reference/round2_reference.json,
``weighting.calibrate_by_stype``).
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import WeightingError
from analysis.stats.calibration import calibrated_domains, calibrated_mean
from analysis.stats.design import SurveyDesign
from analysis.stats.weighting import rake
from analysis.table.rows import COVARIANCE, EstimateOptions, estimate_rows

REFERENCE = Path(__file__).parents[1] / "data" / "reference"
R = json.loads((REFERENCE / "round2_reference.json").read_text())["weighting"]


@pytest.fixture(scope="module")
def api():
    data = pd.read_csv(REFERENCE / "apistrat.csv", dtype={"cds": str})
    data["awards"] = np.where(data["awards_yes"] == 1, "Yes", "No")
    columns = {v: data[v] for v in ("stype", "awards")}
    targets = {v: R["population"][v] for v in ("stype", "awards")}
    return data, rake(data["pw"].to_numpy(), columns, targets)


def _codes(labels):
    names, codes = np.unique(np.asarray(labels, dtype=str), return_inverse=True)
    return codes.astype(np.intp), names


def test_domains_match_r_svyby_on_calibrated_design(api):
    data, weighting = api
    codes, names = _codes(data["stype"])
    y = data["sch_wide_yes"].to_numpy(dtype=float)
    fit = calibrated_domains(SurveyDesign(data["pw"]), weighting, y, codes, names)
    ref = {r["stype"]: r for r in R["calibrate_by_stype"]}
    for i, name in enumerate(names):
        assert fit.estimates.estimate[i] == pytest.approx(ref[name]["estimate"], 1e-9)
        assert fit.estimates.se[i] == pytest.approx(ref[name]["se"], abs=1e-9)
    assert np.allclose(np.diag(fit.covariance), fit.estimates.se**2)


@pytest.mark.parametrize("strata", [None, "stype"])
def test_domains_agree_with_calibrated_mean_one_at_a_time(api, strata):
    # every domain in one pass = calibrated_mean(domain=…) domain by domain,
    # with and without strata
    data, weighting = api
    design = SurveyDesign(data["pw"], strata=None if strata is None else data[strata])
    codes, names = _codes(data["awards"])
    y = data["sch_wide_yes"].to_numpy(dtype=float)
    y[::17] = np.nan  # missing answers leave the domain, not the design
    fit = calibrated_domains(design, weighting, y, codes, names)
    for i in range(names.size):
        one = calibrated_mean(design, weighting, y, domain=codes == i)
        assert fit.estimates.estimate[i] == pytest.approx(one.estimate, rel=1e-12)
        assert fit.estimates.se[i] == pytest.approx(one.se, rel=1e-9)


def test_estimate_rows_attaches_calibrated_covariances(api):
    data, weighting = api
    table = estimate_rows(
        SurveyDesign(data["pw"]),
        {"m": data["sch_wide_yes"]},
        {"stype": data["stype"]},
        EstimateOptions(),
        calibration=weighting,
        wave="w",
    )
    cov = table.attrs[COVARIANCE]
    # calibrating to stype ties its segments together: nonzero, symmetric
    assert cov[("w", "m", "stype", "E", "H")] == cov[("w", "m", "stype", "H", "E")]
    assert cov[("w", "m", "stype", "E", "H")] != 0.0
    w = weighting.weights
    assert table["n_eff"].iloc[0] == pytest.approx(w.sum() ** 2 / (w @ w))


def test_calibration_of_another_sample_is_refused(api):
    _, weighting = api
    with pytest.raises(WeightingError, match="200 respondents but the design 3"):
        estimate_rows(
            SurveyDesign(np.ones(3)), {"m": [1, 0, 1]}, {}, calibration=weighting
        )
