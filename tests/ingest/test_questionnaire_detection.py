"""Every export as analysts have them: roles, segments, links and stored codes.

Expected values come from tests/data/ingest/expected/, written by the fixture
makers (make_fixtures.py, make_questionnaire_fixtures.py) from the answers they
drew, never by the detection under test.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.ingest.links import LINK_THRESHOLD
from analysis.ingest.questionnaire import detect_questionnaire
from analysis.ingest.readers import read_survey

DATA = Path(__file__).parents[1] / "data" / "ingest"
ASKED = (
    "share_caution",
    "leave_unprotected",
    "ethical_use",
    "refuse_share_journey",
    "track_browsing",
    "track_feeds",
    "track_ads",
    "spend_more",
    "expect_personal",
    "password_reuse",
)
NEW_ASKED = {
    "spss_varlabels.sav": (
        "share_caution",
        "leave_unprotected",
        "ethical_use",
        "track_browsing",
        "password_reuse",
    ),
    "csv_fr_snake.csv": (
        "share_caution",
        "ethical_use",
        "leave_unprotected",
        "password_reuse",
    ),
    "stratified_psu.csv": ("ethical_use", "leave_unprotected", "share_caution"),
}
EXPORTS = [
    # file, sheet, the trust questions it asks
    ("qualtrics_fr_text.csv", None, ASKED),
    ("qualtrics_en_numeric.csv", None, ASKED),
    ("qualtrics_personal.csv", None, ASKED),
    ("surveymonkey_en.csv", None, ASKED),
    ("surveymonkey_fr.xlsx", None, ASKED),
    ("spss_en.sav", None, ASKED),
    ("excel_fr.xlsx", "Données", ASKED),
    ("csv_fr_cp1252.csv", None, ASKED),
    ("csv_en_utf16.txt", None, ASKED),
    ("csv_fr_bom_comma.csv", None, ASKED),
    # made the way analysts have them (make_questionnaire_fixtures.py)
    *((name, None, asked) for name, asked in NEW_ASKED.items()),
]
# Qualtrics numbers "don't know" 6 on five-point questions: no label says so,
# so that code stays unlinked (an analyst's edit, as the saved profile shows).
UNLINKED = {"qualtrics_en_numeric.csv": {"6"}}


def detect(name: str, sheet: str | None, codebook, **kw):
    return detect_questionnaire(read_survey(DATA / name, sheet=sheet), codebook, **kw)


def expected(name: str) -> pd.DataFrame:
    frame = pd.read_csv(
        DATA / "expected" / f"{Path(name).stem}.csv", dtype={"respondent_id": str}
    )
    return frame.set_index("respondent_id")


def library_codes(detection, library_id: str) -> pd.Series:
    """The stored answers of the question linked to a library question, as library codes."""
    question = detection.questionnaire.linked(library_id)
    codes = {a.code: a.link_code for a in question.answers}
    stored = detection.respondents[question.id]
    return stored.map(lambda c: codes.get(c) if isinstance(c, str) else None)


@pytest.mark.parametrize(("name", "sheet", "asked"), EXPORTS)
def test_segments_and_trust_links_with_no_manual_mapping(name, sheet, asked, codebook):
    detection = detect(name, sheet, codebook)
    quest = detection.questionnaire
    assert {"country", "age_band", "gender"} <= set(quest.segments)
    linked = {q.link for q in quest.questions if q.link}
    assert set(asked) <= linked
    for question in quest.questions:
        if question.link:
            assert question.link_score >= LINK_THRESHOLD
    assert quest.design.weight == "weight"
    assert "respondent_id" in detection.respondents


@pytest.mark.parametrize(("name", "sheet", "asked"), EXPORTS)
def test_stored_rows_say_what_the_file_said(name, sheet, asked, codebook):
    detection = detect(name, sheet, codebook)
    frame = detection.respondents.set_index("respondent_id")
    want = expected(name)
    got = frame.loc[want.index]
    assert np.allclose(got["weight"].to_numpy(float), want["weight"].to_numpy(float))
    for segment in ("country", "age_band", "gender"):
        assert list(got[segment]) == list(want[segment].astype(str)), segment
    skip = UNLINKED.get(name, set())
    for library_id in asked:
        question = detection.questionnaire.linked(library_id)
        codes = library_codes(detection, library_id)
        codes.index = detection.respondents["respondent_id"]
        keep = ~frame.loc[want.index, question.id].isin(skip)
        found = codes.loc[want.index][keep.to_numpy()]
        wanted = want.loc[keep.to_numpy(), library_id]
        assert list(pd.array(found, dtype="Int16")) == list(
            pd.array(wanted, dtype="Int16")
        ), library_id


def test_raw_age_personal_data_and_tool_columns_are_never_stored(codebook):
    detection = detect("qualtrics_personal.csv", None, codebook)
    stored = set(detection.respondents.columns)
    assert "age" not in stored
    planted = json.loads((DATA / "planted.json").read_text(encoding="utf-8"))
    text = [str(cell) for cell in detection.respondents.to_numpy().ravel()]
    for values in planted.values():
        for value in values:
            assert not any(value in cell for cell in text), value
    roles = {p.header: p.role for p in detection.proposals}
    assert roles["RecipientEmail"] == roles["IPAddress"] == "personal_data"
    assert roles["Q9"] == "personal_data"  # phone numbers and e-mails in comments
    assert roles["Duration (in seconds)"] == "left_out"


def test_open_text_is_left_out_with_the_reason(codebook):
    detection = detect("qualtrics_fr_text.csv", None, codebook)
    comment = detection.proposal("Q9")
    assert comment.role == "left_out"
    assert "open text" in comment.reason
    assert "Q9" not in detection.respondents


def test_qualtrics_question_texts_lose_their_numbering(codebook):
    detection = detect("qualtrics_en_numeric.csv", None, codebook)
    q1 = detection.questionnaire.question("Q1")
    assert q1.text == "I now share my personal data with brands with caution."
    assert q1.lang == "en"
    grid = detection.questionnaire.question("Q5_1")
    assert grid.text.startswith("How ethical is it for companies to track you?")


def test_spss_labels_become_answers_and_dont_know_is_excluded(codebook):
    detection = detect("spss_en.sav", None, codebook)
    question = detection.questionnaire.question("share_caution")
    assert question.type == "scale"
    labels = [a.label for a in question.answers]
    # the file codes 1 = Strongly agree; the scale still runs negative to positive
    assert labels[:5] == [
        "Strongly disagree",
        "Tend to disagree",
        "Neither agree nor disagree",
        "Tend to agree",
        "Strongly agree",
    ]
    assert question.answer("Strongly agree").code == "1"
    assert question.answer("Strongly agree").link_code == 5
    excluded = {a.label for a in question.answers if a.excluded}
    assert excluded == {"Don't know", "Refused"}
    assert question.nets()["top2"] == ("2", "1")


def test_surveymonkey_grid_keeps_both_header_rows(codebook):
    detection = detect("surveymonkey_en.csv", None, codebook)
    header = (
        "How ethical is it for companies to track you? | "
        "Tracking your browsing and online purchases"
    )
    assert detection.proposal(header).link == "track_browsing"
    assert detection.questionnaire.question(header).text == header


# -- the new fixtures -----------------------------------------------------------


def test_spss_with_variable_labels_only(codebook):
    detection = detect("spss_varlabels.sav", None, codebook)
    quest = detection.questionnaire
    q1 = quest.question("q1")
    assert q1.text == "I now share my personal data with brands with caution."
    assert q1.type == "scale"
    assert [a.label for a in q1.answers] == [a.code for a in q1.answers]  # unlabelled
    assert q1.answer("9").excluded  # the library's "don't know" code
    score = quest.question("q6")
    assert score.type == "scale"
    assert [int(a.code) for a in score.answers] == sorted(
        int(a.code) for a in score.answers
    )
    assert score.link is None
    want = expected("spss_varlabels.sav")
    got = detection.respondents.set_index("respondent_id").loc[want.index, "q6"]
    assert list(pd.to_numeric(got)) == pytest.approx(list(want["q6"]), nan_ok=True)


def test_french_snake_case_headers_multi_select_and_zero_to_ten(codebook):
    detection = detect("csv_fr_snake.csv", None, codebook)
    quest = detection.questionnaire
    assert quest.question("usage_ethique_possible").link == "ethical_use"
    networks = quest.question("reseaux")
    assert networks.type == "multi"
    assert [a.label for a in networks.answers] == ["facebook", "instagram", "tiktok"]
    assert networks.columns == (
        "reseaux_facebook",
        "reseaux_instagram",
        "reseaux_tiktok",
    )
    want = expected("csv_fr_snake.csv")
    frame = detection.respondents.set_index("respondent_id").loc[want.index]
    for column in networks.columns:
        assert list(frame[column]) == pytest.approx(list(want[column]), nan_ok=True)
    motifs = quest.question("motifs_achat")
    assert motifs.type == "multi"
    for column in motifs.columns:
        assert list(frame[column]) == list(want[column].astype(float)), column
    nps = quest.question("recommandation_0_10")
    assert nps.type == "scale" and nps.nets()["top2"] == ("9", "10")
    assert list(frame["recommandation_0_10"].astype(int)) == list(
        want["recommandation_0_10"]
    )
    assert list(frame["region"]) == list(want["region"])
    assert "Groland" in set(frame["country"])  # an unknown country is kept as written


def test_stratified_file_with_psus(codebook):
    detection = detect("stratified_psu.csv", None, codebook)
    design = detection.questionnaire.design
    assert (design.strata, design.cluster, design.fpc) == ("strata", "cluster", "fpc")
    assert design.is_complex
    want = expected("stratified_psu.csv")
    frame = detection.respondents.set_index("respondent_id").loc[want.index]
    for column in ("strata", "cluster"):
        assert list(frame[column]) == list(want[column])
    assert list(frame["fpc"]) == list(want["fpc"].astype(float))
    assert detection.proposal("Q7").segment == "gender"
    channels = detection.questionnaire.question("Q9")
    assert [a.label for a in channels.answers] == [
        "Email",
        "Social media",
        "Text message",
        "Other",
    ]
    for column in ("Q9_1", "Q9_2", "Q9_3", "Q9_4"):
        assert list(frame[column]) == list(want[column].astype(float)), column
    other = detection.questionnaire.question("Q9_4_TEXT")
    assert other.type == "text"
    assert list(frame["Q9_4_TEXT"].dropna()) == list(want["Q9_4_TEXT"].dropna())
    assert detection.proposal("Q10").role == "personal_data"


# -- a real public survey ---------------------------------------------------------


def test_ces_2011_keeps_its_own_questions(codebook):
    detection = detect("public/ces11.sav", None, codebook)
    roles = {p.header: (p.role, p.segment) for p in detection.proposals}
    assert roles["province"] == ("segment", "region")
    assert roles["gender"] == ("segment", "gender")
    assert roles["weight"][0] == "weight"
    assert roles["id"][0] == "respondent_id"
    quest = detection.questionnaire
    abortion = quest.question("abortion")
    assert abortion.type == "single"
    assert abortion.text == "Should abortion be banned?"
    assert [(a.code, a.label) for a in abortion.answers] == [("1", "No"), ("2", "Yes")]
    importance = quest.question("importance")
    assert importance.type == "scale"
    assert [a.label for a in importance.answers] == [
        "not",
        "notvery",
        "somewhat",
        "very",
    ]
    assert all(q.link is None for q in quest.questions)
    for proposal in detection.proposals:
        assert proposal.link_score is None or proposal.link_score < LINK_THRESHOLD
    provinces = set(detection.respondents["region"].dropna())
    assert {"ON", "QC", "BC"} <= provinces
    assert set(detection.respondents["gender"].dropna()) == {"female", "male"}


def test_mapping_is_the_command_line_contract(codebook):
    detection = detect("csv_fr_snake.csv", None, codebook)
    mapping = json.loads(json.dumps(detection.mapping()))
    columns = mapping["columns"]
    assert list(columns) == list(read_survey(DATA / "csv_fr_snake.csv").columns)
    ethics = columns["usage_ethique_possible"]
    assert ethics["role"] == "question" and ethics["type"] == "single"
    assert ethics["link"] == "ethical_use" and 0 < ethics["link_score"] <= 1
    assert {"code": "Oui", "label": "Oui"} in ethics["answers"]
    assert columns["reseaux_tiktok"]["set"] == "reseaux"
    assert columns["pays"] == {
        "role": "segment",
        "reason": "the header names a segment",
        "segment": "country",
    }
    assert columns["poids"]["role"] == "weight"
