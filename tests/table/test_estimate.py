import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.errors import SurveyDataError
from analysis.library.scoring import metric_values
from analysis.stats.design import SurveyDesign, design_mean
from analysis.table.estimate import estimate, respondent_table
from analysis.table.intervals import NO_BASE
from analysis.table.rows import COLUMNS, DesignColumns, EstimateOptions


@pytest.fixture
def demo_store(any_demo_store):
    """The demo store in DuckDB and in PostgreSQL: estimates must not depend on it."""
    return any_demo_store


def test_table_has_the_design_columns(demo_store, codebook):
    table = estimate(demo_store, ["Demo-2019"], ["churn_unprotected"], by=["country"])
    assert tuple(table.columns) == COLUMNS
    assert table.iloc[0]["segment_var"] == "total"
    assert table["segment_value"].tolist() == ["total", "DE", "FR", "GB", "US"]
    assert (table["method"] == "wilson").all()  # on the design-based n*
    assert (
        (table["ci_low"] < table["estimate"]) & (table["estimate"] < table["ci_high"])
    ).all()


def test_domains_match_the_general_design_route(demo_store, codebook):
    """The joint-cell bincount path must equal design_mean on each domain."""
    data = demo_store.load_respondents(["Demo-2025"])
    metric = codebook.metric("tracking_for_ads_unethical")
    table = respondent_table(
        data, [metric], by=["age_band", "gender"], wave="Demo-2025"
    )
    design = SurveyDesign(data["weight"].to_numpy())
    y = metric_values(data, metric)
    for row in table.itertuples():
        domain = (
            np.ones(len(data), bool)
            if row.segment_var == "total"
            else (data[row.segment_var] == row.segment_value).to_numpy()
        )
        ref = design_mean(design, y, domain=domain)
        assert row.n == ref.n
        if row.flag != "suppressed":
            assert row.estimate == pytest.approx(ref.estimate, rel=1e-12)
            assert row.se == pytest.approx(ref.se, rel=1e-9)
        assert row.n_eff == pytest.approx(ref.n_eff, rel=1e-12)


def test_unweighted_wilson_is_the_plain_binomial_interval(demo_store, codebook):
    from scipy.stats import binomtest

    table = estimate(
        demo_store,
        ["Demo-2017"],
        ["password_reuse"],
        options=EstimateOptions(weighted=False),
    )
    row = table.iloc[0]
    data = demo_store.load_respondents(["Demo-2017"])
    answered = data["password_reuse"].isin([1, 2])
    k = int((data["password_reuse"] == 1).sum())
    ci = binomtest(k, int(answered.sum())).proportion_ci(method="wilson")
    assert row["method"] == "wilson" and row["n"] == answered.sum()
    assert row["estimate"] == pytest.approx(k / answered.sum())
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(
        (ci.low, ci.high), abs=1e-12
    )


def test_toplines_give_the_same_columns_and_no_interval_without_base(demo_store):
    table = estimate(demo_store, ["RSA-2019"], ["ethical_use_possible"], by=["country"])
    total = table[table.segment_var == "total"].iloc[0]
    assert total["n"] == 6387 and total["estimate"] == pytest.approx(0.48)
    assert total["ci_low"] < 0.48 < total["ci_high"]
    fr = table[table.segment_value == "FR"].iloc[0]
    assert fr["estimate"] == pytest.approx(0.45)
    assert np.isnan(fr["ci_low"]) and fr["method"] == NO_BASE


def test_small_cells_are_flagged_and_suppressed(demo_store):
    table = estimate(
        demo_store,
        ["Demo-2019"],
        ["impulse_buy_personalised"],
        by=["country"],
        filters={"gender": ["other"]},
    )
    flags = dict(zip(table["segment_value"], table["flag"], strict=True))
    assert flags["total"] == "small_base"  # ~40 respondents say "other"
    assert "low_base" in flags.values()
    hidden = table[table["flag"] == "suppressed"]
    assert (
        len(hidden) > 0
        and hidden["estimate"].isna().all()
        and hidden["ci_low"].isna().all()
    )
    assert (table.loc[table.flag != "suppressed", "estimate"].notna()).all()


def test_filters_keep_a_domain_of_the_whole_wave(demo_store, codebook):
    table = estimate(
        demo_store, ["Demo-2019"], ["churn_distrust"], filters={"country": ["FR"]}
    )
    by_country = estimate(demo_store, ["Demo-2019"], ["churn_distrust"], by=["country"])
    fr = by_country[by_country.segment_value == "FR"].iloc[0]
    assert table.iloc[0]["estimate"] == pytest.approx(fr["estimate"], rel=1e-12)
    assert table.iloc[0]["se"] == pytest.approx(fr["se"], rel=1e-12)


