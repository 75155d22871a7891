"""Seeded simulations of the defaults: coverage of the interval, size of the tests.

The data of issue 12: answers y ~ Bernoulli(q) in the sample; weights
w = L·r^y with L lognormal (mean 1, CV c), so "yes" is weighted r times as
heavily (r = 3) or a third as heavily (r = 1/3). The population value the
interval must cover is the weighted share p = qr/(qr + 1 − q), so
q = p/(r(1 − p) + p). Grid: n ∈ {400, 1000}, c ∈ {0.5, 1.0}, p ∈ {0.1, 0.3,
0.5}, r ∈ {3, 1/3}: 24 cells.

Each cell draws all its replications at once (a replications × n matrix);
the per-replication sums go through the library's own
:meth:`DomainSums.estimates` (estimate, linearised SE, degrees of freedom),
:meth:`DomainEstimates.ci` (Wilson on n*, the default) and the tests
:func:`wald_test` (letters between segments, wave changes) and
:func:`rao_scott` (the segment variable as a whole).

Monte-Carlo error, with REPS = 4,000 replications per cell: a cell's coverage
near 95 % has an SE of √(0.95·0.05/4000) = 0.34 points (0.43 at 92 %), the
average over 24 cells 0.07 points; a type-I rate near 5 % has an SE of 0.34
points per cell, 0.07 on the average. The averages are held to the issue's
bounds; single cells get three SEs of allowance on top of them. Measured with
seed 12: Wilson on n* covers 95.1 % on average, 91.8 % at worst (n = 400,
CV 1, p = 0.1, r = 3); Wilson on Kish's base 80 % at p = 0.1, r = 3. The wave
test rejects 5.2 % on average (4.4–5.9 %), the letters' pair test 5.3 %
(4.4–6.4 %); the Rao–Scott F 5.7 % on average but 10.7 % in the sparsest
cell (n = 400, CV 1, p = 0.1, r = 3: about 7 weighted-up "yes" per segment),
so only its average is held.
"""

import itertools

import numpy as np
import pytest

from analysis.stats.contrasts import wald_test
from analysis.stats.domains import DomainSums
from analysis.stats.raoscott import rao_scott, simple_cell_covariance

REPS = 4_000
ALPHA = 0.05
CELLS = list(itertools.product((400, 1000), (0.5, 1.0), (0.1, 0.3, 0.5), (3.0, 1 / 3)))
SLACK = 3 * np.sqrt(0.95 * 0.05 / REPS)  # three Monte-Carlo SEs of one cell


def _sample(rng, n, cv, p, r):
    """REPS samples of n: informative weights, answers with weighted share p."""
    q = p / (r * (1 - p) + p)
    s2 = np.log1p(cv * cv)
    y = (rng.random((REPS, n)) < q).astype(float)
    w = rng.lognormal(-s2 / 2, np.sqrt(s2), (REPS, n)) * np.where(y == 1, r, 1.0)
    return w, y


def _sums(w, y, n_total, keep=None):
    """Each replication's DomainSums (a row of the matrix is one sample)."""
    if keep is not None:
        w, y = np.where(keep, w, 0.0), np.where(keep, y, 0.0)
    count = np.full(len(w), float(w.shape[1])) if keep is None else keep.sum(1) * 1.0
    wy, w2 = w * y, w * w
    return DomainSums(
        n=count,
        n_weighted=count,
        rows=count,
        rows_weighted=count,
        sum_w=w.sum(1),
        sum_w2=w2.sum(1),
        sum_wy=wy.sum(1),
        sum_wy2=wy.sum(1),
        sum_w2y=(w2 * y).sum(1),
        sum_w2y2=(w2 * y).sum(1),
        n_total=n_total,
    )


def _rao_scott_p(w, y, half, n):
    cell = half.astype(int) * 2 + y.astype(int)  # R's order: answer fastest
    sum_w = np.stack([np.where(cell == k, w, 0.0).sum(1) for k in range(4)], 1)
    sum_w2 = np.stack([np.where(cell == k, w * w, 0.0).sum(1) for k in range(4)], 1)
    pi, cov = simple_cell_covariance(sum_w, sum_w2, n)
    return rao_scott(pi.reshape(-1, 2, 2).swapaxes(-1, -2), cov, n, n - 1).p_value


@pytest.fixture(scope="module")
def grid():
    """Coverage and rejection rates of every cell, from one seeded stream."""
    rng = np.random.default_rng(12)
    out = []
    for n, cv, p, r in CELLS:
        w, y = _sample(rng, n, cv, p, r)
        est = _sums(w, y, n).estimates()
        wilson, kish = est.ci(0.95, "wilson"), est.ci(0.95, "wilson-kish")
        other = _sums(*_sample(rng, n, cv, p, r), n).estimates()
        wave = wald_test(est.estimate, other.estimate, est.se**2, other.se**2)
        half = rng.random((REPS, n)) < 0.5  # two segments, one population
        a, b = _sums(w, y, n, half).estimates(), _sums(w, y, n, ~half).estimates()
        pair = wald_test(a.estimate, b.estimate, a.se**2, b.se**2)
        out.append(
            {
                "cell": (n, cv, p, r),
                "wilson": np.mean((wilson.low <= p) & (p <= wilson.high)),
                "kish": np.mean((kish.low <= p) & (p <= kish.high)),
                "wave": np.mean(wave.p_value < ALPHA),
                "pair": np.mean(pair.p_value < ALPHA),
                "rao_scott": np.mean(_rao_scott_p(w, y, half, n) < ALPHA),
            }
        )
    return out


def _rates(grid, key):
    return np.array([g[key] for g in grid])


def test_default_interval_covers_95_percent(grid):
    coverage = _rates(grid, "wilson")
    print(f"\nWilson on n*: mean {coverage.mean():.4f}, min {coverage.min():.4f}")
    assert 0.93 <= coverage.mean() <= 0.97
    assert coverage.min() >= 0.90, {g["cell"]: g["wilson"] for g in grid}


def test_kish_base_under_covers_when_yes_is_weighted_up(grid):
    # the old default: the reason for the new one
    low_p = [g["kish"] for g in grid if g["cell"][2] == 0.1 and g["cell"][3] == 3.0]
    assert max(low_p) < 0.85
    skewed = [g for g in grid if g["cell"][3] == 3.0 and g["cell"][2] < 0.5]
    assert all(g["wilson"] > g["kish"] + 0.03 for g in skewed)


@pytest.mark.parametrize("test", ["wave", "pair"])
def test_tests_hold_their_level(grid, test):
    rates = _rates(grid, test)
    print(f"\n{test}: mean {rates.mean():.4f}, {rates.min():.4f}–{rates.max():.4f}")
    assert 0.035 <= rates.mean() <= 0.065
    assert (rates >= 0.035 - SLACK).all() and (rates <= 0.065 + SLACK).all(), rates


def test_rao_scott_holds_its_level_on_average(grid):
    rates = _rates(grid, "rao_scott")
    print(f"\nRao–Scott: mean {rates.mean():.4f}, max {rates.max():.4f}")
    assert 0.035 <= rates.mean() <= 0.065
