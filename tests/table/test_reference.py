import numpy as np
import pytest
from scipy import stats

from analysis.table.estimate import estimate
from analysis.table.reference import INSIDE, TWO_SAMPLE, reference_comparison


@pytest.fixture(scope="module")
def by_country(demo_store_path):
    from analysis.store.wave_store import WaveStore

    return estimate(WaveStore(demo_store_path), ["Demo-2019"], by=["country"])


def _row(frame, metric, geography):
    found = frame[(frame.metric == metric) & (frame.geography == geography)]
    assert len(found) == 1
    return found.iloc[0]


def test_a_country_figure_meets_its_country(by_country, codebook):
    compared = reference_comparison(by_country, codebook)
    assert len(compared) == 20
    fr = _row(compared, "ethical_use_possible", "FR")
    row = by_country[
        (by_country.metric == "ethical_use_possible")
        & (by_country.segment_value == "FR")
    ].iloc[0]
    assert fr.published == 0.45 and fr.compared and fr.test == INSIDE
    assert fr.estimate == row.estimate
    assert fr["diff"] == pytest.approx(row.estimate - 0.45)
    assert fr.within_interval == (row.ci_low <= 0.45 <= row.ci_high)
    assert np.isnan(fr.p_value)  # no published base: no test
    assert fr.verdict.startswith("inside" if fr.within_interval else "outside")


def test_a_whole_sample_figure_is_tested_against_its_base(by_country, codebook):
    compared = reference_comparison(by_country, codebook, level=0.95)
    reuse = _row(compared, "password_reuse", "ALL")
    total = by_country[
        (by_country.metric == "password_reuse") & (by_country.segment_var == "total")
    ].iloc[0]
    assert reuse.geography_text == "whole sample: FR, DE, GB, US"
    assert reuse.n == total.n and reuse.test == TWO_SAMPLE
    # z-test of wave − published, variance = wave's design variance + the report's
    # binomial variance on its 6,387 respondents
    sd = np.sqrt(total.se**2 + 0.73 * 0.27 / 6387)
    z = (total.estimate - 0.73) / sd
    assert reuse.p_value == pytest.approx(2 * stats.norm.sf(abs(z)), rel=1e-9)
    half = stats.norm.ppf(0.975) * sd
    assert reuse.diff_low == pytest.approx(total.estimate - 0.73 - half)
    assert "n = 6,387" in reuse.verdict


def test_tests_against_published_bases_are_one_family(by_country, codebook):
    compared = reference_comparison(by_country, codebook, adjust="holm")
    tested = compared[compared.test == TWO_SAMPLE]
    assert len(tested) == 4  # two RSA whole-sample figures, two Segment US figures
    p = np.sort(tested.p_value.to_numpy())
    holm = np.maximum.accumulate(np.minimum(1, (4 - np.arange(4)) * p))
    np.testing.assert_allclose(np.sort(tested.p_adjusted.to_numpy()), holm)
    assert (tested.significant == (tested.p_adjusted < 0.05)).all()
    raw = reference_comparison(by_country, codebook, adjust="none")
    np.testing.assert_allclose(
        raw[raw.test == TWO_SAMPLE].p_adjusted, raw[raw.test == TWO_SAMPLE].p_value
    )


def test_a_figure_without_geography_is_shown_with_its_caveats_never_compared(
    by_country, codebook
):
    compared = reference_comparison(by_country, codebook)
    unstated = compared[compared.geography == "not stated"]
    assert len(unstated) == 8 and not unstated.compared.any()
    assert unstated.estimate.isna().all() and unstated.p_value.isna().all()
    tracking = _row(compared, "tracking_unethical", "not stated")
    assert tracking.geography_text == "not stated (probably FR)"
    assert "probably France" in tracking.note
    assert tracking.verdict == "not compared: the geography is not stated"
    caution = _row(compared, "share_with_caution", "not stated")
    assert "two reports" in caution.note


def test_a_one_country_wave_meets_only_its_country(demo_store, codebook):
    table = estimate(
        demo_store, ["Demo-2019"], by=["country"], filters={"country": ["FR"]}
    )
    compared = reference_comparison(table, codebook)
    whole = _row(compared, "password_reuse", "ALL")
    assert not whole.compared and np.isnan(whole.estimate)
    assert (
        whole.verdict == "not compared: the wave covers FR, the report FR, DE, GB, US"
    )
    us = _row(compared, "ethical_use_possible", "US")
    assert not us.compared and "no US respondents" in us.verdict
    assert _row(compared, "ethical_use_possible", "FR").compared


def test_a_low_base_is_shown_but_not_tested(by_country, codebook):
    low = by_country.copy()
    low.loc[low.segment_var == "total", "flag"] = "low_base"
    reuse = _row(reference_comparison(low, codebook), "password_reuse", "ALL")
    assert reuse.compared and np.isfinite(reuse.estimate)
    assert np.isnan(reuse.p_value) and not reuse.significant
    assert reuse.verdict == "not tested: the wave's base is too low"


def test_the_comparison_speaks_french(by_country, codebook):
    compared = reference_comparison(by_country, codebook, lang="fr")
    tracking = _row(compared, "tracking_unethical", "not stated")
    assert tracking.geography_text == "non précisée (sans doute FR)"
    assert tracking.verdict.startswith("non comparé")
    assert "sans doute la France" in tracking.note
    assert "n = 6\u202f387" in _row(compared, "password_reuse", "ALL").verdict
