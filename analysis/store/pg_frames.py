"""Frames in and out of PostgreSQL, typed as the DuckDB store types them.

A frame's columns get the SQL types DuckDB would give them (DuckDB itself is
asked), in PostgreSQL's names, and its rows go in by ``COPY … FROM STDIN``
as CSV, a chunk at a time. A result comes back as the frame DuckDB's
``.df()`` gives for those types: integers without a missing value as NumPy
integers, with one as pandas' nullable integers, text as strings, dates and
timestamps as ``datetime64[us]``. So both backends hand out equal frames.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import duckdb
import numpy as np
import pandas as pd
from pandas.api.types import pandas_dtype

from analysis.errors import StoreError

if TYPE_CHECKING:
    import psycopg
    from _typeshed import WriteableBuffer

_CHUNK = 50_000
_READ_BYTES = 1 << 20  # what pandas is handed at a time from a COPY
_NULL = "\\N"
_FROM_DUCKDB = {
    "BOOLEAN": "BOOLEAN",
    "TINYINT": "SMALLINT",
    "UTINYINT": "SMALLINT",
    "SMALLINT": "SMALLINT",
    "USMALLINT": "INTEGER",
    "INTEGER": "INTEGER",
    "UINTEGER": "BIGINT",
    "BIGINT": "BIGINT",
    "FLOAT": "REAL",
    "DOUBLE": "DOUBLE PRECISION",
    "VARCHAR": "VARCHAR",
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP",
    "TIMESTAMP_NS": "TIMESTAMP",
    "TIMESTAMP WITH TIME ZONE": "TIMESTAMPTZ",
}
_INTEGERS = {21: "int16", 23: "int32", 20: "int64"}  # int2, int4, int8 OIDs
_FLOATS = {700, 701, 1700}  # float4, float8, numeric
_TEXT = {25, 1043, 1042, 19}  # text, varchar, bpchar, name
_TIMES = {1082, 1114, 1184}  # date, timestamp, timestamptz
_BOOL = 16


_IDENT = re.compile(r'"((?:[^"]|"")*)"')
_MAX_NAME = 63  # PostgreSQL's identifiers hold 63 bytes (NAMEDATALEN - 1)
_SHORT = re.compile(r"_[0-9a-f]{10}$")
LONG_NAMES = "confiance_long_names"
"""The table that gives each shortened column name back its full text."""


def short_name(name: str) -> str:
    """A column name PostgreSQL keeps whole: long ones cut, with a digest of all."""
    if len(name.encode()) <= _MAX_NAME:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:10]
    head = name.encode()[: _MAX_NAME - 11].decode(errors="ignore")
    return f"{head}_{digest}"


def shortened(sql: str) -> str:
    """``sql`` with every quoted identifier over 63 bytes given its short name."""

    def one(found: re.Match[str]) -> str:
        name = found.group(1).replace('""', '"')
        if len(name.encode()) <= _MAX_NAME:
            return found.group(0)
        return '"' + short_name(name).replace('"', '""') + '"'

    return _IDENT.sub(one, sql)


def may_be_short(names: Iterable[str]) -> bool:
    """Whether any of ``names`` looks like a shortened one."""
    return any(len(n.encode()) >= _MAX_NAME - 2 and _SHORT.search(n) for n in names)


def sql_types(frame: pd.DataFrame) -> dict[str, str]:
    """Each column's PostgreSQL type: the one DuckDB gives it, by its other name.

    DuckDB reads the type of a column of Python objects from its values (text
    with gaps is VARCHAR), so it is shown the frame itself, not an empty
    head; a column with no value at all is text.
    """
    con = duckdb.connect()
    try:
        con.register("frame", frame)
        described = con.execute("DESCRIBE SELECT * FROM frame").fetchall()
    finally:
        con.close()
    types = {}
    for name, kind, *_ in described:
        if str(kind) == '"NULL"':
            kind = "VARCHAR"
        if str(kind) not in _FROM_DUCKDB:
            raise StoreError(f"column {name!r}: type {kind} cannot be stored")
        types[str(name)] = _FROM_DUCKDB[str(kind)]
    return types


def copy_frame(raw: psycopg.Connection[Any], table: str, frame: pd.DataFrame) -> None:
    """Append ``frame`` to ``table`` with ``COPY``, as CSV chunks."""
    names = ", ".join(
        '"' + short_name(str(c)).replace('"', '""') + '"' for c in frame.columns
    )
    sql = f"COPY \"{table}\" ({names}) FROM STDIN WITH (FORMAT csv, NULL '{_NULL}')"
    with raw.cursor().copy(sql.encode()) as copy:
        for start in range(0, len(frame), _CHUNK):
            text = io.StringIO()
            frame.iloc[start : start + _CHUNK].to_csv(
                text, header=False, index=False, na_rep=_NULL
            )
            copy.write(text.getvalue())


def frame_of(cursor: psycopg.Cursor[Any]) -> pd.DataFrame:
    """The rows left in ``cursor`` as the frame DuckDB would give."""
    if cursor.description is None:
        return pd.DataFrame()
    return _frame(cursor, cursor.fetchall())


def _frame(cursor: psycopg.Cursor[Any], rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    assert cursor.description is not None  # the callers checked
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(cursor.description)
    return pd.DataFrame(
        {
            column.name: _series(list(values), column.type_code)
            for column, values in zip(cursor.description, columns, strict=True)
        }
    )


def copy_out(
    raw: psycopg.Connection[Any],
    sql: str,
    params: Sequence[object] = (),
    *,
    texts: Literal["str", "category"] = "str",
) -> pd.DataFrame:
    """A query's rows as a frame, sent by ``COPY … TO STDOUT`` as CSV.

    pandas parses the CSV as it arrives, never the rows as Python objects:
    many times faster than a cursor's rows for a respondent table or a wave's
    cells, and only a block of text is ever held at once. Typed as
    :func:`frame_of` types them; ``texts="category"`` makes text columns
    categorical (many rows, few distinct texts: the keys of sums' cells).
    ``params`` fill psycopg's ``%s`` marks.
    """
    cursor = raw.cursor()
    cursor.execute(f"SELECT * FROM ({sql}) AS q LIMIT 0".encode(), params or None)
    assert cursor.description is not None  # a SELECT describes its columns
    columns = [(c.name, c.type_code) for c in cursor.description]
    kinds = {
        name: texts if oid in _TEXT else "Int64" if oid in _INTEGERS else "str"
        for name, oid in columns
        if oid not in _FLOATS
    }
    copy_sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, NULL '{_NULL}')"
    with cursor.copy(copy_sql.encode(), params or None) as copy:
        frame = pd.read_csv(
            io.BufferedReader(_CopyStream(copy), _READ_BYTES),
            header=None,
            names=[name for name, _ in columns],
            dtype=kinds,
            na_values=[_NULL],
            keep_default_na=False,
        )
    for name, oid in columns:
        if oid not in _TEXT:
            frame[name] = _retyped(frame[name], oid)
    return frame


class _CopyStream(io.RawIOBase):
    """The blocks a ``COPY … TO STDOUT`` sends, as a file pandas can read."""

    def __init__(self, copy: psycopg.Copy) -> None:
        self._copy = copy
        self._left = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        into = memoryview(buffer).cast("B")
        size = 0
        while size < len(into):
            if not self._left:
                block = self._copy.read()  # valid until the next read only
                if not block:
                    break
                self._left = memoryview(block).cast("B")
            n = min(len(into) - size, len(self._left))
            into[size : size + n] = self._left[:n]
            self._left = self._left[n:]
            size += n
        return size


def _retyped(column: pd.Series, oid: int) -> pd.Series:
    """A column as read from CSV, typed as DuckDB's ``.df()`` types it."""
    missing = bool(column.isna().any())
    if oid in _INTEGERS:
        kind = _INTEGERS[oid]
        return column.astype(pandas_dtype(kind.capitalize() if missing else kind))
    if oid == _BOOL:
        flags = column.map({"t": True, "f": False})
        return flags.astype("boolean" if missing else bool)
    if oid in _TIMES:
        return pd.to_datetime(column).astype("datetime64[us]")
    return column


def _series(values: list[Any], oid: int) -> pd.Series:
    missing = any(v is None for v in values)
    if oid in _INTEGERS:
        kind = _INTEGERS[oid]
        return pd.Series(values, dtype=kind.capitalize() if missing else kind)
    if oid in _FLOATS:
        return pd.Series(
            np.array([np.nan if v is None else float(v) for v in values], dtype=float)
        )
    if oid in _TEXT:
        return pd.Series(values, dtype="str")
    if oid in _TIMES:
        return pd.Series(pd.to_datetime(pd.Series(values, dtype=object))).astype(
            "datetime64[us]"
        )
    if oid == _BOOL:
        return pd.Series(values, dtype="boolean" if missing else bool)
    return pd.Series(values, dtype=object)
