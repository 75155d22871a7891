"""Benchmark: storing and reading a wave in PostgreSQL, against DuckDB's file.

Builds one wave of 200,000 respondents (20 coded questions, 4 segment
columns, a weight), then, on a DuckDB file and on a throw-away PostgreSQL
server (``tests/pg_server.py``: initdb + pg_ctl in a temporary folder, as
``make test`` starts it), times:

* ``add_wave`` — the ids hashed, the respondent rows sent (PostgreSQL: COPY)
  and committed with the wave's row, in one transaction;
* ``load_respondents`` — the rows read back as a frame;
* ``waves()`` — a small read, as every page makes.

The peer is DuckDB, the default store, measured in the same run.

Run: ``.venv/bin/python benchmarks/bench_postgres_store.py`` (under a minute).
Prints, never asserts.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.store.wave import Wave, WaveMeta, sha256_bytes
from analysis.store.wave_store import WaveStore
from tests import pg_server

ROWS = int(os.environ.get("BENCH_ROWS", "200000"))


def _wave(name: str) -> Wave:
    rng = np.random.default_rng(7)
    data = pd.DataFrame(
        {
            "respondent_id": [f"{name}-{i}" for i in range(ROWS)],
            "weight": rng.uniform(0.4, 2.5, ROWS),
            "country": rng.choice(["FR", "DE", "GB", "US"], ROWS),
            "age_band": rng.choice(["18-34", "35-54", "55+"], ROWS),
            "gender": rng.choice(["f", "m", "x"], ROWS),
            "region": rng.choice([f"R{i}" for i in range(10)], ROWS),
        }
    )
    for q in range(20):
        data[f"q{q:02d}"] = rng.choice(["1", "2", "3", "4", "5"], ROWS)
    meta = WaveMeta(
        name=name,
        kind="respondents",
        source="benchmark",
        file_name=f"{name}.csv",
        file_sha256=sha256_bytes(name.encode()),
    )
    return Wave(meta=meta, data=data)


def _time(action: Callable[[], object], repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def _measure(location: str) -> dict[str, float]:
    store = WaveStore(location)
    store.waves()  # the schema made, outside the timings
    wave = _wave("Bench")
    return {
        "add_wave": _time(lambda: store.add_wave(wave, actor="bench")),
        "load_respondents": _time(lambda: store.load_respondents(["Bench"]), 3),
        "waves()": _time(store.waves, 20),
    }


def main() -> None:
    """Print each figure on both databases and PostgreSQL's ratio to DuckDB."""
    os.environ.setdefault("CONFIANCE_PSEUDONYM_KEY", "b" * 64)
    bin_dir = pg_server.server_bin()
    if bin_dir is None:
        print("no PostgreSQL server programs: apt-get install postgresql")
        return
    server = pg_server.start_server(bin_dir)
    try:
        with tempfile.TemporaryDirectory() as folder:
            duck = _measure(str(Path(folder) / "bench.duckdb"))
        name, url = pg_server.new_schema(server)
        pg = _measure(url)
        pg_server.drop_schema(server, name, url)
    finally:
        server.stop()
    load = os.getloadavg()[0]
    print(f"{ROWS:,} respondents × 26 columns; load average {load:.1f}")
    print(f"{'':18} {'DuckDB':>10} {'PostgreSQL':>11} {'ratio':>7}")
    for key in duck:
        ratio = pg[key] / duck[key]
        print(f"{key:18} {duck[key]:9.3f}s {pg[key]:10.3f}s {ratio:6.2f}×")


if __name__ == "__main__":
    main()
