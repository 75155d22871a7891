"""Any question of a wave: answers, NETs, means and multi-select sets, by segment.

Small cases are checked against shares and standard errors worked by hand
(Σwy/Σw; with weights only, v = n/(n−1)·Σ w²(y − p)²/(Σw)², R's
``svymean`` on ``svydesign(ids=~1, weights=~w)``); the properties with
hypothesis.
"""

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import SurveyDataError
from analysis.store.questionnaire import Answer, Design, Question, Questionnaire
from analysis.table.questions import (
    EXCLUDED,
    QUESTION_KEYS,
    question_records,
    question_rows,
)
from analysis.table.rows import EstimateOptions

NO_FLAGS = EstimateOptions(thresholds=(0, 0, 0))

YES_NO = Question(
    "q",
    "Would you?",
    "single",
    (Answer("1", "Yes"), Answer("2", "No"), Answer("9", "Don't know", excluded=True)),
)
AGREE = Question(
    "agree",
    "I trust brands.",
    "scale",
    (
        Answer("1", "Strongly disagree"),
        Answer("2", "Disagree"),
        Answer("3", "Agree"),
        Answer("4", "Strongly agree"),
        Answer("8", "Don't know", excluded=True),
    ),
)


def weighted_share(y, w):
    """Σwy/Σw over the base and its with-replacement SE, by hand.

    Rows outside the base (NaN) stay in the design with no influence, as
    ``svymean(…, na.rm = TRUE)`` keeps them: v = N/(N−1)·Σ z², z = w(y − p)/Σw
    in the base and 0 outside, N every row of the design.
    """
    y, w = np.asarray(y, float), np.asarray(w, float)
    base = ~np.isnan(y)
    p = np.sum(w[base] * y[base]) / np.sum(w[base])
    z = np.where(base, w * (np.nan_to_num(y) - p), 0.0) / np.sum(w[base])
    n = y.size
    return p, math.sqrt(n / (n - 1) * np.sum(z**2))


def wave(*questions, segments=(), weight="weight"):
    return Questionnaire(
        tuple(questions), segments=tuple(segments), design=Design(weight=weight)
    )


@pytest.fixture
def small():
    """Six respondents answering q (one "don't know", one blank), with weights."""
    return pd.DataFrame(
        {
            "weight": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            "sex": ["f", "f", "m", "m", "f", "m"],
            "q": ["1", "1", "2", "9", None, "2"],
            "agree": ["4", "3", "1", "8", "2", "4"],
        }
    )


def test_weighted_shares_leave_dont_know_and_blanks_out(small):
    rows = question_rows(small, wave(YES_NO, segments=["sex"]), "q", options=NO_FLAGS)
    assert rows["answer"].tolist() == ["Yes", "No"]  # no row for "Don't know"
    w = small["weight"].to_numpy()
    nan = np.nan  # "9" and the blank leave the base
    for answer, y in (("Yes", [1, 1, 0, nan, nan, 0]), ("No", [0, 0, 1, nan, nan, 1])):
        row = rows.set_index("answer").loc[answer]
        p, se = weighted_share(y, w)
        assert row["estimate"] == pytest.approx(p, rel=1e-12)  # 3/12 and 9/12
        assert row["se"] == pytest.approx(se, rel=1e-12)
        assert row["n"] == 4
    assert rows["estimate"].tolist() == pytest.approx([0.25, 0.75])
    assert rows.attrs[EXCLUDED] == {"q": ("Don't know",)}
    assert set(rows["question"]) == {"q"}
    assert set(rows["question_text"]) == {"Would you?"}


def test_segments_are_domains_and_the_total_comes_first(small):
    rows = question_rows(
        small, wave(YES_NO, segments=["sex"]), "q", by="sex", options=NO_FLAGS
    )
    assert rows[["segment_var", "segment_value", "answer"]].values.tolist() == [
        ["total", "total", "Yes"],
        ["total", "total", "No"],
        ["sex", "f", "Yes"],
        ["sex", "f", "No"],
        ["sex", "m", "Yes"],
        ["sex", "m", "No"],
    ]
    women = rows[(rows["segment_value"] == "f") & (rows["answer"] == "Yes")].iloc[0]
    assert women["estimate"] == 1.0 and women["n"] == 2  # weights 1 and 2, both yes
    men = rows[(rows["segment_value"] == "m") & (rows["answer"] == "No")].iloc[0]
    assert men["estimate"] == 1.0 and men["n"] == 2  # the "don't know" is out


def test_a_net_is_the_sum_of_its_answers_named_by_label_or_code(small):
    q = wave(AGREE)
    net = question_rows(small, q, "agree", answers=["agree", "4"], options=NO_FLAGS)
    assert net["answer"].tolist() == ["Agree + Strongly agree"]
    # "8" is don't know
    p, se = weighted_share([1, 1, 0, np.nan, 0, 1], small["weight"])
    assert net["estimate"].iloc[0] == pytest.approx(p, rel=1e-12)
    assert net["se"].iloc[0] == pytest.approx(se, rel=1e-12)
    named = question_rows(small, q, "agree", answers=["TOP2"], options=NO_FLAGS)
    assert named["estimate"].iloc[0] == pytest.approx(p, rel=1e-12)
    assert named["answer"].iloc[0] == "Agree + Strongly agree"


