"""Fixtures for answer charts: CES 2011 as detected, and small made-up questions."""

from pathlib import Path

import pandas as pd
import pytest

from analysis.ingest.questionnaire import Overrides, detect_questionnaire
from analysis.ingest.readers import read_survey
from analysis.store.questionnaire import Answer, Design, Question, Questionnaire

CES = Path(__file__).parents[1] / "data" / "ingest" / "public" / "ces11.sav"


@pytest.fixture(scope="session")
def ces(codebook):
    """CES 2011 (R's carData::CES11) read as the ingest reads it, provinces as strata."""
    opts = Overrides(strata="province", segments=("province",))
    detection = detect_questionnaire(read_survey(CES), codebook, overrides=opts)
    return detection.respondents, detection.questionnaire


@pytest.fixture(scope="session")
def five_point():
    """A 5-point agreement scale with a "don't know", asked of 400 people in 2 groups."""
    answers = (
        Answer("1", "Disagree strongly"),
        Answer("2", "Disagree"),
        Answer("3", "Neither"),
        Answer("4", "Agree"),
        Answer("5", "Agree strongly"),
        Answer("9", "Don't know", excluded=True),
    )
    q = Question("trust", "I trust brands with my data", "scale", answers)
    codes = ["1", "2", "2", "3", "3", "4", "4", "4", "5", "9"] * 40
    data = pd.DataFrame(
        {"trust": codes, "group": ["a", "b"] * 200, "weight": [1.0, 2.0] * 200}
    )
    wave = Questionnaire((q,), segments=("group",), design=Design(weight="weight"))
    return data, wave


@pytest.fixture(scope="session")
def multi_select():
    """A multi-select set of three options (one per column), by group."""
    answers = (Answer("1", "Email"), Answer("2", "Phone"), Answer("3", "Post"))
    q = Question(
        "contact", "How may we contact you?", "multi", answers, ("c1", "c2", "c3")
    )
    data = pd.DataFrame(
        {
            "c1": [1, 1, 0, 1, 0] * 40,
            "c2": [0, 1, 1, 0, 0] * 40,
            "c3": [0, 0, 0, 1, 1] * 40,
            "group": ["a", "b"] * 100,
        }
    )
    return data, Questionnaire((q,), segments=("group",))
