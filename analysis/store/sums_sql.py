"""The portable SQL of the store's per-cell sums: one ``GROUP BY`` per batch.

:func:`sums_sql` writes the scan :mod:`analysis.store.sums` runs: per joint
cell of the segment variables (and stratum, PSU), every value's n, Σw, Σw²,
Σwy, Σwy², Σw²y, Σw²y², Σy and Σy², one output row per (value, group). The
values are grouped :data:`BATCH` at a time — one scan each — so a select list
stays under PostgreSQL's 1,664 entries however many answers a wave has.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from analysis.methods import LonelyPSU
from analysis.store.metric_sql import DOUBLE, quoted

BATCH = 120
"""Values per ``GROUP BY`` scan (10 sums each: 1,200 columns and the keys)."""
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
    coded: Collection[str] = (),
) -> str:
    """Every value's sums per cell (and stratum, PSU), one row each.

    ``values`` maps a metric id (or an answer's key) to its SQL value
    expression over ``table``'s columns. The result has the segment columns,
    the design columns present, ``metric`` and :data:`SUM_FIELDS`.

    ``coded`` names columns holding a few codes (a question's answers): a
    value reading only one of them is summed from that column's counts per
    code (:func:`_by_code`), one narrow ``GROUP BY`` per column, instead of
    ten sums per value in the wide scan — the same sums, far fewer additions.
    """
    keys = [quoted(s) for s in segments]
    if design.strata:
        keys.append(f"{quoted(design.strata)} AS {STRATUM}")
    if design.cluster:
        keys.append(f"{quoted(design.cluster)} AS {PSU}")
    if design.fpc:
        keys.append(f"CAST({quoted(design.fpc)} AS {DOUBLE}) AS {FPC}")
    names = [k.split(" AS ")[-1] for k in keys]
    source = "1" if design.weight is None else quoted(design.weight)
    weight = f"CAST({source} AS {DOUBLE}) AS w"
    taken = {*segments, design.strata, design.cluster, design.fpc, design.weight}
    per_code: dict[str, list[tuple[str, str]]] = {}
    wide = []
    for metric, sql in values.items():
        column = only_column(sql)
        if column is not None and column in coded and column not in taken:
            per_code.setdefault(column, []).append((metric, sql))
        else:
            wide.append((metric, sql))
    scans, branches = [], []
    for j, (column, items) in enumerate(per_code.items()):
        scan, parts = _by_code(f"codes{j}", column, items, keys, names, weight, table)
        scans.append(scan)
        branches += parts
    for first in range(0, len(wide) if per_code else max(len(wide), 1), BATCH):
        batch = wide[first : first + BATCH]
        scan, parts = _wide(
            f"grouped{first // BATCH}", batch, keys, names, weight, table
        )
        scans.append(scan)
        branches += parts
    return f"WITH {', '.join(scans)} " + " UNION ALL ".join(branches)


def _wide(
    name: str,
    batch: Sequence[tuple[str, str]],
    keys: Sequence[str],
    names: Sequence[str],
    weight: str,
    table: str,
) -> tuple[str, list[str]]:
    """One scan summing a batch of values row by row; its branch per value."""
    ys = [f"{sql} AS y{i}" for i, (_, sql) in enumerate(batch)]
    scan = f"SELECT {', '.join([*keys, weight, *ys])} FROM {quoted(table)}"
    sums = [
        "COUNT(*) AS rows_all",
        "SUM(CASE WHEN w > 0 THEN 1 ELSE 0 END) AS rows_w",
    ]
    for i in range(len(batch)):
        sums += _aggregates(i)
    group = ", ".join(names)
    cte = f"{name} AS (SELECT {', '.join([*names, *sums])} FROM ({scan}) AS r" + (
        f" GROUP BY {group})" if group else ")"
    )
    branches = []
    for i, (metric, _) in enumerate(batch):
        fields = [f"g.m{i}_{f} AS {f}" for f in SUM_FIELDS[2:]]
        columns = [*(f"g.{c}" for c in names), f"{_label(metric)} AS metric"]
        branches.append(
            f"SELECT {', '.join(columns)}, g.rows_all AS rows,"
            f" g.rows_w AS rows_weighted, {', '.join(fields)} FROM {name} AS g"
        )
    return cte, branches


def _by_code(
    name: str,
    column: str,
    items: Sequence[tuple[str, str]],
    keys: Sequence[str],
    names: Sequence[str],
    weight: str,
    table: str,
) -> tuple[str, list[str]]:
    """The counts, Σw and Σw² per code of one column; each value's sums from them.

    A value y = f(code) is the same for every row with that code, so
    Σwy = Σ_codes f(code)·Σw, Σw²y² = Σ_codes f(code)²·Σw², and so on; a code
    whose f is NULL is out of the value's base, as a row with a NULL y is.
    """
    col = quoted(column)
    scan = f"SELECT {', '.join([*keys, col, weight])} FROM {quoted(table)}"
    sums = (
        "COUNT(*) AS c_rows, SUM(CASE WHEN w > 0 THEN 1 ELSE 0 END) AS c_rows_w,"
        " SUM(w) AS c_w, SUM(w * w) AS c_w2"
    )
    group = ", ".join([*names, col])
    cte = f"{name} AS (SELECT {group}, {sums} FROM ({scan}) AS r GROUP BY {group})"
    branches = []
    for metric, sql in items:
        y, has = f"({sql})", f"({sql}) IS NOT NULL"
        fields = {
            "rows": "SUM(c_rows)",
            "rows_weighted": "SUM(c_rows_w)",
            "n": f"SUM(CASE WHEN {has} THEN c_rows ELSE 0 END)",
            "n_weighted": f"SUM(CASE WHEN {has} THEN c_rows_w ELSE 0 END)",
            "sum_w": f"SUM(CASE WHEN {has} THEN c_w ELSE 0 END)",
            "sum_w2": f"SUM(CASE WHEN {has} THEN c_w2 ELSE 0 END)",
            "sum_wy": f"COALESCE(SUM(c_w * {y}), 0)",
            "sum_wy2": f"COALESCE(SUM(c_w * {y} * {y}), 0)",
            "sum_w2y": f"COALESCE(SUM(c_w2 * {y}), 0)",
            "sum_w2y2": f"COALESCE(SUM(c_w2 * {y} * {y}), 0)",
            "sum_y": f"COALESCE(SUM(CAST({y} AS {DOUBLE}) * c_rows), 0)",
            "sum_y2": f"COALESCE(SUM(CAST({y} AS {DOUBLE}) * {y} * c_rows), 0)",
        }
        select = [*names, f"{_label(metric)} AS metric"]
        select += [f"{sql_} AS {field}" for field, sql_ in fields.items()]
        grouped = f" GROUP BY {', '.join(names)}" if names else ""
        branches.append(f"SELECT {', '.join(select)} FROM {name} AS g{grouped}")
    return cte, branches


def _label(metric: str) -> str:
    return "'" + metric.replace("'", "''") + "'"


_IDENTIFIER = re.compile(r'"((?:[^"]|"")*)"')


def only_column(sql: str) -> str | None:
    """The one column a value's SQL reads (quoted identifiers), or None."""
    found = {m.replace('""', '"') for m in _IDENTIFIER.findall(sql)}
    return found.pop() if len(found) == 1 else None


def cells_sql(table: str, segments: Sequence[str]) -> str:
    """The number of joint cells the segments make (NULL counts as a level)."""
    keys = ", ".join(quoted(s) for s in segments) or "1"
    return (
        f"SELECT COUNT(*) FROM (SELECT {keys} FROM {quoted(table)} GROUP BY {keys}) c"
    )
