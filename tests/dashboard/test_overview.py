"""The Overview as AppTest runs it: one ✱ family, its caption, bases and polarity."""

from pathlib import Path

import pytest
from streamlit.proto.Metric_pb2 import Metric as MetricProto
from streamlit.testing.v1 import AppTest

from analysis.formatting import points
from analysis.table.estimate import estimate
from analysis.table.family import change_family
from analysis.table.trends import trend_table

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
COLOUR = {
    MetricProto.MetricColor.GREEN: "green",
    MetricProto.MetricColor.RED: "red",
    MetricProto.MetricColor.GRAY: "gray",
}


@pytest.fixture
def app(demo_store_path, monkeypatch):
    monkeypatch.setenv("CONFIANCE_STORE", str(demo_store_path))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    return AppTest.from_file(APP, default_timeout=90)


def _overview(app, **params):
    for key, value in params.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, app.exception
    return app


def _family(demo_store, adjust="holm", filters=None):
    """The family the page must show, computed here from the library."""
    waves = ["Demo-2019", "Demo-2025"]
    table = estimate(demo_store, waves, filters=filters)
    changes = trend_table(table, waves)
    return change_family(changes[changes.segment_var == "total"], adjust=adjust)


def _cards(app, codebook):
    """The cards shown, keyed by metric id."""
    ids = {m.label.en: m.id for m in codebook.metrics.values()}
    return {ids[card.label]: card for card in app.metric}


@pytest.mark.parametrize(
    ("adjust", "words"),
    [("holm", "Holm correction"), ("bh", "Benjamini–Hochberg correction")],
)
def test_the_marks_are_one_family_and_the_caption_says_so(
    app, demo_store, codebook, adjust, words
):
    _overview(app, adjust=adjust)
    family = _family(demo_store, adjust)
    assert family.size == 19
    cards = _cards(app, codebook)
    marked = {m for m, card in cards.items() if "✱" in card.delta}
    assert marked == {m for m in family.rows.index if family.marked(m)}
    # the family is wider than each card alone: some raw p < 0.05 lose their ✱
    raw = set(family.rows.index[family.rows.p_value < 0.05])
    assert marked <= raw
    caption = family.caption("Demo-2019", "en")
    assert caption in [c.value for c in app.caption]
    assert words in caption and "19 changes tested on this page" in caption
    assert "Wald z-test on the design-based" in caption and "Newcombe" not in caption
    assert app.sidebar.selectbox(key="adjust").value == adjust


def test_holm_leaves_fewer_marks_than_no_correction(demo_store):
    holm, none = _family(demo_store, "holm"), _family(demo_store, "none")
    marked = {
        a: {m for m in f.rows.index if f.marked(m)}
        for a, f in (("h", holm), ("n", none))
    }
    assert marked["h"] <= marked["n"] and len(marked["h"]) < len(marked["n"])


def test_change_colours_follow_each_metrics_polarity(app, demo_store, codebook):
    _overview(app)
    family = _family(demo_store)
    cards = _cards(app, codebook)
    for metric_id, card in cards.items():
        polarity = codebook.metric(metric_id).polarity
        colour = COLOUR[card.proto.color]
        diff = float(family.rows.loc[metric_id, "diff"])
        if not family.marked(metric_id) or polarity == "neutral":
            assert colour == "gray", metric_id
        elif (diff > 0) == (polarity == "higher_is_better"):
            assert colour == "green", metric_id
        else:
            assert colour == "red", metric_id
    assert {"green", "red", "gray"} <= {COLOUR[c.proto.color] for c in cards.values()}
    # the case: password reuse falls significantly, which is good news
    reuse = cards["password_reuse"]
    assert reuse.delta.startswith("−") and "✱" in reuse.delta
    assert COLOUR[reuse.proto.color] == "green"
    assert reuse.proto.direction == MetricProto.MetricDirection.DOWN


def test_low_base_cards_are_marked_and_left_out_of_the_family(
    app, demo_store, codebook
):
    _overview(app, f_gender="other")
    table = estimate(demo_store, ["Demo-2025"], filters={"gender": ["other"]})
    flags = table[table.segment_var == "total"].set_index("metric")["flag"]
    assert {"low_base", "small_base"} <= set(flags)  # a few dozen people
    captions = [c.value for c in app.caption]
    assert (
        captions.count("Low base (n < 30): greyed, not tested.")
        == (flags == "low_base").sum()
    )
    assert (
        captions.count("Small base (n < 100): read with care.")
        == (flags == "small_base").sum()
    )
    family = _family(demo_store, filters={"gender": ["other"]})
    cards = _cards(app, codebook)
    for metric_id, card in cards.items():
        if flags[metric_id] == "low_base":
            assert "✱" not in card.delta
            assert not family.rows.loc[metric_id, "tested"]
    greyed = [m.value for m in app.markdown if m.value.startswith(":gray[")]
    assert len(greyed) == (flags == "low_base").sum()
    tested = int(family.rows.p_value.notna().sum())
    assert tested < 19
    assert family.caption("Demo-2019", "en") in captions


def test_no_card_shows_minus_zero(app, codebook):
    # women, 2017 → 2019: tracking judged unethical moves by −0.01 and −0.1 points
    _overview(app, f_gender="female", wave="Demo-2019")
    cards = _cards(app, codebook)
    for metric in ("tracking_unethical", "tracking_for_ads_unethical"):
        assert cards[metric].delta.startswith("±0 pts"), cards[metric].delta
        assert cards[metric].proto.direction == MetricProto.MetricDirection.NONE
    assert not [m.delta for m in app.metric if "−0 " in m.delta]
    assert points(-0.004, "share") == "±0 pts" and points(0.004, "share") == "±0 pts"
    assert points(-0.04, "index") == "±0.0" and points(-0.006, "share") == "−1 pts"
    assert points(-0.004, "share", "fr") == "±0\u202fpts"


def test_the_french_caption_names_the_family(app, demo_store):
    _overview(app, lang="fr")
    caption = _family(demo_store).caption("Demo-2019", "fr")
    assert "correction de Holm sur les 19 évolutions" in caption
    assert caption in [c.value for c in app.caption]
