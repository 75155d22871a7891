"""The store's databases behind one face: DuckDB (the default) and PostgreSQL.

Everything that differs between the two lives in a backend
(:mod:`analysis.store.duck`, :mod:`analysis.store.postgres`); the store's
modules see only :class:`StoreConnection` and :class:`Backend` and write the
SQL both speak (``?`` parameters, ``DOUBLE PRECISION``, ``information_schema``).

================  ===================================  ================================
what              DuckDB file                           PostgreSQL URL
================  ===================================  ================================
sharing           short connections, ``<store>.lock``   a connection pool, MVCC
writers queue on  ``flock`` of ``<store>.lock``         an advisory lock per schema
a frame lands by  a registered view                     ``COPY … FROM STDIN``
removed bytes go  the file is rewritten                 ``VACUUM FULL``
pseudonym key     ``$CONFIANCE_PSEUDONYM_KEY`` or       ``$CONFIANCE_PSEUDONYM_KEY``
                  ``<store>.key``
backups           ``python -m analysis backup``         ``pg_dump``
================  ===================================  ================================
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Literal, Protocol

import pandas as pd

from analysis import config
from analysis.store.pseudonym import PseudonymKey

Kind = Literal["duckdb", "postgresql"]


class Rows(Protocol):
    """The result of one statement."""

    def fetchone(self) -> tuple[Any, ...] | None:
        """The next row, None when there is none."""
        ...

    def fetchall(self) -> list[tuple[Any, ...]]:
        """Every row left."""
        ...

    def df(self) -> pd.DataFrame:
        """Every row left as a frame, typed as DuckDB types it."""
        ...


class StoreConnection(Protocol):
    """One connection to the store, in either database."""

    @property
    def kind(self) -> Kind:
        """Which database."""
        ...

    def execute(self, sql: str, params: Sequence[object] = ()) -> Rows:
        """Run one statement (``?`` marks its parameters)."""
        ...

    def begin(self) -> None:
        """Start a transaction."""
        ...

    def commit(self) -> None:
        """Commit the transaction."""
        ...

    def rollback(self) -> None:
        """Undo the transaction."""
        ...

    def frame(self, sql: str) -> pd.DataFrame:
        """A query without parameters as a frame, the fastest way the database has."""
        ...

    def compact_frame(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
        """A query's rows as a frame whose text columns are categorical.

        For many rows with few distinct texts (the keys of sums' cells): never
        a Python string for every row at once, so a fraction of the time and
        memory of ``df``.
        """
        ...

    def create_table(self, table: str, frame: pd.DataFrame) -> None:
        """A new table holding ``frame``, its columns typed from the frame's."""
        ...

    def append(self, table: str, frame: pd.DataFrame) -> None:
        """Add ``frame``'s rows to ``table``, column by name."""
        ...

    def tables(self) -> set[str]:
        """The tables of the store (its file, or its schema)."""
        ...

    def columns(self, table: str) -> dict[str, str]:
        """A table's columns and their SQL types, in order."""
        ...


Prepare = Callable[[StoreConnection], bool]
"""Creates or migrates the schema on a write connection; True: rewrite after."""


class Backend(Protocol):
    """Where a store lives and how its connections are had."""

    @property
    def kind(self) -> Kind:
        """Which database."""
        ...

    @property
    def location(self) -> str:
        """The file, or the URL without its password: for messages."""
        ...

    @property
    def source(self) -> str:
        """What opens the store again (a URL with its password: never print it)."""
        ...

    @property
    def path(self) -> Path:
        """The store's file; a PostgreSQL store has none and says so."""
        ...

    def exists(self) -> bool:
        """Whether there may be a schema to check (False: an empty new file)."""
        ...

    def reading(self) -> AbstractContextManager[StoreConnection]:
        """A connection that sees one committed state of the store."""
        ...

    def writing(
        self, prepare: Prepare, *, compact: bool = False
    ) -> AbstractContextManager[StoreConnection]:
        """The writers' lock and a connection; ``compact``: removed bytes go after."""
        ...

    def pseudonym_key(self, *, create: bool) -> PseudonymKey:
        """The key that hashes respondent ids."""
        ...


def store_kind(location: str | Path, where: str = "the store") -> Kind:
    """Which database a store location names; an unknown URL scheme is refused."""
    if isinstance(location, Path):
        return "duckdb"
    return (
        "postgresql" if config.store_kind(location, where) == "postgresql" else "duckdb"
    )


def open_backend(location: str | Path, where: str = "the store") -> Backend:
    """The backend of a store location: a file path or a ``postgresql://`` URL."""
    if store_kind(location, where) == "postgresql":
        from analysis.store.postgres import PostgresBackend

        return PostgresBackend(str(location).strip())
    from analysis.store.duck import DuckBackend

    if isinstance(location, Path):
        return DuckBackend(location)
    return DuckBackend(config.store_file(location, where))


__all__ = [
    "Backend",
    "Kind",
    "Rows",
    "StoreConnection",
    "open_backend",
    "store_kind",
]
