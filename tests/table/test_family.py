"""The Overview's changes as one family: adjusted together, captioned exactly."""

import numpy as np
import pandas as pd
import pytest
from scipy import special

from analysis.errors import SurveyDataError
from analysis.table.family import change_family
from analysis.table.trends import trend_table

CARDS = 19  # the Overview's cards on the demo waves


def _null_p_values(rng, replications, cards, n=1000):
    """Two-sided p-values of a pooled two-proportion z-test, both waves from one population.

    Written here from the textbook formula (Agresti 2013, §3.1), not imported.
    """
    p = rng.uniform(0.2, 0.8, size=cards)
    before = rng.binomial(n, p, size=(replications, cards)) / n
    after = rng.binomial(n, p, size=(replications, cards)) / n
    pooled = (before + after) / 2
    z = (after - before) / np.sqrt(pooled * (1 - pooled) * 2 / n)
    return 2 * special.ndtr(-np.abs(z))


def _family_rows(p_values):
    return pd.DataFrame(
        {
            "metric": [f"m{i}" for i in range(len(p_values))],
            "p_value": p_values,
            "tested": True,
            "method": "newcombe-wilson",
        }
    )


def test_holm_across_the_page_keeps_the_false_mark_rate_at_alpha():
    rng = np.random.default_rng(20_250_312)
    p_values = _null_p_values(rng, 1000, CARDS)
    any_mark = {"holm": 0, "none": 0}
    for row in p_values:
        rows = _family_rows(row)
        for adjust in any_mark:
            any_mark[adjust] += (
                change_family(rows, adjust=adjust).rows["significant"].any()
            )
    rates = {k: v / len(p_values) for k, v in any_mark.items()}
    # 1 − 0.95¹⁹ = 0.62 when each card is a family of one
    assert 0.57 < rates["none"] < 0.67
    # Holm bounds the family-wise rate by α
    assert 0.03 < rates["holm"] < 0.07


def test_the_mark_follows_the_users_level():
    rows = _family_rows([0.004, 0.02, 0.3])
    # Holm: 0.012, 0.04, 0.3
    assert change_family(rows, level=0.95).rows["significant"].tolist() == [
        True,
        True,
        False,
    ]
    assert change_family(rows, level=0.99).rows["significant"].tolist() == [
        False,
        False,
        False,
    ]
    assert change_family(rows, level=0.9).alpha == pytest.approx(0.1)


def test_holm_and_bh_in_closed_form():
    rows = _family_rows([0.01, 0.04, 0.03, np.nan])
    rows.loc[3, "tested"] = False
    holm = change_family(rows, adjust="holm")
    np.testing.assert_allclose(
        holm.rows["p_adjusted"].to_numpy()[:3], [0.03, 0.06, 0.06]
    )
    assert np.isnan(holm.rows["p_adjusted"].iloc[3]) and holm.size == 3
    bh = change_family(rows, adjust="bh")
    # BH: sorted 0.01, 0.03, 0.04 → 0.03, 0.04, 0.04
    np.testing.assert_allclose(bh.rows["p_adjusted"].to_numpy()[:3], [0.03, 0.04, 0.04])
    none = change_family(rows, adjust="none")
    np.testing.assert_allclose(
        none.rows["p_adjusted"].to_numpy()[:3], [0.01, 0.04, 0.03]
    )


def test_an_untested_card_is_out_of_the_family_and_never_marked():
    rows = _family_rows([0.001, 0.001])
    rows.loc[1, "tested"] = False  # a low base: its p-value must not count
    family = change_family(rows)
    assert family.size == 1
    assert family.marked("m0") and not family.marked("m1")
    assert not family.marked("not a card")


def test_the_family_reads_trend_tables_p_values():
    table = pd.DataFrame(
        {
            "wave": ["W1", "W1", "W2", "W2"],
            "metric": ["a", "b", "a", "b"],
            "segment_var": "total",
            "segment_value": "total",
            "estimate": [0.50, 0.30, 0.56, 0.31],
            "n_eff": 900.0,
            "se": 0.016,
            "flag": "ok",
            "scale": "share",
        }
    )
    changes = trend_table(table, ["W1", "W2"])
    family = change_family(changes, adjust="holm")
    np.testing.assert_array_equal(
        family.rows["p_value"].to_numpy(), changes["p_value"].to_numpy()
    )
    smaller, larger = sorted(changes["p_value"])
    np.testing.assert_allclose(
        sorted(family.rows["p_adjusted"]), [2 * smaller, max(2 * smaller, larger)]
    )


@pytest.mark.parametrize(
    ("adjust", "lang", "words"),
    [
        ("holm", "en", ["Holm correction across the 3 changes", "at the 5% level"]),
        ("bh", "en", ["Benjamini–Hochberg", "false discovery rate", "3 changes"]),
        ("none", "en", ["no correction for the 3 changes"]),
        ("holm", "fr", ["correction de Holm sur les 3 évolutions", "5\u202f%"]),
    ],
)
def test_the_caption_names_test_correction_and_level(adjust, lang, words):
    rows = _family_rows([0.01, 0.04, 0.03])
    caption = change_family(rows, adjust=adjust).caption("Demo-2019", lang)
    assert caption.startswith("✱") and "Demo-2019" in caption
    for word in words:
        assert word in caption
    test = "pooled two-proportion z-test" if lang == "en" else "test z"
    assert test in caption
    assert "Newcombe" not in caption  # the interval is not the test


def test_a_page_without_tests_says_so():
    rows = _family_rows([np.nan])
    rows["tested"] = False
    assert "could be tested" in change_family(rows).caption("W1")


def test_bad_families_are_refused():
    rows = _family_rows([0.1, 0.2])
    with pytest.raises(SurveyDataError, match="appear twice"):
        change_family(pd.concat([rows, rows]))
    with pytest.raises(SurveyDataError, match=r"lack column\(s\) \['tested'\]"):
        change_family(rows.drop(columns="tested"))
    with pytest.raises(SurveyDataError, match="must be one of"):
        change_family(rows, adjust="bonferroni")
