"""A view's EstimateTable from the store's per-cell sums, without respondent rows.

:func:`estimate_from_sums` answers what :func:`analysis.table.estimate.estimate`
answers — library metrics of stored waves, by any of a wave's segment
variables, within filters on them — from the sums the store keeps
(:mod:`analysis.store.sums`), through the same interval and flag rules
(:func:`analysis.table.intervals.table_rows`). The numbers equal the rows'
to rounding (tests/table/test_sums_view.py).

It returns None — read the rows — when a wave has no sums ready (over the
caps, no library metric, a store from before sums), when a segment or filter
is not one the sums cover (a question used as a segment), or when the sums
cannot reproduce the rows' checks (a design the rows would refuse says why).
Calibrated weightings are not kept as sums: their views read rows.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.library.codebook import Codebook, Metric, load_codebook
from analysis.stats.domains import DomainEstimates
from analysis.stats.from_sums import (
    Block,
    GroupDesign,
    PairCovariances,
    design_estimates,
    domain_covariance,
    level_codes,
    pair_covariances,
    simple_estimates,
    unweighted,
)
from analysis.store.sums import StoredSums, read_sums
from analysis.store.sums_cells import held_sums
from analysis.store.sums_sql import FPC, PSU, STRATUM, SUM_FIELDS
from analysis.store.wave import TOTAL
from analysis.store.wave_store import WaveStore
from analysis.table.intervals import Basis
from analysis.table.rows import (
    COLUMNS,
    COVARIANCE,
    EstimateOptions,
    Scale,
    blocks_table,
)


def estimate_from_sums(
    store: WaveStore,
    waves: Sequence[str],
    metrics: Sequence[str] | None = None,
    by: Sequence[str] = (),
    filters: Mapping[str, Sequence[str]] | None = None,
    options: EstimateOptions | None = None,
    codebook: Codebook | None = None,
    *,
    stamp: Hashable | None = None,
) -> pd.DataFrame | None:
    """The EstimateTable of :func:`~analysis.table.estimate.estimate`, from sums.

    Same parameters (the design is each wave's kept one); None when any wave
    must be read from its rows (see the module docstring). With ``stamp`` —
    the store's version, as a server keys its caches — the cells are held in
    memory between views (:mod:`analysis.store.sums_cells`).
    """
    book = codebook or load_codebook()
    opts = options or EstimateOptions()
    chosen = [book.metric(m) for m in (metrics or list(book.metrics))]
    if not waves:
        return None
    ids = [m.id for m in chosen]
    needed = [*by, *(filters or {})]
    frames = []
    for name in waves:
        stored = _wave_sums(store, stamp, name, ids, needed)
        if stored is None:
            return None  # toplines (already cheap), no sums, or an error the rows word
        held = set(stored.frame["metric"].unique())
        answerable = [m for m in chosen if m.id in held]
        if not answerable:
            continue
        table = sums_table(stored, answerable, by, filters, opts, wave=name)
        if table is None:
            return None
        frames.append(table)
    if not frames:
        return None  # the rows' route says which metric is missing
    found = set().union(*(set(f["metric"]) for f in frames))
    if any(m not in found for m in (metrics or [])):
        return None
    table = pd.concat(frames, ignore_index=True).reindex(columns=list(COLUMNS))
    table["n"] = table["n"].round().astype("Int64")
    covariances = {k: v for f in frames for k, v in f.attrs.get(COVARIANCE, {}).items()}
    table.attrs = {COVARIANCE: covariances} if covariances else {}
    return table


def _wave_sums(
    store: WaveStore,
    stamp: Hashable | None,
    wave: str,
    metrics: Sequence[str],
    segments: Sequence[str],
) -> StoredSums | None:
    """A live respondent wave's sums over ``segments`` (None: read its rows)."""
    if stamp is not None:
        return held_sums(
            store.reading, (store.location, stamp), wave, metrics, segments
        )
    with store.reading() as con:
        live = con.execute(
            "SELECT kind FROM waves WHERE wave = ? AND deleted_at IS NULL", [wave]
        ).fetchone()
        if live is None or live[0] != "respondents":
            return None
        return read_sums(con, wave, metrics, segments)


def sums_table(
    stored: StoredSums,
    metrics: Sequence[Metric],
    by: Sequence[str] = (),
    filters: Mapping[str, Sequence[str]] | None = None,
    options: EstimateOptions | None = None,
    *,
    wave: str = "",
) -> pd.DataFrame | None:
    """EstimateTable rows of one wave from its sums (None: read the rows)."""
    scales: dict[str, Scale] = {
        m.id: "index" if m.kind == "index" else "share" for m in metrics
    }
    return scaled_table(stored, scales, by, filters, options, wave=wave)


def scaled_table(
    stored: StoredSums,
    scales: Mapping[str, Scale],
    by: Sequence[str] = (),
    filters: Mapping[str, Sequence[str]] | None = None,
    options: EstimateOptions | None = None,
    *,
    wave: str = "",
) -> pd.DataFrame | None:
    """EstimateTable rows of the sums' values (key → its scale), None: read rows."""
    opts = options or EstimateOptions()
    wanted = [*by, *(filters or {})]
    if any(v not in stored.segments for v in wanted):
        return None
    blocks: list[tuple[DomainEstimates, str, str, str]] = []
    covariances: dict[tuple[str, str, str, str, str], float] = {}
    design = stored.design
    simple = design.strata is None and design.cluster is None and design.fpc is None
    rows_of = {
        str(m): np.asarray(i, dtype=np.intp)
        for m, i in stored.frame.groupby("metric", sort=False).indices.items()
    }
    arrays = _arrays(stored, by, filters or {})
    try:
        for key, scale in scales.items():
            taken = rows_of.get(key, np.zeros(0, np.intp))
            part = {name: values[taken] for name, values in arrays.items()}
            parts, pairs = _metric_blocks(part, stored, by, opts)
            blocks += [(est, var, key, scale) for est, var in parts]
            covariances |= {(wave, key, *k): v for k, v in pairs.items()}
    except SurveyDataError:
        return None  # the rows' route raises the error, worded for the rows
    weighted = opts.weighted and design.weight is not None
    basis: Basis = "plain" if simple and not weighted else "design"
    return blocks_table(blocks, covariances, opts, basis, wave)


Columns = dict[str, np.ndarray]
"""A part of the sums as arrays: slicing arrays per metric costs microseconds,
slicing a frame a fraction of a millisecond per column."""


_KEEP = "within filters"


def _arrays(
    stored: StoredSums, by: Sequence[str], filters: Mapping[str, Sequence[str]]
) -> Columns:
    """The sums, the segments of ``by``, the design and the filters' mask, as arrays."""
    frame = stored.frame
    out = {f: frame[f].to_numpy(dtype=np.float64) for f in SUM_FIELDS}
    out |= {v: frame[v].to_numpy(dtype=object) for v in dict.fromkeys(by)}
    out |= {c: frame[c].to_numpy() for c in (STRATUM, PSU, FPC) if c in frame}
    keep = np.ones(len(frame), dtype=bool)
    for var, values in filters.items():
        if values:
            keep &= frame[var].astype(str).isin([str(v) for v in values]).to_numpy()
    out[_KEEP] = keep
    return out


def _metric_blocks(
    part: Columns,
    stored: StoredSums,
    by: Sequence[str],
    opts: EstimateOptions,
) -> tuple[list[Block], PairCovariances]:
    """The total and each segment's domains of one metric, and their covariances.

    ``part`` holds the metric's rows, the filters' mask among them.
    """
    sums = {f: part[f] for f in SUM_FIELDS}
    if not opts.weighted or stored.design.weight is None:
        sums = unweighted(sums)
    keep = part[_KEEP]
    total = np.where(keep, 0, -1).astype(np.intp)
    design = stored.design
    if design.strata is None and design.cluster is None and design.fpc is None:
        n_total = stored.row_count
        blocks = [(simple_estimates(sums, total, [TOTAL], n_total), TOTAL)]
        for var in by:
            codes, labels = level_codes(part[var], keep)
            blocks.append((simple_estimates(sums, codes, labels, n_total), var))
        return blocks, {}
    group = _group_design(part, stored, sums)
    blocks = [(design_estimates(sums, total, [TOTAL], group), TOTAL)]
    pairs: PairCovariances = {}
    for var in by:
        codes, labels = level_codes(part[var], keep)
        blocks.append((design_estimates(sums, codes, labels, group), var))
        if design.strata is not None or design.cluster is not None:
            cov = domain_covariance(sums, codes, len(labels), group)
            pairs |= pair_covariances(var, [str(v) for v in labels], cov)
    return blocks, pairs


def _group_design(
    part: Columns, stored: StoredSums, sums: Mapping[str, np.ndarray]
) -> GroupDesign:
    design = stored.design

    def column(name: str, present: str | None) -> np.ndarray | None:
        return None if present is None else part[name]

    return GroupDesign.build(
        column(STRATUM, design.strata),
        column(PSU, design.cluster),
        column(FPC, design.fpc),
        np.asarray(sums["rows"], dtype=np.float64),
        design.lonely_psu,
    )
