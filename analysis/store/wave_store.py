"""The wave store: one DuckDB file holding every wave, its metadata and an audit trail.

Each read opens a short read-only connection and each change a short
read-write one under the writers' lock (:mod:`analysis.store.connection`), so
the dashboard and the command line share the file and a reader never sees a
half-written wave. A wave is written in one transaction: it lands whole or
leaves the store as it was. Respondent ids are stored as pseudonyms
(:mod:`analysis.store.pseudonym`). Deletion is soft until a purge, which like
a respondent's erasure rewrites the file (:mod:`analysis.store.erasure`).
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from analysis import config
from analysis.errors import DuplicateFileError, StoreError
from analysis.store import erasure, sums
from analysis.store.catalogue import Catalogue, stored_questionnaire
from analysis.store.connection import (
    open_connection,
    reading,
    write_deadline,
    writers_lock,
)
from analysis.store.pseudonym import PseudonymKey, check_key, load_key
from analysis.store.questionnaires import codebook_questionnaire
from analysis.store.rewrite import rewrite_file
from analysis.store.rows import (
    bump,
    insert_wave_row,
    live_row,
    table_name,
    wave_info,
    wave_row,
)
from analysis.store.schema import (
    SCHEMA_VERSION,
    log_action,
    prepare_schema,
    schema_version,
)
from analysis.store.wave import (
    TOPLINE_COLUMNS,
    Disclosure,
    Wave,
    WaveInfo,
    WaveMeta,
    check_sample_type,
)
from analysis.store.weightings import Weightings, insert_file_weighting


def current_actor() -> str:
    """Who is acting, for the audit trail of command-line changes."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


