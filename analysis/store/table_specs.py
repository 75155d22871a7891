"""Saved banner-table specs: named rows, banners, nesting and arrows.

A spec (:class:`analysis.table.banner_spec.TableSpec`) names questions, not a
wave, so it applies to any wave sharing them; a wave lacking one of its
questions says so when the table is computed. Specs live in the store (table
``table_specs``, schema 6), and every save or deletion is in the audit trail.
Saving under a taken name replaces that spec.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from analysis.errors import StoreError
from analysis.names import check_name
from analysis.store.rows import bump
from analysis.store.schema import log_action
from analysis.table.banner_spec import TableSpec


@dataclass(frozen=True)
class SavedSpec:
    """A stored spec with who saved it and when."""

    name: str
    spec: TableSpec
    saved_by: str
    saved_at: datetime


def insert_spec(
    con: duckdb.DuckDBPyConnection, name: str, spec: TableSpec, actor: str
) -> str:
    """Store (or replace) a named spec in one audited transaction; its name."""
    name = check_name(name, "table spec")
    now = datetime.now(UTC).replace(tzinfo=None)
    con.begin()
    try:
        con.execute("DELETE FROM table_specs WHERE name = ?", [name])
        con.execute(
            "INSERT INTO table_specs VALUES (?,?,?,?)",
            [name, json.dumps(spec.record()), actor, now],
        )
        log_action(con, "table_spec_save", "*", actor, detail=name)
        bump(con)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return name


def delete_spec(con: duckdb.DuckDBPyConnection, name: str, actor: str) -> None:
    """Remove a named spec (audited); the error lists the stored ones."""
    read_specs(con, name)
    con.begin()
    try:
        con.execute("DELETE FROM table_specs WHERE name = ?", [name])
        log_action(con, "table_spec_delete", "*", actor, detail=name)
        bump(con)
        con.commit()
    except BaseException:
        con.rollback()
        raise


def read_specs(
    con: duckdb.DuckDBPyConnection, name: str | None = None
) -> list[SavedSpec]:
    """Every saved spec by name, or the one named (an error if absent)."""
    rows = con.execute(
        "SELECT name, spec, saved_by, saved_at FROM table_specs ORDER BY name"
    ).fetchall()
    specs = [
        SavedSpec(str(n), TableSpec.from_record(json.loads(s)), str(by), at)
        for n, s, by, at in rows
    ]
    if name is None:
        return specs
    chosen = [s for s in specs if s.name == name]
    if not chosen:
        known = ", ".join(s.name for s in specs) or "none yet"
        raise StoreError(f"no table spec named {name!r} (saved: {known})")
    return chosen