def test_scales_add_their_top_and_bottom_boxes_on_request(small):
    rows = question_rows(small, wave(AGREE), "agree", nets=True, options=NO_FLAGS)
    assert rows["answer"].tolist() == [
        "Strongly disagree",
        "Disagree",
        "Agree",
        "Strongly agree",
        "Agree + Strongly agree",
        "Strongly disagree + Disagree",
    ]
    est = dict(zip(rows["answer"], rows["estimate"], strict=True))
    top = est["Agree"] + est["Strongly agree"]
    assert est["Agree + Strongly agree"] == pytest.approx(top, rel=1e-12)
    assert top + est["Strongly disagree + Disagree"] == pytest.approx(1.0)


def test_the_mean_of_a_scale_scores_its_codes_without_dont_know(small):
    rows = question_rows(small, wave(AGREE), "agree", mean=True, options=NO_FLAGS)
    assert rows["answer"].tolist() == ["mean"]
    assert rows["scale"].tolist() == ["mean"]
    y = [4, 3, 1, np.nan, 2, 4]  # "8" is don't know
    mean, se = weighted_share(y, small["weight"])
    assert rows["estimate"].iloc[0] == pytest.approx(mean, rel=1e-12)
    assert rows["se"].iloc[0] == pytest.approx(se, rel=1e-12)
    assert rows["method"].iloc[0] == "mean-t"


def test_a_scale_coded_in_words_is_scored_by_its_order():
    q = Question(
        "s",
        "Satisfied?",
        "scale",
        (Answer("low", "Low"), Answer("mid", "Mid"), Answer("high", "High")),
    )
    data = pd.DataFrame({"s": ["low", "high", "high", "mid"]})
    rows = question_rows(data, wave(q, weight=None), "s", mean=True, options=NO_FLAGS)
    assert rows["estimate"].iloc[0] == pytest.approx((1 + 3 + 3 + 2) / 4)


def test_a_numeric_mean_is_never_clipped_to_a_percentage_scale():
    q = Question("income", "Monthly income", "numeric", columns=("income",))
    data = pd.DataFrame({"income": [1800.0, 2500.0, np.nan, 3100.0, 950.0]})
    rows = question_rows(data, wave(q, weight=None), "income", options=NO_FLAGS)
    mean, se = weighted_share(data["income"], np.ones(5))
    row = rows.iloc[0]
    assert row["answer"] == "mean" and row["n"] == 4
    assert row["estimate"] == pytest.approx(mean, rel=1e-12)
    assert row["se"] == pytest.approx(se, rel=1e-12)
    assert row["ci_low"] < row["estimate"] < row["ci_high"]
    assert row["ci_high"] > 100 and not row["clipped"]


def test_a_multi_select_set_counts_those_who_saw_it():
    q = Question(
        "media",
        "Which do you use?",
        "multi",
        (
            Answer("a", "Email"),
            Answer("b", "Social"),
            Answer("c", "Text"),
            Answer("dk", "Don't know", excluded=True),
        ),
        columns=("media_a", "media_b", "media_c", "media_dk"),
    )
    nan = np.nan
    data = pd.DataFrame(
        [
            [nan, nan, nan, nan],  # not shown the set: out of the base
            [1, 0, 0, 0],
            [1, 1, 0, 0],
            [0, 0, 0, 0],  # saw it, chose nothing: in the base
            [0, 0, 0, 1],  # "don't know" alone: out of the base
        ],
        columns=list(q.columns),
    )
    rows = question_rows(data, wave(q, weight=None), "media", options=NO_FLAGS)
    assert rows["answer"].tolist() == ["Email", "Social", "Text"]
    assert rows["n"].tolist() == [3, 3, 3]
    assert rows["estimate"].tolist() == pytest.approx([2 / 3, 1 / 3, 0.0])
    net = question_rows(
        data, wave(q, weight=None), "media", answers=["b", "c"], options=NO_FLAGS
    )
    assert net["answer"].tolist() == ["Social + Text"]
    assert net["estimate"].iloc[0] == pytest.approx(1 / 3)


def test_an_unlabelled_answer_is_labelled_by_its_code():
    q = Question("k", "Kids?", "single", (Answer("0", ""), Answer("1", "One or more")))
    data = pd.DataFrame({"k": ["0", "1", "1"]})
    rows = question_rows(data, wave(q, weight=None), "k", options=NO_FLAGS)
    assert rows["answer"].tolist() == ["0", "One or more"]


