"""EstimateTable rows from a survey design: the one builder every route takes.

:func:`estimate_rows` takes what R's ``svyby(~y, ~segment, design, svymean)``
takes: a :class:`~analysis.stats.design.SurveyDesign`, per-respondent values and
segment columns. Stored waves (:func:`analysis.table.estimate.estimate`), the
command line's ``estimate FILE.csv`` and
:func:`analysis.table.estimate.values_table` all call it.
Published toplines have no respondents: they enter at its second half,
:func:`table_rows`, so that every route shares one rule for intervals, method
labels, flags and suppression.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.methods import (
    INTERVAL_METHODS,
    IntervalMethod,
    LonelyPSU,
    as_binomial,
)
from analysis.stats.cells import CellBase, JointCells
from analysis.stats.design import SurveyDesign
from analysis.stats.domains import DomainEstimates, domain_estimates
from analysis.stats.intervals import FloatArray, base_flag, check_level, proportion_ci
from analysis.store.wave import TOTAL

Scale = Literal["share", "index"]
Basis = Literal["plain", "kish", "published"]
"""What a binomial interval stands on: n, the Kish n_eff, or a published base."""

NO_BASE = "published (no base: no interval)"
COLUMNS = (
    "wave",
    "metric",
    "segment_var",
    "segment_value",
    "n",
    "n_eff",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "level",
    "method",
    "flag",
    "scale",
    "source_kind",
)


@dataclass(frozen=True)
class EstimateOptions:
    """How estimates are made; every default is one a user can change.

    ``weighted`` is read where a design is made from stored rows: False
    gives every respondent weight 1 (see :attr:`SurveyDesign.weighted`).
    """

    method: IntervalMethod = "wilson"
    level: float = 0.95
    weighted: bool = True
    thresholds: tuple[float, float, float] = (100, 30, 10)

    def __post_init__(self) -> None:
        check_level(self.level)
        if self.method not in INTERVAL_METHODS:
            raise SurveyDataError(
                f"CI method {self.method!r} is not one of {', '.join(INTERVAL_METHODS)}"
            )
        base_flag(0.0, self.thresholds)  # validates the thresholds


@dataclass(frozen=True)
class DesignColumns:
    """The columns of respondent rows that make the design (svydesign's formulas).

    The default, a ``weight`` column and nothing else, is every stored
    wave's design; a wave with strata, PSUs or an fpc names those columns.
    ``weight=None`` means an unweighted sample.
    """

    weight: str | None = "weight"
    strata: str | None = None
    cluster: str | None = None
    fpc: str | None = None
    lonely_psu: LonelyPSU = "fail"

    def design(self, rows: pd.DataFrame, *, weighted: bool = True) -> SurveyDesign:
        """The design of ``rows``; ``weighted=False`` gives everyone weight 1."""
        named = [self.weight, self.strata, self.cluster, self.fpc]
        missing = [c for c in named if c is not None and c not in rows.columns]
        if missing:
            raise SurveyDataError(f"no design column(s) {missing}")
        n = len(rows)

        def number(name: str | None) -> FloatArray | None:
            return None if name is None else rows[name].to_numpy(dtype=np.float64)

        def label(name: str | None) -> pd.Series | None:
            return None if name is None else rows[name]

        weights = number(self.weight) if weighted else None
        return SurveyDesign(
            np.ones(n) if weights is None else weights,
            strata=label(self.strata),
            clusters=label(self.cluster),
            fpc=number(self.fpc),
            lonely_psu=self.lonely_psu,
            weighted=weights is not None,
        )


def estimate_rows(
    design: SurveyDesign,
    values: Mapping[str, npt.ArrayLike],
    segments: Mapping[str, npt.ArrayLike],
    options: EstimateOptions | None = None,
    *,
    scales: Mapping[str, Scale] | None = None,
    within: npt.NDArray[np.bool_] | None = None,
    wave: str = "",
) -> pd.DataFrame:
    """EstimateTable rows: the overall row, then each segment, for every metric.

    Parameters
    ----------
    design : SurveyDesign
        Weights and, when the sample has them, strata, PSUs and fpc.
    values : mapping of metric id to array
        One value per row: 0/1 for a share, 0–100 for an index; NaN leaves
        the base (the row stays in the design).
    segments : mapping of segment variable to array
        Each row's label; a missing label puts the row in no segment.
    options : EstimateOptions, optional
    scales : mapping of metric id to ``"share"`` or ``"index"``, optional
        Default ``"share"``.
    within : array of bool, optional
        A filter: rows outside it stay in the design, in no domain (as
        ``subset`` of a survey design does).
    wave : str
        Written in the ``wave`` column.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COLUMNS`, ``source_kind`` = ``"respondents"``.
        An unweighted design without strata, clusters or fpc gives the plain
        binomial intervals and SE √(p(1 − p)/n); otherwise ``se`` is
        linearised and binomial intervals stand on the Kish effective base
        (``wilson-kish``); ``logit``, ``mean`` and ``beta`` are svyciprop's,
        on the design's degrees of freedom.

    Examples
    --------
    >>> opts = EstimateOptions(thresholds=(0, 0, 0))  # tiny example: no flags
    >>> design = SurveyDesign(np.ones(4), weighted=False)
    >>> segments = {"g": ["a", "a", "b", "b"]}
    >>> t = estimate_rows(design, {"m": [1, 0, 1, 1]}, segments, opts)
    >>> t["estimate"].tolist()
    [0.75, 0.5, 1.0]
    """
    opts = options or EstimateOptions()
    n = design.n
    if not values:
        raise SurveyDataError("no metric to estimate: values is empty")
    arrays = {mid: _column(y, n, f"values of {mid!r}") for mid, y in values.items()}
    labels = {var: _labels(v, n, var) for var, v in segments.items()}
    keep = np.ones(n, dtype=bool) if within is None else np.asarray(within, bool)
    if keep.shape != (n,):
        raise SurveyDataError(f"within has shape {keep.shape}; expected ({n},)")
    cells = JointCells.build(labels, keep)
    domains = _SimpleDomains(cells, design) if design.is_simple else None
    kinds = scales or {}
    blocks = []
    for mid, y in arrays.items():
        parts = domains.blocks(y) if domains else _design_blocks(cells, design, y)
        blocks += [(est, var, mid, kinds.get(mid, "share")) for est, var in parts]
    basis: Basis = "plain" if design.is_simple and not design.weighted else "kish"
    # one frame and one interval call for the whole table: per-block frames
    # cost more than the sums themselves on a large table
    sizes = [b[0].n.size for b in blocks]
    table = table_rows(
        _concat([b[0] for b in blocks]),
        np.repeat([b[1] for b in blocks], sizes),
        np.repeat([b[2] for b in blocks], sizes),
        np.repeat([b[3] for b in blocks], sizes),
        opts,
        basis,
    )
    table.insert(0, "wave", wave)
    table["source_kind"] = "respondents"
    table["n"] = table["n"].astype("Int64")
    return table


def _column(y: npt.ArrayLike, n: int, name: str) -> FloatArray:
    arr = np.asarray(y, dtype=np.float64)
    if arr.shape != (n,):
        raise SurveyDataError(f"{name} has shape {arr.shape}; expected ({n},)")
    if np.isinf(arr).any():
        raise SurveyDataError(f"{name} holds infinite values; use NaN for missing")
    return arr


def _labels(values: npt.ArrayLike, n: int, var: str) -> pd.Series | npt.NDArray[Any]:
    labels = values if isinstance(values, pd.Series) else np.asarray(values)
    if labels.shape != (n,):
        raise SurveyDataError(
            f"segment {var!r} has shape {labels.shape}; expected ({n},)"
        )
    return labels


class _SimpleDomains:
    """Every row its own PSU: one joint-cell bincount per metric, then margins."""

    def __init__(self, cells: JointCells, design: SurveyDesign) -> None:
        self.cells = cells
        # the kept rows' per-cell n, Σw and Σw² serve every metric
        self.base = CellBase.build(cells, design.weights)

    def blocks(self, y: FloatArray) -> list[tuple[DomainEstimates, str]]:
        sums = self.base.sums(y)
        blocks = [(sums.total().estimates([TOTAL]), TOTAL)]
        for axis, var in enumerate(self.cells.names):
            margin = self.cells.margin(sums, axis)
            blocks.append((margin.estimates(self.cells.labels[axis]), var))
        return blocks


def _design_blocks(
    cells: JointCells, design: SurveyDesign, y: FloatArray
) -> list[tuple[DomainEstimates, str]]:
    """Strata, clusters or fpc: each segment a domain of the whole design."""
    overall = np.where(cells.codes < 0, -1, 0)
    blocks = [(domain_estimates(design, y, overall, [TOTAL]), TOTAL)]
    for axis, var in enumerate(cells.names):
        codes = cells.axis_codes(axis)
        blocks.append((domain_estimates(design, y, codes, cells.labels[axis]), var))
    return blocks


def _concat(parts: Sequence[DomainEstimates]) -> DomainEstimates:
    def join(name: str) -> FloatArray:
        return np.concatenate([getattr(p, name) for p in parts]).astype(np.float64)

    return DomainEstimates(
        np.concatenate([np.asarray(p.labels).astype(str) for p in parts]),
        *(join(f) for f in ("estimate", "se", "n", "sum_w", "n_eff", "degf")),
    )


def table_rows(
    est: DomainEstimates,
    segment_var: npt.NDArray[np.str_],
    metric: npt.NDArray[np.str_],
    scale: npt.NDArray[np.str_],
    options: EstimateOptions,
    basis: Basis,
) -> pd.DataFrame:
    """EstimateTable rows (without ``wave`` and ``source_kind``) from estimates.

    Index rows get estimate ± t·SE (``mean-t``); share rows the chosen
    interval on ``basis``. Rows whose base is under the suppression threshold
    keep n and n_eff but show no estimate; a published row without a base
    keeps its estimate and gets no interval and no flag.
    """
    index = scale == "index"
    se, low, high, method = _intervals(est, index, options, basis)
    has_base = np.isfinite(est.n)
    flags = np.where(
        has_base, base_flag(np.nan_to_num(est.n), options.thresholds), "ok"
    )
    hidden = flags == "suppressed"
    return pd.DataFrame(
        {
            "metric": metric,
            "segment_var": segment_var,
            "segment_value": est.labels.astype(str),
            "n": est.n,
            "n_eff": est.n_eff,
            "estimate": np.where(hidden, np.nan, est.estimate),
            "se": np.where(hidden, np.nan, se),
            "ci_low": np.where(hidden, np.nan, low),
            "ci_high": np.where(hidden, np.nan, high),
            "level": options.level,
            "method": method,
            "flag": flags,
            "scale": scale,
        }
    )


def _intervals(
    est: DomainEstimates,
    index: npt.NDArray[np.bool_],
    opts: EstimateOptions,
    basis: Basis,
) -> tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.str_]]:
    """SE, bounds and method label of each row; index rows get mean ± t·SE."""
    # share intervals see a neutral 0.5 on index rows, replaced below
    share = replace(est, estimate=np.where(index, 0.5, est.estimate))
    se, low, high, label = _share_interval(share, opts, basis)
    if np.any(index):
        mean = est.ci(opts.level, "mean")
        low, high = np.where(index, mean.low, low), np.where(index, mean.high, high)
        se = np.where(index, est.se, se)
    return se, low, high, np.where(index, "mean-t", label)


def _share_interval(
    est: DomainEstimates, opts: EstimateOptions, basis: Basis
) -> tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.str_]]:
    """The chosen interval: svyciprop's forms need an SE, so toplines get Wilson."""
    binomial = as_binomial(opts.method)
    if binomial is None and basis != "published":
        ci = est.ci(opts.level, opts.method)
        return est.se, ci.low, ci.high, np.full(est.n.size, opts.method)
    method = binomial or "wilson"
    base = est.n if basis == "plain" else est.n_eff
    with np.errstate(divide="ignore", invalid="ignore"):
        # no base (n = 0, or a published figure without one): NaN bounds
        low, high = proportion_ci(
            np.nan_to_num(est.estimate * base),
            np.nan_to_num(base),
            method=method,
            level=opts.level,
        )
        binomial_se = np.sqrt(est.estimate * (1 - est.estimate) / base)
    if basis == "kish":
        return est.se, low, high, np.full(est.n.size, f"{method}-kish")
    label = np.where(np.isfinite(base), method, NO_BASE)
    return binomial_se, low, high, label