def test_bad_requests_are_named(demo_store):
    with pytest.raises(SurveyDataError, match=r"no segment variable\(s\) \['region'\]"):
        estimate(demo_store, ["Demo-2019"], ["password_reuse"], by=["region"])
    with pytest.raises(SurveyDataError, match="unknown metric 'nps'"):
        estimate(demo_store, ["Demo-2019"], ["nps"])
    with pytest.raises(SurveyDataError, match="CI method 'bayes'"):
        EstimateOptions(method="bayes")
    with pytest.raises(SurveyDataError, match=r"level \(95"):
        EstimateOptions(level=95)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", None]),
            st.floats(0.2, 5.0),
            st.sampled_from([1, 2, 9, None]),
        ),
        min_size=3,
        max_size=60,
    )
)
def test_segment_bases_add_up_to_the_total(codebook, rows):
    frame = pd.DataFrame(rows, columns=["seg", "weight", "leave_distrust"])
    frame["leave_distrust"] = frame["leave_distrust"].astype("Int16")
    table = respondent_table(
        frame,
        [codebook.metric("churn_distrust")],
        by=["seg"],
        options=EstimateOptions(thresholds=(0, 0, 0)),
    )
    total = table[table.segment_var == "total"].iloc[0]
    segments = table[table.segment_var == "seg"]
    answered = frame["leave_distrust"].isin([1, 2]).to_numpy()
    with_segment = frame["seg"].notna().to_numpy()
    assert total["n"] == answered.sum()
    assert segments["n"].sum() == (answered & with_segment).sum()
    est = segments["estimate"].dropna()
    assert ((est >= 0) & (est <= 1)).all()


def _partial_store(tmp_store, demo_store):
    """A copy of Demo-2019 without the leave_distrust question, as a new wave."""
    import dataclasses

    from analysis.store.wave import Wave

    info = demo_store.wave("Demo-2019")
    data = demo_store.load_respondents(["Demo-2019"]).drop(
        columns=["wave", "leave_distrust"]
    )
    meta = dataclasses.replace(info.meta, name="Partial", file_sha256="0" * 64)
    tmp_store.add_wave(Wave(meta=meta, data=data))
    full = dataclasses.replace(info.meta, name="Full", file_sha256="1" * 64)
    tmp_store.add_wave(
        Wave(
            meta=full,
            data=demo_store.load_respondents(["Demo-2019"]).drop(columns="wave"),
        )
    )
    return tmp_store


def test_a_wave_without_a_question_has_no_rows_for_its_metrics(tmp_store, demo_store):
    store = _partial_store(tmp_store, demo_store)
    table = estimate(store, ["Partial"])
    assert "churn_distrust" not in set(table["metric"])
    assert "churn_risk" not in set(table["metric"])  # a composite reading the question
    assert "churn_unprotected" in set(table["metric"])
    both = estimate(store, ["Full", "Partial"], ["churn_distrust"])
    assert set(both["wave"]) == {"Full"}


def test_asking_a_metric_no_wave_answers_names_it(tmp_store, demo_store):
    store = _partial_store(tmp_store, demo_store)
    with pytest.raises(
        SurveyDataError,
        match=r"Partial have no answers for metric\(s\) \['churn_distrust'\]",
    ):
        estimate(store, ["Partial"], ["churn_distrust", "password_reuse"])


def test_ready_metric_values_give_the_same_table(demo_store, codebook):
    data = demo_store.load_respondents(["Demo-2025"])
    metrics = list(codebook.metrics.values())
    ready = {m.id: metric_values(data, m) for m in metrics}
    plain = respondent_table(data, metrics, ["country"], {"gender": ["female"]})
    cached = respondent_table(
        data, metrics, ["country"], {"gender": ["female"]}, values=ready
    )
    pd.testing.assert_frame_equal(plain, cached)


# ---- one builder: the store and the file give the same rows ------------------


def _designed_sample(seed=11, n=900):
    """Respondents with strata, PSUs nested in strata, an fpc and some gaps."""
    rng = np.random.default_rng(seed)
    stratum = rng.integers(0, 4, n)
    answer = rng.choice([1, 2, 9], n, p=[0.45, 0.5, 0.05]).astype(float)
    answer[rng.random(n) < 0.03] = np.nan
    country = rng.choice(["DE", "FR", "GB"], n).astype(object)
    country[rng.random(n) < 0.02] = None
    return pd.DataFrame(
        {
            "respondent_id": [f"r{i}" for i in range(n)],
            "weight": np.round(rng.lognormal(0, 0.5, n), 4),
            "stratum": np.array(["north", "south", "east", "west"])[stratum],
            "psu": [f"p{k}" for k in rng.integers(0, 12, n)],
            "fpc": np.array([30.0, 45.0, 60.0, 400.0])[stratum],
            "country": country,
            "leave_distrust": pd.array(answer, dtype="Int16"),
        }
    )


