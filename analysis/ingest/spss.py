"""Reading an SPSS .sav file: its cases, variable labels, value labels and missings.

pyreadstat is C code; a damaged file may crash it, which is why uploads are
read in the sandboxed worker (:mod:`analysis.ingest.sandbox`). What it returns
from a damaged file is not trusted either: a variable may come back without a
name, or two with the same one.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.config import IngestLimits
from analysis.errors import IngestError
from analysis.ingest.labels import value_key
from analysis.ingest.model import RawSurvey
from analysis.ingest.safety import (
    check_cells,
    check_columns,
    check_headers,
    check_unique_columns,
    reason,
)
from analysis.store.wave import sha256_bytes


def read_spss(raw: bytes, name: str, limits: IngestLimits) -> RawSurvey:
    """The cases of a .sav file, with its labels and user-missing codes."""
    import pyreadstat

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "upload.sav"
        copy.write_bytes(raw)
        try:
            frame, meta = pyreadstat.read_sav(str(copy), user_missing=True)
        except MemoryError:
            raise
        except Exception as exc:  # pyreadstat raises its own untyped errors
            raise IngestError(
                f"{name} is not a readable SPSS .sav file ({reason(exc)})"
            ) from None
    check_columns(frame.shape[1], name, limits)
    if frame.empty:
        raise IngestError(f"{name} has variables but no cases (no data rows)")
    renamed = {
        original: _name(original, position)
        for position, original in enumerate(frame.columns, start=1)
    }
    columns = list(renamed.values())
    check_unique_columns(columns, name)
    check_headers(columns, name)
    frame.columns = pd.Index(columns)
    check_cells(frame, name, limits)
    found = list(meta.column_labels or [])
    texts = {
        column: str(found[i]) if i < len(found) and found[i] else column
        for i, column in enumerate(columns)
    }
    labels = {
        renamed[column]: {value_key(k): str(v) for k, v in mapping.items()}
        for column, mapping in (meta.variable_value_labels or {}).items()
        if column in renamed
    }
    missing = {renamed[c]: v for c, v in _user_missing(meta).items() if c in renamed}
    return RawSurvey(
        file_name=name,
        sha256=sha256_bytes(raw),
        format="spss",
        data=frame,
        question_texts=texts,
        value_labels=labels,
        missing_codes=missing,
        first_data_row=1,
    )


def _name(original: Any, position: int) -> str:
    """A variable's name as text; a damaged file's missing name is its position."""
    if original is None or (isinstance(original, float) and math.isnan(original)):
        return f"column {position}"
    return str(original).strip() or f"column {position}"


def _user_missing(meta: Any) -> dict[Any, frozenset[str]]:
    missing: dict[Any, set[str]] = {}
    for column, values in (getattr(meta, "missing_user_values", None) or {}).items():
        missing.setdefault(column, set()).update(value_key(v) for v in values)
    for column, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        for bounds in ranges:
            low, high = bounds.get("lo"), bounds.get("hi")
            if isinstance(low, int | float) and isinstance(high, int | float):
                if 0 <= high - low <= 100:  # a short range: list its codes
                    span = range(int(low), int(high) + 1)
                    missing.setdefault(column, set()).update(str(v) for v in span)
            elif low is not None:
                missing.setdefault(column, set()).add(value_key(low))
    return {column: frozenset(values) for column, values in missing.items()}
