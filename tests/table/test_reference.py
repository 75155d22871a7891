import pytest

from analysis.table.estimate import estimate
from analysis.table.reference import reference_comparison


def test_every_published_figure_meets_its_geography(demo_store, codebook):
    table = estimate(demo_store, ["Demo-2019"], by=["country"])
    compared = reference_comparison(table, codebook)
    assert len(compared) == 20
    fr = compared[
        (compared.metric == "ethical_use_possible") & (compared.geography == "FR")
    ].iloc[0]
    row = table[
        (table.metric == "ethical_use_possible") & (table.segment_value == "FR")
    ].iloc[0]
    assert fr.published == 0.45
    assert fr.estimate == row.estimate and fr["diff"] == pytest.approx(
        row.estimate - 0.45
    )
    assert fr.within_interval == (row.ci_low <= 0.45 <= row.ci_high)
    total = compared[(compared.metric == "password_reuse")].iloc[0]
    assert (
        total.geography == "ALL"
        and total.n
        == table[(table.metric == "password_reuse") & (table.segment_var == "total")]
        .iloc[0]
        .n
    )


def test_a_geography_the_wave_lacks_has_no_estimate(demo_store, codebook):
    table = estimate(
        demo_store, ["Demo-2019"], by=["country"], filters={"country": ["FR"]}
    )
    compared = reference_comparison(table[table.segment_value != "US"], codebook)
    us = compared[(compared.geography == "US")]
    assert us["estimate"].isna().all() and not us["within_interval"].any()
