"""The questionnaire model: invariants, answers by code or label, NETs, JSON round trip."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.errors import SurveyDataError
from analysis.store.questionnaire import (
    Answer,
    Column,
    Design,
    Question,
    Questionnaire,
    answers_json,
)

AGREE = (
    Answer("1", "Strongly disagree"),
    Answer("2", "Disagree"),
    Answer("3", "Agree"),
    Answer("4", "Strongly agree"),
    Answer("9", "Don't know", excluded=True),
)


def test_answers_are_found_by_code_or_label_case_insensitively():
    q = Question("trust_q", "I trust brands", "scale", AGREE, ("trust_q",))
    assert q.answer("3").label == "Agree"
    assert q.answer("  strongly AGREE ").code == "4"
    with pytest.raises(SurveyDataError, match=r"no answer 'maybe' \(answers: 1 \("):
        q.answer("maybe")


def test_nets_leave_excluded_answers_out():
    q = Question("trust_q", "I trust brands", "scale", AGREE, ("trust_q",))
    assert q.nets() == {"top2": ("3", "4"), "bottom2": ("1", "2")}
    assert [a.code for a in q.counted] == ["1", "2", "3", "4"]
    assert Question("x", "x", "single", AGREE, ("x",)).nets() == {}


def test_a_long_scale_s_nets_add_each_whole_side():
    """A 7-point scale's side is three answers: its top-3 and bottom-3 NETs."""
    seven = tuple(Answer(str(i), f"P{i}") for i in range(1, 8))
    q = Question("q", "q", "scale", (*seven, Answer("9", "DK", excluded=True)))
    assert q.nets() == {
        "top2": ("6", "7"),
        "bottom2": ("1", "2"),
        "top3": ("5", "6", "7"),
        "bottom3": ("1", "2", "3"),
    }
    eleven = tuple(Answer(str(i), str(i)) for i in range(11))  # 0-10
    assert Question("n", "n", "scale", eleven).nets()["top5"] == tuple(
        ["6", "7", "8", "9", "10"]
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"type": "likert"}, "type 'likert' must be one of"),
        ({"answers": (Answer("1", "a"), Answer("1", "b"))}, "repeats an answer code"),
        ({"type": "multi", "columns": ("a",)}, "one column per option"),
    ],
)
def test_a_malformed_question_says_what_is_wrong(kwargs, message):
    base = {"id": "q", "text": "Q?", "type": "single", "answers": AGREE[:2]}
    with pytest.raises(SurveyDataError, match=message):
        Question(**{**base, **kwargs})


def test_question_ids_are_unique_and_looked_up_with_a_listing():
    q = Question("a", "A?", "numeric", columns=("a",))
    with pytest.raises(SurveyDataError, match="'a' is used twice"):
        Questionnaire(questions=(q, q))
    with pytest.raises(SurveyDataError, match=r"no question 'b' .*questions: a\)"):
        Questionnaire(questions=(q,)).question("b")


def test_a_column_role_outside_the_set_is_refused():
    with pytest.raises(SurveyDataError, match="role 'mystery'"):
        Column("x", "mystery")


_text = st.text(min_size=1, max_size=12)


@st.composite
def questionnaires(draw):
    questions = []
    for i in range(draw(st.integers(0, 4))):
        labels = draw(st.lists(_text, min_size=1, max_size=4))
        answers = tuple(
            Answer(str(j + 1), label, draw(st.booleans()))
            for j, label in enumerate(labels)
        )
        kind = draw(st.sampled_from(["single", "scale", "multi"]))
        columns = (
            tuple(f"q{i}_{j}" for j in range(len(answers)))
            if kind == "multi"
            else (f"q{i}",)
        )
        questions.append(
            Question(
                f"q{i}",
                draw(_text),
                kind,
                answers,
                columns,
                link=draw(st.none() | _text),
                link_score=draw(st.none() | st.floats(0, 1)),
            )
        )
    return Questionnaire(
        questions=tuple(questions),
        segments=tuple(draw(st.lists(_text, max_size=3, unique=True))),
        design=Design(weight="weight", strata=draw(st.none() | _text)),
        columns=(Column("Age", "segment", "age_band", segment="age_band"),),
    )


@given(questionnaires())
def test_json_round_trip_keeps_everything(questionnaire):
    again = Questionnaire.from_dict(json.loads(json.dumps(questionnaire.to_dict())))
    assert again == questionnaire


def test_answers_print_as_code_label_pairs():
    assert answers_json(AGREE[:2]) == [
        {"code": "1", "label": "Strongly disagree"},
        {"code": "2", "label": "Disagree"},
    ]
