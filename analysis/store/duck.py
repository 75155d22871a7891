"""The DuckDB backend: one file, short connections, the file rewritten after removals.

Sharing the file between processes is :mod:`analysis.store.connection`'s
work; making removed bytes leave it, :mod:`analysis.store.rewrite`'s.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import duckdb
import pandas as pd

from analysis.store.connection import (
    open_connection,
    reading,
    write_deadline,
    writers_lock,
)
from analysis.store.dialect import Prepare, Rows, StoreConnection
from analysis.store.pseudonym import PseudonymKey, load_key
from analysis.store.rewrite import rewrite_file

_FRAME = "confiance_incoming"


class DuckConnection:
    """A DuckDB connection as the store uses it (``raw`` for DuckDB-only steps)."""

    kind: Literal["duckdb"] = "duckdb"

    def __init__(self, raw: duckdb.DuckDBPyConnection) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[object] = ()) -> Rows:
        """Run one statement (``?`` marks its parameters)."""
        return self.raw.execute(sql, list(params)) if params else self.raw.execute(sql)

    def begin(self) -> None:
        """Start a transaction."""
        self.raw.begin()

    def commit(self) -> None:
        """Commit the transaction."""
        self.raw.commit()

    def rollback(self) -> None:
        """Undo the transaction."""
        self.raw.rollback()

    def frame(self, sql: str) -> pd.DataFrame:
        """A query's rows as a frame."""
        return self.raw.execute(sql).df()

    def compact_frame(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
        """A query's rows as a frame, text as categories (through Arrow).

        Asked on a cursor of its own: a result left unread on this connection
        (a ``fetchone``) would refuse it. So it reads what is committed.
        """
        with self.raw.cursor() as cursor:
            table = cursor.sql(sql, params=list(params)).to_arrow_table()
        frame: pd.DataFrame = table.to_pandas(strings_to_categorical=True)
        return frame

    def create_table(self, table: str, frame: pd.DataFrame) -> None:
        """A new table holding ``frame``."""
        self._with_frame(frame, f'CREATE TABLE "{table}" AS SELECT * FROM {_FRAME}')

    def append(self, table: str, frame: pd.DataFrame) -> None:
        """Add ``frame``'s rows to ``table``, column by name."""
        self._with_frame(frame, f'INSERT INTO "{table}" BY NAME SELECT * FROM {_FRAME}')

    def _with_frame(self, frame: pd.DataFrame, sql: str) -> None:
        self.raw.register(_FRAME, frame)
        try:
            self.raw.execute(sql)
        finally:
            self.raw.unregister(_FRAME)

    def tables(self) -> set[str]:
        """The file's tables."""
        rows = self.raw.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        return {str(row[0]) for row in rows}

    def columns(self, table: str) -> dict[str, str]:
        """A table's columns and their DuckDB types, in order."""
        rows = self.raw.execute(
            "SELECT column_name, data_type FROM duckdb_columns()"
            " WHERE table_name = ? ORDER BY column_index",
            [table],
        ).fetchall()
        return {str(name): str(kind) for name, kind in rows}


class DuckBackend:
    """A store in one DuckDB file."""

    kind: Literal["duckdb"] = "duckdb"

    def __init__(self, path: Path) -> None:
        self._path = path
        self.location = str(path)

    @property
    def path(self) -> Path:
        """The store's file."""
        return self._path

    @property
    def source(self) -> str:
        """The file, to open the store again."""
        return str(self._path)

    def exists(self) -> bool:
        """Whether the file holds anything yet."""
        return self._path.exists() and self._path.stat().st_size > 0

    @contextmanager
    def reading(self) -> Iterator[StoreConnection]:
        """A short read-only connection."""
        with reading(self._path) as con:
            yield DuckConnection(con)

    @contextmanager
    def writing(
        self, prepare: Prepare, *, compact: bool = False
    ) -> Iterator[StoreConnection]:
        """The writers' lock and a read-write connection; the file rewritten after.

        A migration that replaced data (``prepare`` returned True) or a
        ``compact`` change rewrites the file once the connection closes, so
        removed bytes leave it.
        """
        deadline = write_deadline()
        with writers_lock(self._path, deadline):
            raw = open_connection(self._path, read_only=False, deadline=deadline)
            migrated = False
            try:
                migrated = prepare(DuckConnection(raw))
                yield DuckConnection(raw)
            except BaseException:
                raw.close()
                if migrated:
                    rewrite_file(self._path, deadline)
                raise
            raw.close()
            if migrated or compact:
                rewrite_file(self._path, deadline)

    def pseudonym_key(self, *, create: bool) -> PseudonymKey:
        """``$CONFIANCE_PSEUDONYM_KEY``, else ``<store>.key`` (made when ``create``)."""
        return load_key(self._path, create=create)


def raw_duckdb(con: StoreConnection) -> duckdb.DuckDBPyConnection:
    """The DuckDB connection under ``con``, for steps only DuckDB stores take."""
    assert isinstance(con, DuckConnection), "a DuckDB-only step ran on another store"
    return con.raw