def test_a_question_splits_the_sample_in_its_answers_order(small):
    q = wave(YES_NO, AGREE)
    rows = question_rows(small, q, "agree", answers=["top2"], by="q", options=NO_FLAGS)
    assert rows["segment_value"].tolist() == ["total", "Yes", "No", "Don't know"]
    assert rows["segment_var"].tolist() == ["total", "q", "q", "q"]
    # Yes: agree 4, 3 (weights 1, 2) → both in the top two boxes
    assert rows["estimate"].iloc[1] == 1.0
    assert rows["n"].iloc[3] == 0  # the "don't know" respondent answered agree 8


def test_records_have_exactly_the_command_line_keys(small):
    rows = question_rows(small, wave(YES_NO, segments=["sex"]), "q", by="sex")
    records = question_records(rows)
    assert all(tuple(r) == QUESTION_KEYS for r in records)
    assert records[0]["segment_var"] is None and records[0]["segment"] is None
    assert records[2]["segment_var"] == "sex" and records[2]["segment"] == "f"
    assert all(isinstance(r["n"], int) for r in records)
    json.dumps(records, allow_nan=False)  # plain JSON values only


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        # a question the wave does not have
        ({"question_id": "zz"}, r"no question 'zz' in this wave \(questions: q, "),
        # an answer the question does not have
        ({"answers": ["Maybe"]}, r"question 'q' has no answer 'Maybe' \(answers: 1"),
        # "don't know" has no share: it is not in the base
        ({"answers": ["don't know"]}, r"answer \"Don't know\" is left out of the base"),
        # a mean of a single choice
        ({"mean": True}, r"question 'q' is single: only a scale or a numeric"),
        ({"by": "nope"}, r"no segment or question 'nope' in this wave \(choose one of"),
    ],
)
def test_bad_requests_say_what_and_where(small, kwargs, message):
    args = {"question_id": "q", **kwargs}
    with pytest.raises(SurveyDataError, match=message):
        question_rows(small, wave(YES_NO, AGREE, segments=["sex"]), **args)


def test_answers_and_mean_together_are_refused(small):
    with pytest.raises(SurveyDataError, match=r"choose answers or the mean, not both"):
        question_rows(small, wave(AGREE), "agree", answers=["agree"], mean=True)


def test_a_numeric_question_has_a_mean_and_no_answers():
    q = Question("age", "Age", "numeric")
    data = pd.DataFrame({"age": [30.0, 40.0]})
    with pytest.raises(SurveyDataError, match=r"'age' is numeric: it has a mean, no"):
        question_rows(data, wave(q, weight=None), "age", answers=["30"])


def test_open_text_is_not_estimated():
    q = Question("why", "Why?", "text")
    data = pd.DataFrame({"why": ["because"]})
    with pytest.raises(SurveyDataError, match=r"'why' is open text: it has no answers"):
        question_rows(data, wave(q, weight=None), "why")


def test_a_stored_design_column_missing_from_the_rows_is_named(small):
    q = Questionnaire((YES_NO,), design=Design(weight="weight", strata="region"))
    with pytest.raises(SurveyDataError, match=r"no design column\(s\) \['region'\]"):
        question_rows(small, q, "q")


def test_a_multi_select_set_cannot_be_a_segment():
    q = Question(
        "m", "Which?", "multi", (Answer("a", "A"), Answer("b", "B")), ("m_a", "m_b")
    )
    data = pd.DataFrame({"m_a": [1.0, 0.0], "m_b": [0.0, 1.0]})
    with pytest.raises(SurveyDataError, match=r"question 'm' is multi: only a single"):
        question_rows(data, wave(q, weight=None), "m", by="m")


@st.composite
def answered(draw):
    """Respondents with weights, a segment and answers (some don't know, blanks)."""
    n = draw(st.integers(2, 40))
    codes = st.sampled_from(["1", "2", "3", "4", "8", None])
    return pd.DataFrame(
        {
            "weight": draw(st.lists(st.floats(0.2, 5), min_size=n, max_size=n)),
            "g": draw(st.lists(st.sampled_from("abc"), min_size=n, max_size=n)),
            "agree": draw(st.lists(codes, min_size=n, max_size=n)),
        }
    )


@settings(max_examples=60, deadline=None)
@given(answered())
def test_shares_sum_to_one_nets_add_up_and_segments_partition_the_base(data):
    q = wave(AGREE, segments=["g"])
    rows = question_rows(data, q, "agree", by="g", nets=True, options=NO_FLAGS)
    single = rows[~rows["answer"].str.contains(r" \+ ")]
    for _, cell in single.groupby(["segment_var", "segment_value"]):
        if cell["n"].iloc[0] > 0:
            assert cell["estimate"].sum() == pytest.approx(1.0)
    for _, cell in rows.groupby(["segment_var", "segment_value"]):
        est = dict(zip(cell["answer"], cell["estimate"], strict=True))
        if cell["n"].iloc[0] > 0:
            top = est["Agree"] + est["Strongly agree"]
            assert est["Agree + Strongly agree"] == pytest.approx(top)
    per_answer = rows[rows["answer"] == "Agree"]
    total = per_answer[per_answer["segment_var"] == "total"]["n"].iloc[0]
    assert per_answer[per_answer["segment_var"] == "g"]["n"].sum() == total
