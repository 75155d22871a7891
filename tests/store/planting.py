"""Waves with planted values and the store file's raw bytes, for erasure tests."""

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


def found(content: bytes, values) -> list[str]:
    """The values whose UTF-8 bytes occur in ``content``."""
    return [v for v in values if v.encode("utf-8") in content]
