"""The store's schema: its tables, the version check, migrations and audit rows.

:class:`analysis.store.WaveStore` reads :func:`schema_version` on its first
connection; when the file is empty or older it calls :func:`prepare_schema`
under the writers' lock: an empty file gets the tables, an older store is
migrated in one transaction (and the migration logged), a newer one is refused.

Schema 3 stores respondent ids as pseudonyms (:mod:`analysis.store.pseudonym`);
migrating to it hashes the ids of every stored wave, and the caller then
rewrites the file so the old ids' bytes are gone. Schema 4 adds each wave's
sample type and AAPOR disclosure items; waves stored before it become
"unknown", since nothing recorded says what kind of sample they were.
Schema 6 keeps each respondent wave's per-cell sums (:mod:`analysis.store.sums`);
migrating to it computes them for every stored wave. Schema 7 adds named
weightings (:mod:`analysis.store.weightings`): each respondent wave's own
weight becomes its default weighting, named ``file``.
Schema 8 adds the saved banner-table specs (:mod:`analysis.store.table_specs`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from analysis.errors import SchemaVersionError
from analysis.store.pseudonym import PseudonymKey, check_key
from analysis.store.questionnaires import codebook_questionnaire
from analysis.store.sums import CATALOGUE, compute_sums
from analysis.store.wave import DISCLOSURE_ITEMS

SCHEMA_VERSION = 8


_TABLES = """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE waves (
    wave VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    fieldwork_start DATE,
    fieldwork_end DATE,
    countries VARCHAR NOT NULL,
    row_count BIGINT NOT NULL,
    mapping VARCHAR NOT NULL,
    report VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    synthetic BOOLEAN NOT NULL DEFAULT FALSE,
    deleted_at TIMESTAMP,
    sample_type VARCHAR NOT NULL DEFAULT 'unknown',
    questionnaire VARCHAR NOT NULL DEFAULT '{}',
    {disclosure}
);
{metrics}
CREATE SEQUENCE audit_id;
CREATE TABLE audit (
    id BIGINT PRIMARY KEY DEFAULT nextval('audit_id'),
    happened_at TIMESTAMP NOT NULL,
    action VARCHAR NOT NULL,
    wave VARCHAR NOT NULL,
    actor VARCHAR NOT NULL,
    file_sha256 VARCHAR,
    rows BIGINT,
    detail VARCHAR
);
CREATE TABLE toplines (
    wave VARCHAR NOT NULL,
    metric VARCHAR NOT NULL,
    segment_var VARCHAR NOT NULL,
    segment_value VARCHAR NOT NULL,
    percent DOUBLE NOT NULL,
    base_n DOUBLE,
    n_eff DOUBLE,
    source VARCHAR,
    checked VARCHAR,
    note VARCHAR
);
"""
_METRICS = """
CREATE TABLE metrics (
    id VARCHAR PRIMARY KEY,
    wave VARCHAR NOT NULL,
    question VARCHAR NOT NULL,
    answers VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL,
    label_fr VARCHAR NOT NULL,
    polarity VARCHAR NOT NULL,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL
);
"""
_WEIGHTINGS = """
CREATE TABLE weightings (
    wave VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    method VARCHAR NOT NULL,
    is_default BOOLEAN NOT NULL,
    targets VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    cap VARCHAR,
    diagnostics VARCHAR NOT NULL,
    calibration VARCHAR NOT NULL,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (wave, name)
);
CREATE TABLE weights (
    wave VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    respondent_id VARCHAR NOT NULL,
    weight DOUBLE NOT NULL
);
"""
_TABLE_SPECS = """
CREATE TABLE table_specs (
    name VARCHAR PRIMARY KEY,
    spec VARCHAR NOT NULL,
    saved_by VARCHAR NOT NULL,
    saved_at TIMESTAMP NOT NULL
);
"""
_SCHEMA = _TABLES.replace(
    "{disclosure}",
    ",\n    ".join(f"{item} VARCHAR NOT NULL DEFAULT ''" for item in DISCLOSURE_ITEMS),
).replace("{metrics}", _METRICS + _WEIGHTINGS + _TABLE_SPECS)


KeySource = Callable[[], PseudonymKey]
"""Gives the pseudonym key when a migration needs it (and only then)."""


def _migrate_1_to_2(con: duckdb.DuckDBPyConnection, key: KeySource) -> None:
    """Schema 2 added soft deletion, the synthetic-data mark and source checks."""
    con.execute("ALTER TABLE waves ADD COLUMN synthetic BOOLEAN DEFAULT FALSE")
    con.execute("ALTER TABLE waves ADD COLUMN deleted_at TIMESTAMP")
    con.execute("ALTER TABLE toplines ADD COLUMN checked VARCHAR")


def _migrate_2_to_3(con: duckdb.DuckDBPyConnection, key: KeySource) -> None:
    """Schema 3 stores respondent ids as keyed hashes: hash every stored id."""
    tables = [
        str(row[0])
        for row in con.execute(
            "SELECT table_name FROM duckdb_columns()"
            " WHERE table_name LIKE 'respondents\\_%' ESCAPE '\\'"
            " AND column_name = 'respondent_id'"
        ).fetchall()
    ]
    if not tables:
        return
    secret = key()
    check_key(con, secret)
    con.create_function(
        "confiance_pseudonym",
        secret.pseudonym,
        [duckdb.sqltypes.VARCHAR],
        duckdb.sqltypes.VARCHAR,
        side_effects=False,
    )
    for table in tables:
        con.execute(
            f'CREATE OR REPLACE TABLE "{table}" AS SELECT * REPLACE'
            " (confiance_pseudonym(CAST(respondent_id AS VARCHAR)) AS respondent_id)"
            f' FROM "{table}"'
        )
    con.remove_function("confiance_pseudonym")


def _migrate_3_to_4(con: duckdb.DuckDBPyConnection, key: KeySource) -> None:
    """Schema 4 records each wave's sample type (old waves: unknown) and disclosure."""
    con.execute("ALTER TABLE waves ADD COLUMN sample_type VARCHAR DEFAULT 'unknown'")
    for item in DISCLOSURE_ITEMS:
        con.execute(f"ALTER TABLE waves ADD COLUMN {item} VARCHAR DEFAULT ''")


