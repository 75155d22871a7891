import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from analysis.errors import SurveyDataError
from analysis.stats.comparisons import adjust_pvalues, wave_difference
from analysis.table.estimate import EstimateOptions, estimate
from analysis.table.letters import segment_pairs, with_segment_letters
from analysis.table.trends import TREND_COLUMNS, trend_table


def _binomial_se(values, n_eff):
    p, n = np.asarray(values, float), np.asarray(n_eff, float)
    return np.sqrt(p * (1 - p) / n)


def _chart(
    values, n_eff, flags=None, *, var="g", wave="W", metric="m", scale="share", se=None
):
    """One chart's rows; a share's SE defaults to the binomial one on n_eff."""
    k = len(values)
    if se is None:
        se = _binomial_se(values, n_eff) if scale == "share" else [np.nan] * k
    return pd.DataFrame(
        {
            "wave": wave,
            "metric": metric,
            "segment_var": var,
            "segment_value": [f"s{i}" for i in range(k)],
            "n": [int(b) if b == b else pd.NA for b in n_eff],
            "n_eff": n_eff,
            "estimate": values,
            "se": se,
            "flag": flags or ["ok"] * k,
            "scale": scale,
        }
    )


def _total(value, n_eff, *, wave="W", metric="m", scale="share", se=None):
    if se is None:
        se = float(_binomial_se(value, n_eff)) if scale == "share" else np.nan
    return pd.DataFrame(
        {
            "wave": [wave],
            "metric": [metric],
            "segment_var": ["total"],
            "segment_value": ["total"],
            "n": [int(n_eff)],
            "n_eff": [n_eff],
            "estimate": [value],
            "se": [se],
            "flag": ["ok"],
            "scale": [scale],
        }
    )


def _z_p(p1, n1, p2, n2):
    # Wald test of two independent shares on their SEs, by hand
    z = (p1 - p2) / np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    return 2 * stats.norm.sf(abs(z))


# --- segment letters -------------------------------------------------------


def test_letters_known_by_hand():
    table = pd.concat([_total(0.44, 1200), _chart([0.30, 0.50, 0.52], [400.0] * 3)])
    out = with_segment_letters(table.reset_index(drop=True))
    # by hand: 0.30 vs 0.50 and 0.30 vs 0.52 have p ~ 1e-8; 0.50 vs 0.52 p = 0.57
    p_ab, p_ac, p_bc = (
        _z_p(0.30, 400, 0.50, 400),
        _z_p(0.30, 400, 0.52, 400),
        _z_p(0.50, 400, 0.52, 400),
    )
    assert p_ab < 1e-7 and p_ac < 1e-8 and p_bc > 0.5
    assert out["letter"].tolist() == ["", "A", "B", "C"]
    assert out["letters"].tolist() == ["", "", "A", "A"]
    assert out["family_size"].tolist() == [0, 3, 3, 3]
    # Holm: the largest raw p is multiplied by 1
    assert out.loc[1, "p_adjusted_min"] == pytest.approx(3 * p_ac)
    assert out.loc[0, "tested"] == False  # noqa: E712 — total row is never tested
    assert np.isnan(out.loc[0, "p_adjusted_min"])


def test_low_base_cells_get_no_letters_and_leave_the_family():
    table = _chart(
        [0.10, 0.50, 0.55, 0.95, 0.99],
        [500.0, 500.0, 500.0, 25.0, 8.0],
        ["ok", "ok", "ok", "low_base", "suppressed"],
    )
    table.loc[4, "estimate"] = np.nan  # suppressed cells have no value
    out = with_segment_letters(table)
    assert out["letter"].tolist() == ["A", "B", "C", "D", "E"]
    assert out["letters"].tolist() == ["", "A", "A", "", ""]
    assert out["tested"].tolist() == [True, True, True, False, False]
    assert (out["family_size"] == 3).all()  # pairs among A, B, C only
    pairs = segment_pairs(table)
    untested = pairs[
        (pairs["letter_a"].isin(["D", "E"])) | (pairs["letter_b"].isin(["D", "E"]))
    ]
    assert untested["p_value"].isna().all() and not untested["significant"].any()