class WaveStore(Catalogue, Weightings):
    """Waves in a DuckDB file; created (or migrated) on first use."""

    def __init__(self, path: Path | str | None = None) -> None:
        if isinstance(path, str):
            path = config.store_file(path)
        self.path = path if path is not None else config.store_path()
        self._ready = False

    # -- connections and schema ------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short read-only connection (the store created or migrated first)."""
        self.prepare()
        with reading(self.path) as con:
            yield con

    @contextmanager
    def writing(self, *, rewrite: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """The writers' lock and a read-write connection, within the write wait.

        With ``rewrite``, the file is rewritten once the connection closes, so
        bytes the caller removed leave the file (see :mod:`analysis.store.rewrite`).
        """
        deadline = write_deadline()
        with writers_lock(self.path, deadline):
            con = open_connection(self.path, read_only=False, deadline=deadline)
            migrated = False
            try:
                migrated = self._prepare_with(con)
                yield con
            except BaseException:
                con.close()
                if migrated:
                    rewrite_file(self.path, deadline)
                raise
            con.close()
            if migrated or rewrite:
                rewrite_file(self.path, deadline)

    def prepare(self) -> None:
        """Create or migrate the store if need be; reads and writes call it themselves.

        The schema is checked read-only; the write path is taken only to create
        or migrate.
        """
        if self._ready:
            return
        if self.path.exists() and self.path.stat().st_size > 0:
            with reading(self.path) as con:
                if schema_version(con, self.path) == SCHEMA_VERSION:
                    self._ready = True
                    return
        with self.writing():
            pass

    def _prepare_with(self, con: duckdb.DuckDBPyConnection) -> bool:
        if self._ready:
            return False
        migrated = prepare_schema(con, self.path, self.pseudonym_key)
        self._ready = True
        return migrated

    def pseudonym_key(self) -> PseudonymKey:
        """The key that hashes this store's respondent ids (made at first use)."""
        return load_key(self.path, create=True)

    @property
    def version(self) -> int:
        """A counter that grows with every change, for caches to key on."""
        with self.reading() as con:
            row = con.execute(
                "SELECT value FROM meta WHERE key = 'data_version'"
            ).fetchone()
        return int(row[0]) if row else 0

    # -- writing ------------------------------------------------------------------

    def add_wave(self, wave: Wave, *, actor: str | None = None) -> WaveInfo:
        """Store a wave in one transaction; refuse a name or a file already held.

        Ids are hashed before the writers' lock is taken, so the lock is held
        only while the rows are written.
        """
        meta = wave.meta
        who = actor or current_actor()
        frame, key, questionnaire = wave.data, None, wave.questionnaire
        if meta.kind == "respondents":
            key = self.pseudonym_key()
            frame = frame.assign(respondent_id=key.pseudonyms(frame["respondent_id"]))
            questionnaire = questionnaire or codebook_questionnaire(
                {str(c): str(t) for c, t in frame.dtypes.items()}
            )
        held = json.dumps(questionnaire.to_dict()) if questionnaire else "{}"
        with self.writing() as con:
            self._refuse_duplicates(con, meta)
            table = table_name(meta.name)
            imported_at = datetime.now(UTC).replace(tzinfo=None)
            con.begin()
            try:
                if key is not None:
                    check_key(con, key)
                self._insert_meta(con, meta, table, len(frame), imported_at, held)
                self._insert_rows(con, meta, frame, table)
                if meta.kind == "respondents":
                    sums.compute_sums(con, meta.name)
                    insert_file_weighting(con, meta.name, who, imported_at)
                log_action(con, "add", meta.name, who, meta.file_sha256, len(frame))
                bump(con)
                con.commit()
            except BaseException:
                con.rollback()
                raise
        return WaveInfo(meta=meta, row_count=len(frame), imported_at=imported_at)

    def _refuse_duplicates(
        self, con: duckdb.DuckDBPyConnection, meta: WaveMeta
    ) -> None:
        row = con.execute(
            "SELECT wave, deleted_at FROM waves WHERE wave = ? OR file_sha256 = ?",
            [meta.name, meta.file_sha256],
        ).fetchone()
        if row is None:
            return
        held_by, deleted_at = row
        state = " (deleted; restore or purge it first)" if deleted_at else ""
        if held_by == meta.name:
            raise StoreError(f"a wave named {meta.name} is already stored{state}")
        raise DuplicateFileError(
            f"this file (SHA-256 {meta.file_sha256[:12]}…) is already stored "
            f"as wave {held_by}{state}"
        )

    def _insert_meta(
        self,
        con: duckdb.DuckDBPyConnection,
        meta: WaveMeta,
        table: str,
        rows: int,
        imported_at: datetime,
        questionnaire: str,
    ) -> None:
        insert_wave_row(con, meta, table, rows, imported_at, questionnaire)

    def _insert_rows(
        self,
        con: duckdb.DuckDBPyConnection,
        meta: WaveMeta,
        frame: pd.DataFrame,
        table: str,
    ) -> None:
        if meta.kind == "toplines":
            rows = frame.reindex(columns=list(TOPLINE_COLUMNS)).assign(wave=meta.name)
            con.register("incoming", rows)
            con.execute("INSERT INTO toplines BY NAME SELECT * FROM incoming")
        else:
            con.register("incoming", frame)
            con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM incoming')
        con.unregister("incoming")

    def describe_wave(
        self,
        name: str,
        sample_type: str,
        disclosure: Disclosure,
        *,
        actor: str | None = None,
    ) -> WaveInfo:
        """Set a wave's sample type and disclosure items; the audit names the change.

        The detail lists the items that changed, old and new sample type, so
        the trail shows who called a wave a probability sample and when.
        """
        kind = check_sample_type(sample_type)
        with self.writing() as con:
            before = wave_info(wave_row(con, name)).meta
            items = disclosure.items()
            changed = [
                k for k, v in items.items() if v != getattr(before.disclosure, k)
            ]
            if kind != before.sample_type:
                changed.insert(0, f"sample_type {before.sample_type} -> {kind}")
            con.begin()
            try:
                con.execute(
                    "UPDATE waves SET sample_type = ?, "
                    + ", ".join(f"{k} = ?" for k in items)
                    + " WHERE wave = ?",
                    [kind, *items.values(), name],
                )
                detail = "; ".join(changed) or "unchanged"
                log_action(
                    con, "describe", name, actor or current_actor(), detail=detail
                )
                bump(con)
                con.commit()
            except BaseException:
                con.rollback()
                raise
            return wave_info(wave_row(con, name))

    def delete_wave(self, name: str, *, actor: str | None = None) -> WaveInfo:
        """Hide a wave from every view; reversible with :meth:`restore_wave`."""
        return self._set_deleted(name, deleted=True, actor=actor)

    def restore_wave(self, name: str, *, actor: str | None = None) -> WaveInfo:
        """Bring back a soft-deleted wave."""
        return self._set_deleted(name, deleted=False, actor=actor)

    def _set_deleted(self, name: str, *, deleted: bool, actor: str | None) -> WaveInfo:
        with self.writing() as con:
            info = wave_row(con, name)
            if (info["deleted_at"] is not None) == deleted:
                state = "already deleted" if deleted else "not deleted"
                raise StoreError(f"wave {name} is {state}")
            con.begin()
            con.execute(
                "UPDATE waves SET deleted_at = ? WHERE wave = ?",
                [datetime.now(UTC).replace(tzinfo=None) if deleted else None, name],
            )
            action = "delete" if deleted else "restore"
            log_action(
                con,
                action,
                name,
                actor or current_actor(),
                info["file_sha256"],
                info["row_count"],
            )
            bump(con)
            con.commit()
            return wave_info(wave_row(con, name))

    def purge_wave(self, name: str, *, actor: str | None = None) -> WaveInfo:
        """Remove a soft-deleted wave for good, leaving no byte of it in the file.

        The name and the file's fingerprint are free again; the audit trail
        keeps the record of the purge. Returns the wave as it was.
        """
        return erasure.purge_wave(self, name, actor or current_actor())

    def find_respondent(self, given_id: str) -> erasure.Erasure:
        """Where a respondent is, by the id they were given; nothing changes."""
        return erasure.find_respondent(self, given_id)

    def erase_respondent(
        self, given_id: str, *, actor: str | None = None
    ) -> erasure.Erasure:
        """Erase one respondent, by the id they were given, from every wave.

        The right to erasure: the rows go from live and deleted waves alike,
        the file is rewritten so no byte of them remains, and the audit trail
        records how many rows left which wave (never the id).
        """
        return erasure.erase_respondent(self, given_id, actor or current_actor())

    # -- reading ------------------------------------------------------------------

    def waves(self, *, include_deleted: bool = False) -> list[WaveInfo]:
        """Every wave, oldest import first."""
        where = "" if include_deleted else "WHERE deleted_at IS NULL"
        with self.reading() as con:
            frame = con.execute(
                f"SELECT * FROM waves {where} ORDER BY imported_at, wave"
            ).df()
        return [
            wave_info({str(k): v for k, v in row.items()})
            for row in frame.to_dict("records")
        ]

    def wave(self, name: str) -> WaveInfo:
        """One wave's metadata (deleted waves included)."""
        with self.reading() as con:
            return wave_info(wave_row(con, name))

    def load_respondents(self, names: Sequence[str]) -> pd.DataFrame:
        """The respondent rows of one or several waves, with a ``wave`` column first.

        ``respondent_id`` holds pseudonyms (:meth:`pseudonym_key` makes them).
        """
        frames = []
        with self.reading() as con:
            for name in names:
                row = live_row(con, name, "respondents")
                frame = con.execute(f'SELECT * FROM "{row["table_name"]}"').df()
                frame.insert(0, "wave", name)
                frames.append(frame)
        if not frames:
            return pd.DataFrame(columns=["wave", "respondent_id", "weight"])
        return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]

    def load_toplines(self, names: Sequence[str]) -> pd.DataFrame:
        """The published rows of one or several toplines waves."""
        with self.reading() as con:
            for name in names:
                live_row(con, name, "toplines")
            return con.execute(
                "SELECT wave, metric, segment_var, segment_value, percent, base_n,"
                " n_eff, source, checked, note FROM toplines"
                " WHERE list_contains(?, wave)"
                " ORDER BY wave, metric, segment_var, segment_value",
                [list(names)],
            ).df()

    def segment_levels(self, name: str) -> dict[str, list[str]]:
        """Each segment variable of a respondent wave with its sorted values.

        Segments are those the wave's questionnaire names (answers are text
        codes too, so the column type does not tell them apart).
        """
        with self.reading() as con:
            table = live_row(con, name, "respondents")["table_name"]
            if (kept := sums.segment_levels(con, name)) is not None:
                return kept  # read from a few thousand cells, not every row
            levels = {}
            for column in stored_questionnaire(con, name).segments:
                values = con.execute(
                    f'SELECT DISTINCT "{column}" FROM "{table}"'
                    f' WHERE "{column}" IS NOT NULL ORDER BY 1'
                ).fetchall()
                levels[str(column)] = [str(v[0]) for v in values]
        return levels

    def audit(self) -> pd.DataFrame:
        """The audit trail, oldest first."""
        with self.reading() as con:
            return con.execute("SELECT * FROM audit ORDER BY id").df()


__all__ = ["WaveStore", "current_actor"]
