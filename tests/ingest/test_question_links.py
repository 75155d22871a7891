"""Library links: any close wording in EN or FR, answers that fit, labels trusted."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.errors import IngestError, SurveyDataError
from analysis.ingest.column_roles import Overrides
from analysis.ingest.links import LINK_THRESHOLD, propose_link, reconcile
from analysis.ingest.model import RawSurvey
from analysis.ingest.questionnaire import detect_questionnaire
from analysis.ingest.wording import is_excluded, ordinal_position, text_similarity
from analysis.store.questionnaire import Answer, Questionnaire

YES_NO = (
    Answer("Yes", "Yes"),
    Answer("No", "No"),
    Answer("Don't know", "Don't know", True),
)
OUI_NON = (Answer("Oui", "Oui"), Answer("Non", "Non"), Answer("NSP", "NSP", True))
AGREE = tuple(
    Answer(label, label)
    for label in (
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    )
)
ETHICS = (
    Answer("Ethical", "Ethical"),
    Answer("Neither", "Neither ethical nor unethical"),
    Answer("Unethical", "Unethical"),
)


@pytest.mark.parametrize(
    ("text", "answers", "library_id"),
    [
        # English rewordings
        (
            "Do you think firms can use your personal information in an ethical way?",
            YES_NO,
            "ethical_use",
        ),
        ("Can businesses use personal data ethically?", YES_NO, "ethical_use"),
        (
            "Would you stop buying from a company that does not protect your data?",
            YES_NO,
            "leave_unprotected",
        ),
        ("Would you quit a brand you don't trust anymore?", YES_NO, "leave_distrust"),
        (
            "Do you reuse the same password for all of your online accounts?",
            YES_NO,
            "password_reuse",
        ),
        (
            "I am cautious when sharing personal data with brands",
            AGREE,
            "share_caution",
        ),
        (
            "I spend more with brands that personalize my experience",
            AGREE,
            "spend_more",
        ),
        (
            "How ethical is it for companies to track your browsing and purchases online?",
            ETHICS,
            "track_browsing",
        ),
        (
            "Tracking you to personalise advertising: how ethical is it?",
            ETHICS,
            "track_ads",
        ),
        # French rewordings and snake_case headers
        (
            "Les entreprises peuvent-elles utiliser vos données de manière éthique ?",
            OUI_NON,
            "ethical_use",
        ),
        ("usage_ethique_possible", OUI_NON, "ethical_use"),
        ("arret_achat_marque_non_protegee", OUI_NON, "leave_unprotected"),
        (
            "Utilisez-vous un mot de passe identique pour tous vos comptes ?",
            OUI_NON,
            "password_reuse",
        ),
        # the library's own id as a header
        ("spend_more", AGREE, "spend_more"),
    ],
)
def test_close_wordings_link_with_a_score(text, answers, library_id, codebook):
    proposal = propose_link(text, text, answers, codebook, labelled=True)
    assert proposal.candidate == library_id
    assert proposal.linked and LINK_THRESHOLD <= proposal.score <= 1


@pytest.mark.parametrize(
    ("text", "answers"),
    [
        # questions of their own (CES 2011, others) with library-like answers
        ("Should abortion be banned?", YES_NO),
        ("Do you own a car?", YES_NO),
        ("Avez-vous voté aux dernières élections ?", OUI_NON),
        ("The government should do more to reduce inequality", AGREE),
        # the library's wording with answers that are not the library's
        ("Do you believe companies can use your personal data ethically?", ETHICS),
    ],
)
def test_other_questions_are_not_linked(text, answers, codebook):
    proposal = propose_link(text, text, answers, codebook, labelled=True)
    assert not proposal.linked
    assert proposal.score < LINK_THRESHOLD


def test_scores_rank_the_closer_wording_first():
    wanted = (
        "Would you stop buying from a brand that fails to protect your personal data?"
    )
    close = text_similarity(
        "Would you stop buying from a brand that does not protect your data?", wanted
    )
    far = text_similarity(
        "Would you stop buying from a brand you no longer trust?", wanted
    )
    unrelated = text_similarity("Should abortion be banned?", wanted)
    assert 1 >= close > far > unrelated >= 0


def spss(
    labels: dict[str, str], text: str, codes=(1.0, 2.0, 1.0, 2.0, 9.0)
) -> RawSurvey:
    """A one-question SPSS file as read, with its value labels."""
    data = pd.DataFrame({"Q": list(codes)})
    return RawSurvey(
        file_name="q.sav",
        sha256="0",
        format="spss",
        data=data,
        question_texts={"Q": text},
        value_labels={"Q": labels},
    )


ETHICAL_USE = "Do you believe companies can use your personal data ethically?"


def test_codes_follow_the_labels_when_they_contradict_the_library(codebook):
    raw = spss({"1": "No", "2": "Yes", "9": "Don't know"}, ETHICAL_USE)
    question = detect_questionnaire(raw, codebook).questionnaire.question("Q")
    assert question.link == "ethical_use"
    by_code = {a.code: (a.label, a.link_code, a.excluded) for a in question.answers}
    assert by_code == {
        "1": ("No", 2, False),
        "2": ("Yes", 1, False),
        "9": ("Don't know", 9, True),
    }


def test_library_codes_survive_the_stored_json(codebook):
    raw = spss({"1": "No", "2": "Yes", "9": "Don't know"}, ETHICAL_USE)
    quest = detect_questionnaire(raw, codebook).questionnaire
    again = Questionnaire.from_dict(json.loads(json.dumps(quest.to_dict())))
    assert again == quest
    assert again.question("Q").answer("Yes").link_code == 1


def test_labels_that_cannot_be_reconciled_are_one_clear_line(codebook):
    raw = spss({"1": "Agree", "2": "Disagree"}, ETHICAL_USE, codes=(1.0, 2.0))
    detection = detect_questionnaire(raw, codebook)
    proposal = detection.proposal("Q")
    assert proposal.link is None  # never gated: the question stays, unlinked
    assert "cannot be reconciled" in proposal.reason
    with pytest.raises(IngestError) as refused:
        detect_questionnaire(
            raw, codebook, overrides=Overrides(links={"Q": "ethical_use"})
        )
    message = str(refused.value)
    assert "\n" not in message
    assert "column 'Q'" in message and "1 = Agree, 2 = Disagree" in message
    assert "'ethical_use', which expects 1 = Yes, 2 = No, 9 = Don't know" in message


def test_the_analysts_link_wins_and_is_confirmed(codebook):
    raw = spss({"1": "Yes", "2": "No"}, "Do you own a car?", codes=(1.0, 2.0))
    assert detect_questionnaire(raw, codebook).questionnaire.question("Q").link is None
    chosen = detect_questionnaire(
        raw, codebook, overrides=Overrides(links={"Q": "password_reuse"})
    ).questionnaire.question("Q")
    assert (chosen.link, chosen.link_confirmed) == ("password_reuse", True)
    assert [a.link_code for a in chosen.answers] == [1, 2]
    matched = spss({"1": "Yes", "2": "No"}, ETHICAL_USE, codes=(1.0, 2.0))
    refused = detect_questionnaire(
        matched, codebook, overrides=Overrides(links={"Q": None})
    )
    assert refused.questionnaire.question("Q").link is None
    assert refused.questionnaire.question("Q").link_confirmed


def test_a_library_question_links_once_to_the_best_match(codebook):
    data = pd.DataFrame(
        {
            "A": ["Yes", "No", "Yes"],
            "B": ["Yes", "No", "No"],
        }
    )
    raw = RawSurvey(
        file_name="two.csv",
        sha256="0",
        format="csv",
        data=data,
        question_texts={
            "A": "Can companies use your data ethically?",
            "B": ETHICAL_USE,
        },
    )
    detection = detect_questionnaire(raw, codebook)
    assert detection.questionnaire.linked("ethical_use").id == "B"
    assert "links better to 'B'" in detection.proposal("A").reason


def test_reconcile_by_code_when_the_file_has_no_labels(codebook):
    question = codebook.questions["share_caution"]
    unlabelled = [Answer(str(c), str(c)) for c in (1, 2, 3, 4, 5, 9)]
    assert reconcile("Q1", unlabelled, question, labelled=False) == {
        str(c): c for c in (1, 2, 3, 4, 5, 9)
    }


@pytest.mark.parametrize(
    ("label", "excluded"),
    [
        ("Don't know", True),
        ("Don’t know / not sure", True),
        ("Prefer not to say", True),
        ("I'd rather not say", True),
        ("Refused", True),
        ("Je ne sais pas", True),
        ("Ne sait pas", True),
        ("NSP", True),
        ("Je préfère ne pas répondre", True),
        ("Sans opinion", True),
        ("Not at all", False),
        ("No", False),
        ("Know a little", False),
        ("Pas du tout d'accord", False),
    ],
)
def test_dont_know_answers_are_excluded_in_english_and_french(label, excluded):
    assert is_excluded(label) is excluded


def test_scale_words_order_from_negative_to_positive():
    agree = [
        "Strongly disagree",
        "Tend to disagree",
        "Neither agree nor disagree",
        "Tend to agree",
        "Strongly agree",
    ]
    french = [
        "Pas du tout d'accord",
        "Plutôt pas d'accord",
        "Ni d'accord ni pas d'accord",
        "Plutôt d'accord",
        "Tout à fait d'accord",
    ]
    importance = ["not", "notvery", "somewhat", "very"]
    for labels in (agree, french, importance):
        positions = [ordinal_position(label) for label in labels]
        assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert ordinal_position("Yes") is None and ordinal_position("bachelors") is None


def test_unknown_library_question_in_overrides_is_refused(codebook):
    raw = spss({"1": "Yes", "2": "No"}, ETHICAL_USE)
    with pytest.raises(
        SurveyDataError, match=r"question 'Q': no library question 'nope'"
    ):
        detect_questionnaire(raw, codebook, overrides=Overrides(links={"Q": "nope"}))
