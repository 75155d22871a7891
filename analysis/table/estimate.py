"""Stored waves → EstimateTable: the one table every chart, slide and CLI reads.

One row per (wave, metric, segment_var, segment_value), with the columns fixed
in DESIGN.md. A respondent wave becomes a survey design, codebook metric
values and segment columns, and :func:`analysis.table.rows.estimate_rows`
estimates it (each segment a domain of the whole wave); a toplines wave gives
the same columns from its published percent and base, through the same rows.
Nothing downstream recomputes a percentage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.library.codebook import Codebook, Metric, load_codebook
from analysis.library.scoring import metric_values
from analysis.stats.design import SurveyDesign
from analysis.stats.domains import DomainEstimates
from analysis.stats.intervals import FloatArray
from analysis.stats.weighting import Weighting
from analysis.store.questionnaires import library_coded
from analysis.store.wave import TOTAL, WaveInfo
from analysis.store.wave_store import WaveStore
from analysis.table.intervals import table_rows
from analysis.table.rows import (
    COLUMNS,
    COVARIANCE,
    DesignColumns,
    EstimateOptions,
    Scale,
    estimate_rows,
)
from analysis.table.weighted import WEIGHTINGS, chosen_weighting


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
    design: DesignColumns | None = None,
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
    design : DesignColumns, optional
        The columns holding weights, strata, PSUs and fpc (default: the
        ``weight`` column only).

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
        ready, wave_design = _linked(store, name, data, book)
        if ready is None:
            # a wave that did not ask a question has no rows for its metrics
            answerable = [m for m in chosen if set(m.questions) <= set(data.columns)]
            if isinstance(store, CachesValues):
                ready = store.metric_values(name)
        else:
            answerable = [m for m in chosen if m.id in ready]
        if not answerable:
            continue
        columns = design or wave_design or DesignColumns()
        stored = chosen_weighting(store, name, data, columns, opts, len(waves) > 1)
        table = respondent_table(
            data,
            answerable,
            by,
            filters,
            opts,
            wave=name,
            values=ready,
            design=columns,
            calibration=stored.calibration,
        )
        frames.append(stored.mark(table))
    _check_answered(frames, metrics, waves)
    table = pd.concat(frames, ignore_index=True).reindex(columns=list(COLUMNS))
    table["n"] = table["n"].round().astype("Int64")
    table["weighting"] = table["weighting"].fillna("")
    covariances = {k: v for f in frames for k, v in f.attrs.get(COVARIANCE, {}).items()}
    table.attrs = {COVARIANCE: covariances} if covariances else {}
    said = {k: v for f in frames for k, v in f.attrs.get(WEIGHTINGS, {}).items()}
    if said:
        table.attrs[WEIGHTINGS] = said
    return table


def _linked(
    store: object, name: str, data: pd.DataFrame, book: Codebook
) -> tuple[Mapping[str, FloatArray] | None, DesignColumns | None]:
    """A wave in its own codes: library metric values through links, and design.

    (None, None) for a wave in the library's codes, scored from its columns.
    """
    reader = getattr(store, "questionnaire", None)
    if reader is None:
        return None, None
    questionnaire = reader(name)
    if library_coded(questionnaire):
        return None, None
    from analysis.table.library import library_values  # it imports this module
    from analysis.table.questions import design_columns

    values = library_values(data, questionnaire, book)
    return values, design_columns(questionnaire)


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
    design: DesignColumns | None = None,
    calibration: Weighting | None = None,
) -> pd.DataFrame:
    """EstimateTable rows of one respondent wave: its design, values and segments.

    ``values`` may hold metric values already computed for ``frame`` (a
    dashboard keeps them per wave), so a filter change only re-sums.
    ``calibration`` is a stored weighting's (see :mod:`analysis.table.weighted`).
    """
    opts = options or EstimateOptions()
    missing = [v for v in [*by, *(filters or {})] if v not in frame.columns]
    if missing:
        raise SurveyDataError(f"wave {wave}: no segment variable(s) {missing}")
    try:
        survey = (design or DesignColumns()).design(frame, weighted=opts.weighted)
    except SurveyDataError as exc:
        raise SurveyDataError(f"wave {wave}: {exc}") from None
    ready = values or {}
    return estimate_rows(
        survey,
        {
            m.id: ready[m.id] if m.id in ready else metric_values(frame, m)
            for m in metrics
        },
        {var: frame[var] for var in by},
        opts,
        scales={m.id: "index" if m.kind == "index" else "share" for m in metrics},
        within=_filter_mask(frame, filters or {}),
        wave=wave,
        calibration=calibration,
    )


def values_table(
    values: Mapping[str, npt.ArrayLike],
    segments: Mapping[str, npt.ArrayLike],
    weights: npt.ArrayLike | None = None,
    options: EstimateOptions | None = None,
    *,
    scales: Mapping[str, Scale] | None = None,
    wave: str = "",
) -> pd.DataFrame:
    """EstimateTable rows from per-respondent values and weights, without a codebook.

    For data that never went through the store (a benchmark, a notebook):
    :func:`analysis.table.rows.estimate_rows` on a weights-only design.

    Parameters
    ----------
    values : mapping of metric id to array
        One value per respondent: 0/1 for a share, 0–100 for an index; NaN
        leaves the base.
    segments : mapping of segment variable to array
        Segment label of each respondent, one array per variable.
    weights : array, optional
        Weights ≥ 0 (default: an unweighted sample).
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
    sizes = {np.shape(a) for a in [*values.values(), *segments.values()]}
    if len(sizes) != 1 or len(next(iter(sizes))) != 1:
        raise SurveyDataError(
            f"values and segments must be 1-D arrays of one length; got {sizes}"
        )
    ((n,),) = sizes
    if weights is None or not opts.weighted:
        survey = SurveyDesign(np.ones(n), weighted=False)
    else:
        w = np.asarray(weights, dtype=np.float64)
        if w.shape != (n,) or not np.all(np.isfinite(w) & (w >= 0)):
            raise SurveyDataError(f"weights must be {n} finite values ≥ 0")
        survey = SurveyDesign(w)
    return estimate_rows(survey, values, segments, opts, scales=scales, wave=wave)


