"""Rewriting the store file so that what was removed leaves no byte behind.

DuckDB frees the blocks of a dropped table or of deleted rows but does not
wipe them: the bytes stay in the file until reused (a purged wave's answers
could still be read with a hex editor). A purge, an erasure and the migration
that hashes ids therefore copy every live table into a fresh file
(``COPY FROM DATABASE``: tables, constraints, sequences) and swap it in with
one atomic rename — under the writers' lock, so no change lands in the old
file meanwhile. Readers holding the old file finish on it undisturbed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import duckdb

from analysis.errors import StoreError
from analysis.store.connection import open_connection

_ALIAS = "confiance_copy"


def copy_store(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    """Copy the live content of ``con``'s database into a new file ``target``."""
    target.unlink(missing_ok=True)
    row = con.execute("SELECT current_database()").fetchone()
    assert row is not None  # every connection has a current database
    source = str(row[0]).replace('"', '""')
    quoted = str(target).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS {_ALIAS}")
    try:
        con.execute(f'COPY FROM DATABASE "{source}" TO {_ALIAS}')
    finally:
        con.execute(f"DETACH {_ALIAS}")
    _fsync(target)


def rewrite_file(path: Path, deadline: float) -> None:
    """Replace the store by a fresh copy of its live data.

    The caller holds the writers' lock and no connection of its own.
    """
    temporary = path.with_name(f".{path.name}.rewrite")
    con = open_connection(path, read_only=False, deadline=deadline)
    try:
        copy_store(con, temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    if wal_path(path).exists() or wal_path(temporary).exists():
        temporary.unlink(missing_ok=True)
        raise StoreError(
            f"the store {path} kept a write-ahead log after closing; "
            "it was not rewritten (try again)"
        )
    os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))  # keep who may read it
    replace_file(temporary, path)


def replace_file(source: Path, target: Path) -> None:
    """Rename ``source`` over ``target`` atomically and make the rename durable."""
    os.replace(source, target)
    _fsync(target.parent)


def wal_path(path: Path) -> Path:
    """DuckDB's write-ahead log beside a database file."""
    return path.with_name(path.name + ".wal")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
