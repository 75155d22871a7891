"""Per-cell sufficient statistics of a wave, computed by the database in SQL.

A view's estimates need, per joint cell of the wave's segment variables (and
per stratum and PSU when the wave has a design), a few sums of each metric's
per-respondent value y and weight w: the unweighted counts, Σw, Σw², Σwy,
Σwy², Σw²y, Σw²y² and, for an unweighted view, Σy and Σy². One ``GROUP BY``
scan of the respondent table (one per :data:`~analysis.store.sums_sql.BATCH`
values) gives all of them for every metric — and every answer, NET and mean
of the wave's own questions (:mod:`analysis.store.question_sql`) — at once
(:func:`~analysis.store.sums_sql.sums_sql`); the result, a few thousand rows,
is kept in a table per wave and weighting (``sums_<wave table>``), listed in
``cell_sums``.
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
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.library.codebook import Codebook, load_codebook
from analysis.store.dialect import StoreConnection
from analysis.store.metric_sql import DOUBLE, linked_columns, quoted, wave_metrics
from analysis.store.question_sql import question_values
from analysis.store.questionnaire import Questionnaire
from analysis.store.questionnaires import library_coded
from analysis.store.sums_sql import (
    FPC,
    PSU,
    STRATUM,
    SUM_FIELDS,
    SumsDesign,
    cells_sql,
    sums_sql,
)

MAX_SEGMENTS = 6
MAX_CELLS = 1_000_000
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


def sums_table(wave_table: str, weighting: str) -> str:
    """The name of the table holding a wave's sums under one weighting."""
    suffix = "" if weighting == DEFAULT_WEIGHTING else "_" + _digest(weighting)
    return f"sums_{wave_table}{suffix}"