def _filter_mask(
    frame: pd.DataFrame, filters: Mapping[str, Sequence[str]]
) -> npt.NDArray[np.bool_]:
    keep = np.ones(len(frame), dtype=bool)
    for var, values in filters.items():
        if values:
            keep &= frame[var].astype(str).isin([str(v) for v in values]).to_numpy()
    return keep


def toplines_table(
    rows: pd.DataFrame,
    metrics: Sequence[Metric],
    by: Sequence[str] = (),
    options: EstimateOptions | None = None,
) -> pd.DataFrame:
    """EstimateTable rows from published toplines: same columns, same rules.

    The published base stands in for n; n_eff is the published effective base
    when known, else the base (deff is then base over n_eff). Without a base the
    figure is kept with no interval.
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
    # a published figure is a binomial one on its (effective) base
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.sqrt(p * (1 - p) / n_eff)
    with np.errstate(invalid="ignore", divide="ignore"):
        deff = n / n_eff
    published = DomainEstimates(
        labels=data["segment_value"].to_numpy(dtype=str),
        estimate=p,
        se=se,
        n=n,
        sum_w=n_eff,
        n_eff=n_eff,
        degf=n_eff - 1,
        n_rows=n,
        deff=deff,
    )
    table = table_rows(
        published,
        data["segment_var"].to_numpy(dtype=str),
        data["metric"].to_numpy(dtype=str),
        np.full(len(data), "share"),
        opts,
        "published",
    )
    table.insert(0, "wave", data["wave"].to_numpy())
    table["source_kind"] = "toplines"
    table["weighting"] = ""
    return table
