"""Seeded coverage simulations: intervals cover about as often as they claim."""

import numpy as np
import pytest

from analysis.stats.intervals import proportion_ci

P_GRID = np.round(np.arange(0.05, 0.951, 0.05), 2)


def _wilson_coverage(p, n, reps, rng):
    x = rng.binomial(n, p, size=reps)
    low, high = proportion_ci(x, np.full(reps, n))
    return float(np.mean((low <= p) & (p <= high)))


def test_wilson_coverage_at_n_100():
    rng = np.random.default_rng(20240601)
    coverage = np.array([_wilson_coverage(p, 100, 20_000, rng) for p in P_GRID])
    print(f"\nWilson 95% coverage at n=100, mean over p: {coverage.mean():.4f}")
    assert 0.93 <= coverage.mean() <= 0.97
    # Per p: Wilson dips below nominal at some p but never far (Brown et al. 2001).
    assert coverage.min() >= 0.90, dict(zip(P_GRID, coverage, strict=True))


def _kish_wilson_coverage(p, n, reps, rng, cv=0.5):
    sigma = np.sqrt(np.log1p(cv**2))  # lognormal with this CV
    w = rng.lognormal(0.0, sigma, size=(reps, n))
    y = rng.random((reps, n)) < p
    sum_w = w.sum(axis=1)
    est = (w * y).sum(axis=1) / sum_w
    n_eff = sum_w**2 / (w * w).sum(axis=1)
    low, high = proportion_ci(est * n_eff, n_eff)
    return float(np.mean((low <= p) & (p <= high)))


@pytest.mark.parametrize("p", [0.1, 0.3, 0.5])
def test_kish_wilson_coverage_with_unequal_weights(p):
    rng = np.random.default_rng(int(p * 1000))
    coverage = _kish_wilson_coverage(p, 400, 4_000, rng)
    print(
        f"\nWilson on Kish n_eff (lognormal weights, CV 0.5), n=400, p={p}: "
        f"{coverage:.4f}"
    )
    assert 0.92 <= coverage <= 0.975
