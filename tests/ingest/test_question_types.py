"""Question types from a column's answers: single, scale, multi, numeric, text."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis.ingest.model import RawSurvey
from analysis.ingest.questionnaire import detect_questionnaire


def raw(data: dict[str, list], fmt: str = "csv", **kw) -> RawSurvey:
    return RawSurvey(
        file_name=f"t.{fmt}", sha256="0", format=fmt, data=pd.DataFrame(data), **kw
    )


def values(series: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in series]


def question(data, codebook, qid, **kw):
    return detect_questionnaire(raw(data, **kw), codebook).questionnaire.question(qid)


def test_likert_answers_written_as_text_run_negative_to_positive(codebook):
    answers = [
        "Tout à fait d’accord",
        "Plutôt pas d'accord",
        "Pas du tout d'accord",
        "Plutôt d'accord",
        "Je ne sais pas",
        "Ni d'accord ni pas d'accord",
    ]
    q = question({"Q": answers * 2}, codebook, "Q")
    assert q.type == "scale"
    assert [a.label for a in q.answers] == [
        "Pas du tout d'accord",
        "Plutôt pas d'accord",
        "Ni d'accord ni pas d'accord",
        "Plutôt d'accord",
        "Tout à fait d’accord",
        "Je ne sais pas",
    ]
    assert [a.excluded for a in q.answers] == [False] * 5 + [True]
    assert q.nets() == {
        "top2": ("Plutôt d'accord", "Tout à fait d’accord"),
        "bottom2": ("Pas du tout d'accord", "Plutôt pas d'accord"),
    }


def test_one_answer_written_two_ways_is_one_code(codebook):
    detection = detect_questionnaire(
        raw({"Q": ["Yes", "yes ", "No", "YES", None]}), codebook
    )
    q = detection.questionnaire.question("Q")
    assert [a.code for a in q.answers] == ["No", "Yes"]
    assert values(detection.respondents["Q"]) == ["Yes", "Yes", "No", "Yes", None]


def test_zero_to_ten_is_a_scale_even_with_gaps(codebook):
    q = question({"nps": ["0", "3", "5", "7", "8", "10", "10", "9"]}, codebook, "nps")
    assert q.type == "scale"
    assert [a.code for a in q.answers] == ["0", "3", "5", "7", "8", "9", "10"]
    assert q.nets()["top2"] == ("9", "10")


def test_nominal_answers_are_single_choice(codebook):
    q = question(
        {"brand": ["Acme", "Globex", "Initech", "Acme", "Globex"]}, codebook, "brand"
    )
    assert q.type == "single"
    assert q.nets() == {}


def test_many_different_numbers_are_numeric(codebook):
    income = [str(1000 + 137 * i) for i in range(30)] + ["-99", "1250,5"]
    detection = detect_questionnaire(raw({"income": income}), codebook)
    q = detection.questionnaire.question("income")
    assert q.type == "numeric"
    stored = detection.respondents["income"]
    assert stored.dtype == "float64"
    assert math.isnan(stored.iloc[30])  # -99 means missing
    assert stored.iloc[31] == pytest.approx(1250.5)  # a decimal comma


def test_open_text_is_dropped_but_other_specify_is_kept(codebook):
    comments = [
        f"Comment number {i} about the service, quite long to read" for i in range(20)
    ]
    data = {
        "Q3": ["Bank", "Shop", "Other", "Bank"] * 5,
        "Q3_4_TEXT": ["", "", "my cousin", ""] * 5,
        "Why did you choose it?": comments,
    }
    detection = detect_questionnaire(raw(data), codebook)
    assert detection.proposal("Why did you choose it?").role == "left_out"
    assert "Why did you choose it?" not in detection.respondents
    other = detection.questionnaire.question("Q3_4_TEXT")
    assert other.type == "text"
    assert set(detection.respondents["Q3_4_TEXT"].dropna()) == {"my cousin"}
    data["Q3_4_TEXT"][2] = "my cousin, call +33 6 12 34 56 78"
    detection = detect_questionnaire(raw(data), codebook)
    assert detection.proposal("Q3_4_TEXT").role == "personal_data"
    assert "Q3_4_TEXT" not in detection.respondents


def test_personal_data_in_an_open_answer_drops_the_column(codebook):
    data = {"Q9": ["call me on 06 12 34 56 78", "fine", "ok"]}
    detection = detect_questionnaire(raw(data), codebook)
    assert detection.proposal("Q9").role == "personal_data"
    assert "Q9" not in detection.respondents


def test_surveymonkey_options_one_column_each(codebook):
    stem = "Which of these apps do you use?"
    data = {
        f"{stem} | Facebook": ["Facebook", "", "Facebook", ""],
        f"{stem} | Instagram": ["Instagram", "Instagram", "", ""],
        f"{stem} | None of these": ["", "", "", ""],
        f"{stem} | Don't know": ["", "", "", ""],
    }
    data[f"{stem} | None of these"][3] = "None of these"
    detection = detect_questionnaire(raw(data, fmt="surveymonkey"), codebook)
    q = detection.questionnaire.question(stem)
    assert q.type == "multi" and q.text == stem
    assert [a.label for a in q.answers] == ["Facebook", "Instagram", "None of these"]
    frame = detection.respondents
    assert values(frame[f"{stem} | Facebook"]) == [1.0, 0.0, 1.0, 0.0]
    assert values(frame[f"{stem} | None of these"]) == [0.0, 0.0, 0.0, 1.0]


def test_qualtrics_selected_choice_texts_and_unseen_sets(codebook):
    text = "Q5 - Which channels do you use? - Selected Choice - "
    data = {
        "Q5_1": ["Email", "", "Email", ""],
        "Q5_2": ["", "SMS", "SMS", ""],
        "Q5_3": ["Post", "", "", ""],
    }
    texts = {"Q5_1": text + "Email", "Q5_2": text + "SMS", "Q5_3": text + "Post"}
    detection = detect_questionnaire(
        raw(data, fmt="qualtrics", question_texts=texts), codebook
    )
    q = detection.questionnaire.question("Q5")
    assert q.text == "Which channels do you use?"
    assert [(a.code, a.label) for a in q.answers] == [
        ("1", "Email"),
        ("2", "SMS"),
        ("3", "Post"),
    ]
    # the fourth respondent ticked nothing: the set was not shown
    assert values(detection.respondents["Q5_3"]) == [1.0, 0.0, 0.0, None]


def test_zero_one_option_columns_keep_missing_as_missing(codebook):
    data = {"use_tv": ["1", "0", None, "0"], "use_radio": ["0", "0", None, "1"]}
    detection = detect_questionnaire(raw(data), codebook)
    q = detection.questionnaire.question("use")
    assert [a.label for a in q.answers] == ["tv", "radio"]
    assert values(detection.respondents["use_tv"]) == [1.0, 0.0, None, 0.0]


def test_choices_in_one_cell(codebook):
    cells = ["Price;Quality", "Price", "Service;Price;Quality", None, "Quality"]
    detection = detect_questionnaire(raw({"reasons": cells}), codebook)
    q = detection.questionnaire.question("reasons")
    assert q.type == "multi"
    assert [a.code for a in q.answers] == ["Price", "Quality", "Service"]
    assert q.columns == ("reasons | Price", "reasons | Quality", "reasons | Service")
    assert values(detection.respondents["reasons | Price"]) == [
        1.0,
        1.0,
        1.0,
        None,
        0.0,
    ]


def test_a_likert_grid_is_questions_not_a_multi_select(codebook):
    scale = ["Agree", "Disagree", "Strongly agree"]
    data = {"Q5_1": scale, "Q5_2": scale[::-1]}
    quest = detect_questionnaire(raw(data), codebook).questionnaire
    assert [(q.id, q.type) for q in quest.questions] == [
        ("Q5_1", "scale"),
        ("Q5_2", "scale"),
    ]


def test_question_ids_are_unique_even_when_a_stem_is_a_column(codebook):
    data = {
        "Q5": ["a", "b", "a"],
        "Q5_1": ["1", "0", "1"],
        "Q5_2": ["0", "1", "1"],
    }
    quest = detect_questionnaire(raw(data), codebook).questionnaire
    ids = [q.id for q in quest.questions]
    assert len(ids) == len(set(ids)) == 2
    assert "Q5 (2)" in ids
