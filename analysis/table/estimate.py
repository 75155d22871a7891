"""Codebook metrics → EstimateTable: the one table every chart, slide and CLI reads.

One row per (wave, metric, segment_var, segment_value), with the columns fixed
in DESIGN.md. Respondent waves are estimated design-based (each segment a
domain of the whole wave); toplines waves give the same columns from their
published percent and base. Nothing downstream recomputes a percentage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol, get_args, runtime_checkable

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.library.codebook import Codebook, Metric, load_codebook
from analysis.library.scoring import metric_values
from analysis.stats.cells import CellBase, JointCells
from analysis.stats.domains import DomainEstimates
from analysis.stats.intervals import FloatArray, base_flag, check_level, proportion_ci
from analysis.store.wave import TOTAL, WaveInfo
from analysis.store.wave_store import WaveStore

CIMethod = Literal[
    "wilson", "clopper-pearson", "jeffreys", "agresti-coull", "logit", "mean", "beta"
]
CI_METHODS: tuple[str, ...] = get_args(CIMethod)
BinomialMethod = Literal["wilson", "clopper-pearson", "jeffreys", "agresti-coull"]
_BINOMIAL: tuple[BinomialMethod, ...] = get_args(BinomialMethod)
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
    """How estimates are made; every default is one a user can change."""

    method: CIMethod = "wilson"
    level: float = 0.95
    weighted: bool = True
    thresholds: tuple[float, float, float] = (100, 30, 10)

    def __post_init__(self) -> None:
        check_level(self.level)
        if self.method not in CI_METHODS:
            raise SurveyDataError(
                f"CI method {self.method!r} is not one of {', '.join(CI_METHODS)}"
            )
        base_flag(0.0, self.thresholds)  # validates the thresholds

    def label(self, scale: str) -> str:
        """The method as footnotes name it: its assumption made explicit."""
        if scale == "index":
            return "mean-t"
        if self.method in _BINOMIAL and self.weighted:
            return f"{self.method}-kish"
        return self.method


class WaveSource(Protocol):
    """What :func:`estimate` reads: a :class:`WaveStore` or a cache in front of it."""

    def wave(self, name: str) -> WaveInfo:
        """One wave's metadata."""
        ...

    def load_respondents(self, names: Sequence[str]) -> pd.DataFrame:
        """Respondent rows of the named waves."""
        ...

    def load_toplines(self, names: Sequence[str]) -> pd.DataFrame:
        """Toplines rows of the named waves."""
        ...


@runtime_checkable
class CachesValues(Protocol):
    """A source that keeps each wave's per-respondent metric values ready."""

    def metric_values(self, name: str) -> Mapping[str, FloatArray]:
        """Metric id → :func:`analysis.scoring.metric_values` of the wave's rows."""
        ...


def estimate(
    store: WaveSource | WaveStore,
    waves: Sequence[str],
    metrics: Sequence[str] | None = None,
    by: Sequence[str] = (),
    filters: Mapping[str, Sequence[str]] | None = None,
    options: EstimateOptions | None = None,
    codebook: Codebook | None = None,
) -> pd.DataFrame:
    """The EstimateTable of stored waves (respondents or toplines).

    Parameters
    ----------
    store : WaveStore
    waves : sequence of str
        Wave names; each is estimated on its own.
    metrics : sequence of str, optional
        Metric ids (default: every metric of the codebook).
    by : sequence of str
        Segment variables; the overall (``total``) row always comes first.
    filters : mapping, optional
        Keep only respondents whose column value is in the list, e.g.
        ``{"country": ["FR"]}``. The filtered sample stays a domain of the
        whole wave.
    options : EstimateOptions, optional
        Interval method and level, weighting, base thresholds.
    codebook : Codebook, optional

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COLUMNS`; ``estimate`` is 0–1 for shares and
        0–100 for indices (``scale`` says which).
    """
    book = codebook or load_codebook()
    opts = options or EstimateOptions()
    chosen = [book.metric(m) for m in (metrics or list(book.metrics))]
    if not waves:
        raise SurveyDataError("choose at least one wave")
    frames = []
    for name in waves:
        kind = store.wave(name).meta.kind
        if kind == "toplines":
            rows = store.load_toplines([name])
            frames.append(toplines_table(rows, chosen, by, opts))
            continue
        data = store.load_respondents([name])
        # a wave that did not ask a question has no rows for its metrics
        answerable = [m for m in chosen if set(m.questions) <= set(data.columns)]
        if not answerable:
            continue
        ready = store.metric_values(name) if isinstance(store, CachesValues) else None
        frames.append(
            respondent_table(
                data, answerable, by, filters, opts, wave=name, values=ready
            )
        )
    _check_answered(frames, metrics, waves)
    table = pd.concat(frames, ignore_index=True).reindex(columns=list(COLUMNS))
    table["n"] = table["n"].round().astype("Int64")
    return table


