"""Reading and writing the ``waves`` table's rows on an open connection.

Shared by the store's reads and writes, its erasure and its backups, which
each hold their own connection.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

import pandas as pd

from analysis.errors import StoreError
from analysis.store.dialect import StoreConnection
from analysis.store.wave import (
    DISCLOSURE_ITEMS,
    Disclosure,
    WaveInfo,
    WaveMeta,
    check_sample_type,
)


def wave_row(con: StoreConnection, name: str) -> dict[str, Any]:
    """One wave's row (deleted waves included); the error lists the known names."""
    frame = con.execute("SELECT * FROM waves WHERE wave = ?", [name]).df()
    if frame.empty:
        known = [
            r[0] for r in con.execute("SELECT wave FROM waves ORDER BY wave").fetchall()
        ]
        listed = ", ".join(known) if known else "none yet"
        raise StoreError(f"no wave named {name!r} in the store (waves: {listed})")
    row = {str(k): v for k, v in frame.iloc[0].to_dict().items()}
    row["deleted_at"] = None if pd.isna(row["deleted_at"]) else row["deleted_at"]
    return row


def live_row(con: StoreConnection, name: str, kind: str) -> dict[str, Any]:
    """A wave's row, refusing a deleted wave or one of the other kind."""
    row = wave_row(con, name)
    if row["deleted_at"] is not None:
        raise StoreError(f"wave {name} is deleted; restore it to use it")
    if row["kind"] != kind:
        raise StoreError(f"wave {name} holds {row['kind']}, not {kind}")
    return row


def table_name(wave: str) -> str:
    """The respondent table of a wave: a digest, so no name reaches SQL."""
    return "respondents_" + hashlib.sha256(wave.encode()).hexdigest()[:16]


def insert_wave_row(
    con: StoreConnection,
    meta: WaveMeta,
    table: str,
    rows: int,
    imported_at: datetime,
    questionnaire: str = "{}",
) -> None:
    """Insert a new wave's row (questionnaire as JSON) in the open transaction."""
    described = meta.disclosure.items()
    columns = ", ".join(described)
    marks = ",?" * len(described)
    con.execute(
        "INSERT INTO waves (wave, kind, table_name, source, file_name, file_sha256,"
        " fieldwork_start, fieldwork_end, countries, row_count, mapping, report,"
        f" imported_at, synthetic, sample_type, questionnaire, {columns})"
        f" VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?{marks})",
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
            meta.sample_type,
            questionnaire,
            *described.values(),
        ],
    )


def bump(con: StoreConnection) -> None:
    """Grow the data version that caches key on; inside the caller's transaction."""
    con.execute(
        "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR)"
        " WHERE key = 'data_version'"
    )


def _as_date(value: Any) -> date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _text(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def wave_info(row: dict[str, Any]) -> WaveInfo:
    """A ``waves`` row as the record the store hands out."""
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
        sample_type=check_sample_type(row["sample_type"]),
        disclosure=Disclosure(**{k: _text(row[k]) for k in DISCLOSURE_ITEMS}),
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
