"""Processes for the concurrency test: importers and readers of one store file.

Each runs in a fresh (spawned) interpreter and reports through a queue: what
it did, or the traceback of whatever went wrong.
"""

from __future__ import annotations

import time
import traceback

import numpy as np
import pandas as pd

from analysis.store.wave import Wave, WaveMeta, sha256_bytes
from analysis.store.wave_store import WaveStore


def big_wave(name: str, rows: int) -> Wave:
    """A wave whose every row has ``check == 1``, so a partial read shows."""
    rng = np.random.default_rng(abs(hash(name)) % 2**32)
    data = pd.DataFrame(
        {
            "respondent_id": [f"{name}-{i}" for i in range(rows)],
            "weight": rng.uniform(0.5, 2.0, rows),
            "country": rng.choice(["FR", "DE", "IT"], rows),
            "check": np.ones(rows, dtype=np.int64),
            "ethical_use": pd.array(rng.choice([1, 2, 9], rows), dtype="Int16"),
        }
    )
    meta = WaveMeta(
        name=name,
        kind="respondents",
        source="concurrency test",
        file_name=f"{name}.csv",
        file_sha256=sha256_bytes(name.encode()),
    )
    return Wave(meta=meta, data=data)


def importer(path, names, rows, start, results) -> None:
    """Parse (build) every wave first, then store them one after the other."""
    try:
        waves = [big_wave(name, rows) for name in names]
        start.wait()
        landed = []
        for wave in waves:
            began = time.monotonic()
            WaveStore(path).add_wave(wave, actor="importer")
            landed.append((wave.meta.name, time.monotonic() - began))
        results.put(("importer", landed, None))
    except BaseException:
        results.put(("importer", None, traceback.format_exc()))


def reader(path, start, stop, results) -> None:
    """Read every listed wave until told to stop; check each is whole."""
    reads, slowest = 0, 0.0
    try:
        start.wait()
        while not stop.is_set() or reads < 5:
            began = time.monotonic()
            store = WaveStore(path)
            for info in store.waves():
                frame = store.load_respondents([info.name])
                whole = len(frame) == info.row_count == int(frame["check"].sum())
                if not whole or not frame["respondent_id"].is_unique:
                    raise AssertionError(f"partial wave {info.name}: {len(frame)} rows")
            reads += 1
            slowest = max(slowest, time.monotonic() - began)
            time.sleep(0.01)
        results.put(("reader", (reads, slowest), None))
    except BaseException:
        results.put(("reader", None, traceback.format_exc()))