def _check_answered(
    frames: list[pd.DataFrame], asked: Sequence[str] | None, waves: Sequence[str]
) -> None:
    """Refuse a request that no chosen wave can answer, naming what is missing."""
    found = set().union(*(set(f["metric"]) for f in frames)) if frames else set()
    missing = [m for m in (asked or []) if m not in found]
    if missing or not frames:
        what = f"metric(s) {missing}" if missing else "any metric"
        raise SurveyDataError(
            f"wave(s) {', '.join(waves)} have no answers for {what}: their "
            "questions were not asked or not mapped"
        )


def respondent_table(
    frame: pd.DataFrame,
    metrics: Sequence[Metric],
    by: Sequence[str] = (),
    filters: Mapping[str, Sequence[str]] | None = None,
    options: EstimateOptions | None = None,
    *,
    wave: str = "",
    values: Mapping[str, FloatArray] | None = None,
) -> pd.DataFrame:
    """EstimateTable rows of one respondent wave, from one joint-cell bincount.

    ``values`` may hold metric values already computed for ``frame`` (a
    dashboard keeps them per wave), so a filter change only re-sums.
    """
    opts = options or EstimateOptions()
    missing = [v for v in [*by, *(filters or {})] if v not in frame.columns]
    if missing:
        raise SurveyDataError(f"wave {wave}: no segment variable(s) {missing}")
    weights = _weights(frame, opts.weighted)
    keep = _filter_mask(frame, filters or {})
    cells = JointCells.build(frame, by, keep)
    ready = values or {}
    rows = (
        (
            m.id,
            "index" if m.kind == "index" else "share",
            ready[m.id] if m.id in ready else metric_values(frame, m),
        )
        for m in metrics
    )
    return _table(cells, weights, rows, by, opts, wave)


def values_table(
    values: Mapping[str, npt.ArrayLike],
    segments: Mapping[str, npt.ArrayLike],
    weights: npt.ArrayLike | None = None,
    options: EstimateOptions | None = None,
    *,
    scales: Mapping[str, str] | None = None,
    wave: str = "",
) -> pd.DataFrame:
    """EstimateTable rows from per-respondent values, without a codebook.

    For data that never went through the store (a benchmark, a notebook): the
    same joint-cell route and columns as :func:`respondent_table`.

    Parameters
    ----------
    values : mapping of metric id to array
        One value per respondent: 0/1 for a share, 0–100 for an index; NaN
        leaves the base.
    segments : mapping of segment variable to array
        Segment label of each respondent, one array per variable.
    weights : array, optional
        Weights > 0 (default: 1 for everyone).
    options : EstimateOptions, optional
    scales : mapping of metric id to ``"share"`` or ``"index"``, optional
        Default ``"share"``.
    wave : str
        Written in the ``wave`` column.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COLUMNS`, ``source_kind`` = ``"respondents"``.

    Examples
    --------
    >>> opts = EstimateOptions(thresholds=(0, 0, 0))  # tiny example: no flags
    >>> t = values_table({"m": [1, 0, 1, 1]}, {"g": ["a", "a", "b", "b"]}, None, opts)
    >>> t["estimate"].tolist()
    [0.75, 0.5, 1.0]
    """
    opts = options or EstimateOptions()
    arrays = {mid: np.asarray(y, dtype=np.float64) for mid, y in values.items()}
    labels = {var: np.asarray(v) for var, v in segments.items()}
    shapes = {a.shape for a in [*arrays.values(), *labels.values()]}
    if len(shapes) != 1 or len(next(iter(shapes))) != 1:
        raise SurveyDataError(
            f"values and segments must be 1-D arrays of one length; got {shapes}"
        )
    (n,) = shapes.pop()
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != (n,) or not np.all(np.isfinite(w) & (w > 0)):
        raise SurveyDataError(f"weights must be {n} finite values > 0")
    by = list(labels)
    cells = JointCells.build(pd.DataFrame(labels), by, np.ones(n, dtype=bool))
    kinds = scales or {}
    rows = ((mid, kinds.get(mid, "share"), y) for mid, y in arrays.items())
    table = _table(cells, w if opts.weighted else np.ones(n), rows, by, opts, wave)
    table["n"] = table["n"].astype("Int64")
    return table.reindex(columns=list(COLUMNS))