def _migrate_4_to_5(con: duckdb.DuckDBPyConnection, key: KeySource) -> None:
    """Schema 5: each wave's questionnaire (old waves: from the codebook), metrics."""
    con.execute("ALTER TABLE waves ADD COLUMN questionnaire VARCHAR DEFAULT '{}'")
    con.execute(_METRICS)
    waves = con.execute(
        "SELECT wave, table_name FROM waves WHERE kind = 'respondents'"
    ).fetchall()
    for wave, table in waves:
        columns = dict(
            con.execute(
                "SELECT column_name, data_type FROM duckdb_columns()"
                " WHERE table_name = ? ORDER BY column_index",
                [table],
            ).fetchall()
        )
        questionnaire = codebook_questionnaire(columns)
        con.execute(
            "UPDATE waves SET questionnaire = ? WHERE wave = ?",
            [json.dumps(questionnaire.to_dict()), wave],
        )


def _migrate_5_to_6(con: duckdb.DuckDBPyConnection, key: KeySource) -> None:
    """Schema 6 keeps per-cell sums of every respondent wave: compute them now."""
    con.execute(CATALOGUE)
    waves = con.execute("SELECT wave FROM waves WHERE kind = 'respondents'").fetchall()
    for (wave,) in waves:
        compute_sums(con, str(wave))


def _migrate_6_to_7(con: duckdb.DuckDBPyConnection, key: KeySource) -> None:
    """Schema 7: named weightings; each respondent wave's weight is its default."""
    from analysis.store.weightings import insert_file_weighting

    con.execute(_WEIGHTINGS)
    waves = con.execute(
        "SELECT wave, imported_at FROM waves WHERE kind = 'respondents'"
    ).fetchall()
    for wave, imported_at in waves:
        insert_file_weighting(con, str(wave), "confiance", imported_at)


def _migrate_7_to_8(con: duckdb.DuckDBPyConnection, key: KeySource) -> None:
    """Schema 8: saved banner-table specs (none before)."""
    con.execute(_TABLE_SPECS)


_MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection, KeySource], None]] = {
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
    4: _migrate_4_to_5,
    5: _migrate_5_to_6,
    6: _migrate_6_to_7,
    7: _migrate_7_to_8,
}


def schema_version(con: duckdb.DuckDBPyConnection, path: Path) -> int | None:
    """The store's schema version, None for an empty file; refuse foreign files."""
    tables = {
        row[0]
        for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    }
    if not tables:
        return None
    if "meta" not in tables or "waves" not in tables:
        raise SchemaVersionError(
            f"{path} holds tables but is not a Confiance store "
            "(no schema version); point CONFIANCE_STORE at another file"
        )
    found = _schema_version(con)
    if found > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"{path} was written by a newer Confiance (schema {found}); "
            f"this version reads schema {SCHEMA_VERSION} at most: upgrade it"
        )
    return found


def prepare_schema(con: duckdb.DuckDBPyConnection, path: Path, key: KeySource) -> bool:
    """Create the tables in an empty file, or check and migrate an existing store.

    Returns True when the file must now be rewritten: a migration replaced
    data (given ids by pseudonyms) whose old bytes would stay in freed blocks.
    """
    found = schema_version(con, path)
    if found is None:
        con.begin()
        try:
            con.execute(_SCHEMA)
            con.execute(CATALOGUE)
            con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?), ('data_version', '0')",
                [str(SCHEMA_VERSION)],
            )
            con.commit()
        except BaseException:
            con.rollback()
            raise
        return False
    if found == SCHEMA_VERSION:
        return False
    _migrate(con, found, path, key)
    return found < 3


def _migrate(
    con: duckdb.DuckDBPyConnection, found: int, path: Path, key: KeySource
) -> None:
    con.begin()
    try:
        for version in range(found, SCHEMA_VERSION):
            if version not in _MIGRATIONS:
                raise SchemaVersionError(
                    f"{path} uses store schema {found}, which this version "
                    f"cannot migrate to schema {SCHEMA_VERSION}"
                )
            _MIGRATIONS[version](con, key)
        con.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'",
            [str(SCHEMA_VERSION)],
        )
        log_action(
            con,
            "migrate",
            "*",
            "confiance",
            detail=f"schema {found} -> {SCHEMA_VERSION}",
        )
        con.commit()
    except BaseException:
        con.rollback()
        raise


def _schema_version(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        raise SchemaVersionError("the store's meta table has no schema_version")
    return int(row[0])


def log_action(
    con: duckdb.DuckDBPyConnection,
    action: str,
    wave: str,
    actor: str,
    file_sha256: str | None = None,
    rows: int | None = None,
    detail: str | None = None,
) -> None:
    """Write one audit-trail row; the caller's transaction commits it."""
    con.execute(
        "INSERT INTO audit"
        " (happened_at, action, wave, actor, file_sha256, rows, detail)"
        " VALUES (?,?,?,?,?,?,?)",
        [
            datetime.now(UTC).replace(tzinfo=None),
            action,
            wave,
            actor,
            file_sha256,
            rows,
            detail,
        ],
    )
