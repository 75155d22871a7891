"""Properties of questionnaire detection on arbitrary small files.

Whatever a file holds, detection either returns a consistent questionnaire or
raises a SurveyDataError with one line; nothing else escapes, and what it
returns always holds: one proposal per column, stored columns that exist, no
raw age or personal data stored.
"""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.errors import SurveyDataError
from analysis.ingest.model import RawSurvey
from analysis.ingest.questionnaire import detect_questionnaire
from analysis.library.codebook import load_codebook

CODEBOOK = load_codebook()
HEADERS = st.one_of(
    st.sampled_from(
        [
            "age",
            "Âge",
            "gender",
            "Q7",
            "country",
            "pays",
            "weight",
            "poids",
            "strata",
            "psu",
            "fpc",
            "id",
            "Q5_1",
            "Q5_2",
            "Q5_3_TEXT",
            "email",
            "Comments",
            "usage_ethique_possible",
            "Q | Option",
            "share_caution",
        ]
    ),
    st.text(min_size=1, max_size=12),
)
CELLS = st.one_of(
    st.none(),
    st.integers(-200, 200),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=15),
    st.sampled_from(
        [
            "Yes",
            "No",
            "Don't know",
            "Je ne sais pas",
            "1",
            "0",
            "",
            "France",
            "FRA",
            "Groland",
            "Male",
            "Female",
            "a;b",
            "a;b;c",
            "18-24",
            "65 ans et plus",
            "29",
            "1,5",
            "x@y.io",
            "Strongly agree",
            "Plutôt d'accord",
            "2025-03-04 10:00",
        ]
    ),
)


LIKERT = [
    "Strongly disagree",
    "Tend to disagree",
    "Neither agree nor disagree",
    "Tend to agree",
    "Strongly agree",
    "Don't know",
    None,
]
TICKS = ["1", "0", None, "Email", "", "Selected", "Not selected", 1.0, 0]


def column(rows: int) -> st.SearchStrategy:
    """Any cells, or a few values repeated, as closed questions have."""
    few = st.lists(CELLS, min_size=1, max_size=4).flatmap(
        lambda pool: st.lists(st.sampled_from(pool), min_size=rows, max_size=rows)
    )
    return st.one_of(st.lists(CELLS, min_size=rows, max_size=rows), few)


@st.composite
def surveys(draw) -> RawSurvey:
    headers = draw(st.lists(HEADERS, min_size=1, max_size=6, unique=True))
    rows = draw(st.integers(0, 8))
    data = {h: draw(column(rows)) for h in headers}
    if draw(st.booleans()):  # a Likert question
        data["Q2"] = draw(
            st.lists(st.sampled_from(LIKERT), min_size=rows, max_size=rows)
        )
    if draw(st.booleans()):  # a multi-select block
        for k in (1, 2, 3):
            data[f"Q9_{k}"] = draw(
                st.lists(st.sampled_from(TICKS), min_size=rows, max_size=rows)
            )
    headers = list(data)
    frame = pd.DataFrame(data, columns=headers, dtype=object)
    labelled = [h for h in headers if draw(st.booleans())]
    labels = {
        h: draw(st.dictionaries(st.sampled_from(["1", "2", "9", "x"]), CELLS.map(str)))
        for h in labelled
    }
    return RawSurvey(
        file_name="fuzz.csv",
        sha256="0",
        format=draw(st.sampled_from(["csv", "spss", "qualtrics", "surveymonkey"])),
        data=frame,
        question_texts={h: draw(st.text(max_size=30)) or h for h in headers},
        value_labels=labels,
        missing_codes={h: frozenset({"9"}) for h in labelled[:1]},
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(surveys())
def test_detection_raises_only_survey_data_errors(raw):
    try:
        detection = detect_questionnaire(raw, CODEBOOK)
    except SurveyDataError as error:
        assert "\n" not in str(error)
        return
    check_consistent(raw, detection)


def check_consistent(raw: RawSurvey, detection) -> None:
    assert [p.header for p in detection.proposals] == list(raw.columns)
    frame = detection.respondents
    assert frame.index.equals(raw.data.index)
    assert len(set(frame.columns)) == len(frame.columns)
    quest = detection.questionnaire
    for name in (*quest.segments, *filter(None, vars(quest.design).values())):
        assert name in frame
    for proposal in detection.proposals:
        if proposal.role in ("personal_data", "left_out"):
            assert proposal.stored_as is None and proposal.reason
        if proposal.segment == "age_band":
            assert proposal.stored_as.startswith("age_band")
    for question in quest.questions:
        check_question(question, frame)


def check_question(question, frame: pd.DataFrame) -> None:
    for column in question.columns:
        assert column in frame, column
    if question.link is not None:
        assert question.link in CODEBOOK.questions
        assert 0 <= question.link_score <= 1
    if question.type == "multi":
        for column in question.columns:
            assert set(frame[column].dropna()) <= {0.0, 1.0}
    if question.type == "numeric":
        assert all(math.isfinite(v) for v in frame[question.id].dropna())
    if question.type in ("single", "scale"):
        codes = {a.code for a in question.answers}
        assert set(frame[question.id].dropna()) <= codes


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 110), min_size=1, max_size=30))
def test_ages_are_always_banded_never_stored(ages):
    raw = RawSurvey(
        file_name="ages.csv",
        sha256="0",
        format="csv",
        data=pd.DataFrame({"age": [str(a) for a in ages]}),
    )
    detection = detect_questionnaire(raw, CODEBOOK)
    assert list(detection.respondents.columns) == ["age_band"]
    bands = detection.respondents["age_band"]
    for age, band in zip(ages, bands, strict=True):
        if age < 18:
            assert band == "<18"
        elif age >= 65:
            assert band == "65+"
        else:
            low, high = (int(x) for x in band.split("-"))
            assert low <= age <= high
