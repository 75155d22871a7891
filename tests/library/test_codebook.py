import copy

import numpy as np
import pandas as pd
import pytest
import yaml

from analysis import config
from analysis.errors import CodebookError
from analysis.library.codebook import load_codebook, parse_codebook
from analysis.library.scoring import metric_values

SEED_FIGURES = {
    "share_with_caution": 0.75,
    "churn_unprotected": 0.58,
    "churn_distrust": 0.53,
    "negative_word_of_mouth": 0.29,
    "ethical_use_possible": 0.45,
    "refuse_share_for_journey": 0.41,
    "tracking_unethical": 0.59,
    "tracking_for_feeds_unethical": 0.59,
    "tracking_for_ads_unethical": 0.68,
    "blame_brand_for_breach": 0.50,
    "spend_more_personalised": 0.49,
    "buy_more_often_personalised": 0.44,
    "impulse_buy_personalised": 0.49,
    "expect_personalisation": 0.63,
    "switch_if_not_personalised": 0.37,
    "password_reuse": 0.73,
}
"""Every figure the seed article quotes (article-fr.txt), by metric."""


@pytest.fixture
def raw():
    return yaml.safe_load(config.CODEBOOK.read_text(encoding="utf-8"))


def test_every_seed_figure_is_a_metric_with_its_source(codebook):
    for metric_id, value in SEED_FIGURES.items():
        metric = codebook.metric(metric_id)
        assert value in [f.value for f in metric.published], metric_id
        assert all(f.source for f in metric.published)
        assert metric.label.en and metric.label.fr
        question = codebook.questions[metric.question]
        assert question.text.en.strip() and question.text.fr.strip()
        assert 9 in question.labels and 9 in metric.items[0].exclude


def test_composites_and_families(codebook):
    kinds = {m.id: m.kind for m in codebook.metrics.values()}
    assert kinds["trust_index"] == "index" and kinds["churn_risk"] == "any"
    assert {m.family for m in codebook.metrics.values()} == {
        "trust",
        "churn",
        "personalisation",
        "privacy",
        "security",
    }


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        # a metric's field is wrong: the message names metric and field
        (
            lambda r: r["metrics"][0].update(family="loyalty"),
            r"'share_with_caution', field 'family'",
        ),
        (
            lambda r: r["metrics"][1].update(yes_codes=[7]),
            r"'churn_unprotected', field 'yes_codes': codes \[7\]",
        ),
        (
            lambda r: r["metrics"][2].update(question="nope"),
            r"'churn_distrust', field 'question'",
        ),
        (
            lambda r: r["metrics"][3].pop("label"),
            r"'negative_word_of_mouth', field 'label'",
        ),
        (
            lambda r: r["metrics"][4].update(exclude_codes=[1]),
            r"'ethical_use_possible', field 'exclude_codes'",
        ),
        (lambda r: r["metrics"][0]["insight"].update(en="no slot"), r"field 'insight'"),
        (
            lambda r: r["metrics"][0]["published"][0].update(value=75),
            r"field 'published'",
        ),
        (
            lambda r: r["metrics"][0].update(yes_codes="4"),
            r"field 'yes_codes': must be a list",
        ),
        # entries themselves
        (
            lambda r: r["metrics"].append(copy.deepcopy(r["metrics"][0])),
            "defined twice",
        ),
        (
            lambda r: r["questions"][0].update(type="agree7"),
            r"question 'share_caution', field 'type'",
        ),
        (
            lambda r: r["questions"][0]["text"].pop("fr"),
            r"question 'share_caution' needs",
        ),
    ],
)
def test_malformed_codebook_names_metric_and_field(raw, edit, message):
    edit(raw)
    with pytest.raises(CodebookError, match=message):
        parse_codebook(raw)


def test_composite_item_errors_are_named(raw):
    trust = next(m for m in raw["metrics"] if m["id"] == "trust_index")
    trust["items"][0]["scores"] = {1: 150}
    with pytest.raises(CodebookError, match=r"'trust_index', field 'scores'"):
        parse_codebook(raw)


def test_unreadable_codebook_file(tmp_path):
    bad = tmp_path / "codebook.yaml"
    bad.write_text("metrics: [unclosed", encoding="utf-8")
    with pytest.raises(CodebookError, match="not valid YAML"):
        load_codebook(bad)
    with pytest.raises(CodebookError, match="cannot read codebook"):
        load_codebook(tmp_path / "missing.yaml")


def test_unknown_metric_lists_known_ones(codebook):
    with pytest.raises(CodebookError, match=r"unknown metric 'nps'.*trust_index"):
        codebook.metric("nps")


def _frame(**columns):
    return pd.DataFrame({k: pd.array(v, dtype="Int16") for k, v in columns.items()})


def test_proportion_values_respect_yes_and_base(codebook):
    frame = _frame(share_caution=[5, 4, 3, 1, 9, None])
    values = metric_values(frame, codebook.metric("share_with_caution"))
    np.testing.assert_array_equal(values, [1, 1, 0, 0, np.nan, np.nan])


def test_index_is_mean_of_answered_item_scores(codebook):
    # the trust index needs at least three of its five items answered
    frame = _frame(
        ethical_use=[1, 2, 9, 1],
        track_browsing=[1, 3, 9, 1],
        track_feeds=[2, 3, 9, 9],
        track_ads=[None, 3, 9, 9],
        share_caution=[1, 5, 9, 9],
    )
    values = metric_values(frame, codebook.metric("trust_index"))
    np.testing.assert_allclose(values[:2], [(100 + 100 + 50 + 100) / 4, 0.0])
    assert np.isnan(values[2]) and np.isnan(values[3])


def test_any_and_all_composites(codebook):
    # churn risk counts only respondents who answered all three items
    churn = _frame(
        leave_unprotected=[1, 2, 9, 9, 2],
        leave_distrust=[2, 2, 9, 1, 2],
        switch_impersonal=[9, 3, 9, None, 4],
    )
    np.testing.assert_array_equal(
        metric_values(churn, codebook.metric("churn_risk")),
        [np.nan, 0, np.nan, np.nan, 1],
    )
    paradox = _frame(expect_personal=[5, 5, 2, 9], track_ads=[3, 1, 3, 3])
    np.testing.assert_array_equal(
        metric_values(paradox, codebook.metric("personalisation_paradox")),
        [1, 0, 0, np.nan],
    )
