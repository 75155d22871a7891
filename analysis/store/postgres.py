"""The PostgreSQL backend: a pooled store for several app servers and importers.

``CONFIANCE_STORE=postgresql://user:password@host/db`` puts the whole store —
waves, respondent tables, questionnaires, metrics, pseudonym check and the
audit — in that database's current schema (``?options=-csearch_path%3Dname``
picks another). Readers use a ``REPEATABLE READ READ ONLY`` transaction, so a
read sees one committed state: a wave whole or not at all, since an import
writes its ``waves`` row and its respondent rows in one transaction. Writers
queue on an advisory lock of the schema, as DuckDB's writers queue on the
lock file; respondent rows go in with ``COPY``. After a purge or an erasure
every table of the store is rewritten by ``VACUUM FULL``. The pseudonym key
comes from ``$CONFIANCE_PSEUDONYM_KEY``: the servers share no file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit, urlunsplit

import pandas as pd

from analysis import config
from analysis.errors import PseudonymKeyError, StoreBusyError, StoreError
from analysis.store.connection import read_deadline, wait_for, write_deadline
from analysis.store.dialect import Prepare, Rows, StoreConnection
from analysis.store.pg_frames import (
    LONG_NAMES,
    copy_frame,
    copy_out,
    frame_of,
    may_be_short,
    short_name,
    shortened,
    sql_types,
)
from analysis.store.pseudonym import PseudonymKey, key_from_text

if TYPE_CHECKING:
    import psycopg
    from psycopg_pool import ConnectionPool

_LOCK_CLASS = 0x636F  # the first key of the writers' advisory lock ("co")
_LOCK_KEY = "hashtext(current_database() || '/' || current_schema())"
_POOLS: dict[tuple[str, int], ConnectionPool] = {}
_POOLS_LOCK = Lock()
_NO_DRIVER = (
    "a postgresql:// store needs the psycopg driver: "
    "pip install 'psycopg[binary]' psycopg-pool"
)


def masked(url: str) -> str:
    """The URL without its password, for messages and the audit."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def _pool(url: str) -> ConnectionPool:
    """The pool of ``url`` in this process (a forked child makes its own)."""
    key = (url, os.getpid())
    with _POOLS_LOCK:
        if key not in _POOLS:
            from psycopg_pool import ConnectionPool

            size = int(os.environ.get("CONFIANCE_PG_POOL", "4"))
            _POOLS[key] = ConnectionPool(
                url,
                min_size=0,
                max_size=max(size, 1),
                kwargs={"autocommit": True},
                open=True,
            )
        return _POOLS[key]


def close_pools(url: str | None = None) -> None:
    """Close this process's pools (of ``url`` only, when given)."""
    with _POOLS_LOCK:
        for key in [k for k in _POOLS if url is None or k[0] == url]:
            _POOLS.pop(key).close()


class PgConnection:
    """A pooled PostgreSQL connection as the store uses it (autocommit between)."""

    kind: Literal["postgresql"] = "postgresql"

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

    def execute(self, sql: str, params: Sequence[object] = ()) -> Rows:
        """Run one statement; ``?`` marks become psycopg's ``%s``."""
        cursor = self.raw.cursor()
        if params:
            cursor.execute(_marks(shortened(sql)).encode(), list(params))
        else:
            cursor.execute(shortened(sql).encode())
        return _PgRows(cursor, self)

    def full_names(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with shortened column names given back their full text."""
        if not may_be_short(str(c) for c in frame.columns):
            return frame
        if LONG_NAMES not in self.tables():
            return frame
        names = dict(self.raw.execute(f"SELECT short, name FROM {LONG_NAMES}"))
        return frame.rename(columns=lambda c: names.get(str(c), c))

    def begin(self) -> None:
        """Start a transaction."""
        self.raw.execute("BEGIN")

    def commit(self) -> None:
        """Commit the transaction."""
        self.raw.execute("COMMIT")

    def rollback(self) -> None:
        """Undo the transaction."""
        self.raw.execute("ROLLBACK")

    def compact_frame(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
        """A query's rows as a frame, text as categories, parsed as they arrive."""
        sql = _marks(shortened(sql)) if params else shortened(sql)
        return self.full_names(copy_out(self.raw, sql, params, texts="category"))

    def frame(self, sql: str) -> pd.DataFrame:
        """A query's rows as a frame, sent by COPY (for a whole respondent table)."""
        return self.full_names(copy_out(self.raw, shortened(sql)))

    def create_table(self, table: str, frame: pd.DataFrame) -> None:
        """A new table typed from ``frame`` (as DuckDB would), filled by COPY."""
        types = sql_types(frame)
        columns = ", ".join(f'"{short_name(c)}" {t}' for c, t in types.items())
        self.raw.execute(f'CREATE TABLE "{table}" ({columns})'.encode())
        long = [(short_name(c), c) for c in types if short_name(c) != c]
        if long:
            self.raw.execute(
                f"CREATE TABLE IF NOT EXISTS {LONG_NAMES}"
                " (short VARCHAR PRIMARY KEY, name VARCHAR NOT NULL)"
            )
            self.raw.cursor().executemany(
                f"INSERT INTO {LONG_NAMES} VALUES (%s, %s) ON CONFLICT DO NOTHING",
                long,
            )
        copy_frame(self.raw, table, frame)

    def append(self, table: str, frame: pd.DataFrame) -> None:
        """Add ``frame``'s rows to ``table`` by COPY, column by name."""
        copy_frame(self.raw, table, frame)

    def tables(self) -> set[str]:
        """The tables of the current schema."""
        rows = self.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        ).fetchall()
        return {str(row[0]) for row in rows}

    def columns(self, table: str) -> dict[str, str]:
        """A table's columns and their types, in order."""
        rows = self.execute(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ?"
            " ORDER BY ordinal_position",
            [table],
        ).fetchall()
        names = self.full_names(pd.DataFrame(columns=[str(n) for n, _ in rows]))
        return dict(zip(names.columns, (str(k) for _, k in rows), strict=True))


