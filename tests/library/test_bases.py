"""Composite base rules: who counts, said in the footnote, checked in closed form."""

import copy
import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis import config
from analysis.errors import CodebookError
from analysis.library.bases import BaseRule
from analysis.library.codebook import parse_codebook
from analysis.library.scoring import metric_values

CHURN = ("leave_unprotected", "leave_distrust", "switch_impersonal")


@pytest.fixture
def raw():
    return yaml.safe_load(config.CODEBOOK.read_text(encoding="utf-8"))


def _with_rule(metric, minimum):
    return dataclasses.replace(
        metric, base_rule=BaseRule(items=len(metric.items), minimum=minimum)
    )


def test_every_composite_states_its_base(codebook):
    rules = {m.id: m.base_rule for m in codebook.metrics.values()}
    assert rules["churn_risk"] == BaseRule(items=3, minimum=3)
    assert rules["trust_index"] == BaseRule(items=5, minimum=3)
    assert rules["personalisation_paradox"] == BaseRule(items=2, minimum=2)
    plain = [m for m in codebook.metrics.values() if m.kind == "proportion"]
    assert all(m.base_rule == BaseRule(items=1, minimum=1) for m in plain)


def test_a_composite_without_a_base_is_refused(raw):
    churn = next(m for m in raw["metrics"] if m["id"] == "churn_risk")
    churn.pop("base")
    with pytest.raises(CodebookError, match=r"'churn_risk', field 'base'"):
        parse_codebook(raw)


@pytest.mark.parametrize("bad", [{"at_least": 0}, {"at_least": 4}, {"at_least": "2"}])
def test_an_impossible_base_is_refused(raw, bad):
    edited = copy.deepcopy(raw)
    churn = next(m for m in edited["metrics"] if m["id"] == "churn_risk")
    churn["base"] = bad
    with pytest.raises(
        CodebookError, match=r"at_least must be a whole number from 1 to 3"
    ):
        parse_codebook(edited)


@pytest.mark.parametrize(
    ("rule", "en", "fr"),
    [
        (BaseRule(3, 3), "answered all 3 items", "ayant répondu aux 3 items"),
        (BaseRule(5, 3), "at least 3 of the 5 items", "au moins 3 des 5 items"),
        (BaseRule(1, 1), "who answered (“don't know” left out)", "exclu"),
    ],
)
def test_the_footnote_says_the_rule_in_both_languages(rule, en, fr):
    assert en in rule.describe("en")
    assert fr in rule.describe("fr")


def _codes(rows):
    return pd.DataFrame(
        {q: pd.array([r[i] for r in rows], dtype="Int16") for i, q in enumerate(CHURN)}
    )


def test_churn_no_dont_know_dont_know_is_out_of_an_all_items_base(codebook):
    churn = codebook.metric("churn_risk")
    frame = _codes([(2, 9, 9), (1, 9, 9), (2, 2, 2), (1, 2, 2)])
    np.testing.assert_array_equal(
        metric_values(frame, _with_rule(churn, 1)), [0, 1, 0, 1]
    )
    np.testing.assert_array_equal(metric_values(frame, churn), [np.nan, np.nan, 0, 1])


def test_churn_risk_share_in_closed_form(codebook):
    # every combination of yes (1), no (2) and don't know (9) on the three items,
    # once each: 27 respondents. With all items answered, 8 are in the base
    # (yes/no on each) and 7 of them say yes at least once; with at least one
    # answered, 26 are in the base and 19 of them hold a yes; with at least two,
    # 8 + 12 are in the base and 7 + 9 hold a yes.
    churn = codebook.metric("churn_risk")
    answers = {1: 1, 2: 2, 9: 9}
    switch = {1: 4, 2: 2, 9: 9}  # the third item counts agreement (4, 5) as yes
    rows = [
        (answers[a], answers[b], switch[c])
        for a, b, c in itertools.product((1, 2, 9), repeat=3)
    ]
    frame = _codes(rows)
    for minimum, base, yes in ((3, 8, 7), (2, 20, 16), (1, 26, 19)):
        values = metric_values(frame, _with_rule(churn, minimum))
        kept = values[np.isfinite(values)]
        assert kept.size == base
        assert kept.sum() == yes


def test_index_base_in_closed_form(codebook):
    trust = codebook.metric("trust_index")
    # row r answers its first 5 − r items ("ethical" / agree = code 1, score 100)
    # and says "don't know" (9, no score) to the rest
    frame = pd.DataFrame(
        {
            item.question: pd.array(
                [1 if i < 5 - r else 9 for r in range(6)], dtype="Int16"
            )
            for i, item in enumerate(trust.items)
        }
    )
    for minimum in range(1, 6):
        values = metric_values(frame, _with_rule(trust, minimum))
        assert np.isfinite(values).tolist() == [5 - r >= minimum for r in range(6)]
        np.testing.assert_allclose(values[np.isfinite(values)], 100.0)


def test_raising_the_minimum_only_shrinks_the_base(codebook):
    rng = np.random.default_rng(12)
    churn = codebook.metric("churn_risk")
    frame = _codes([tuple(rng.choice([1, 2, 9], size=3)) for _ in range(300)])
    bases = [np.isfinite(metric_values(frame, _with_rule(churn, k))) for k in (1, 2, 3)]
    assert (bases[1] <= bases[0]).all() and (bases[2] <= bases[1]).all()
    assert bases[0].sum() > bases[1].sum() > bases[2].sum()
