import numpy as np
import pandas as pd
import pytest

from analysis import config
from analysis.ingest.demo import (
    COUNTRIES,
    DEMO_YEARS,
    calibration_geography,
    demo_waves,
)
from analysis.ingest.toplines import published_toplines_frame, read_toplines
from analysis.library.scoring import metric_values
from analysis.store.origin import DEMO_SOURCE, is_demo


@pytest.fixture(scope="module")
def waves(codebook):
    return {int(w.meta.name.split("-")[1]): w for w in demo_waves(codebook)}


def _weighted_share(frame, metric, geography):
    """Σwy/Σw over the metric's base, computed here independently of analysis.stats.intervals."""
    values = metric_values(frame, metric)
    mask = np.isfinite(values)
    if geography != "ALL":
        mask &= (frame["country"] == geography).to_numpy()
    weights = frame["weight"].to_numpy()
    return float((weights[mask] * values[mask]).sum() / weights[mask].sum())


def test_every_published_figure_is_met_within_two_points(codebook, waves):
    checked = 0
    for metric in codebook.metrics.values():
        for figure in metric.published:
            where = calibration_geography(figure)
            estimate = _weighted_share(waves[figure.year].data, metric, where)
            assert abs(estimate - figure.value) <= 0.02, (
                metric.id,
                where,
                figure.year,
                estimate,
            )
            checked += 1
    assert checked == 20  # every line of the seed figures


def test_a_figure_without_geography_is_placed_on_its_probable_country(codebook):
    placed = {
        (m.id, calibration_geography(f))
        for m in codebook.metrics.values()
        for f in m.published
        if not f.stated
    }
    assert ("tracking_unethical", "FR") in placed  # "probably France"
    assert ("churn_unprotected", "ALL") in placed  # no hint: the four-country total
    stated = [f for m in codebook.metrics.values() for f in m.published if f.stated]
    assert all(calibration_geography(f) == f.geography for f in stated)


def test_shape_of_the_demo(codebook, waves):
    assert sorted(waves) == list(DEMO_YEARS) == [2017, 2019, 2025]
    for wave in waves.values():
        data = wave.data
        counts = data["country"].value_counts()
        assert set(counts.index) == set(COUNTRIES) and counts.min() >= 1000
        assert {"age_band", "gender"} <= set(data.columns)
        assert set(codebook.questions) <= set(data.columns)
        deff = len(data) * (data["weight"] ** 2).sum() / data["weight"].sum() ** 2
        assert 1.05 < deff < 2.0  # unequal weights, as a real panel's
        assert is_demo(wave.meta) and wave.meta.source == DEMO_SOURCE
        for question in codebook.questions:
            dont_know = (data[question] == 9).mean()
            assert 0.005 < dont_know < 0.2, question


def test_demo_is_deterministic(codebook, waves):
    again = demo_waves(codebook)[0]
    pd.testing.assert_frame_equal(again.data, waves[2017].data)
    assert again.meta.file_sha256 == waves[2017].meta.file_sha256


def test_countries_differ_and_metrics_trend(codebook, waves):
    ethical = codebook.metric("ethical_use_possible")
    by_country = {c: _weighted_share(waves[2019].data, ethical, c) for c in COUNTRIES}
    assert by_country["US"] - by_country["DE"] > 0.1
    expect = codebook.metric("expect_personalisation")
    trend = [_weighted_share(waves[y].data, expect, "US") for y in DEMO_YEARS]
    assert trend == sorted(trend) and trend[-1] - trend[0] > 0.05


def test_older_respondents_are_more_cautious(codebook, waves):
    data = waves[2025].data
    metric = codebook.metric("share_with_caution")
    young = _weighted_share(data[data.age_band == "18-24"], metric, "ALL")
    old = _weighted_share(data[data.age_band == "65+"], metric, "ALL")
    assert old > young


def test_published_toplines_file_matches_the_codebook(codebook):
    committed = pd.read_csv(
        config.PUBLISHED_TOPLINES, keep_default_na=False, na_values=[""]
    )
    expected = published_toplines_frame(codebook)
    assert len(committed) == len(expected) == 20
    for column in ("percent", "segment_var", "segment_value", "source", "note"):
        pd.testing.assert_series_equal(
            committed[column].fillna(""), expected[column].fillna("")
        )
    waves = read_toplines(config.PUBLISHED_TOPLINES, codebook=codebook)
    assert [w.meta.name for w in waves] == ["RSA-2019", "Segment-2017"]
    assert all(w.data["source"].str.len().gt(0).all() for w in waves)
    segment = waves[1].data
    assert set(segment["segment_value"]) == {"US"}
    assert waves[0].meta.countries == ("DE", "FR", "GB", "US")


def test_a_figure_without_geography_is_never_filed_as_the_total(codebook):
    frame = published_toplines_frame(codebook).set_index(["metric", "segment_value"])
    unstated = [
        (m.id, f)
        for m in codebook.metrics.values()
        for f in m.published
        if not f.stated
    ]
    assert len(unstated) == 8
    for metric, figure in unstated:
        row = frame.loc[(metric, "not stated")]
        assert row["segment_var"] == "country"
        assert row["note"] == figure.note.en and "not stated" in row["note"]
    totals = frame[frame["segment_var"] == "total"]
    assert sorted(totals.index.get_level_values(0)) == [
        "ethical_use_possible",
        "password_reuse",
    ]  # the two whole-sample figures of RSA 2019, with their base
    assert (totals["base_n"] == 6387).all()
