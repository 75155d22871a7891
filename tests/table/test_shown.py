"""What a row shows when the variance says nothing, or the bounds leave the scale.

Degenerate cells (SE 0, no degrees of freedom, a domain inside one PSU, all-0
or all-1) are flagged and get no design-based interval; shown bounds are
clipped to the scale and say so; the figures read both. The letters of a
clustered design use the covariance of its segments, as R's ``svycontrast``
(``round2_reference.json``, ``contrasts``).
"""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.figures.chart import ChartContext
from analysis.figures.parts import hover_text, segment_notes
from analysis.stats.design import SurveyDesign, design_mean
from analysis.stats.design_ci import design_proportion_ci
from analysis.stats.intervals import proportion_ci
from analysis.table.letters import segment_pairs, with_segment_letters
from analysis.table.rows import COVARIANCE, EstimateOptions, estimate_rows

REFERENCE = Path(__file__).parents[1] / "data" / "reference"
ROUND2 = json.loads((REFERENCE / "round2_reference.json").read_text())
CLUS = pd.read_csv(REFERENCE / "apiclus1_na.csv", dtype={"cds": str})
OPEN = EstimateOptions(thresholds=(0, 0, 0))


def _clustered():
    """Six PSUs of 20; segment "inside" lives in PSU 0 only; "none" answers no."""
    rng = np.random.default_rng(3)
    psu = np.repeat(np.arange(6), 20)
    w = rng.lognormal(0, 0.4, 120)
    y = (rng.random(120) < 0.4).astype(float)
    seg = np.where(psu == 0, "inside", np.where(psu < 3, "none", "rest"))
    y[seg == "none"] = 0.0
    return SurveyDesign(w, clusters=psu), y, seg


def test_degenerate_cells_are_flagged_and_fall_back_on_kish():
    design, y, seg = _clustered()
    table = estimate_rows(design, {"m": y}, {"seg": seg}, OPEN).set_index(
        "segment_value"
    )
    inside, none, rest = table.loc["inside"], table.loc["none"], table.loc["rest"]
    # one PSU: df 0 and SE 0 — no design-based interval, Wilson on Kish's base
    assert inside["flag"] == "degenerate" and inside["method"] == "wilson-kish"
    assert np.isnan(inside["n_star"])
    low, high = proportion_ci(
        inside["estimate"] * inside["n_eff"], inside["n_eff"], level=0.95
    )
    assert (inside["ci_low"], inside["ci_high"]) == pytest.approx((low, high))
    # all 0: Clopper–Pearson on Kish's base, 1 − (α/2)^(1/n_eff) above
    assert none["flag"] == "degenerate" and none["method"] == "clopper-pearson-kish"
    assert none["ci_low"] == 0.0
    assert none["ci_high"] == pytest.approx(1 - 0.025 ** (1 / none["n_eff"]))
    assert rest["flag"] == "ok" and rest["method"] == "wilson"
    lettered = with_segment_letters(table.reset_index())
    assert lettered.set_index("segment_value")["tested"].to_dict() == {
        "total": False,
        "inside": False,
        "none": False,
        "rest": True,
    }


def test_shown_bounds_are_clipped_and_flagged():
    rng = np.random.default_rng(9)
    w = rng.lognormal(0, 0.8, 40)
    y = np.ones(40)
    y[:2] = 0.0  # 95 % yes on 40 heavily weighted rows
    design = SurveyDesign(w)
    ref = design_mean(design, y)
    unclipped = design_proportion_ci(
        ref.estimate, ref.se, n_eff=ref.n_eff, df=ref.degf, nrow=40, method="mean"
    )
    assert float(unclipped[1]) > 1.0  # what R gives, and is compared with
    mean = EstimateOptions(method="mean", thresholds=(0, 0, 0))
    row = estimate_rows(design, {"m": y}, {}, mean).iloc[0]
    assert row["ci_high"] == 1.0 and row["clipped"]
    assert row["ci_low"] == pytest.approx(float(unclipped[0]))
    wilson = estimate_rows(design, {"m": y}, {}, OPEN).iloc[0]
    assert not wilson["clipped"]


def test_a_degenerate_index_gets_no_interval():
    design, y, seg = _clustered()
    score = 100 * y
    table = estimate_rows(
        design, {"i": score}, {"seg": seg}, OPEN, scales={"i": "index"}
    ).set_index("segment_value")
    assert table.loc["inside", "flag"] == "degenerate"
    assert np.isnan(table.loc["inside", ["ci_low", "ci_high"]].astype(float)).all()
    assert table.loc["rest", "flag"] == "ok"


def test_the_figures_read_degenerate_and_clipped():
    ctx = ChartContext()
    row = pd.Series(
        {
            "estimate": 0.97,
            "ci_low": 0.9,
            "ci_high": 1.0,
            "level": 0.95,
            "n": 40,
            "n_eff": 30.0,
            "flag": "degenerate",
            "clipped": True,
            "scale": "share",
        }
    )
    hover = hover_text(row, ctx)
    assert "no design-based interval" in hover and "cut at the scale" in hover
    notes = segment_notes(pd.DataFrame([row]), ctx)
    assert any("No design-based interval" in n for n in notes)
    assert any("Interval cut" in n for n in notes)


def test_toplines_and_unweighted_rows_stand_on_their_own_base():
    design = SurveyDesign(np.ones(200), weighted=False)
    y = (np.arange(200) % 3 == 0).astype(float)
    row = estimate_rows(design, {"m": y}, {}, OPEN).iloc[0]
    assert row["n_star"] == 200 and row["method"] == "wilson"
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(proportion_ci(67, 200))


def test_letters_of_a_clustered_design_use_the_segments_covariance():
    """apiclus1, one-stage cluster sample: R's svyby(covmat = TRUE) + svycontrast."""
    design = SurveyDesign(
        CLUS["pw"].to_numpy(), clusters=CLUS["dnum"].to_numpy(), fpc=CLUS["fpc"]
    )
    y = (CLUS["sch.wide"] == "Yes").to_numpy(dtype=float)
    table = estimate_rows(design, {"m": y}, {"stype": CLUS["stype"]}, OPEN, wave="W")
    assert table.attrs[COVARIANCE][("W", "m", "stype", "E", "H")] != 0.0
    pairs = segment_pairs(table, adjust="none")
    for ref in (r for r in ROUND2["contrasts"] if r["design"] == "apiclus1"):
        pair = pairs[(pairs.segment_a == ref["a"]) & (pairs.segment_b == ref["b"])]
        p = 2 * stats.norm.sf(abs(ref["diff"] / ref["se_diff"]))
        assert float(pair["p_value"].iloc[0]) == pytest.approx(p, rel=1e-9)
    # without the covariance the same pairs would be tested as independent
    plain = segment_pairs(table.copy().assign(), adjust="none")
    table.attrs.clear()
    independent = segment_pairs(table, adjust="none")
    assert not np.allclose(plain["p_value"], independent["p_value"])
