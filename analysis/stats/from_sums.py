"""Domain estimates from per-cell sums: the rows' numbers without the rows.

The store keeps, per joint cell of a wave's segment variables (and per stratum
and PSU when the wave has them), a metric's n, Σw, Σw², Σwy, Σwy², Σw²y and
Σw²y² (:mod:`analysis.store.sums`). Every domain a view asks for — a segment,
within a filter on segment variables, or the whole filtered sample — is a
union of cells, so its sums are sums of cell sums, and
:func:`sums_blocks` gives what :func:`analysis.table.rows.estimate_rows`
gives from the rows: estimate, linearised SE, n, Kish n_eff, deff and degf,
and the segments' covariances under strata or clusters.

The linearisation, for the ratio p̂_d = Σ_d wy / W_d of domain d: the influence
value of row i is z_i = w_i·1[i ∈ d]·(y_i − p̂_d)/W_d. Summed over PSU j,
t_dj = (Σ_dj wy − p̂_d·Σ_dj w)/W_d — so per-PSU Σw and Σwy suffice. Without
clusters every row is its own PSU, and the stratum's Σ_j t_dj² is
(Σw²y² − 2p̂_dΣw²y + p̂_d²Σw²)/W_d² over the domain's rows in the stratum,
so per-stratum sums suffice. The stratum variances then add as
:meth:`analysis.stats.variance.StratumVariance.from_sums` adds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.methods import LonelyPSU
from analysis.stats.domains import (
    DomainEstimates,
    DomainSums,
    beyond_rounding,
    replace_deff,
    weighted_spread,
)
from analysis.stats.intervals import FloatArray
from analysis.stats.variance import StratumVariance

IntArray = npt.NDArray[np.intp]
Block = tuple[DomainEstimates, str]
PairCovariances = dict[tuple[str, str, str], float]


@dataclass(frozen=True, eq=False)
class GroupDesign:
    """The design as seen from the sums' groups (cell × stratum × PSU rows).

    ``psu`` is each group's PSU code (None: every row its own PSU);
    ``stratum`` each group's stratum code; ``rule`` the strata's variance
    rule, built as :class:`~analysis.stats.design.SurveyDesign` builds it.
    """

    stratum: IntArray
    psu: IntArray | None
    psu_stratum: IntArray | None
    rule: StratumVariance

    @property
    def n_strata(self) -> int:
        """Number of strata."""
        return int(self.rule.n_h.size)

    @classmethod
    def build(
        cls,
        strata: npt.ArrayLike | None,
        clusters: npt.ArrayLike | None,
        fpc: npt.ArrayLike | None,
        rows: FloatArray,
        lonely_psu: LonelyPSU,
    ) -> GroupDesign:
        """From each group's stratum, PSU, fpc and row count."""
        g = rows.size
        if strata is None:
            stratum, labels = np.zeros(g, dtype=np.intp), np.zeros(1)
        else:
            codes, uniques = pd.factorize(np.asarray(strata), sort=True)
            if np.any(codes < 0):
                raise SurveyDataError("strata has a missing value")
            stratum, labels = codes.astype(np.intp), np.asarray(uniques)
        psu = psu_stratum = None
        if clusters is None:
            n_h = np.bincount(stratum, rows).astype(np.float64)
        else:
            pairs = pd.MultiIndex.from_arrays([stratum, np.asarray(clusters)])
            codes, _ = pd.factorize(pairs, sort=True)
            if np.any(codes < 0):
                raise SurveyDataError("clusters has a missing value")
            psu = codes.astype(np.intp)
            psu_stratum = np.zeros(int(psu.max()) + 1, dtype=np.intp)
            psu_stratum[psu] = stratum
            n_h = np.bincount(psu_stratum).astype(np.float64)
        fraction = None if fpc is None else _fraction(fpc, stratum, n_h)
        if clusters is None:
            # every row its own PSU: the rule needs each PSU's stratum only by count
            per_row = np.repeat(np.arange(n_h.size), n_h.astype(np.intp))
            rule = StratumVariance.build(per_row, labels, fraction, lonely_psu)
        else:
            assert psu_stratum is not None
            rule = StratumVariance.build(psu_stratum, labels, fraction, lonely_psu)
        return cls(stratum, psu, psu_stratum, rule)


def _fraction(fpc: npt.ArrayLike, stratum: IntArray, n_h: FloatArray) -> FloatArray:
    """Each stratum's sampling fraction, as :func:`sampling_fraction` reads an fpc."""
    f = np.asarray(fpc, dtype=np.float64)
    if not np.all(np.isfinite(f) & (f > 0)):
        raise SurveyDataError("fpc must hold one finite value > 0 per row")
    f_h = np.zeros(n_h.size)
    f_h[stratum] = f
    if not np.allclose(f, f_h[stratum], rtol=0, atol=1e-9 * f.max()):
        raise SurveyDataError("fpc must be constant within each stratum")
    fraction: FloatArray = f_h if np.all(f <= 1) else n_h / f_h
    if np.any(fraction > 1):
        raise SurveyDataError(
            "fpc gives a population smaller than the sample in some stratum: "
            "pass population sizes N_h ≥ n_h, or sampling fractions ≤ 1"
        )
    return fraction


