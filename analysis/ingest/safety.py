"""Refusing hostile or broken files before a parser spends memory on them.

Every check here answers with an :class:`IngestError` whose one sentence names
the file and what is wrong, so a bad upload never becomes a traceback.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence

import pandas as pd

from analysis.errors import IngestError

MAX_COLUMNS = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # an honest survey sheet is far smaller
MAX_RATIO = 100  # spreadsheets compress ~10x; bombs compress 1000x
_RATIO_FLOOR = 10 * 1024 * 1024  # tiny members may compress absurdly well

# A cell that a spreadsheet would evaluate: "=…", or "+"/"-"/"@" followed by a
# function call or a cell reference. "-3", "+33 6 12 34 56 78" and "25-34" pass.
_FORMULA = r"(?:=.|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*\(|[+\-@]\$?[A-Za-z]{1,3}\$?\d+)"
FORMULA_CELL = re.compile(r"^\s*" + _FORMULA)
_FIRST = ("=", "+", "-", "@", " ", "\t")


def check_not_empty(content: bytes, name: str) -> None:
    """Refuse an empty file (or one holding only blanks)."""
    if not content.strip():
        raise IngestError(f"{name} is empty: there is nothing to import")


def check_zip(content: bytes, name: str) -> None:
    """Refuse a truncated, non-zip or inflating .xlsx before openpyxl opens it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise IngestError(
            f"{name} is not a valid .xlsx file: it is not a complete zip archive "
            "(truncated, damaged or not an Excel workbook)"
        ) from None
    with archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        packed = max(1, sum(info.compress_size for info in infos))
        if total > MAX_UNCOMPRESSED or (
            total > _RATIO_FLOOR and total / packed > MAX_RATIO
        ):
            raise IngestError(
                f"{name} would inflate to {total / 2**20:.0f} MB from "
                f"{len(content) / 2**20:.1f} MB on disk; Confiance refuses "
                f"workbooks above {MAX_UNCOMPRESSED // 2**20} MB unpacked"
            )
        if "xl/workbook.xml" not in {info.filename for info in infos}:
            raise IngestError(
                f"{name} is a zip archive but not an Excel workbook "
                "(no xl/workbook.xml)"
            )


def check_binary(text: str, name: str) -> None:
    """Refuse text that is really binary: control characters in the first 64 kB."""
    head = text[:65536]
    controls = sum(1 for c in head if ord(c) < 32 and c not in "\t\r\n")
    if "\x00" in head or controls > max(2, len(head) // 200):
        raise IngestError(
            f"{name} does not look like a survey file: it holds binary data, "
            "not text, an Excel workbook or an SPSS .sav file"
        )


def check_columns(count: int, name: str) -> None:
    """Refuse absurdly wide files, which are never a survey export."""
    if count > MAX_COLUMNS:
        raise IngestError(
            f"{name} has {count} columns; Confiance reads at most {MAX_COLUMNS} "
            "(is this really a survey export?)"
        )


def check_unique_columns(columns: list[str], name: str) -> None:
    """Refuse duplicate column names: a mapping could not tell them apart."""
    seen: set[str] = set()
    for position, column in enumerate(columns, start=1):
        if column in seen:
            raise IngestError(
                f"{name} has two columns named {column!r} (the second is column "
                f"{position}); rename one and upload again"
            )
        seen.add(column)


def check_formulas(
    frame: pd.DataFrame, name: str, first_row: int | Sequence[int]
) -> None:
    """Refuse cells that a spreadsheet would run as formulas (CSV injection).

    A vectorised first-character test finds the few candidate cells; only
    those meet the exact pattern. ``first_row`` is the file row of the first
    data row, or every data row's file row when rows were skipped.
    """
    for column in frame.columns:
        series = frame[column]
        if series.dtype.kind in "biufcmM":
            continue
        text = series.astype("str")
        candidates = text.str.startswith(_FIRST).fillna(False).to_numpy(dtype=bool)
        if not candidates.any():
            continue
        hits = [
            int(p)
            for p in candidates.nonzero()[0]
            if FORMULA_CELL.match(str(text.iloc[p]))
        ]
        if hits:
            raise IngestError(
                f"{name}, column {column!r}, row {_row(first_row, hits[0])}: the cell "
                f"holds a spreadsheet formula ({len(hits)} such cell(s)); export "
                "values, not formulas"
            )


def _row(first_row: int | Sequence[int], position: int) -> int:
    return first_row + position if isinstance(first_row, int) else first_row[position]
