"""Per-cell sufficient statistics of a wave, computed by the database in SQL.

A view's estimates need, per joint cell of the wave's segment variables (and
per stratum and PSU when the wave has a design), a few sums of each metric's
per-respondent value y and weight w: the unweighted counts, Σw, Σw², Σwy,
Σwy², Σw²y, Σw²y² and, for an unweighted view, Σy and Σy². One ``GROUP BY``
scan of the respondent table gives all of them for every metric at once
(:func:`sums_sql`); the result, a few thousand rows, is kept in a table per
wave and weighting (``sums_<wave table>``), listed in ``cell_sums``.
:mod:`analysis.stats.from_sums` turns them into the same numbers the rows give.

Every statement here is portable SQL (``CASE``, ``SUM``, ``COUNT``,
``GROUP BY``, ``UNION ALL``, ``CAST(… AS DOUBLE PRECISION)``): no function
of one database, so PostgreSQL, Spark SQL or BigQuery run it as DuckDB does
(``docs/warehouse.md``). A metric's value is written as SQL from its
codebook definition (:func:`analysis.store.metric_sql.metric_sql`), matching
:func:`analysis.library.scoring.metric_values`.

The sums are capped (:data:`MAX_SEGMENTS` variables, :data:`MAX_CELLS`
cells); a wave beyond them gets a catalogue row saying why, and views read
its rows. A wave in its own codes is read through its questions' links to
the library, and its sums are split by its questionnaire's strata and PSUs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from analysis.library.codebook import Codebook, load_codebook
from analysis.methods import LonelyPSU
from analysis.store.metric_sql import DOUBLE, linked_columns, quoted, wave_metrics
from analysis.store.questionnaire import Questionnaire
from analysis.store.questionnaires import library_coded

MAX_SEGMENTS = 6
MAX_CELLS = 1_000_000
SUM_FIELDS = (
    "rows",
    "rows_weighted",
    "n",
    "n_weighted",
    "sum_w",
    "sum_w2",
    "sum_wy",
    "sum_wy2",
    "sum_w2y",
    "sum_w2y2",
    "sum_y",
    "sum_y2",
)
"""The sums kept per (metric, cell[, stratum, PSU]); ``rows`` counts every row
of the cell, ``n`` those with a value; ``*_weighted`` those of weight > 0."""
STRATUM, PSU, FPC = "design_stratum", "design_psu", "design_fpc"
"""Columns of the design in a sums table (absent when the wave has none)."""

CATALOGUE = """
CREATE TABLE IF NOT EXISTS cell_sums (
    wave VARCHAR NOT NULL,
    weighting VARCHAR NOT NULL,
    table_name VARCHAR,
    segments VARCHAR NOT NULL,
    design VARCHAR NOT NULL,
    row_count BIGINT NOT NULL,
    cells BIGINT NOT NULL,
    state VARCHAR NOT NULL,
    PRIMARY KEY (wave, weighting)
)
"""
"""One row per wave and weighting: which table holds its sums (``state``
``ready``), or why it has none (``too_many_segments``, ``too_many_cells``,
``no_metrics``)."""


@dataclass(frozen=True)
class SumsDesign:
    """The design columns the sums are split by (None: absent; no weight: 1)."""

    weight: str | None = "weight"
    strata: str | None = None
    cluster: str | None = None
    fpc: str | None = None
    lonely_psu: LonelyPSU = "fail"

    def to_json(self) -> str:
        """As kept in ``cell_sums.design``."""
        return json.dumps(self.__dict__)


def _aggregates(index: int) -> list[str]:
    """The sums of metric ``index`` (its value column ``y<index>``) as SQL."""
    y, has = f"y{index}", f"y{index} IS NOT NULL"
    exprs = {
        "n": f"SUM(CASE WHEN {has} THEN 1 ELSE 0 END)",
        "n_weighted": f"SUM(CASE WHEN {has} AND w > 0 THEN 1 ELSE 0 END)",
        "sum_w": f"SUM(CASE WHEN {has} THEN w ELSE 0 END)",
        "sum_w2": f"SUM(CASE WHEN {has} THEN w * w ELSE 0 END)",
        "sum_wy": f"COALESCE(SUM(w * {y}), 0)",
        "sum_wy2": f"COALESCE(SUM(w * {y} * {y}), 0)",
        "sum_w2y": f"COALESCE(SUM(w * w * {y}), 0)",
        "sum_w2y2": f"COALESCE(SUM(w * w * {y} * {y}), 0)",
        "sum_y": f"COALESCE(SUM(CAST({y} AS {DOUBLE})), 0)",
        "sum_y2": f"COALESCE(SUM(CAST({y} AS {DOUBLE}) * {y}), 0)",
    }
    return [f"{sql} AS m{index}_{name}" for name, sql in exprs.items()]


def sums_sql(
    table: str,
    segments: Sequence[str],
    values: Mapping[str, str],
    design: SumsDesign,
) -> str:
    """One scan: every metric's sums per cell (and stratum, PSU), one row each.

    ``values`` maps a metric id to its SQL value expression over ``table``'s
    columns. The result has the segment columns, the design columns present,
    ``metric`` and :data:`SUM_FIELDS`.
    """
    keys = [quoted(s) for s in segments]
    if design.strata:
        keys.append(f"{quoted(design.strata)} AS {STRATUM}")
    if design.cluster:
        keys.append(f"{quoted(design.cluster)} AS {PSU}")
    if design.fpc:
        keys.append(f"CAST({quoted(design.fpc)} AS {DOUBLE}) AS {FPC}")
    names = [k.split(" AS ")[-1] for k in keys]
    ys = [f"{sql} AS y{i}" for i, sql in enumerate(values.values())]
    source = "1" if design.weight is None else quoted(design.weight)
    weight = f"CAST({source} AS {DOUBLE}) AS w"
    scan = f"SELECT {', '.join([*keys, weight, *ys])} FROM {quoted(table)}"
    sums = [
        "COUNT(*) AS rows_all",
        "SUM(CASE WHEN w > 0 THEN 1 ELSE 0 END) AS rows_w",
    ]
    for i in range(len(values)):
        sums += _aggregates(i)
    group = ", ".join(names)
    grouped = f"SELECT {', '.join([*names, *sums])} FROM ({scan}) AS r" + (
        f" GROUP BY {group}" if group else ""
    )
    branches = []
    for i, metric in enumerate(values):
        fields = [f"g.m{i}_{f} AS {f}" for f in SUM_FIELDS[2:]]
        label = "'" + metric.replace("'", "''") + "'"
        branches.append(
            f"SELECT {', '.join([*(f'g.{c}' for c in names), f'{label} AS metric'])}, "
            f"g.rows_all AS rows, g.rows_w AS rows_weighted, {', '.join(fields)}"
            " FROM grouped AS g"
        )
    return f"WITH grouped AS ({grouped}) " + " UNION ALL ".join(branches)


def cells_sql(table: str, segments: Sequence[str]) -> str:
    """The number of joint cells the segments make (NULL counts as a level)."""
    keys = ", ".join(quoted(s) for s in segments) or "1"
    return (
        f"SELECT COUNT(*) FROM (SELECT {keys} FROM {quoted(table)} GROUP BY {keys}) c"
    )


def sums_table(wave_table: str, weighting: str) -> str:
    """The name of the table holding a wave's sums under one weighting."""
    suffix = "" if weighting == DEFAULT_WEIGHTING else "_" + _digest(weighting)
    return f"sums_{wave_table}{suffix}"


