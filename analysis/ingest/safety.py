"""Refusing hostile or broken files before a parser spends memory on them.

Every check here answers with an :class:`IngestError` whose one sentence names
the file and what is wrong, so a bad upload never becomes a traceback.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

import pandas as pd

from analysis.config import LIMIT_ENVS, IngestLimits
from analysis.errors import IngestError, LimitError
from analysis.formulas import is_formula

MAX_RATIO = 100  # spreadsheets compress ~10x; bombs compress 1000x
_RATIO_FLOOR = 10 * 1024 * 1024  # tiny members may compress absurdly well


def reason(exc: BaseException) -> str:
    """A library's error message on one short line, to quote in ours."""
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def check_size(size: int, name: str, limits: IngestLimits) -> None:
    """Refuse a file over the size cap before any of it is read."""
    if size > limits.max_file_bytes:
        raise LimitError(
            f"{name} is {size / 2**20:.1f} MB; Confiance reads files up to "
            f"{limits.max_file_mb:g} MB (the limit, {LIMIT_ENVS['max_file_mb']})"
        )


def check_not_empty(content: bytes, name: str) -> None:
    """Refuse an empty file (or one holding only blanks)."""
    if not content.strip():
        raise IngestError(f"{name} is empty: there is nothing to import")


def check_zip(content: bytes, name: str, limits: IngestLimits) -> None:
    """Refuse a truncated, non-zip or inflating .xlsx before openpyxl opens it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except NotImplementedError:  # a zip version above what Python reads
        raise IngestError(_PACKING.format(name=name)) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise IngestError(
            f"{name} is not a valid .xlsx file: it is not a complete zip archive "
            "(truncated, damaged or not an Excel workbook)"
        ) from None
    with archive:
        infos = archive.infolist()
        total = sum(info.file_size for info in infos)
        packed = max(1, sum(info.compress_size for info in infos))
        if total > limits.max_file_bytes or (
            total > _RATIO_FLOOR and total / packed > MAX_RATIO
        ):
            raise LimitError(
                f"{name} would inflate to {total / 2**20:.0f} MB from "
                f"{len(content) / 2**20:.1f} MB on disk; Confiance refuses "
                f"workbooks above {limits.max_file_mb:g} MB unpacked"
            )
        _check_members(infos, name)
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


def check_columns(count: int, name: str, limits: IngestLimits) -> None:
    """Refuse absurdly wide files, which are never a survey export."""
    if count > limits.max_columns:
        raise LimitError(
            f"{name} has {count} columns; Confiance reads at most "
            f"{limits.max_columns} (the limit, {LIMIT_ENVS['max_columns']}; is this "
            "really a survey export?)"
        )


def check_cells(
    frame: pd.DataFrame, name: str, limits: IngestLimits, first_row: int = 1
) -> None:
    """Refuse a cell longer than the cap: no survey answer is a book."""
    cap = limits.max_cell_chars
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if column.dtype.kind in "biufcmM":
            continue
        lengths = column.astype("str").str.len().to_numpy(dtype=float, na_value=0)
        if len(lengths) and lengths.max() > cap:
            row = int(lengths.argmax()) + first_row
            raise LimitError(
                f"{name}, row {row}, column {position + 1}: a cell of "
                f"{int(lengths.max()):,} characters; Confiance reads cells up to "
                f"{limits.max_cell_kb:g} kB (the limit, {LIMIT_ENVS['max_cell_kb']})"
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


def check_headers(columns: Sequence[str], name: str) -> None:
    """Refuse a column name that a spreadsheet would run as a formula.

    Column names are kept (in the mapping and the import report) whatever
    the mapping, so they meet :func:`analysis.formulas.is_formula` here;
    values are checked where they are kept, in :mod:`analysis.ingest.from_file`.
    """
    for position, column in enumerate(columns, start=1):
        if is_formula(column):
            raise IngestError(
                f"{name}, column {position}: the column name {column[:40]!r} starts "
                "like a spreadsheet formula; rename the column"
            )


def _check_members(infos: Sequence[zipfile.ZipInfo], name: str) -> None:
    """Refuse members an .xlsx never has: encrypted, or packed another way."""
    for info in infos:
        if info.flag_bits & 0x1:
            raise IngestError(f"{name} is password-protected; save an unprotected copy")
        if info.compress_type not in _METHODS:
            raise IngestError(_PACKING.format(name=name))


_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_PACKING = (
    "{name} is not a readable .xlsx file: it is packed with a zip method or "
    "version Excel does not write; save it again from Excel"
)