DEFAULT_WEIGHTING = "weight"
"""The weighting of the file's own ``weight`` column."""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def compute_sums(
    con: StoreConnection,
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
    ``too_many_cells`` (beyond the caps); ``no_metrics`` (neither a library
    metric nor an answer of the wave's own questions can be written from its
    columns and links).
    """
    con.execute(CATALOGUE)
    plan = sums_plan(con, wave, weight_column, codebook)
    if plan is None:
        return "none"
    drop_sums(con, wave, weighting)
    state, cells = _state(con, plan.table, plan.segments, bool(plan.values))
    target = sums_table(plan.table, weighting) if state == "ready" else None
    if target is not None:
        query = sums_sql(
            plan.table, plan.segments, plan.values, plan.design, plan.coded
        )
        con.execute(f"CREATE TABLE {quoted(target)} AS {query}")
        if con.kind == "postgresql":  # a server reads one metric's cells at a time
            con.execute(f"CREATE INDEX ON {quoted(target)} (metric)")
    con.execute(
        "INSERT INTO cell_sums VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            wave,
            weighting,
            target,
            json.dumps(plan.segments),
            plan.design.to_json(),
            plan.rows,
            cells,
            state,
        ],
    )
    return state


@dataclass(frozen=True)
class SumsPlan:
    """What a wave's sums are made of: its table, cells, design and values."""

    table: str
    rows: int
    segments: list[str]
    design: SumsDesign
    values: dict[str, str]
    """Each metric id or answer key → its SQL value over the table."""
    coded: set[str]
    """The columns of answer codes (:func:`coded_columns`)."""


def sums_plan(
    con: StoreConnection,
    wave: str,
    weight_column: str | None = None,
    codebook: Codebook | None = None,
) -> SumsPlan | None:
    """The plan of a stored respondent wave's sums (None: no such wave)."""
    row = con.execute(
        "SELECT table_name, row_count, questionnaire FROM waves"
        " WHERE wave = ? AND kind = ?",
        [wave, "respondents"],
    ).fetchone()
    if row is None:
        return None
    table = str(row[0])
    questionnaire = Questionnaire.from_dict(json.loads(row[2] or "{}"))
    types = _column_types(con, table)
    linked = (
        None if library_coded(questionnaire) else linked_columns(questionnaire, types)
    )
    values = wave_metrics(codebook or load_codebook(), types, linked)
    values |= question_values(questionnaire, types)
    return SumsPlan(
        table,
        int(row[1]),
        list(questionnaire.segments),
        _design(questionnaire, weight_column),
        values,
        coded_columns(questionnaire),
    )


def coded_columns(questionnaire: Questionnaire) -> set[str]:
    """The columns holding a question's answer codes: few values each."""
    return {
        column
        for q in questionnaire.questions
        if q.type in ("single", "scale", "multi")
        for column in (q.columns or (q.id,))
    }


def _design(questionnaire: Questionnaire, weight: str | None) -> SumsDesign:
    """The design the wave's views use (:func:`analysis.table.estimate.estimate`)."""
    if library_coded(questionnaire):
        return SumsDesign(weight=weight or "weight")
    d = questionnaire.design
    return SumsDesign(weight or d.weight, d.strata, d.cluster, d.fpc)


def _state(
    con: StoreConnection, table: str, segments: list[str], metrics: bool
) -> tuple[str, int]:
    if not metrics:
        return "no_metrics", 0
    if len(segments) > MAX_SEGMENTS:
        return "too_many_segments", 0
    found = con.execute(cells_sql(table, segments)).fetchone()
    cells = int(found[0]) if found else 0
    return ("ready" if cells <= MAX_CELLS else "too_many_cells"), cells


def _column_types(con: StoreConnection, table: str) -> dict[str, str]:
    """Each column's SQL type, in table order (of this store's own schema)."""
    return con.columns(table)


def refresh_sums(con: StoreConnection, wave: str) -> None:
    """Recompute every weighting's sums of a wave whose rows changed (an erasure)."""
    con.execute(CATALOGUE)
    held = con.execute(
        "SELECT weighting, design FROM cell_sums WHERE wave = ?", [wave]
    ).fetchall()
    for weighting, design in held:
        column = json.loads(design)["weight"]
        compute_sums(con, wave, weighting=str(weighting), weight_column=column)


def drop_sums(con: StoreConnection, wave: str, weighting: str | None = None) -> None:
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
    con: StoreConnection,
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
    ready = ready_sums(con, wave, weighting)
    if ready is None:
        return None
    wanted = list(dict.fromkeys(ready.segments if segments is None else segments))
    if any(s not in ready.segments for s in wanted):
        return None
    frame = con.execute(
        _read_sql(ready.table, wanted, ready.design, len(metrics)), list(metrics)
    ).df()
    return StoredSums(frame, ready.segments, ready.design, ready.row_count)


@dataclass(frozen=True)
class ReadySums:
    """Where a wave's ready sums are and what they cover (``cell_sums``' row)."""

    table: str
    segments: tuple[str, ...]
    design: SumsDesign
    row_count: int


def ready_sums(
    con: StoreConnection, wave: str, weighting: str = DEFAULT_WEIGHTING
) -> ReadySums | None:
    """The catalogue row of a wave's ready sums (None: none, or a store before sums)."""
    if "cell_sums" not in con.tables():
        return None  # a store from before sums, opened read-only
    row = con.execute(
        "SELECT table_name, segments, design, row_count FROM cell_sums"
        " WHERE wave = ? AND weighting = ? AND state = 'ready'",
        [wave, weighting],
    ).fetchone()
    if row is None:
        return None
    segments = tuple(str(s) for s in json.loads(row[1]))
    design = SumsDesign(**json.loads(row[2]))
    return ReadySums(str(row[0]), segments, design, int(row[3]))


def cell_keys(segments: Sequence[str], design: SumsDesign) -> list[str]:
    """A sums table's key columns: metric, the segments, the design's (as SQL)."""
    present = [(design.strata, STRATUM), (design.cluster, PSU), (design.fpc, FPC)]
    return ["metric", *(quoted(s) for s in segments), *(c for d, c in present if d)]


def segment_levels(con: StoreConnection, wave: str) -> dict[str, list[str]] | None:
    """Each segment variable's sorted values, from the sums (None: none ready).

    Every metric's sums have a row for every cell of the wave (its ``rows``
    count the cell's respondents, answered or not), so the rows of any one
    metric hold every value the respondents' rows hold: a few thousand rows,
    not every respondent's, nor every metric's.
    """
    ready = ready_sums(con, wave)
    if ready is None:
        return None
    table = quoted(ready.table)
    first = con.execute(f"SELECT metric FROM {table} LIMIT 1").fetchone()
    if not ready.segments or first is None:
        return {str(s): [] for s in ready.segments}
    columns = ", ".join(quoted(s) for s in ready.segments)
    cells = con.execute(
        f"SELECT DISTINCT {columns} FROM {table} WHERE metric = ?", [first[0]]
    ).fetchall()
    return {
        str(name): sorted({str(cell[i]) for cell in cells if cell[i] is not None})
        for i, name in enumerate(ready.segments)
    }


def _read_sql(
    table: str, segments: Sequence[str], design: SumsDesign, metrics: int
) -> str:
    keys = cell_keys(segments, design)
    sums = ", ".join(f"CAST(SUM({f}) AS {DOUBLE}) AS {f}" for f in SUM_FIELDS)
    marks = ", ".join("?" for _ in range(metrics)) or "NULL"
    group = ", ".join(keys)
    return (
        f"SELECT {group}, {sums} FROM {quoted(table)} WHERE metric IN ({marks})"
        f" GROUP BY {group} ORDER BY {group}"
    )
