"""EstimateTable rows from a survey design: the one builder every route takes.

:func:`estimate_rows` takes what R's ``svyby(~y, ~segment, design, svymean)``
takes: a :class:`~analysis.stats.design.SurveyDesign`, per-respondent values and
segment columns. Stored waves (:func:`analysis.table.estimate.estimate`), the
command line's ``estimate FILE.csv`` and
:func:`analysis.table.estimate.values_table` all call it.
Published toplines have no respondents: they enter at its second half,
:func:`analysis.table.intervals.table_rows`, so that every route shares one
rule for intervals, method labels, flags and suppression.

A design with strata or clusters makes its segments covary (they share PSUs):
the table then carries the covariance of every pair of segments in
``table.attrs["segment_covariance"]`` (keyed ``(wave, metric, segment_var,
segment_a, segment_b)``), which the segment letters read. Without strata or
clusters the covariance of two segments is exactly 0 and nothing is attached.

Weights calibrated to population margins (:mod:`analysis.stats.weighting`) are
passed as ``calibration``: estimates use its weights and every domain's
influence values are residualised on its calibration variables before the
design variance, as R's ``svyby`` on a ``calibrate``-d design does. Segments
then covary through the calibration, so their covariances are attached too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.methods import INTERVAL_METHODS, IntervalMethod, LonelyPSU
from analysis.stats.calibration import calibrated_design, calibrated_domains
from analysis.stats.cells import CellBase, JointCells
from analysis.stats.contrasts import domain_covariance
from analysis.stats.design import SurveyDesign
from analysis.stats.domains import DomainEstimates, domain_estimates
from analysis.stats.intervals import FloatArray, base_flag, check_level
from analysis.stats.weighting import Weighting
from analysis.store.wave import TOTAL
from analysis.table.intervals import Basis, table_rows

Scale = Literal["share", "index", "mean"]
"""A row's scale: a 0–1 share, a 0–100 index, or an unbounded mean (a score)."""
COVARIANCE = "segment_covariance"
"""The ``attrs`` key of the segments' covariances (designs with strata or PSUs)."""
Covariances = dict[tuple[str, str, str, str, str], float]

COLUMNS = (
    "wave",
    "metric",
    "segment_var",
    "segment_value",
    "n",
    "n_eff",
    "n_star",
    "deff",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "level",
    "method",
    "flag",
    "clipped",
    "scale",
    "source_kind",
    "weighting",
)
"""EstimateTable columns. ``n_eff`` is Kish's base (the footnotes show it);
``n_star`` the base a share's binomial interval stands on (the design-based
n* with weights or a design); ``deff`` the estimate's design effect;
``clipped`` says the interval was cut to the scale (0–1, or 0–100);
``weighting`` names the stored weighting used ("" when none: toplines, an
unweighted view, rows not from the store)."""