def _table(
    cells: JointCells,
    weights: FloatArray,
    values: Iterable[tuple[str, str, FloatArray]],
    by: Sequence[str],
    opts: EstimateOptions,
    wave: str,
) -> pd.DataFrame:
    base = CellBase.build(cells, weights)
    blocks: list[tuple[DomainEstimates, str, str, str]] = []
    for metric_id, scale, y in values:
        sums = base.sums(y)
        blocks.append((sums.total().estimates([TOTAL]), TOTAL, metric_id, scale))
        for axis, var in enumerate(by):
            margin = cells.margin(sums, axis).estimates(cells.labels[axis])
            blocks.append((margin, var, metric_id, scale))
    # one frame and one interval call for the whole table: per-block frames
    # cost more than the sums themselves on a large table
    sizes = [b[0].n.size for b in blocks]
    table = _rows(
        _concat([b[0] for b in blocks]),
        np.repeat([b[1] for b in blocks], sizes),
        np.repeat([b[2] for b in blocks], sizes),
        np.repeat([b[3] for b in blocks], sizes),
        opts,
    )
    table.insert(0, "wave", wave)
    table["source_kind"] = "respondents"
    return table


def _weights(frame: pd.DataFrame, weighted: bool) -> FloatArray:
    if not weighted or "weight" not in frame.columns:
        return np.ones(len(frame), dtype=np.float64)
    weights: FloatArray = frame["weight"].to_numpy(dtype=np.float64)
    return weights


def _filter_mask(
    frame: pd.DataFrame, filters: Mapping[str, Sequence[str]]
) -> np.ndarray:
    keep = np.ones(len(frame), dtype=bool)
    for var, values in filters.items():
        if values:
            keep &= frame[var].astype(str).isin([str(v) for v in values]).to_numpy()
    return keep


def _concat(parts: Sequence[DomainEstimates]) -> DomainEstimates:
    def join(name: str) -> FloatArray:
        return np.concatenate([getattr(p, name) for p in parts]).astype(np.float64)

    return DomainEstimates(
        np.concatenate([np.asarray(p.labels).astype(str) for p in parts]),
        *(join(f) for f in ("estimate", "se", "n", "sum_w", "n_eff", "degf")),
    )