def unweighted(sums: Mapping[str, FloatArray]) -> dict[str, FloatArray]:
    """The sums of weight 1 for everyone, from the weighted groups' n, Σy, Σy²."""
    return {
        "rows": sums["rows"],
        "rows_weighted": sums["rows"],
        "n": sums["n"],
        "n_weighted": sums["n"],
        "sum_w": sums["n"],
        "sum_w2": sums["n"],
        "sum_wy": sums["sum_y"],
        "sum_wy2": sums["sum_y2"],
        "sum_w2y": sums["sum_y"],
        "sum_w2y2": sums["sum_y2"],
    }


_DOMAIN_FIELDS = (
    "n",
    "n_weighted",
    "rows",
    "rows_weighted",
    "sum_w",
    "sum_w2",
    "sum_wy",
    "sum_wy2",
    "sum_w2y",
    "sum_w2y2",
)


def _per_domain(
    sums: Mapping[str, FloatArray], codes: IntArray, k: int
) -> dict[str, FloatArray]:
    """Each field summed over the groups of each of k domains (code −1: none)."""
    key = np.where(codes < 0, k, codes)
    return {
        f: np.bincount(key, sums[f], minlength=k + 1)[:k].astype(np.float64)
        for f in _DOMAIN_FIELDS
    }


def simple_estimates(
    sums: Mapping[str, FloatArray],
    codes: IntArray,
    labels: npt.ArrayLike,
    n_total: int,
) -> DomainEstimates:
    """Domains of a design without strata, clusters or fpc (each row its PSU)."""
    k = np.asarray(labels).size
    return DomainSums(**_per_domain(sums, codes, k), n_total=n_total).estimates(labels)


def design_estimates(
    sums: Mapping[str, FloatArray],
    codes: IntArray,
    labels: npt.ArrayLike,
    design: GroupDesign,
) -> DomainEstimates:
    """Domains of a design with strata, clusters or an fpc, as domain_estimates."""
    names = np.asarray(labels)
    k = names.size
    d = _per_domain(sums, codes, k)
    with np.errstate(divide="ignore", invalid="ignore"):
        est = d["sum_wy"] / d["sum_w"]
        spread = weighted_spread(d["sum_wy2"] / d["sum_w"], est)
    t2, t, present = _stratum_sums(sums, codes, k, est, d["sum_w"], design)
    var = design.rule.from_sums(t2, t, present)
    sum_w, sum_w2 = d["sum_w"], d["sum_w2"]
    with np.errstate(divide="ignore", invalid="ignore"):
        return DomainEstimates(
            labels=names,
            estimate=est,
            se=np.where(sum_w > 0, np.sqrt(np.maximum(var, 0.0)), np.nan),
            n=d["n"],
            sum_w=sum_w,
            n_eff=np.where(sum_w2 > 0, sum_w**2 / sum_w2, 0.0),
            degf=_degf(sums, codes, k, design),
            n_rows=d["rows"],
            deff=replace_deff(var, spread, d["n_weighted"]),
        )


