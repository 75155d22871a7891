"""Sharing the store file between processes: short connections and bounded waits.

DuckDB lets one process open a file read-write, and no other process open it
at all meanwhile (read-only included). So a read opens a short read-only
connection, retrying with exponential backoff for a few seconds; a change
first takes the writers' lock, then opens the file read-write, retrying while
the readers already in finish. Both waits are bounded
(:func:`analysis.config.store_waits`) and end in a :class:`StoreBusyError`.

The lock is ``flock`` on ``<store>.lock``: a writer holds it exclusively for
the whole change (so writers queue rather than race, and a file rewrite never
interleaves with a write); a reader holds it shared only while opening its
connection. New readers thus wait while a writer is in, and a stream of
readers cannot starve a writer by always holding DuckDB's own lock.
``flock`` locks belong to an open file, so threads of one server exclude each
other as processes do.
"""

from __future__ import annotations

import fcntl
import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import duckdb

from analysis import config
from analysis.errors import StoreBusyError, StoreError

T = TypeVar("T")

_FIRST_PAUSE = 0.005
_LONGEST_PAUSE = 0.25
_BUSY = "an import is being written; try again"


def read_deadline() -> float:
    """The monotonic time after which a read gives up."""
    return time.monotonic() + config.store_waits()[0]


def write_deadline() -> float:
    """The monotonic time after which a change gives up."""
    return time.monotonic() + config.store_waits()[1]


@contextmanager
def reading(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection, opened within the read wait and closed after."""
    deadline = read_deadline()
    with _locked(path, fcntl.LOCK_SH, deadline):
        con = open_connection(path, read_only=True, deadline=deadline)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def writers_lock(path: Path, deadline: float) -> Iterator[None]:
    """Hold ``<store>.lock`` exclusively; wait for others until ``deadline``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path, fcntl.LOCK_EX, deadline):
        yield


@contextmanager
def _locked(path: Path, mode: int, deadline: float) -> Iterator[None]:
    lock = path.with_name(path.name + ".lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        if mode == fcntl.LOCK_EX:
            raise
        yield  # a read-only folder: nobody can write there, so no one to wait for
        return
    try:
        wait_for(lambda: _try_flock(fd, mode), deadline, path)
        yield
    finally:
        os.close(fd)


def open_connection(
    path: Path, *, read_only: bool, deadline: float
) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another connection holds a conflicting lock."""
    return wait_for(lambda: _try_connect(path, read_only), deadline, path)


def _try_flock(fd: int, mode: int) -> bool | None:
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        return None
    return True


def _try_connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection | None:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except (duckdb.IOException, duckdb.ConnectionException) as exc:
        if _is_busy(exc):
            return None
        raise StoreError(f"cannot open the store {path}: {exc}") from None
    except duckdb.Error as exc:
        raise StoreError(f"{path} is not a Confiance store: {exc}") from None


def _is_busy(exc: duckdb.Error) -> bool:
    """Another process holds the file, or this one holds it in the other mode."""
    text = str(exc).lower()
    return "lock" in text or "different configuration" in text


def wait_for(attempt: Callable[[], T | None], deadline: float, where: object) -> T:
    """Retry ``attempt`` with backoff until it gives a value or ``deadline`` passes."""
    pause = _FIRST_PAUSE
    while True:
        result = attempt()
        if result is not None:
            return result
        left = deadline - time.monotonic()
        if left <= 0:
            raise StoreBusyError(f"the store {where} is busy: {_BUSY}")
        time.sleep(min(left, pause * random.uniform(0.5, 1.0)))
        pause = min(pause * 2, _LONGEST_PAUSE)