DEFAULT_WEIGHTING = "weight"
"""The weighting of the file's own ``weight`` column."""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def compute_sums(
    con: duckdb.DuckDBPyConnection,
    wave: str,
    *,
    weighting: str = DEFAULT_WEIGHTING,
    weight_column: str | None = None,
    codebook: Codebook | None = None,
) -> str:
    """Compute and keep a wave's per-cell sums under one weighting; return its state.

    Call it inside the transaction that stores the wave, or that adds a
    weighting whose weights are the column ``weight_column`` of the wave's
    table (default: the wave's own — ``weight`` for a wave in the library's
    codes, its questionnaire's weight column otherwise). The sums of an
    earlier call are replaced. States: ``ready``; ``too_many_segments`` or
    ``too_many_cells`` (beyond the caps); ``no_metrics`` (no library metric
    can be written from the wave's columns and links).
    """
    con.execute(CATALOGUE)
    row = con.execute(
        "SELECT table_name, row_count, questionnaire FROM waves"
        " WHERE wave = ? AND kind = ?",
        [wave, "respondents"],
    ).fetchone()
    if row is None:
        return "none"
    table, rows = str(row[0]), int(row[1])
    questionnaire = Questionnaire.from_dict(json.loads(row[2] or "{}"))
    segments = list(questionnaire.segments)
    design = _design(questionnaire, weight_column)
    drop_sums(con, wave, weighting)
    types = _column_types(con, table)
    linked = (
        None if library_coded(questionnaire) else linked_columns(questionnaire, types)
    )
    values = wave_metrics(codebook or load_codebook(), list(types), linked)
    state, cells = _state(con, table, segments, bool(values))
    target = sums_table(table, weighting) if state == "ready" else None
    if target is not None:
        query = sums_sql(table, segments, values, design)
        con.execute(f"CREATE TABLE {quoted(target)} AS {query}")
    con.execute(
        "INSERT INTO cell_sums VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            wave,
            weighting,
            target,
            json.dumps(segments),
            design.to_json(),
            rows,
            cells,
            state,
        ],
    )
    return state


def _design(questionnaire: Questionnaire, weight: str | None) -> SumsDesign:
    """The design the wave's views use (:func:`analysis.table.estimate.estimate`)."""
    if library_coded(questionnaire):
        return SumsDesign(weight=weight or "weight")
    d = questionnaire.design
    return SumsDesign(weight or d.weight, d.strata, d.cluster, d.fpc)