def test_toplines_without_a_base_are_not_tested():
    table = _chart([0.20, 0.60, 0.62], [300.0, np.nan, 300.0])
    out = with_segment_letters(table)
    assert out["tested"].tolist() == [True, False, True]
    assert out["letters"].tolist() == ["", "", "A"]
    assert out["family_size"].tolist() == [1, 1, 1]


@pytest.mark.parametrize("adjust", ["holm", "bh"])
def test_adjustment_runs_within_each_chart_family(adjust):
    a = _chart([0.40, 0.45, 0.47, 0.52], [600.0] * 4, var="age")
    b = _chart([0.44, 0.49, 0.50], [800.0] * 3, var="country")
    c = _chart([0.40, 0.45, 0.47, 0.52], [600.0] * 4, var="age", wave="W2")
    table = pd.concat([a, b, c], ignore_index=True)
    pairs = segment_pairs(table, adjust=adjust)
    for (wave, var), fam in pairs.groupby(["wave", "segment_var"]):
        assert len(fam) == {"age": 6, "country": 3}[var]
        chart = table[(table["wave"] == wave) & (table["segment_var"] == var)]
        est, base = chart["estimate"].to_numpy(), chart["n_eff"].to_numpy()
        i, j = np.triu_indices(len(chart), k=1)
        raw = _z_p(est[i], base[i], est[j], base[j])
        np.testing.assert_allclose(fam["p_value"], raw, rtol=1e-12)
        np.testing.assert_allclose(
            fam["p_adjusted"], adjust_pvalues(raw, adjust), rtol=1e-12
        )
    out = with_segment_letters(table, adjust=adjust)
    assert out.groupby(["wave", "segment_var"])["family_size"].first().to_dict() == {
        ("W", "age"): 6,
        ("W", "country"): 3,
        ("W2", "age"): 6,
    }


def test_holm_is_stricter_than_bh_on_the_same_family():
    table = _chart([0.40, 0.44, 0.455, 0.47, 0.50], [900.0] * 5)
    holm = segment_pairs(table, adjust="holm")["p_adjusted"]
    bh = segment_pairs(table, adjust="bh")["p_adjusted"]
    assert (bh <= holm + 1e-15).all() and (bh < holm).any()


def test_index_metrics_use_the_wald_test_on_their_ses():
    se = [1.0, 1.0, 1.2]
    table = _chart([50.0, 45.0, 49.0], [800.0] * 3, scale="index", se=se)
    out = with_segment_letters(table)
    # by hand: 50 vs 45 → z = 5/√2; 49 vs 45 → z = 4/√(1 + 1.44); 50 vs 49 → 1/√2.44
    raw = np.array(
        [
            2 * stats.norm.sf(5 / np.sqrt(2)),
            2 * stats.norm.sf(1 / np.sqrt(2.44)),
            2 * stats.norm.sf(4 / np.sqrt(2.44)),
        ]
    )
    pairs = segment_pairs(table)
    np.testing.assert_allclose(pairs["p_value"], raw, rtol=1e-12)
    assert (pairs["test"] == "wald-z").all()
    assert out["letters"].tolist() == ["B", "", "B"]


def test_degenerate_cells_are_never_tested():
    table = _chart([0.0, 0.50, 0.55], [300.0] * 3, ["degenerate", "ok", "ok"])
    out = with_segment_letters(table)
    assert out["tested"].tolist() == [False, True, True]
    assert out["family_size"].tolist() == [1, 1, 1]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.05, 0.95), min_size=2, max_size=6),
    st.sampled_from(["holm", "bh"]),
)
def test_letters_point_down_and_never_both_ways(values, adjust):
    out = with_segment_letters(_chart(values, [2000.0] * len(values)), adjust=adjust)
    letter_of = dict(zip(out["letter"], out["estimate"], strict=True))
    for row in out.itertuples():
        for other in row.letters:
            assert letter_of[other] < row.estimate
            assert row.letter not in out.loc[out["letter"] == other, "letters"].iloc[0]


