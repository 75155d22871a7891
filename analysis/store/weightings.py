"""Named weightings of a wave: the file's own weight and each weighting made of it.

A respondent wave holds several named weightings, one of them its default.
The one named ``file`` is the weight the file came with (its design weight,
read from the respondent rows; weight 1 for an unweighted file) and cannot be
deleted. Every other weighting — a raking or a post-stratification to
population targets — keeps its values in the ``weights`` table, one row per
respondent pseudonym, apart from the respondent rows: deleting it never
touches them. Beside the values are its method, its targets (as the analyst
gave them) and their source, the caps, its diagnostics and the calibration
variables an estimate's standard error needs. Adding, deleting a weighting
and changing the default are written to the audit trail.

:class:`Weightings` is mixed into :class:`analysis.store.wave_store.WaveStore`.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import duckdb
import numpy as np
import pandas as pd

from analysis.errors import StoreError
from analysis.names import check_name
from analysis.store.rows import bump, live_row
from analysis.store.schema import log_action

DIAGNOSTICS = (
    "iterations",
    "converged",
    "max_margin_gap",
    "efficiency",
    "n_eff",
    "deff",
    "min",
    "max",
    "cv",
)
"""The diagnostics a listing shows (the file's own weight has none stored)."""
FILE_WEIGHTING = "file"
"""The name of a wave's own weight, the weighting every wave starts with."""


@dataclass(frozen=True)
class StoredWeighting:
    """One named weighting of a wave, without its values."""

    wave: str
    name: str
    method: str
    is_default: bool = False
    targets: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""
    cap: tuple[float, float] | None = None
    diagnostics: Mapping[str, Any] = field(default_factory=dict)
    calibration: tuple[Mapping[str, Any], ...] = ()
    """Calibration variables: per margin its columns, group and categories."""
    created_by: str = ""
    created_at: datetime | None = None

    @property
    def is_file(self) -> bool:
        """True for the file's own weight (no stored values, no targets)."""
        return self.name == FILE_WEIGHTING

    def record(self) -> dict[str, object]:
        """JSON-ready fields, as ``weight list`` prints them."""
        return {
            "wave": self.wave,
            "name": self.name,
            "method": self.method,
            "default": self.is_default,
            "source": self.source,
            "cap": None if self.cap is None else list(self.cap),
            **{k: self.diagnostics.get(k) for k in DIAGNOSTICS},
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }


def weighting_report(stored: StoredWeighting) -> dict[str, object]:
    """A weighting as the wave's report shows it: its listing and its margins."""
    return {**stored.record(), "margins": stored.diagnostics.get("margins", {})}


class _Connections(Protocol):
    def reading(self) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...

    def writing(
        self, *, rewrite: bool = False
    ) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...


def _actor(actor: str | None) -> str:
    from analysis.store.wave_store import current_actor

    return actor or current_actor()


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def insert_file_weighting(
    con: duckdb.DuckDBPyConnection,
    wave: str,
    actor: str,
    when: datetime | None = None,
) -> None:
    """Record a new respondent wave's own weight as its default weighting."""
    con.execute(
        "INSERT INTO weightings VALUES (?,?,?,TRUE,'{}','',NULL,'{}','[]',?,?)",
        [wave, FILE_WEIGHTING, "file", actor, when or _now()],
    )


def insert_weighting(
    con: duckdb.DuckDBPyConnection,
    stored: StoredWeighting,
    values: pd.DataFrame,
    actor: str,
) -> None:
    """Store a weighting and its values (``respondent_id``, ``weight``), audited.

    Runs in the caller's open transaction; refuses a name the wave already has.
    """
    check_name(stored.name, "weighting")
    taken = con.execute(
        "SELECT 1 FROM weightings WHERE wave = ? AND name = ?",
        [stored.wave, stored.name],
    ).fetchone()
    if taken is not None:
        raise StoreError(
            f"wave {stored.wave} already has a weighting named {stored.name!r}; "
            "delete it or choose another name"
        )
    con.execute(
        "INSERT INTO weightings VALUES (?,?,?,FALSE,?,?,?,?,?,?,?)",
        [
            stored.wave,
            stored.name,
            stored.method,
            json.dumps(stored.targets),
            stored.source,
            None if stored.cap is None else json.dumps(list(stored.cap)),
            json.dumps(stored.diagnostics),
            json.dumps(list(stored.calibration)),
            actor,
            _now(),
        ],
    )
    rows = values[["respondent_id", "weight"]].assign(
        wave=stored.wave, name=stored.name
    )
    con.register("incoming_weights", rows)
    con.execute("INSERT INTO weights BY NAME SELECT * FROM incoming_weights")
    con.unregister("incoming_weights")
    detail = f"{stored.name}: {stored.method} to {stored.source or 'targets'}"
    log_action(con, "weighting_add", stored.wave, actor, rows=len(rows), detail=detail)
    if stored.is_default:
        _set_default(con, stored.wave, stored.name, actor)


def _set_default(
    con: duckdb.DuckDBPyConnection, wave: str, name: str, actor: str
) -> None:
    con.execute(
        "UPDATE weightings SET is_default = (name = ?) WHERE wave = ?", [name, wave]
    )
    log_action(con, "weighting_default", wave, actor, detail=name)


def read_weightings(
    con: duckdb.DuckDBPyConnection, wave: str, name: str | None = None
) -> list[StoredWeighting]:
    """A wave's weightings (the file's first), or the one named (error if absent)."""
    frame = con.execute(
        "SELECT * FROM weightings WHERE wave = ? ORDER BY name <> ?, created_at, name",
        [wave, FILE_WEIGHTING],
    ).df()
    found = [_weighting(row) for row in frame.to_dict("records")]
    if name is None:
        return found
    chosen = [w for w in found if w.name == name]
    if not chosen:
        known = ", ".join(w.name for w in found) or "none"
        raise StoreError(f"wave {wave} has no weighting named {name!r} ({known})")
    return chosen


def _weighting(row: Mapping[Hashable, Any]) -> StoredWeighting:
    cap = None if row["cap"] is None or pd.isna(row["cap"]) else json.loads(row["cap"])
    return StoredWeighting(
        wave=str(row["wave"]),
        name=str(row["name"]),
        method=str(row["method"]),
        is_default=bool(row["is_default"]),
        targets=json.loads(str(row["targets"])),
        source=str(row["source"]),
        cap=None if cap is None else (float(cap[0]), float(cap[1])),
        diagnostics=json.loads(str(row["diagnostics"])),
        calibration=tuple(json.loads(str(row["calibration"]))),
        created_by=str(row["created_by"]),
        created_at=pd.Timestamp(str(row["created_at"])).to_pydatetime(),
    )


class Weightings:
    """A wave's named weightings (mixed into the WaveStore)."""

    def weightings(self: _Connections, wave: str) -> list[StoredWeighting]:
        """The wave's weightings, its own weight first."""
        with self.reading() as con:
            live_row(con, wave, "respondents")
            return read_weightings(con, wave)

    def weighting(
        self: _Connections, wave: str, name: str | None = None
    ) -> StoredWeighting:
        """One weighting of a wave; its default when ``name`` is None."""
        with self.reading() as con:
            live_row(con, wave, "respondents")
            found = read_weightings(con, wave, name)
        if name is None:
            found = [w for w in found if w.is_default] or found[:1]
        return found[0]

    def weights(self: _Connections, wave: str, name: str) -> pd.DataFrame:
        """A stored weighting's values: ``respondent_id``, ``weight``."""
        with self.reading() as con:
            live_row(con, wave, "respondents")
            read_weightings(con, wave, name)
            return con.execute(
                "SELECT respondent_id, weight FROM weights WHERE wave = ? AND name = ?",
                [wave, name],
            ).df()

    def add_weighting(
        self: _Connections,
        stored: StoredWeighting,
        respondent_ids: Sequence[str],
        weights: np.ndarray,
        *,
        actor: str | None = None,
    ) -> StoredWeighting:
        """Store a weighting of a live wave in one audited transaction."""
        values = pd.DataFrame(
            {"respondent_id": list(respondent_ids), "weight": np.asarray(weights)}
        )
        who = _actor(actor)
        with self.writing() as con:
            live_row(con, stored.wave, "respondents")
            con.begin()
            try:
                insert_weighting(con, stored, values, who)
                bump(con)
                con.commit()
            except BaseException:
                con.rollback()
                raise
            return read_weightings(con, stored.wave, stored.name)[0]

    def delete_weighting(
        self: _Connections, wave: str, name: str, *, actor: str | None = None
    ) -> None:
        """Remove a weighting and its values; the respondents stay as they are.

        The file's own weight cannot be deleted; deleting the default makes the
        file's weight the default again.
        """
        if name == FILE_WEIGHTING:
            raise StoreError("the file's own weight cannot be deleted")
        who = _actor(actor)
        with self.writing() as con:
            found = read_weightings(con, wave, name)[0]
            con.begin()
            try:
                con.execute(
                    "DELETE FROM weights WHERE wave = ? AND name = ?", [wave, name]
                )
                con.execute(
                    "DELETE FROM weightings WHERE wave = ? AND name = ?", [wave, name]
                )
                log_action(con, "weighting_delete", wave, who, detail=name)
                if found.is_default:
                    _set_default(con, wave, FILE_WEIGHTING, who)
                bump(con)
                con.commit()
            except BaseException:
                con.rollback()
                raise

    def set_default_weighting(
        self: _Connections, wave: str, name: str, *, actor: str | None = None
    ) -> None:
        """Make a weighting the wave's default (audited)."""
        who = _actor(actor)
        with self.writing() as con:
            live_row(con, wave, "respondents")
            read_weightings(con, wave, name)
            con.begin()
            try:
                _set_default(con, wave, name, who)
                bump(con)
                con.commit()
            except BaseException:
                con.rollback()
                raise