def _marks(sql: str) -> str:
    """DuckDB's ``?`` parameters as psycopg's ``%s`` (a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class _PgRows:
    def __init__(self, cursor: psycopg.Cursor[Any], con: PgConnection) -> None:
        self.cursor, self.con = cursor, con

    def fetchone(self) -> tuple[Any, ...] | None:
        return self.cursor.fetchone() if self.cursor.description else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self.cursor.fetchall() if self.cursor.description else []

    def df(self) -> pd.DataFrame:
        return self.con.full_names(frame_of(self.cursor))


class PostgresBackend:
    """A store in a PostgreSQL schema, reached through this process's pool."""

    kind: Literal["postgresql"] = "postgresql"

    def __init__(self, url: str) -> None:
        try:
            import psycopg  # noqa: F401
            import psycopg_pool  # noqa: F401
        except ImportError:
            raise StoreError(_NO_DRIVER) from None
        self.url = url
        self.location = masked(url)

    @property
    def path(self) -> Path:
        """No file: refused, saying how such a store is backed up."""
        raise StoreError(
            f"the store {self.location} is a PostgreSQL database, not a file: back "
            'it up with pg_dump --format=custom --file=FILE "$CONFIANCE_STORE" '
            "(README: Several app servers)"
        )

    def exists(self) -> bool:
        """A database always may hold the schema: check it."""
        return True

    @contextmanager
    def _connection(self, deadline: float) -> Iterator[psycopg.Connection[Any]]:
        import psycopg
        from psycopg_pool import PoolTimeout

        try:
            with _pool(self.url).connection(
                timeout=max(deadline - time.monotonic(), 0.1)
            ) as raw:
                yield raw
        except PoolTimeout:
            raise StoreBusyError(
                f"the store {self.location} is busy or unreachable: no connection "
                "within the wait"
            ) from None
        except psycopg.OperationalError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "?"
            raise StoreError(f"the store {self.location}: {first}") from None

    @property
    def source(self) -> str:
        """The URL to open the store again (password included: never print it)."""
        return self.url

    @contextmanager
    def unlocked(self) -> Iterator[PgConnection]:
        """A connection outside the writers' lock, each statement its own commit.

        For the access journal, whose entries never wait for an import.
        """
        with self._connection(write_deadline()) as raw:
            yield PgConnection(raw)

    @contextmanager
    def reading(self) -> Iterator[StoreConnection]:
        """A read-only transaction on one snapshot of the store."""
        with self._connection(read_deadline()) as raw:
            raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                yield PgConnection(raw)
            finally:
                raw.execute("ROLLBACK")

    @contextmanager
    def writing(
        self, prepare: Prepare, *, compact: bool = False
    ) -> Iterator[StoreConnection]:
        """The schema's advisory lock and a connection; ``VACUUM FULL`` after."""
        deadline = write_deadline()
        with self._connection(deadline) as raw:
            wait_for(lambda: _try_lock(raw), deadline, self.location)
            try:
                con = PgConnection(raw)
                prepare(con)
                yield con
                if compact:
                    _vacuum(con)
            finally:
                if raw.info.transaction_status != 0:  # left inside a transaction
                    raw.execute("ROLLBACK")
                raw.execute(f"SELECT pg_advisory_unlock({_LOCK_CLASS}, {_LOCK_KEY})")

    def pseudonym_key(self, *, create: bool) -> PseudonymKey:
        """``$CONFIANCE_PSEUDONYM_KEY``: the one key every server shares."""
        text = config.pseudonym_key_text()
        if text is None:
            raise PseudonymKeyError(
                f"a PostgreSQL store needs ${config.PSEUDONYM_KEY_ENV} (the same on "
                "every server): it hashes respondent ids"
            )
        return key_from_text(text, f"${config.PSEUDONYM_KEY_ENV}")


def _try_lock(raw: psycopg.Connection[Any]) -> bool | None:
    row = raw.execute(
        f"SELECT pg_try_advisory_lock({_LOCK_CLASS}, {_LOCK_KEY})".encode()
    ).fetchone()
    return True if row is not None and row[0] else None


def _vacuum(con: PgConnection) -> None:
    """Rewrite every table of the store, so removed rows leave its data files."""
    for table in sorted(con.tables()):
        con.raw.execute(f'VACUUM FULL "{table}"'.encode())
