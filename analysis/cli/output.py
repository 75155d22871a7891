"""Printing command rows: JSON, CSV or an aligned plain-text table."""

from __future__ import annotations

import csv
import math
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from analysis.cli.options import print_json


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
    """Print rows as JSON, CSV or an aligned text table."""
    rows = records(table, keys)
    if fmt == "json":
        print_json(rows)
        return
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(keys), lineterminator="\n")
        writer.writeheader()
        writer.writerows(
            {k: "" if v is None else v for k, v in r.items()} for r in rows
        )
        return
    print_text_table(rows, keys)


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