def _stratum_sums(
    sums: Mapping[str, FloatArray],
    codes: IntArray,
    k: int,
    est: FloatArray,
    sum_w: FloatArray,
    design: GroupDesign,
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Per (domain, stratum) Σ_j t_dj², Σ_j t_dj and whether the domain has rows."""
    h = design.n_strata
    inside = (codes >= 0) & (sums["n"] > 0)
    d = codes[inside]
    p, big_w = np.append(est, 0.0)[d], np.append(sum_w, 1.0)[d]

    def per_cell(key: IntArray, x: FloatArray | None) -> FloatArray:
        return np.bincount(key, x, minlength=k * h).reshape(k, h).astype(np.float64)

    def s(name: str) -> FloatArray:
        return np.asarray(sums[name], dtype=np.float64)[inside]

    with np.errstate(divide="ignore", invalid="ignore"):
        t_group = (s("sum_wy") - p * s("sum_w")) / big_w
        if design.psu is None:
            key = d * h + design.stratum[inside]
            t2_group = (
                beyond_rounding(
                    s("sum_w2y2") - 2 * p * s("sum_w2y") + p * p * s("sum_w2"),
                    s("sum_w2y2"),
                )
                / big_w**2
            )
            return (
                per_cell(key, t2_group),
                per_cell(key, t_group),
                per_cell(key, None) > 0,
            )
    assert design.psu_stratum is not None
    n_psu = design.psu_stratum.size
    pairs, inverse = np.unique(d * n_psu + design.psu[inside], return_inverse=True)
    t_pair = np.bincount(inverse, t_group).astype(np.float64)
    key = (pairs // n_psu) * h + design.psu_stratum[pairs % n_psu]
    return (
        per_cell(key, t_pair * t_pair),
        per_cell(key, t_pair),
        per_cell(key, None) > 0,
    )


def _degf(
    sums: Mapping[str, FloatArray], codes: IntArray, k: int, design: GroupDesign
) -> FloatArray:
    """PSUs minus strata with rows of weight > 0 in each domain (R's ``degf``)."""
    used = (codes >= 0) & (sums["rows_weighted"] > 0)
    h = design.n_strata
    if design.psu is None:
        key = codes[used] * h + design.stratum[used]
        per = np.bincount(key, sums["rows_weighted"][used], minlength=k * h)
        per = per.reshape(k, h)
        degf: FloatArray = (per.sum(axis=1) - (per > 0).sum(axis=1)).astype(np.float64)
        return degf
    assert design.psu_stratum is not None
    n_psu = design.psu_stratum.size
    pairs = np.unique(codes[used] * n_psu + design.psu[used])
    pair_domain, pair_psu = pairs // n_psu, pairs % n_psu
    strata = np.unique(pair_domain * n_psu + design.psu_stratum[pair_psu]) // n_psu
    psus = np.bincount(pair_domain, minlength=k)
    return (psus - np.bincount(strata, minlength=k)).astype(np.float64)


def domain_covariance(
    sums: Mapping[str, FloatArray], codes: IntArray, k: int, design: GroupDesign
) -> FloatArray:
    """The k domains' joint covariance, as :func:`contrasts.domain_covariance`."""
    d = _per_domain(sums, codes, k)
    with np.errstate(divide="ignore", invalid="ignore"):
        est = d["sum_wy"] / d["sum_w"]
    h = design.n_strata
    t2, t, _ = _stratum_sums(sums, codes, k, est, d["sum_w"], design)
    rule = design.rule
    centre = np.where(rule.centred, 1.0 / rule.n_h, 0.0)
    if design.psu is None:
        # a row is in one domain only: cross-products of rows vanish off the diagonal
        cross = np.zeros((k, k, h))
        cross[np.arange(k), np.arange(k)] = t2
    else:
        cross = _psu_cross(sums, codes, k, est, d["sum_w"], design)
    ss = cross - t[:, None, :] * t[None, :, :] * centre
    cov: FloatArray = rule.factor() * np.sum(rule.scale * ss, axis=-1)
    empty = ~(d["sum_w"] > 0)
    cov[empty, :] = np.nan
    cov[:, empty] = np.nan
    return cov


def _psu_cross(
    sums: Mapping[str, FloatArray],
    codes: IntArray,
    k: int,
    est: FloatArray,
    sum_w: FloatArray,
    design: GroupDesign,
) -> FloatArray:
    """Per (domain a, domain b, stratum) Σ_j t_aj·t_bj over the stratum's PSUs."""
    assert design.psu is not None and design.psu_stratum is not None
    n_psu = design.psu_stratum.size
    inside = (codes >= 0) & (sums["n"] > 0)
    d = codes[inside]
    with np.errstate(divide="ignore", invalid="ignore"):
        t_group = (
            np.asarray(sums["sum_wy"])[inside]
            - np.append(est, 0.0)[d] * np.asarray(sums["sum_w"])[inside]
        ) / np.append(sum_w, 1.0)[d]
    totals = np.zeros((n_psu, k))
    np.add.at(totals, (design.psu[inside], d), np.nan_to_num(t_group))
    h = design.n_strata
    out = np.zeros((k, k, h))
    for stratum in range(h):
        block = totals[design.psu_stratum == stratum]
        out[:, :, stratum] = block.T @ block
    return out


def pair_covariances(var: str, names: list[str], cov: FloatArray) -> PairCovariances:
    """``(var, a, b)`` → cov[a, b] for every ordered pair of distinct segments."""
    out: PairCovariances = {}
    for i, j in zip(*np.triu_indices(len(names), k=1), strict=True):
        out[(var, names[i], names[j])] = out[(var, names[j], names[i])] = float(
            cov[i, j]
        )
    return out


def level_codes(labels: Any, keep: npt.NDArray[np.bool_]) -> tuple[IntArray, Any]:
    """Each group's level of one segment variable (sorted, as JointCells sorts).

    A missing label, or a group outside the filter, gets −1 (no domain); the
    levels are those of every group, kept or not, as text.
    """
    codes, uniques = pd.factorize(labels, sort=True)
    out = np.where(keep & (codes >= 0), codes, -1).astype(np.intp)
    return out, np.asarray(pd.Index(uniques).astype(str))