def _rows(
    est: DomainEstimates,
    var: npt.NDArray[np.str_],
    metric_id: npt.NDArray[np.str_],
    scale: npt.NDArray[np.str_],
    opts: EstimateOptions,
) -> pd.DataFrame:
    index = scale == "index"
    low, high = _interval(est, index, opts)
    flags = base_flag(est.n, opts.thresholds)
    hidden = flags == "suppressed"
    return pd.DataFrame(
        {
            "metric": metric_id,
            "segment_var": var,
            "segment_value": est.labels.astype(str),
            "n": est.n.astype(np.int64),
            "n_eff": est.n_eff,
            "estimate": np.where(hidden, np.nan, est.estimate),
            "se": np.where(hidden, np.nan, est.se),
            "ci_low": np.where(hidden, np.nan, low),
            "ci_high": np.where(hidden, np.nan, high),
            "level": opts.level,
            "method": np.where(index, opts.label("index"), opts.label("share")),
            "flag": flags,
            "scale": scale,
        }
    )


def _interval(
    est: DomainEstimates, index: npt.NDArray[np.bool_], opts: EstimateOptions
) -> tuple[FloatArray, FloatArray]:
    """Mean-t for index rows; the chosen proportion interval for share rows."""
    mean = est.ci(opts.level, "mean")
    # share intervals see a neutral 0.5 on index rows, replaced below
    share = replace(est, estimate=np.where(index, 0.5, est.estimate))
    if opts.method in _BINOMIAL:
        # weighted: the binomial interval on the Kish effective base
        low, high = proportion_ci(
            share.estimate * share.n_eff,
            share.n_eff,
            method=_binomial(opts.method),
            level=opts.level,
        )
    else:
        ci = share.ci(opts.level, opts.method)  # type: ignore[arg-type]
        low, high = ci.low, ci.high
    return np.where(index, mean.low, low), np.where(index, mean.high, high)


def _binomial(method: str) -> BinomialMethod:
    """The binomial interval to use; design-only methods fall back to Wilson."""
    for name in _BINOMIAL:
        if name == method:
            return name
    return "wilson"


def toplines_table(
    rows: pd.DataFrame,
    metrics: Sequence[Metric],
    by: Sequence[str] = (),
    options: EstimateOptions | None = None,
) -> pd.DataFrame:
    """EstimateTable rows from published toplines: same columns, same rules.

    The published base stands in for n; n_eff is the published effective base
    when known, else the base. Without a base the figure is kept with no interval.
    """
    opts = options or EstimateOptions()
    wanted = {m.id for m in metrics}
    keep = rows["metric"].isin(wanted) & rows["segment_var"].isin([TOTAL, *by])
    order = {var: i for i, var in enumerate([TOTAL, *by])}
    metric_order = {m.id: i for i, m in enumerate(metrics)}
    data = rows[keep].assign(
        _m=rows["metric"].map(metric_order), _v=rows["segment_var"].map(order)
    )
    data = data.sort_values(["_m", "_v", "segment_value"], kind="stable")
    data = data.drop(columns=["_m", "_v"]).reset_index(drop=True)
    p = data["percent"].to_numpy(dtype=np.float64) / 100
    n = data["base_n"].to_numpy(dtype=np.float64, na_value=np.nan)
    n_eff_raw = data["n_eff"].to_numpy(dtype=np.float64, na_value=np.nan)
    n_eff = np.where(np.isfinite(n_eff_raw), n_eff_raw, n)
    method = _binomial(opts.method)
    with np.errstate(invalid="ignore", divide="ignore"):
        low, high = proportion_ci(
            p * n_eff, np.nan_to_num(n_eff), method=method, level=opts.level
        )
        se = np.sqrt(p * (1 - p) / n_eff)
    has_base = np.isfinite(n_eff)
    flags = np.where(has_base, base_flag(np.nan_to_num(n), opts.thresholds), "ok")
    return pd.DataFrame(
        {
            "wave": data["wave"],
            "metric": data["metric"],
            "segment_var": data["segment_var"],
            "segment_value": data["segment_value"],
            "n": n,
            "n_eff": n_eff,
            "estimate": p,
            "se": se,
            "ci_low": np.where(has_base, low, np.nan),
            "ci_high": np.where(has_base, high, np.nan),
            "level": opts.level,
            "method": np.where(has_base, method, NO_BASE),
            "flag": flags,
            "scale": "share",
            "source_kind": "toplines",
        }
    )
