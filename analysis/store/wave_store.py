"""The wave store: one DuckDB file holding every wave, its metadata and an audit trail.

Each operation opens a short-lived connection, so the dashboard and the command
line can share the file. A wave is written in one transaction: it lands whole or
leaves the store as it was. Deletion is soft until a purge.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analysis import config
from analysis.errors import DuplicateFileError, StoreError
from analysis.store.schema import log_action, prepare_schema
from analysis.store.wave import TOPLINE_COLUMNS, Wave, WaveInfo, WaveMeta


def current_actor() -> str:
    """Who is acting, for the audit trail of command-line changes."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


class WaveStore:
    """Waves in a DuckDB file; created (or migrated) on first use."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else config.store_path()
        self._ready = False

    # -- connection and schema -------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(str(self.path))
        except duckdb.IOException as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from None
        except duckdb.Error as exc:
            raise StoreError(f"{self.path} is not a Confiance store: {exc}") from None
        try:
            if not self._ready:
                prepare_schema(con, self.path)
                self._ready = True
            yield con
        finally:
            con.close()

    @property
    def version(self) -> int:
        """A counter that grows with every change, for caches to key on."""
        with self._connect() as con:
            row = con.execute(
                "SELECT value FROM meta WHERE key = 'data_version'"
            ).fetchone()
        return int(row[0]) if row else 0

    # -- writing ------------------------------------------------------------------

    def add_wave(self, wave: Wave, *, actor: str | None = None) -> WaveInfo:
        """Store a wave in one transaction; refuse a name or a file already held."""
        meta = wave.meta
        who = actor or current_actor()
        with self._connect() as con:
            self._refuse_duplicates(con, meta)
            table = _table_name(meta.name)
            imported_at = datetime.now(UTC).replace(tzinfo=None)
            con.begin()
            try:
                self._insert_meta(con, meta, table, len(wave.data), imported_at)
                self._insert_rows(con, wave, table)
                log_action(con, "add", meta.name, who, meta.file_sha256, len(wave.data))
                _bump(con)
                con.commit()
            except BaseException:
                con.rollback()
                raise
        return WaveInfo(meta=meta, row_count=len(wave.data), imported_at=imported_at)

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
    ) -> None:
        con.execute(
            "INSERT INTO waves (wave, kind, table_name, source, file_name, file_sha256,"
            " fieldwork_start, fieldwork_end, countries, row_count, mapping, report,"
            " imported_at, synthetic) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [
                meta.name,
                meta.kind,
                table,
                meta.source,
                meta.file_name,
                meta.file_sha256,
                meta.fieldwork_start,
                meta.fieldwork_end,
                json.dumps(list(meta.countries)),
                rows,
                json.dumps(meta.mapping, default=str),
                json.dumps(meta.report, default=str),
                imported_at,
                meta.synthetic,
            ],
        )

    def _insert_rows(
        self, con: duckdb.DuckDBPyConnection, wave: Wave, table: str
    ) -> None:
        frame = wave.data
        if wave.meta.kind == "toplines":
            rows = frame.reindex(columns=list(TOPLINE_COLUMNS)).assign(
                wave=wave.meta.name
            )
            con.register("incoming", rows)
            con.execute("INSERT INTO toplines BY NAME SELECT * FROM incoming")
        else:
            con.register("incoming", frame)
            con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM incoming')
        con.unregister("incoming")

    def delete_wave(self, name: str, *, actor: str | None = None) -> None:
        """Hide a wave from every view; reversible with :meth:`restore_wave`."""
        self._set_deleted(name, deleted=True, actor=actor)

    def restore_wave(self, name: str, *, actor: str | None = None) -> None:
        """Bring back a soft-deleted wave."""
        self._set_deleted(name, deleted=False, actor=actor)

    def _set_deleted(self, name: str, *, deleted: bool, actor: str | None) -> None:
        with self._connect() as con:
            info = self._row(con, name)
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
            _bump(con)
            con.commit()

    def purge_wave(self, name: str, *, actor: str | None = None) -> None:
        """Remove a soft-deleted wave for good; the audit trail keeps its record."""
        with self._connect() as con:
            info = self._row(con, name)
            if info["deleted_at"] is None:
                raise StoreError(f"wave {name} must be deleted before it can be purged")
            con.begin()
            if info["kind"] == "toplines":
                con.execute("DELETE FROM toplines WHERE wave = ?", [name])
            else:
                con.execute(f'DROP TABLE "{info["table_name"]}"')
            con.execute("DELETE FROM waves WHERE wave = ?", [name])
            log_action(
                con,
                "purge",
                name,
                actor or current_actor(),
                info["file_sha256"],
                info["row_count"],
            )
            _bump(con)
            con.commit()

    # -- reading ------------------------------------------------------------------

    def waves(self, *, include_deleted: bool = False) -> list[WaveInfo]:
        """Every wave, oldest import first."""
        where = "" if include_deleted else "WHERE deleted_at IS NULL"
        with self._connect() as con:
            frame = con.execute(
                f"SELECT * FROM waves {where} ORDER BY imported_at, wave"
            ).df()
        return [
            _info({str(k): v for k, v in row.items()})
            for row in frame.to_dict("records")
        ]

    def wave(self, name: str) -> WaveInfo:
        """One wave's metadata (deleted waves included)."""
        with self._connect() as con:
            return _info(self._row(con, name))

    def _row(self, con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any]:
        frame = con.execute("SELECT * FROM waves WHERE wave = ?", [name]).df()
        if frame.empty:
            known = [
                r[0]
                for r in con.execute("SELECT wave FROM waves ORDER BY wave").fetchall()
            ]
            listed = ", ".join(known) if known else "none yet"
            raise StoreError(f"no wave named {name!r} in the store (waves: {listed})")
        row = {str(k): v for k, v in frame.iloc[0].to_dict().items()}
        row["deleted_at"] = None if pd.isna(row["deleted_at"]) else row["deleted_at"]
        return row

    def load_respondents(self, names: Sequence[str]) -> pd.DataFrame:
        """The respondent rows of one or several waves, with a ``wave`` column first."""
        frames = []
        with self._connect() as con:
            for name in names:
                row = self._live_row(con, name, "respondents")
                frame = con.execute(f'SELECT * FROM "{row["table_name"]}"').df()
                frame.insert(0, "wave", name)
                frames.append(frame)
        if not frames:
            return pd.DataFrame(columns=["wave", "respondent_id", "weight"])
        return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]

    def load_toplines(self, names: Sequence[str]) -> pd.DataFrame:
        """The published rows of one or several toplines waves."""
        with self._connect() as con:
            for name in names:
                self._live_row(con, name, "toplines")
            return con.execute(
                "SELECT wave, metric, segment_var, segment_value, percent, base_n,"
                " n_eff, source, checked, note FROM toplines"
                " WHERE list_contains(?, wave)"
                " ORDER BY wave, metric, segment_var, segment_value",
                [list(names)],
            ).df()

    def _live_row(
        self, con: duckdb.DuckDBPyConnection, name: str, kind: str
    ) -> dict[str, Any]:
        row = self._row(con, name)
        if row["deleted_at"] is not None:
            raise StoreError(f"wave {name} is deleted; restore it to use it")
        if row["kind"] != kind:
            raise StoreError(f"wave {name} holds {row['kind']}, not {kind}")
        return row

    def segment_levels(self, name: str) -> dict[str, list[str]]:
        """Each segment variable of a respondent wave with its sorted values.

        Segments are the text columns other than the respondent id: answers to
        codebook questions are stored as integer codes, weights as numbers.
        """
        with self._connect() as con:
            table = self._live_row(con, name, "respondents")["table_name"]
            columns = con.execute(
                "SELECT column_name FROM duckdb_columns()"
                " WHERE table_name = ? AND data_type = 'VARCHAR'"
                " AND column_name <> 'respondent_id' ORDER BY column_index",
                [table],
            ).fetchall()
            levels = {}
            for (column,) in columns:
                values = con.execute(
                    f'SELECT DISTINCT "{column}" FROM "{table}"'
                    f' WHERE "{column}" IS NOT NULL ORDER BY 1'
                ).fetchall()
                levels[str(column)] = [str(v[0]) for v in values]
        return levels

    def audit(self) -> pd.DataFrame:
        """The audit trail, oldest first."""
        with self._connect() as con:
            return con.execute("SELECT * FROM audit ORDER BY id").df()


def _table_name(wave: str) -> str:
    return "respondents_" + hashlib.sha256(wave.encode()).hexdigest()[:16]


def _bump(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR)"
        " WHERE key = 'data_version'"
    )


def _as_date(value: Any) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _info(row: dict[str, Any]) -> WaveInfo:
    meta = WaveMeta(
        name=row["wave"],
        kind=row["kind"],
        source=row["source"],
        file_name=row["file_name"],
        file_sha256=row["file_sha256"],
        fieldwork_start=_as_date(row["fieldwork_start"]),
        fieldwork_end=_as_date(row["fieldwork_end"]),
        countries=tuple(json.loads(row["countries"])),
        synthetic=bool(row["synthetic"]),
        mapping=json.loads(row["mapping"]),
        report=json.loads(row["report"]),
    )
    deleted = row["deleted_at"]
    return WaveInfo(
        meta=meta,
        row_count=int(row["row_count"]),
        imported_at=pd.Timestamp(row["imported_at"]).to_pydatetime(),
        deleted_at=None
        if deleted is None or pd.isna(deleted)
        else pd.Timestamp(deleted).to_pydatetime(),
    )


__all__ = ["WaveStore"]