@dataclass(frozen=True)
class EstimateOptions:
    """How estimates are made; every default is one a user can change.

    ``method="wilson"`` stands on the design-based effective base n* when the
    sample is weighted or has a design (``wilson-kish``: on Kish's base).
    ``weighted`` is read where a design is made from stored rows: False
    gives every respondent weight 1 (see :attr:`SurveyDesign.weighted`).
    ``weighting`` names a stored weighting of the wave (None: its default).
    """

    method: IntervalMethod = "wilson"
    level: float = 0.95
    weighted: bool = True
    weighting: str | None = None
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
    calibration: Weighting | None = None,
) -> pd.DataFrame:
    """EstimateTable rows: the overall row, then each segment, for every metric.

    Parameters
    ----------
    design : SurveyDesign
        Weights and, when the sample has them, strata, PSUs and fpc.
    values : mapping of metric id to array
        One value per row: 0/1 for a share, 0–100 for an index, any number
        for a mean; NaN leaves
        the base (the row stays in the design).
    segments : mapping of segment variable to array
        Each row's label; a missing label puts the row in no segment.
    options : EstimateOptions, optional
    scales : mapping of metric id to ``"share"``, ``"index"`` or ``"mean"``
        Default ``"share"``.
    within : array of bool, optional
        A filter: rows outside it stay in the design, in no domain (as
        ``subset`` of a survey design does).
    wave : str
        Written in the ``wave`` column.
    calibration : Weighting, optional
        Weights calibrated from ``design``'s (raked, post-stratified): the
        estimates use them, and ``se`` is the calibration (GREG-residual)
        one, as ``survey::calibrate`` gives it; ``n_eff`` stays Kish's.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COLUMNS`, ``source_kind`` = ``"respondents"``.
        An unweighted design without strata, clusters or fpc gives the plain
        binomial intervals and SE √(p(1 − p)/n); otherwise ``se`` is
        linearised and binomial intervals stand on the design-based effective
        base n* (``wilson-kish``: on Kish's); ``logit``, ``mean`` and ``beta``
        are svyciprop's, on the domain's degrees of freedom. A design with
        strata or clusters attaches its segments' covariances to ``attrs``
        (see the module docstring).

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
    if calibration is not None:
        design = calibrated_design(design, calibration)
    n = design.n
    if not values:
        raise SurveyDataError("no metric to estimate: values is empty")
    arrays = {mid: _column(y, n, f"values of {mid!r}") for mid, y in values.items()}
    labels = {var: _labels(v, n, var) for var, v in segments.items()}
    keep = np.ones(n, dtype=bool) if within is None else np.asarray(within, bool)
    if keep.shape != (n,):
        raise SurveyDataError(f"within has shape {keep.shape}; expected ({n},)")
    cells = JointCells.build(labels, keep)
    simple = design.is_simple and calibration is None
    domains = _SimpleDomains(cells, design) if simple else None
    kinds = scales or {}
    blocks = []
    covariances: Covariances = {}
    for mid, y in arrays.items():
        if calibration is not None:
            parts, pairs = _calibrated_blocks(cells, design, calibration, y)
            covariances |= {(wave, mid, *k): v for k, v in pairs.items()}
            blocks += [(est, var, mid, kinds.get(mid, "share")) for est, var in parts]
            continue
        parts = domains.blocks(y) if domains else _design_blocks(cells, design, y)
        blocks += [(est, var, mid, kinds.get(mid, "share")) for est, var in parts]
        if domains is None and (
            design.strata is not None or design.clusters is not None
        ):
            covariances |= _covariances(cells, design, y, (wave, mid))
    basis: Basis = "plain" if design.is_simple and not design.weighted else "design"
    table = blocks_table(blocks, covariances, opts, basis, wave)
    table["weighting"] = ""
    return table


def blocks_table(
    blocks: Sequence[tuple[DomainEstimates, str, str, str]],
    covariances: Mapping[tuple[str, str, str, str, str], float],
    opts: EstimateOptions,
    basis: Basis,
    wave: str,
) -> pd.DataFrame:
    """One wave's EstimateTable rows from its (domains, variable, metric, scale).

    One frame and one interval call for the whole table: per-block frames cost
    more than the sums themselves on a large table. The rows' and the sums'
    routes both end here.
    """
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
    if covariances:
        table.attrs[COVARIANCE] = dict(covariances)
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


def _calibrated_blocks(
    cells: JointCells, design: SurveyDesign, weighting: Weighting, y: FloatArray
) -> tuple[list[tuple[DomainEstimates, str]], dict[tuple[str, str, str], float]]:
    """Each segment a domain of the calibrated design; its pairs' covariances."""
    overall = np.where(cells.codes < 0, -1, 0)
    total = calibrated_domains(design, weighting, y, overall, [TOTAL])
    blocks = [(total.estimates, TOTAL)]
    pairs: dict[tuple[str, str, str], float] = {}
    for axis, var in enumerate(cells.names):
        names = [str(v) for v in cells.labels[axis]]
        fit = calibrated_domains(design, weighting, y, cells.axis_codes(axis), names)
        blocks.append((fit.estimates, var))
        pairs |= _pairs(var, names, fit.covariance)
    return blocks, pairs


def _covariances(
    cells: JointCells, design: SurveyDesign, y: FloatArray, key: tuple[str, str]
) -> Covariances:
    """Every pair of segments' covariance, for each segment variable."""
    out: Covariances = {}
    for axis, var in enumerate(cells.names):
        names = [str(v) for v in cells.labels[axis]]
        cov = domain_covariance(design, y, cells.axis_codes(axis), names).covariance
        out |= {(*key, *k): v for k, v in _pairs(var, names, cov).items()}
    return out


def _pairs(
    var: str, names: list[str], cov: FloatArray
) -> dict[tuple[str, str, str], float]:
    """``(var, a, b)`` → cov[a, b] for every ordered pair of distinct segments."""
    out: dict[tuple[str, str, str], float] = {}
    for i, j in zip(*np.triu_indices(len(names), k=1), strict=True):
        out[(var, names[i], names[j])] = out[(var, names[j], names[i])] = float(
            cov[i, j]
        )
    return out


def _concat(parts: Sequence[DomainEstimates]) -> DomainEstimates:
    def join(name: str) -> FloatArray:
        return np.concatenate([getattr(p, name) for p in parts]).astype(np.float64)

    fields = ("estimate", "se", "n", "sum_w", "n_eff", "degf", "n_rows", "deff")
    return DomainEstimates(
        np.concatenate([np.asarray(p.labels).astype(str) for p in parts]),
        **{f: join(f) for f in fields},
    )
