"""Erasure that is real: purging a wave and erasing one respondent.

Both remove rows in one audited transaction and then rewrite the store file
(:mod:`analysis.store.rewrite`), so no byte of what was removed survives in
it. A respondent is found by the id they were given, hashed with the store's
pseudonym key; the audit trail records which waves lost how many rows, never
the id or its pseudonym.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from analysis.errors import StoreError
from analysis.store.pseudonym import PseudonymKey, check_key, load_key
from analysis.store.rows import bump, wave_info, wave_row
from analysis.store.schema import log_action
from analysis.store.sums import drop_sums, refresh_sums
from analysis.store.wave import WaveInfo

if TYPE_CHECKING:
    from analysis.store.wave_store import WaveStore


@dataclass(frozen=True)
class Erasure:
    """Rows holding one respondent, per wave, and how many waves were searched."""

    rows: Mapping[str, int]
    waves_searched: int

    @property
    def total(self) -> int:
        """Rows found (or removed) across every wave."""
        return sum(self.rows.values())


def purge_wave(store: WaveStore, name: str, actor: str) -> WaveInfo:
    """Drop a soft-deleted wave and rewrite the file; see WaveStore.purge_wave."""
    with store.writing(rewrite=True) as con:
        row = wave_row(con, name)
        if row["deleted_at"] is None:
            raise StoreError(f"wave {name} must be deleted before it can be purged")
        con.begin()
        try:
            if row["kind"] == "toplines":
                con.execute("DELETE FROM toplines WHERE wave = ?", [name])
            else:
                con.execute(f'DROP TABLE "{row["table_name"]}"')
                drop_sums(con, name)
                con.execute("DELETE FROM weights WHERE wave = ?", [name])
                con.execute("DELETE FROM weightings WHERE wave = ?", [name])
            con.execute("DELETE FROM waves WHERE wave = ?", [name])
            log_action(con, "purge", name, actor, row["file_sha256"], row["row_count"])
            bump(con)
            con.commit()
        except BaseException:
            con.rollback()
            raise
    return wave_info(row)


def find_respondent(store: WaveStore, given_id: str) -> Erasure:
    """Where the respondent given ``given_id`` is; the store is not changed."""
    key = _key(store)
    with store.reading() as con:
        check_key(con, key, record=False)
        found = _holding(con, key.pseudonym(given_id))
        searched = _respondent_waves(con)
    return Erasure({wave: n for wave, (_, _, n) in found.items()}, searched)


def erase_respondent(store: WaveStore, given_id: str, actor: str) -> Erasure:
    """Delete one respondent's rows everywhere, audited, then rewrite the file."""
    key = _key(store)
    pseudonym = key.pseudonym(given_id)
    with store.writing(rewrite=True) as con:
        check_key(con, key, record=False)
        con.begin()
        try:
            found = _holding(con, pseudonym)
            for wave, (table, sha, n) in found.items():
                con.execute(
                    f'DELETE FROM "{table}" WHERE respondent_id = ?', [pseudonym]
                )
                con.execute(
                    "DELETE FROM weights WHERE wave = ? AND respondent_id = ?",
                    [wave, pseudonym],
                )
                con.execute(
                    "UPDATE waves SET row_count = row_count - ? WHERE wave = ?",
                    [n, wave],
                )
                refresh_sums(con, wave)  # the cells' sums held the erased rows
                log_action(con, "erase-respondent", wave, actor, sha, n, _DETAIL)
            if not found:
                log_action(con, "erase-respondent", "*", actor, None, 0, _NOBODY)
            bump(con)
            searched = _respondent_waves(con)
            con.commit()
        except BaseException:
            con.rollback()
            raise
    return Erasure({wave: n for wave, (_, _, n) in found.items()}, searched)


_DETAIL = "one respondent erased by the id they were given"
_NOBODY = "no wave held the id given; nothing erased"


def _key(store: WaveStore) -> PseudonymKey:
    store.prepare()  # migrating an older store makes its key
    return load_key(store.path, create=False)


def _holding(
    con: duckdb.DuckDBPyConnection, pseudonym: str
) -> dict[str, tuple[str, str, int]]:
    """Waves holding the pseudonym: wave -> (table, file SHA-256, rows)."""
    found = {}
    waves = con.execute(
        "SELECT wave, table_name, file_sha256 FROM waves"
        " WHERE kind = 'respondents' ORDER BY imported_at, wave"
    ).fetchall()
    for wave, table, sha in waves:
        row = con.execute(
            f'SELECT count(*) FROM "{table}" WHERE respondent_id = ?', [pseudonym]
        ).fetchone()
        if row is not None and row[0]:
            found[str(wave)] = (str(table), str(sha), int(row[0]))
    return found


def _respondent_waves(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(
        "SELECT count(*) FROM waves WHERE kind = 'respondents'"
    ).fetchone()
    return int(row[0]) if row else 0