def test_letters_on_the_demo_table(demo_store):
    table = estimate(demo_store, ["Demo-2019"], ["churn_unprotected"], by=["age_band"])
    out = with_segment_letters(table)
    assert out.iloc[0]["letter"] == "" and out.iloc[1:]["letter"].tolist() == list(
        "ABCDEF"
    )
    # 65+ (F) is far above 18-24 (A) in the demo calibration
    assert "A" in out.iloc[-1]["letters"]


# --- trends ----------------------------------------------------------------


def _waves(cells):
    """cells: list of (wave, segment_value, estimate, n_eff, flag)."""
    rows = [
        {
            "wave": w,
            "metric": "m",
            "segment_var": "total" if v == "total" else "g",
            "segment_value": v,
            "n_eff": b,
            "n_star": b,
            "estimate": p,
            "se": np.sqrt(p * (1 - p) / b),
            "flag": f,
            "scale": "share",
        }
        for w, v, p, b, f in cells
    ]
    return pd.DataFrame(rows)


def test_trend_diff_is_wave_difference_on_design_bases():
    table = _waves(
        [
            ("W1", "total", 0.60, 800.0, "ok"),
            ("W2", "total", 0.66, 700.0, "ok"),
            ("W3", "total", 0.61, 750.0, "ok"),
        ]
    )
    out = trend_table(table, ["W1", "W2", "W3"])
    assert tuple(out.columns) == TREND_COLUMNS
    assert out[["wave_from", "wave_to"]].values.tolist() == [["W1", "W2"], ["W2", "W3"]]
    for row, (p1, n1, p2, n2) in zip(
        out.itertuples(), [(0.60, 800, 0.66, 700), (0.66, 700, 0.61, 750)], strict=True
    ):
        se1, se2 = np.sqrt(p1 * (1 - p1) / n1), np.sqrt(p2 * (1 - p2) / n2)
        ref = wave_difference(p1, n1, p2, n2, se1=se1, se2=se2)
        assert row.p_value == pytest.approx(
            2 * stats.norm.sf(abs(p2 - p1) / np.hypot(se1, se2))
        )
        assert row.diff == pytest.approx(ref.diff, abs=1e-15)
        assert row.diff_low == pytest.approx(ref.low, abs=1e-15)
        assert row.diff_high == pytest.approx(ref.high, abs=1e-15)
        assert row.p_value == pytest.approx(ref.p_value, rel=1e-12)
        assert row.method == "newcombe-wilson" and row.test == "wald-z"
    # Holm over the chart's family of two comparisons
    np.testing.assert_allclose(
        out["p_adjusted"], adjust_pvalues(out["p_value"], "holm")
    )
    assert out["significant"].tolist() == (out["p_adjusted"] < 0.05).tolist()


def test_trend_family_is_one_metric_by_segment_var():
    cells = []
    for v, base in [("a", 0.40), ("b", 0.50), ("c", 0.55)]:
        cells += [("W1", v, base, 600.0, "ok"), ("W2", v, base + 0.05, 600.0, "ok")]
    cells += [("W1", "total", 0.48, 1800.0, "ok"), ("W2", "total", 0.53, 1800.0, "ok")]
    table = _waves(cells)
    for adjust in ("holm", "bh"):
        out = trend_table(table, ["W1", "W2"], adjust=adjust)
        seg = out[out["segment_var"] == "g"]
        np.testing.assert_allclose(
            seg["p_adjusted"], adjust_pvalues(seg["p_value"], adjust)
        )
        tot = out[out["segment_var"] == "total"]
        np.testing.assert_allclose(tot["p_adjusted"], tot["p_value"])  # family of one