def _state(
    con: duckdb.DuckDBPyConnection, table: str, segments: list[str], metrics: bool
) -> tuple[str, int]:
    if not metrics:
        return "no_metrics", 0
    if len(segments) > MAX_SEGMENTS:
        return "too_many_segments", 0
    found = con.execute(cells_sql(table, segments)).fetchone()
    cells = int(found[0]) if found else 0
    return ("ready" if cells <= MAX_CELLS else "too_many_cells"), cells


def _column_types(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """Each column's SQL type, in table order (the standard's information_schema)."""
    found = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return {str(name): str(kind) for name, kind in found}


def refresh_sums(con: duckdb.DuckDBPyConnection, wave: str) -> None:
    """Recompute every weighting's sums of a wave whose rows changed (an erasure)."""
    con.execute(CATALOGUE)
    held = con.execute(
        "SELECT weighting, design FROM cell_sums WHERE wave = ?", [wave]
    ).fetchall()
    for weighting, design in held:
        column = json.loads(design)["weight"]
        compute_sums(con, wave, weighting=str(weighting), weight_column=column)


def drop_sums(
    con: duckdb.DuckDBPyConnection, wave: str, weighting: str | None = None
) -> None:
    """Forget a wave's sums (under one weighting, or all): tables and catalogue."""
    con.execute(CATALOGUE)
    where, args = "wave = ?", [wave]
    if weighting is not None:
        where, args = where + " AND weighting = ?", [wave, weighting]
    held = con.execute(
        f"SELECT table_name FROM cell_sums WHERE {where}", args
    ).fetchall()
    for (name,) in held:
        if name:
            con.execute(f"DROP TABLE IF EXISTS {quoted(str(name))}")
    con.execute(f"DELETE FROM cell_sums WHERE {where}", args)


@dataclass(frozen=True)
class StoredSums:
    """A wave's sums as read back: the cells' frame and what it covers."""

    frame: pd.DataFrame
    segments: tuple[str, ...]
    design: SumsDesign
    row_count: int


def read_sums(
    con: duckdb.DuckDBPyConnection,
    wave: str,
    metrics: Sequence[str],
    segments: Sequence[str] | None = None,
    weighting: str = DEFAULT_WEIGHTING,
) -> StoredSums | None:
    """The kept sums of the wave's metrics, or None when the wave has none ready.

    With ``segments``, the database adds the cells up over every other segment
    variable first (sums add), so only the groups a view needs leave it; a
    segment the sums do not cover gives None.
    """
    try:
        row = con.execute(
            "SELECT table_name, segments, design, row_count FROM cell_sums"
            " WHERE wave = ? AND weighting = ? AND state = 'ready'",
            [wave, weighting],
        ).fetchone()
    except duckdb.CatalogException:
        return None  # a store from before sums, opened read-only
    if row is None:
        return None
    covered = tuple(json.loads(row[1]))
    design = SumsDesign(**json.loads(row[2]))
    wanted = list(dict.fromkeys(covered if segments is None else segments))
    if any(s not in covered for s in wanted):
        return None
    frame = con.execute(
        _read_sql(str(row[0]), wanted, design, len(metrics)), list(metrics)
    ).df()
    return StoredSums(frame, covered, design, int(row[3]))


def segment_levels(
    con: duckdb.DuckDBPyConnection, wave: str
) -> dict[str, list[str]] | None:
    """Each segment variable's sorted values, from the sums (None: none ready).

    The cells hold every value the rows hold, so this reads a few thousand
    rows instead of every respondent's.
    """
    try:
        row = con.execute(
            "SELECT table_name, segments FROM cell_sums"
            " WHERE wave = ? AND weighting = ? AND state = 'ready'",
            [wave, DEFAULT_WEIGHTING],
        ).fetchone()
    except duckdb.CatalogException:
        return None
    if row is None:
        return None
    table, levels = quoted(str(row[0])), {}
    for column in json.loads(row[1]):
        values = con.execute(
            f"SELECT DISTINCT {quoted(column)} FROM {table}"
            f" WHERE {quoted(column)} IS NOT NULL ORDER BY 1"
        ).fetchall()
        levels[str(column)] = [str(v[0]) for v in values]
    return levels


def _read_sql(
    table: str, segments: Sequence[str], design: SumsDesign, metrics: int
) -> str:
    present = [(design.strata, STRATUM), (design.cluster, PSU), (design.fpc, FPC)]
    keys = ["metric", *(quoted(s) for s in segments), *(c for d, c in present if d)]
    sums = ", ".join(f"CAST(SUM({f}) AS {DOUBLE}) AS {f}" for f in SUM_FIELDS)
    marks = ", ".join("?" for _ in range(metrics)) or "NULL"
    group = ", ".join(keys)
    return (
        f"SELECT {group}, {sums} FROM {quoted(table)} WHERE metric IN ({marks})"
        f" GROUP BY {group} ORDER BY {group}"
    )
