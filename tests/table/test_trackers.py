"""Trackers across waves: each rule on constructed waves (issue 11, point 7)."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analysis.store.questionnaire import Answer, Question, Questionnaire
from analysis.store.wave import Disclosure, WaveMeta
from analysis.table.trackers import (
    mismatch,
    previous_comparable,
    same_question,
    tracker,
    wording_changes,
)
from analysis.table.trends import paired_trend_table, trend_table

YES_NO = (Answer("1", "Yes"), Answer("2", "No"))


def _meta(name, start, *, countries=("FR",), synthetic=False, population=""):
    return WaveMeta(
        name=name,
        kind="respondents",
        source="constructed",
        file_name=f"{name}.csv",
        file_sha256=name,
        fieldwork_start=start,
        countries=countries,
        synthetic=synthetic,
        disclosure=Disclosure(population=population),
    )


def _q(qid, text="Do you trust brands with your data?", **kw):
    return Question(
        qid, text, kw.pop("type", "single"), kw.pop("answers", YES_NO), **kw
    )


# -- the same question in an earlier wave ---------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "question", "found", "how"),
    [
        # the analyst's choice wins over an id that happens to match
        (
            [_q("q1", "Other"), _q("trust_old", "Other still")],
            _q("q1", "New words", tracks="trust_old"),
            "trust_old",
            "choice",
        ),
        # same id, whatever the wording
        ([_q("q1", "Anything")], _q("q1", "Something else"), "q1", "id"),
        # same library link, other id and words
        (
            [_q("a", "Old words", link="trust_brands")],
            _q("b", "New words", link="trust_brands"),
            "a",
            "link",
        ),
        # close wording (accents, case and punctuation aside)
        (
            [_q("x7", "Faites-vous confiance aux marques ?")],
            _q("q2", "faites vous confiance aux marques"),
            "x7",
            "text",
        ),
    ],
)
def test_same_question_rules(earlier, question, found, how):
    match = same_question(Questionnaire(tuple(earlier)), question)
    assert match is not None
    assert (match.question.id, match.how) == (found, how)


def test_unrelated_wording_or_type_is_not_the_same_question():
    earlier = Questionnaire((_q("q9", "How old is your car?"),))
    assert same_question(earlier, _q("q1")) is None
    numeric = Questionnaire(
        (Question("q1", "Do you trust brands with your data?", "numeric"),)
    )
    assert same_question(numeric, _q("q1")) is None


# -- which earlier wave is comparable ---------------------------------------------------


@pytest.mark.parametrize(
    ("before", "reason"),
    [
        (_meta("A", date(2019, 1, 1)), None),
        (_meta("A", date(2019, 1, 1), synthetic=True), "synthetic"),
        (_meta("A", date(2019, 1, 1), countries=("FR", "DE")), "countries"),
        (_meta("A", date(2019, 1, 1), population="adults 18+ online"), None),
        (_meta("A", date(2019, 1, 1), population="adults 65+"), "population"),
        (_meta("A", None), "no_date"),
        (_meta("A", date(2021, 1, 1)), "not_earlier"),
    ],
)
def test_mismatch_rules(before, reason):
    after = _meta("B", date(2020, 1, 1), population="Adults 18+, online")
    assert mismatch(before, after) == reason


def test_previous_comparable_is_not_the_last_upload():
    # stored order: the 2018 wave was uploaded last, a synthetic one before it
    current = _meta("W2020", date(2020, 3, 1))
    stored = [
        _meta("W2016", date(2016, 3, 1)),
        _meta("W2019", date(2019, 3, 1)),
        _meta("Demo", date(2019, 12, 1), synthetic=True),
        _meta("W2019-DE", date(2019, 11, 1), countries=("DE",)),
        _meta("W2018", date(2018, 3, 1)),
        current,
    ]
    assert previous_comparable(current, stored).name == "W2019"
    first = stored[0]
    assert previous_comparable(first, stored) is None


# -- a series and its wording flags ----------------------------------------------------


def test_tracker_follows_renamed_questions_and_flags_changes():
    w1 = (_meta("W1", date(2018, 1, 1)), Questionnaire((_q("trust"),)))
    w2 = (
        _meta("W2", date(2019, 1, 1)),
        Questionnaire(
            (
                _q(
                    "q_trust",
                    "Do you trust brands with your personal data?",
                    tracks="trust",
                ),
            )
        ),
    )
    fake = (
        _meta("Fake", date(2019, 6, 1), synthetic=True),
        Questionnaire((_q("q_trust"),)),
    )
    w3 = (
        _meta("W3", date(2020, 1, 1)),
        Questionnaire(
            (
                _q(
                    "q_trust",
                    "Do you trust brands with your personal data?",
                    answers=(
                        Answer("1", "Yes"),
                        Answer("2", "No"),
                        Answer("9", "Don't know", excluded=True),
                    ),
                ),
            )
        ),
    )
    series = tracker("W3", "q_trust", [w3, fake, w1, w2])
    assert [(s.wave, s.question.id, s.how) for s in series] == [
        ("W1", "trust", "choice"),
        ("W2", "q_trust", "id"),
        ("W3", "q_trust", "self"),
    ]
    assert wording_changes(series) == (("W2", "wording"), ("W3", "answers"))


# -- changes against the previous comparable wave ---------------------------------------


def _rows(wave, p, se):
    return {
        "wave": wave,
        "metric": "m",
        "segment_var": "total",
        "segment_value": "total",
        "estimate": p,
        "se": se,
        "n_star": 400.0,
        "n_eff": 400.0,
        "flag": "ok",
        "scale": "share",
    }


def test_paired_changes_skip_a_wave_that_is_not_comparable():
    table = pd.DataFrame(
        [_rows("W1", 0.40, 0.02), _rows("Other", 0.90, 0.02), _rows("W2", 0.46, 0.02)]
    )
    paired = paired_trend_table(table, [("W1", "W2")])
    assert list(zip(paired.wave_from, paired.wave_to, strict=True)) == [("W1", "W2")]
    direct = trend_table(table, ["W1", "W2"]).iloc[0]
    row = paired.iloc[0]
    assert row["diff"] == pytest.approx(0.06)
    # one comparison in the family: the same test as trend_table's
    assert row["p_value"] == pytest.approx(direct["p_value"])
    # Wald z on independent samples: closed form
    z = 0.06 / np.hypot(0.02, 0.02)
    from scipy.stats import norm

    assert row["p_value"] == pytest.approx(2 * norm.sf(z))
