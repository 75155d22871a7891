"""A 7-point scale's diverging bar: each end is its whole side, whiskered by R's interval.

The side of a 7-point scale is three answers, its top-3 (bottom-3) NET, made
where the NETs are made (:meth:`Question.nets`). The reference is R survey
4.1.1 (tests/data/reference/r/make_seven_point_reference.R →
``seven_point_reference.json``): ``svyciprop(~I(seven >= 5), method =
"logit")`` on ``apistrat``, stratified with fpc, overall and by school type,
for the scale ``seven = (snum %% 13) %% 7 + 1`` remade here from the same rows.
R's logit estimate is an IRLS fit that stops ~1e-10 short of the share.
"""

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.figures.answers import answer_chart
from analysis.figures.chart import ChartContext
from analysis.store.questionnaire import Answer, Design, Question, Questionnaire
from analysis.table.questions import question_rows
from analysis.table.rows import EstimateOptions

REFERENCE = Path(__file__).parents[1] / "data" / "reference"
R = json.loads((REFERENCE / "seven_point_reference.json").read_text())
LABELS = [
    "Strongly disagree",
    "Disagree",
    "Somewhat disagree",
    "Neither",
    "Somewhat agree",
    "Agree",
    "Strongly agree",
]
LOW, HIGH = " + ".join(LABELS[:3]), " + ".join(LABELS[4:])


@pytest.fixture(scope="module")
def seven():
    """The apistrat schools with a 7-point scale made of their number, by type."""
    data = pd.read_csv(REFERENCE / "apistrat.csv", dtype={"cds": str})
    data["seven"] = ((data["snum"] % 13) % 7 + 1).astype(str)
    answers = tuple(Answer(str(i), a) for i, a in enumerate(LABELS, start=1))
    question = Question("seven", "I trust brands with my data", "scale", answers)
    design = Design(weight="pw", strata="stype", fpc="fpc")
    wave = Questionnaire((question,), segments=("stype",), design=design)
    options = EstimateOptions(method="logit")
    rows = question_rows(
        data, wave, "seven", nets=True, by="stype", options=options, wave="W"
    )
    return rows, answer_chart(rows, question, ChartContext())


def test_the_sides_are_nets_of_three_answers(seven):
    _, chart = seven
    layout = chart.answers
    assert (layout.low_end, layout.high_end) == (LOW, HIGH)
    assert (layout.low_net, layout.high_net) == (LOW, HIGH)
    assert f"NET “{LOW}” and NET “{HIGH}”" in chart.text.subtitle
    assert "Whiskers at the bar ends: the interval of that side's NET" in (
        chart.text.footnote
    )


def _reference(side):
    ref = R[side]
    out = {"total": ref["total"]}
    by = ref["by_stype"]
    for i, stype in enumerate(by["stype"]):
        out[stype] = {k: by[k][i] for k in ("estimate", "ci_low", "ci_high")}
    return out


@pytest.mark.parametrize("k,side", [(0, "low"), (1, "high")])
def test_each_end_is_whiskered_with_rs_interval_of_the_side(seven, k, side):
    _, chart = seven
    whiskers = [t for t in chart.figure.data if t.type == "scatter" and t.error_x.array]
    assert len(whiskers) == 2  # one per side: none was drawn on 7 points before
    trace, sign = whiskers[k], (-1 if side == "low" else 1)
    ref = _reference(side)
    for i, (_, value) in enumerate(chart.answers.segments):
        want = ref["total" if value == "total" else value]
        est = sign * trace.x[i] / 100
        assert est == pytest.approx(want["estimate"], rel=1e-8)
        right, left = trace.error_x.array[i], trace.error_x.arrayminus[i]
        outward, inward = (left, right) if sign < 0 else (right, left)
        assert est + outward / 100 == pytest.approx(want["ci_high"], rel=1e-8)
        assert est - inward / 100 == pytest.approx(want["ci_low"], rel=1e-8)


def test_each_end_is_labelled_with_its_sides_share(seven):
    _, chart = seven
    texts = [t for t in chart.figure.data if t.type == "scatter" and t.mode == "text"]
    high = R["high"]["total"]["estimate"]
    low = R["low"]["total"]["estimate"]
    assert texts[0].text[0] == f"<b>{round(100 * low)}%</b>"
    assert texts[1].text[0] == f"<b>{round(100 * high)}%</b>"


def test_the_bars_reach_their_sides_nets(seven):
    _, chart = seven
    bars = {t.name: t for t in chart.figure.data if t.type == "bar"}
    whiskers = [t for t in chart.figure.data if t.type == "scatter" and t.error_x.array]
    for k, side in ((0, LABELS[:3]), (1, LABELS[4:])):
        for i in range(len(chart.answers.segments)):
            reach = sum(bars[a].x[i] for a in side)
            assert reach == pytest.approx(whiskers[k].x[i], abs=1e-9)
