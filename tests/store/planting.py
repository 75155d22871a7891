"""Waves with planted values and the store's raw bytes on disk, for erasure tests.

A DuckDB store's bytes are its file and write-ahead log; a PostgreSQL store's,
after a checkpoint, the files of its schema's tables, their TOAST tables and
indexes (a dropped table's files are emptied when it goes). PostgreSQL's own write-ahead log (``pg_wal``) keeps
what was removed until it is recycled, as the README says, and is not read.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.store.wave import Wave, WaveMeta, sha256_bytes


def planted_wave(name, ids, hometowns, *, seed=0):
    """A respondent wave whose ids and ``hometown`` values can be searched for."""
    rng = np.random.default_rng(seed)
    n = len(ids)
    data = pd.DataFrame(
        {
            "respondent_id": list(ids),
            "weight": rng.uniform(0.5, 2.0, n),
            "country": rng.choice(["FR", "DE"], n),
            "hometown": list(hometowns),
            "ethical_use": pd.array(rng.choice([1, 2, 9], n), dtype="Int16"),
        }
    )
    meta = WaveMeta(
        name=name,
        kind="respondents",
        source="test",
        file_name=f"{name}.csv",
        file_sha256=sha256_bytes(f"{name}-{seed}".encode()),
        countries=("DE", "FR"),
    )
    return Wave(meta=meta, data=data)


def raw_bytes(path: Path) -> bytes:
    """Everything on disk for the store: the file and any write-ahead log."""
    wal = path.with_name(path.name + ".wal")
    return b"".join(p.read_bytes() for p in (path, wal) if p.exists())


def store_bytes(store) -> bytes:
    """Everything on disk for the store's data, in either database."""
    if store.backend.kind == "duckdb":
        return raw_bytes(store.path)
    import psycopg

    with psycopg.connect(store.backend.url, autocommit=True) as con:
        con.execute("CHECKPOINT")
        folder = Path(con.execute("SHOW data_directory").fetchone()[0])
        relations = con.execute(
            "SELECT pg_relation_filepath(c.oid) FROM pg_class c"
            " WHERE c.relnamespace = current_schema()::regnamespace"
            " OR c.oid IN (SELECT reltoastrelid FROM pg_class"
            "  WHERE relnamespace = current_schema()::regnamespace)"
            " OR c.oid IN (SELECT indexrelid FROM pg_index i JOIN pg_class t"
            "  ON t.oid = i.indrelid AND t.relnamespace = 'pg_toast'::regnamespace)"
        ).fetchall()
    files = [
        part
        for (relation,) in relations
        if relation
        for part in folder.glob(relation + "*")
    ]
    return b"".join(p.read_bytes() for p in sorted(set(files)) if p.is_file())


def found(content: bytes, values) -> list[str]:
    """The values whose UTF-8 bytes occur in ``content``."""
    return [v for v in values if v.encode("utf-8") in content]
