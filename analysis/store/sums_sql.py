"""The portable SQL of the store's per-cell sums: one ``GROUP BY`` per batch.

:func:`sums_sql` writes the scan :mod:`analysis.store.sums` runs: per joint
cell of the segment variables (and stratum, PSU), every value's n, Σw, Σw²,
Σwy, Σwy², Σw²y, Σw²y², Σy and Σy², one output row per (value, group). The
values are grouped :data:`BATCH` at a time — one scan each — so a select list
stays under PostgreSQL's 1,664 entries however many answers a wave has.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
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
) -> str:
    """Every value's sums per cell (and stratum, PSU), one row each.

    ``values`` maps a metric id (or an answer's key) to its SQL value
    expression over ``table``'s columns. The result has the segment columns,
    the design columns present, ``metric`` and :data:`SUM_FIELDS`.
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
    items = list(values.items())
    scans, branches = [], []
    for first in range(0, max(len(items), 1), BATCH):
        batch = items[first : first + BATCH]
        ys = [f"{sql} AS y{i}" for i, (_, sql) in enumerate(batch)]
        scan = f"SELECT {', '.join([*keys, weight, *ys])} FROM {quoted(table)}"
        sums = [
            "COUNT(*) AS rows_all",
            "SUM(CASE WHEN w > 0 THEN 1 ELSE 0 END) AS rows_w",
        ]
        for i in range(len(batch)):
            sums += _aggregates(i)
        group = ", ".join(names)
        name = f"grouped{first // BATCH}"
        scans.append(
            f"{name} AS (SELECT {', '.join([*names, *sums])} FROM ({scan}) AS r"
            + (f" GROUP BY {group})" if group else ")")
        )
        for i, (metric, _) in enumerate(batch):
            fields = [f"g.m{i}_{f} AS {f}" for f in SUM_FIELDS[2:]]
            label = "'" + metric.replace("'", "''") + "'"
            columns = [*(f"g.{c}" for c in names), f"{label} AS metric"]
            branches.append(
                f"SELECT {', '.join(columns)}, g.rows_all AS rows,"
                f" g.rows_w AS rows_weighted, {', '.join(fields)} FROM {name} AS g"
            )
    return f"WITH {', '.join(scans)} " + " UNION ALL ".join(branches)


def cells_sql(table: str, segments: Sequence[str]) -> str:
    """The number of joint cells the segments make (NULL counts as a level)."""
    keys = ", ".join(quoted(s) for s in segments) or "1"
    return (
        f"SELECT COUNT(*) FROM (SELECT {keys} FROM {quoted(table)} GROUP BY {keys}) c"
    )