def test_trend_never_tests_low_bases_or_toplines_without_base():
    table = _waves(
        [
            ("W1", "a", 0.40, 25.0, "low_base"),
            ("W2", "a", 0.70, 400.0, "ok"),
            ("W1", "b", 0.40, np.nan, "ok"),  # published figure, no base
            ("W2", "b", 0.70, 400.0, "ok"),
            ("W1", "c", np.nan, 5.0, "suppressed"),
            ("W2", "c", 0.70, 400.0, "ok"),
            ("W1", "d", 0.40, 400.0, "ok"),
            ("W2", "d", 0.70, 400.0, "ok"),
        ]
    )
    out = trend_table(table, ["W1", "W2"]).set_index("segment_value")
    assert out["tested"].to_dict() == {"a": False, "b": False, "c": False, "d": True}
    assert (
        out.loc[["a", "b", "c"], ["diff_low", "p_value", "p_adjusted"]]
        .isna()
        .all()
        .all()
    )
    assert not out.loc[["a", "b", "c"], "significant"].any()
    assert out.loc["a", "diff"] == pytest.approx(0.30)  # shown, greyed, untested
    assert np.isnan(out.loc["c", "diff"])
    # only d counts in the family: Holm leaves its p-value as it is
    assert out.loc["d", "p_adjusted"] == pytest.approx(out.loc["d", "p_value"])


def test_trend_follows_the_given_wave_order():
    table = _waves(
        [("W1", "total", 0.50, 900.0, "ok"), ("W2", "total", 0.56, 900.0, "ok")]
    )
    forward = trend_table(table, ["W1", "W2"]).iloc[0]
    backward = trend_table(table, ["W2", "W1"]).iloc[0]
    assert forward["diff"] == pytest.approx(-backward["diff"])
    assert forward["p_value"] == pytest.approx(backward["p_value"])


def test_index_trend_is_diff_plus_minus_z_se():
    table = pd.concat(
        [
            _total(35.0, 3000.0, wave="W1", scale="index", se=0.45),
            _total(33.5, 3000.0, wave="W2", scale="index", se=0.50),
        ],
        ignore_index=True,
    )
    row = trend_table(table, ["W1", "W2"], level=0.90).iloc[0]
    half = stats.norm.ppf(0.95) * np.hypot(0.45, 0.50)
    assert row["diff"] == pytest.approx(-1.5)
    assert row["diff_low"] == pytest.approx(-1.5 - half)
    assert row["diff_high"] == pytest.approx(-1.5 + half)
    assert row["p_value"] == pytest.approx(
        2 * stats.norm.sf(1.5 / np.hypot(0.45, 0.50))
    )
    assert row["method"] == "welch-z" and row["scale"] == "index"
    assert row["test"] == "wald-z"


def test_trend_over_demo_and_published_waves(demo_store):
    table = estimate(
        demo_store, ["RSA-2019", "Demo-2019"], ["ethical_use_possible"], by=["country"]
    )
    out = trend_table(table, ["RSA-2019", "Demo-2019"])
    total = out[out["segment_var"] == "total"].iloc[0]
    assert total["tested"]  # the RSA total has a published base
    assert not out[out["segment_var"] == "country"][
        "tested"
    ].any()  # no base by country


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda t: trend_table(t, ["W1"]), "at least two waves"),
        (lambda t: trend_table(t.drop(columns="flag"), ["W1", "W2"]), "lacks column"),
        (lambda t: with_segment_letters(t, adjust="bonferroni"), "must be one of"),
        (lambda t: with_segment_letters(t, alpha=5), "between 0 and 1"),
    ],
)
def test_bad_requests_are_named(call, match):
    table = _waves(
        [("W1", "total", 0.5, 100.0, "ok"), ("W2", "total", 0.6, 100.0, "ok")]
    )
    with pytest.raises(SurveyDataError, match=match):
        call(table)


def test_unweighted_options_reach_the_letters(demo_store):
    opts = EstimateOptions(weighted=False)
    table = estimate(
        demo_store, ["Demo-2025"], ["churn_distrust"], by=["gender"], options=opts
    )
    out = with_segment_letters(table)
    seg = out[out["segment_var"] == "gender"]
    assert (seg["n_eff"] == seg["n"].astype(float)).all()
