"""Two imports and four readers at once, in six processes: all land, none fails.

DuckDB lets one process hold the file read-write; the store makes readers use
short read-only connections with a bounded retry and writers queue on a lock,
so nobody sees an error, a half-written wave or a trace. On PostgreSQL the
same six processes share one schema through their own pools: imports are
transactions, readers read snapshots and never see a wave in part.
"""

import multiprocessing

import pytest

from analysis.store.wave_store import WaveStore
from tests.store.workers import big_wave, importer, reader

ROWS = 3000


@pytest.mark.slow
def test_two_importers_and_four_readers_at_once(store_location):
    path = store_location
    WaveStore(path).add_wave(
        big_wave("Seed", 500)
    )  # readers have something from the start
    ctx = multiprocessing.get_context("spawn")
    start, stop, results = ctx.Event(), ctx.Event(), ctx.Queue()
    batches = [[f"I{i}-W{j}" for j in range(2)] for i in range(2)]
    importers = [
        ctx.Process(target=importer, args=(path, names, ROWS, start, results))
        for names in batches
    ]
    readers = [
        ctx.Process(target=reader, args=(path, start, stop, results)) for _ in range(4)
    ]
    for process in importers + readers:
        process.start()
    start.set()
    reports = [results.get(timeout=120) for _ in importers]
    stop.set()
    reports += [results.get(timeout=60) for _ in readers]
    for process in importers + readers:
        process.join(timeout=30)
    failures = [trace for _, _, trace in reports if trace]
    assert failures == []
    landed = [
        name for kind, done, _ in reports if kind == "importer" for name, _ in done
    ]
    assert sorted(landed) == sorted(name for names in batches for name in names)
    stored = {w.name: w.row_count for w in WaveStore(path).waves()}
    assert stored == {"Seed": 500, **dict.fromkeys(landed, ROWS)}
    reads = [done[0] for kind, done, _ in reports if kind == "reader"]
    assert min(reads) >= 5
