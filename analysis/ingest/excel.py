"""Reading one worksheet of an .xlsx file, safely.

The zip's declared sizes are checked before openpyxl inflates anything, and
formula cells are refused (their cached values may be stale, and a formula in
an upload is a classic injection route).
"""

from __future__ import annotations

import io
from typing import Any

from analysis.errors import IngestError
from analysis.ingest.safety import MAX_COLUMNS, check_zip


def read_sheet(
    raw: bytes, name: str, sheet: str | None
) -> tuple[str, list[list[Any]], list[int]]:
    """The title, the non-empty rows of one sheet and their sheet row numbers."""
    check_zip(raw, name)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many unrelated types on bad XML
        raise IngestError(f"{name} is not a readable Excel workbook ({exc})") from None
    try:
        if sheet is None:
            worksheet = book.worksheets[0]
        elif sheet in book.sheetnames:
            worksheet = book[sheet]
        else:
            raise IngestError(
                f"{name} has no sheet {sheet!r}; its sheets are "
                f"{', '.join(book.sheetnames)}"
            )
        rows, numbers = _rows(worksheet, name)
        return str(worksheet.title), rows, numbers
    finally:
        book.close()


def _rows(worksheet: Any, name: str) -> tuple[list[list[Any]], list[int]]:
    rows: list[list[Any]] = []
    numbers: list[int] = []
    width = 0
    try:
        for number, cells in enumerate(worksheet.iter_rows(), start=1):
            values = []
            for cell in cells:
                if getattr(cell, "data_type", None) == "f":
                    raise IngestError(
                        f"{name}, cell {cell.coordinate}: the cell holds a "
                        "spreadsheet formula; save the sheet with values only"
                    )
                values.append(cell.value)
            while values and values[-1] in (None, ""):
                values.pop()
            if len(values) > MAX_COLUMNS:
                raise IngestError(
                    f"{name} has {len(values)} columns; Confiance reads at most "
                    f"{MAX_COLUMNS} (is this really a survey export?)"
                )
            if values:
                width = max(width, len(values))
                rows.append(values)
                numbers.append(number)
    except IngestError:
        raise
    except Exception as exc:  # damaged sheet XML surfaces while iterating
        raise IngestError(f"{name} is not a readable Excel workbook ({exc})") from None
    return [row + [None] * (width - len(row)) for row in rows], numbers