def _stored(tmp_store, frame):
    """The frame stored as the respondent wave 'Designed'."""
    from analysis.store.wave import Wave, WaveMeta

    meta = WaveMeta("Designed", "respondents", "test", "designed.csv", "2" * 64)
    tmp_store.add_wave(Wave(meta=meta, data=frame))
    return tmp_store


def _file_rows(capsys, tmp_path, frame, args):
    """The rows `estimate FILE.csv` prints for the frame written as a CSV."""
    import json

    from analysis.cli import main

    answer = frame["leave_distrust"].astype("Float64").to_numpy(na_value=np.nan)
    y = np.where(answer == 1, "1", np.where(answer == 2, "0", ""))
    path = tmp_path / "designed.csv"
    frame.drop(columns="leave_distrust").assign(y=y).to_csv(path, index=False)
    words = ["estimate", str(path), "--yes-column", "y", "--by", "country"]
    assert main([*words, *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


STRATIFIED = DesignColumns(strata="stratum", cluster="psu", fpc="fpc")
DESIGN_ARGS = ["--weight", "weight", "--strata", "stratum", "--cluster", "psu"]
DESIGN_ARGS += ["--fpc", "fpc"]


@pytest.mark.parametrize(
    ("design", "weighted", "method", "args"),
    [
        # weights only: the joint-cell route
        (DesignColumns(), True, "wilson", ["--weight", "weight"]),
        # no weights: plain binomial intervals on n
        (DesignColumns(), False, "jeffreys", []),
        # strata, PSUs and fpc: each segment a domain of the whole design
        (STRATIFIED, True, "wilson", DESIGN_ARGS),
        (STRATIFIED, True, "logit", DESIGN_ARGS),
    ],
)
def test_store_and_file_give_identical_rows(
    tmp_store, tmp_path, capsys, design, weighted, method, args
):
    frame = _designed_sample()
    store = _stored(tmp_store, frame)
    opts = EstimateOptions(method, weighted=weighted)
    table = estimate(
        store,
        ["Designed"],
        ["churn_distrust"],
        ["country"],
        options=opts,
        design=design,
    )
    rows = _file_rows(capsys, tmp_path, frame, [*args, "--ci", method])
    assert [r["segment"] for r in rows] == [None, "DE", "FR", "GB"]
    assert table["segment_value"].tolist() == ["total", "DE", "FR", "GB"]
    for row, ref in zip(rows, table.to_dict("records"), strict=True):
        assert (row["n"], row["method"], row["flag"]) == (
            ref["n"],
            ref["method"],
            ref["flag"],
        )
        for key in ("n_eff", "estimate", "se", "ci_low", "ci_high"):
            assert row[key] == pytest.approx(ref[key], rel=1e-12, abs=0), key


def test_stored_design_matches_design_mean_domain_by_domain(tmp_store):
    """An independent route: design_mean on each domain of the same design."""
    frame = _designed_sample(seed=12)
    table = estimate(
        _stored(tmp_store, frame),
        ["Designed"],
        ["churn_distrust"],
        ["country"],
        design=STRATIFIED,
    )
    survey = SurveyDesign(
        frame["weight"].to_numpy(),
        frame["stratum"].to_numpy(),
        frame["psu"].to_numpy(),
        frame["fpc"].to_numpy(),
    )
    answer = frame["leave_distrust"].astype("Float64").to_numpy(na_value=np.nan)
    y = np.where(answer == 1, 1.0, np.where(answer == 2, 0.0, np.nan))
    for row in table.itertuples():
        domain = (
            np.ones(len(frame), bool)
            if row.segment_var == "total"
            else (frame["country"] == row.segment_value).to_numpy()
        )
        ref = design_mean(survey, y, domain=domain)
        assert row.n == ref.n and row.method == "wilson"
        assert row.estimate == pytest.approx(ref.estimate, rel=1e-12)
        assert row.se == pytest.approx(ref.se, rel=1e-9)
        ci = ref.ci(method="wilson")  # Wilson on n*, df counted on the domain
        assert (row.ci_low, row.ci_high) == pytest.approx((ci.low, ci.high), rel=1e-9)
        assert row.n_star == pytest.approx(ref.n_star, rel=1e-9)
    with pytest.raises(SurveyDataError, match=r"Designed: no design column\(s\)"):
        estimate(tmp_store, ["Designed"], ["churn_distrust"], design=DesignColumns("w"))
