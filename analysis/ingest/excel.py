"""Reading one worksheet of an .xlsx file, safely.

The zip's declared sizes are checked before openpyxl inflates anything, and
formula cells are refused (their cached values may be stale, and a formula in
an upload is a classic injection route).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from analysis.config import LIMIT_ENVS, IngestLimits
from analysis.errors import IngestError, LimitError
from analysis.ingest.safety import check_columns, check_zip, reason


def read_sheet(
    raw: bytes, name: str, sheet: str | None, limits: IngestLimits
) -> tuple[str, list[list[Any]], list[int]]:
    """The title, the non-empty rows of one sheet and their sheet row numbers."""
    check_zip(raw, name, limits)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl raises many unrelated types on bad XML
        raise IngestError(
            f"{name} is not a readable Excel workbook ({reason(exc)})"
        ) from None
    try:
        if not book.worksheets:
            raise IngestError(f"{name} has no worksheet: there is nothing to read")
        if sheet is None:
            worksheet = book.worksheets[0]
        elif sheet in book.sheetnames:
            worksheet = book[sheet]
        else:
            raise IngestError(
                f"{name} has no sheet {sheet!r}; its sheets are "
                f"{', '.join(book.sheetnames)}"
            )
        rows, numbers = _rows(worksheet, name, limits)
        return str(worksheet.title), rows, numbers
    finally:
        book.close()


def _rows(
    worksheet: Any, name: str, limits: IngestLimits
) -> tuple[list[list[Any]], list[int]]:
    rows: list[list[Any]] = []
    numbers: list[int] = []
    width = 0
    try:
        for number, values in _values(worksheet, name, limits):
            check_columns(len(values), name, limits)
            width = max(width, len(values))
            rows.append(values)
            numbers.append(number)
    except (IngestError, MemoryError):
        raise
    except Exception as exc:  # damaged sheet XML surfaces while iterating
        raise IngestError(
            f"{name} is not a readable Excel workbook ({reason(exc)})"
        ) from None
    return [row + [None] * (width - len(row)) for row in rows], numbers


def _values(
    worksheet: Any, name: str, limits: IngestLimits
) -> Iterator[tuple[int, list[Any]]]:
    """Each non-empty row's number and values, trailing blanks dropped.

    A sheet may declare a range of 16,384 columns by a million rows around
    one cell (a 5 kB file once kept a reader busy for hours): a range wider
    than the column cap is refused, and openpyxl's filler for each missing
    row, always the same empty tuple, is skipped at once.
    """
    declared = worksheet.max_column if isinstance(worksheet.max_column, int) else 0
    check_columns(declared, name, limits)
    blank: object = None
    for number, cells in enumerate(worksheet.iter_rows(), start=1):
        if cells is blank:
            continue
        values = []
        for cell in cells:
            if getattr(cell, "data_type", None) == "f":
                raise IngestError(
                    f"{name}, cell {cell.coordinate}: the cell holds a "
                    "spreadsheet formula; save the sheet with values only"
                )
            values.append(_value(cell, name, limits))
        while values and values[-1] in (None, ""):
            values.pop()
        if values:
            yield number, values
        else:
            blank = cells


def _value(cell: Any, name: str, limits: IngestLimits) -> Any:
    """A cell's value; an error (#N/A, #DIV/0!) reads as a blank.

    A text over the cell cap is refused where it stands.
    """
    if getattr(cell, "data_type", None) == "e":
        return None
    value = cell.value
    if isinstance(value, str) and len(value) > limits.max_cell_chars:
        raise LimitError(
            f"{name}, cell {cell.coordinate}: {len(value):,} characters; "
            f"Confiance reads cells up to {limits.max_cell_kb:g} kB (the limit, "
            f"{LIMIT_ENVS['max_cell_kb']})"
        )
    return value
