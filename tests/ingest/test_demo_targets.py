"""The demo waves rake to published population shares of FR, DE, GB and US.

Targets: data/reference/targets_demo.json (sources in data/reference/SOURCES.md),
adults 18+ by age band and gender, each country to its own population, then the
countries to their population totals.
"""

import numpy as np
import pytest

from analysis import config
from analysis.ingest.demo import AGE_BANDS, COUNTRIES, GENDERS, demo_waves
from analysis.ingest.targets import read_targets
from analysis.stats.group_weighting import rake_by_group

TARGETS = config.ROOT / "data" / "reference" / "targets_demo.json"


@pytest.fixture(scope="module")
def targets():
    return read_targets(TARGETS)


def test_targets_cover_the_demo_categories(targets):
    assert targets.by == "country" and targets.country_size == "population"
    assert set(targets.groups) == set(COUNTRIES)
    for margins in targets.groups.values():
        assert set(margins.margins["age_band"]) == set(AGE_BANDS)
        assert set(margins.margins["gender"]) == set(GENDERS)
        for shares in margins.margins.values():
            assert sum(shares.values()) == pytest.approx(1.0, abs=1e-9)


def test_demo_waves_rake_to_the_targets(codebook, targets, capsys):
    for wave in demo_waves(codebook):
        rows = wave.data
        counts = {g: m.counts(0.0) for g, m in targets.groups.items()}
        result = rake_by_group(
            rows["weight"].to_numpy(),
            rows["country"],
            {v: rows[v] for v in ("age_band", "gender")},
            counts,
            size=targets.country_size,
        )
        assert result.converged and result.max_margin_gap <= 1e-12
        for margin in result.margins:
            np.testing.assert_allclose(
                margin.weighted_share, margin.target_share, atol=1e-10
            )
        country = rows["country"].to_numpy()
        for group, margins in targets.groups.items():
            total = result.weights[country == group].sum()
            assert total == pytest.approx(margins.population_total, rel=1e-9)
        # each country is weighted within itself: efficiency of the whole is
        # low (countries' totals differ fivefold), so report it per country
        for group in targets.groups:
            w = result.weights[country == group]
            efficiency = w.sum() ** 2 / (w @ w) / w.size
            assert 0.5 < efficiency <= 1.0
            with capsys.disabled():
                print(f"{wave.meta.name} {group}: efficiency {efficiency:.3f}")
