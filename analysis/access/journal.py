"""The access journal: sign-ins, failed sign-ins, exports and role changes, by name.

Changes to waves are written to the store's own audit table in the same
transaction as the change. What people do without changing a wave (signing in,
failing to, exporting data, editing roles, being refused an action) goes to
this journal instead: a small SQLite file beside the store
(``<store>.access.sqlite``, mode 0600, or ``$CONFIANCE_ACCESS_LOG``), so that
writing it never waits for an import's lock nor invalidates the dashboard's
caches, which key on the store file. :func:`audit_trail` merges both for the
admins' view and ``python -m analysis audit``.

A detail is one line of at most 300 characters; no passphrase, hash, token or
cookie is ever passed here.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.store.wave_store import WaveStore

COLUMNS = ("happened_at", "action", "wave", "actor", "file_sha256", "rows", "detail")
"""The audit trail's columns, the store's audit table's own."""

_DETAIL_MAX = 300
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS journal (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " happened_at TEXT NOT NULL, action TEXT NOT NULL, wave TEXT NOT NULL,"
    " actor TEXT NOT NULL, detail TEXT NOT NULL)"
)


def clean(text: str, limit: int = _DETAIL_MAX) -> str:
    """One printable line of at most ``limit`` characters."""
    line = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class Journal:
    """The access journal of one store."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path else config.access_log_path(config.store_path())

    @classmethod
    def beside(cls, store: Path) -> Journal:
        """The journal of the store at ``store``."""
        return cls(config.access_log_path(store))

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        fresh = not self.path.exists()
        if fresh:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.touch(mode=0o600)
            os.chmod(self.path, 0o600)
        con = sqlite3.connect(self.path, timeout=10)
        try:
            con.execute(_SCHEMA)
            yield con
            con.commit()
        finally:
            con.close()

    def record(self, action: str, actor: str, detail: str = "", wave: str = "") -> None:
        """Write one entry now."""
        when = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
        with self._connect() as con:
            con.execute(
                "INSERT INTO journal (happened_at, action, wave, actor, detail)"
                " VALUES (?,?,?,?,?)",
                [
                    when,
                    clean(action, 40),
                    clean(wave, 120),
                    clean(actor, 200),
                    clean(detail),
                ],
            )

    def has(self, action: str, actor: str, detail: str) -> bool:
        """Whether an entry with exactly this action, actor and detail is written."""
        if not self.path.exists():
            return False
        with self._connect() as con:
            found = con.execute(
                "SELECT 1 FROM journal WHERE action = ? AND actor = ? AND detail = ?"
                " LIMIT 1",
                [clean(action, 40), clean(actor, 200), clean(detail)],
            ).fetchone()
        return found is not None

    def entries(self) -> pd.DataFrame:
        """Every entry, oldest first, in the audit trail's columns."""
        if not self.path.exists():
            return _empty()
        with self._connect() as con:
            frame = pd.read_sql_query(
                "SELECT happened_at, action, wave, actor, detail FROM journal"
                " ORDER BY id",
                con,
            )
        frame["happened_at"] = pd.to_datetime(frame["happened_at"])
        return frame.reindex(columns=list(COLUMNS))


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in COLUMNS}).astype(
        {"happened_at": "datetime64[us]"}
    )


def audit_trail(store: WaveStore, journal: Journal | None = None) -> pd.DataFrame:
    """The store's changes and the journal's entries in one table, oldest first."""
    changes = store.audit().reindex(columns=list(COLUMNS))
    entries = (journal or Journal.beside(store.path)).entries()
    parts = [p for p in (changes, entries) if len(p)]
    if not parts:
        return _empty()
    trail = pd.concat(parts, ignore_index=True)
    trail["happened_at"] = pd.to_datetime(trail["happened_at"])
    return trail.sort_values("happened_at", kind="stable").reset_index(drop=True)
