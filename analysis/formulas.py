"""Spreadsheet formulas in text: recognising them, and keeping exports inert.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return, which spreadsheets strip before looking) is run as a formula when a
CSV or workbook is opened: ``=HYPERLINK(…)`` leaks data, ``+cmd|' /C calc'!A0``
starts a program. Full-width signs (``＝＋－＠``) and invisible characters in
front (zero-width spaces, joiners, the BOM) hide the same prefix from a naive
test. One rule, :func:`is_formula`, is used everywhere: ingest refuses such
values where they would be kept, names refuse them, and every export
neutralises them the OWASP way — a leading apostrophe in CSV, a string cell
(never a formula cell) with Excel's quote prefix in XLSX. Numbers stay
numbers: ``-3``, ``+4.5`` and ``-1 234,5`` are values, not formulas.

It is a root module because ingest, the tables, the command line and the
slides all need the same rule, and none of them owns the others.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import pandas as pd

PREFIXES = frozenset("=+-@")
"""The first characters a spreadsheet evaluates."""
CONTROL_PREFIXES = frozenset("\t\r")
"""Characters spreadsheets drop before evaluating what follows (OWASP)."""
_MINUS_LIKE = frozenset("\u2212\u2796\u2795")  # minus sign, heavy minus/plus
_LOOK = 64  # a prefix hidden behind more invisible characters is not read
_NUMBER = re.compile(
    r"[+\-\u2212]?[\s\u00a0\u202f]*(?:\d[\d\s\u00a0\u202f.,']{0,40})?\d"
    r"(?:[eE][+\-]?\d{1,4})?[\s\u00a0\u202f]*%?"
)
_SIGNS_ONLY = re.compile(r"[+\-\s]{1,8}")


def formula_prefix(text: str) -> str | None:
    r"""The formula character a text starts with, seen through disguises.

    Leading spaces and invisible format characters (category Cf: zero-width
    spaces and joiners, the BOM, direction marks) are skipped; full-width and
    small forms are folded (NFKC), so ``"\u200b＝1+2"`` starts with ``=``.
    """
    for char in text[:_LOOK]:
        if char in CONTROL_PREFIXES:
            return char
        if char.isspace() or unicodedata.category(char) == "Cf":
            continue
        folded = unicodedata.normalize("NFKC", char)[:1]
        if char in _MINUS_LIKE:
            folded = "-" if char != "\u2795" else "+"
        return folded if folded in PREFIXES else None
    return None


def is_formula(value: Any) -> bool:
    r"""True when a spreadsheet would run ``value`` as a formula.

    Only text can be a formula; numbers, and text that is only a number
    (``"-3"``, ``"+33 6 12 34 56 78"``) or only signs (``"-"``), are not.

    Examples
    --------
    >>> is_formula("=1+2"), is_formula("+cmd|' /C calc'!A0"), is_formula("-3")
    (True, True, False)
    >>> is_formula("\u200b＠SUM(A1)"), is_formula(-3.5), is_formula("25-34")
    (True, False, False)
    """
    if not isinstance(value, str) or not value:
        return False
    prefix = formula_prefix(value)
    if prefix is None:
        return False
    if prefix in "+-":
        body = value.strip()
        if _NUMBER.fullmatch(body) or _SIGNS_ONLY.fullmatch(body):
            return False
    return True


def csv_safe(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: formulas get a leading apostrophe."""
    return "'" + value if is_formula(value) else value


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells, column names and index labels are CSV-safe."""
    safe = frame.copy()
    for position in range(safe.shape[1]):
        column = safe.iloc[:, position]
        if column.dtype.kind not in "biufcmM":  # numbers and dates stay as they are
            safe.isetitem(position, column.map(csv_safe).to_numpy(dtype=object))
    safe.columns = _safe_index(safe.columns)
    safe.index = _safe_index(safe.index)
    return safe


def _safe_index(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        safe: pd.Index = pd.MultiIndex.from_tuples(
            [tuple(csv_safe(v) for v in labels) for labels in index],
            names=[csv_safe(n) for n in index.names],
        )
        return safe
    flat: pd.Index = pd.Index([csv_safe(v) for v in index], name=csv_safe(index.name))
    return flat


def inert_cells(cells: Iterable[Any]) -> int:
    """Turn openpyxl formula cells into string cells; returns how many it changed.

    openpyxl stores any text starting with ``=`` as a formula. Every such
    cell becomes a string cell, and every formula-like string gets Excel's
    quote prefix, so it stays text even when the cell is edited.
    """
    changed = 0
    for cell in cells:
        value = cell.value
        if not isinstance(value, str):
            continue
        if cell.data_type == "f":
            cell.data_type = "s"
            changed += 1
        if is_formula(value):
            cell.quotePrefix = True
    return changed


def inert_workbook(book: Any) -> int:
    """:func:`inert_cells` over every sheet of an openpyxl workbook."""
    return sum(
        inert_cells(cell for row in sheet.iter_rows() for cell in row)
        for sheet in book.worksheets
    )
