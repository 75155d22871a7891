"""Printing command rows: JSON, CSV or an aligned plain-text table.

JSON is the rows as one list; CSV has one header line then one line per row
(a list or mapping cell, such as ``compare``'s p-values, written as JSON; a
text cell a spreadsheet would run as a formula, behind an apostrophe).
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.cli.options import print_json
from analysis.formulas import csv_safe


def records(table: pd.DataFrame, keys: Sequence[str]) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts: NaN and NA become None, numpy scalars Python."""
    out = []
    for row in table.reindex(columns=list(keys)).itertuples(index=False):
        out.append({k: _plain(v) for k, v in zip(keys, row, strict=True)})
    return out


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def emit(table: pd.DataFrame, keys: Sequence[str], fmt: str) -> None:
    """Print a table's rows as JSON, CSV or an aligned text table."""
    emit_rows(records(table, keys), keys, fmt)


def emit_rows(
    rows: list[dict[str, Any]],
    keys: Sequence[str],
    fmt: str,
    shown: Sequence[str] | None = None,
) -> None:
    """Print rows as JSON, CSV (both every key) or a text table (``shown`` keys)."""
    if fmt == "json":
        print_json(rows)
    elif fmt == "csv":
        print_csv(rows, keys)
    else:
        print_text_table(rows, keys if shown is None else shown)


def print_csv(rows: list[dict[str, Any]], keys: Sequence[str]) -> None:
    """One header line, then one line per row; None is an empty cell."""
    writer = csv.DictWriter(sys.stdout, fieldnames=list(keys), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _cell(r.get(k)) for k in keys} for r in rows)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False)
    return csv_safe(value)


def print_text_table(rows: list[dict[str, Any]], keys: Sequence[str]) -> None:
    """An aligned plain-text table (numbers to 4 significant decimals)."""
    # the overall row has no segment: name it, as a table's first row
    cells = [
        ["total" if k == "segment" and r[k] is None else _text(r[k]) for k in keys]
        for r in rows
    ]
    widths = [max([len(k), *(len(c[i]) for c in cells)]) for i, k in enumerate(keys)]
    print("  ".join(k.ljust(w) for k, w in zip(keys, widths, strict=True)).rstrip())
    for c in cells:
        print("  ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)).rstrip())


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)
