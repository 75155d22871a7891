"""A server holds a wave's cells and adds them up per view as the database would.

:meth:`SumsCells.grouped` must give what :func:`read_sums` gives for the same
segments — the database's ``GROUP BY … ORDER BY`` — on DuckDB and PostgreSQL;
:func:`held_sums` reads the cells once per store version and never for a wave
that is gone.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from analysis.library.codebook import load_codebook
from analysis.store import sums_cells
from analysis.store.sums import read_sums
from analysis.store.sums_cells import SumsCells, forget_held, held_sums
from analysis.store.sums_sql import SUM_FIELDS

METRICS = list(load_codebook().metrics)


@pytest.fixture(autouse=True)
def _nothing_held():
    forget_held()
    yield
    forget_held()


def _same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.columns) == list(want.columns)
    keys = [c for c in want.columns if c not in SUM_FIELDS]
    for key in keys:
        a = [None if pd.isna(v) else str(v) for v in got[key]]
        b = [None if pd.isna(v) else str(v) for v in want[key]]
        assert a == b, key
    for field in SUM_FIELDS:
        np.testing.assert_allclose(
            got[field].to_numpy(dtype=float),
            want[field].to_numpy(dtype=float),
            rtol=1e-13,
            atol=1e-9,
            err_msg=field,
        )


def test_cells_added_up_are_the_databases_groups(any_demo_store):
    with any_demo_store.reading() as con:
        every = read_sums(con, "Demo-2025", METRICS)
        assert every is not None
        cells = SumsCells.of(every)
        for size in range(len(every.segments) + 1):
            for chosen in itertools.combinations(every.segments, size):
                want = read_sums(con, "Demo-2025", METRICS, list(chosen))
                assert want is not None
                _same(cells.grouped(list(chosen)).frame, want.frame)


def test_a_wave_is_read_once_per_store_version(demo_store_path, monkeypatch):
    from analysis.store.wave_store import WaveStore

    store = WaveStore(demo_store_path)
    opened = []

    def reading():
        opened.append(1)
        return store.reading()

    first = held_sums(reading, ("demo", 1), "Demo-2025", METRICS, ["country"])
    again = held_sums(reading, ("demo", 1), "Demo-2025", METRICS, ["gender"])
    assert first is not None and again is not None
    assert len(opened) == 1  # the second view added the held cells up
    held_sums(reading, ("demo", 2), "Demo-2025", METRICS, ["gender"])
    assert len(opened) == 2  # a new version reads again
    assert held_sums(reading, ("demo", 2), "No-such-wave", METRICS, []) is None
    assert held_sums(reading, ("demo", 2), "Demo-2025", METRICS, ["nope"]) is None


def test_a_wave_with_too_many_cells_is_added_up_by_the_database(
    demo_store_path, monkeypatch
):
    from analysis.store.wave_store import WaveStore

    store = WaveStore(demo_store_path)
    monkeypatch.setattr(sums_cells, "MAX_HELD_ROWS", 10)
    got = held_sums(store.reading, ("small", 1), "Demo-2025", METRICS, ["country"])
    with store.reading() as con:
        want = read_sums(con, "Demo-2025", METRICS, ["country"])
    assert got is not None and want is not None
    _same(got.frame, want.frame)
    assert not sums_cells._HELD  # nothing kept in memory


def test_held_cells_stay_within_their_memory(demo_store_path, monkeypatch):
    from analysis.store.wave_store import WaveStore

    store = WaveStore(demo_store_path)
    held_sums(store.reading, ("m", 1), "Demo-2019", METRICS, [])
    one = next(iter(sums_cells._HELD.values())).nbytes
    monkeypatch.setattr(sums_cells, "HELD_BYTES", one + one // 2)
    held_sums(store.reading, ("m", 1), "Demo-2025", METRICS, [])
    assert [k[1] for k in sums_cells._HELD] == ["Demo-2025"]  # the older one went


def test_held_cells_read_as_categories_add_up_to_the_databases_groups(any_demo_store):
    """The server's own read (keys as categories, renumbered to sorted order)."""
    with any_demo_store.reading() as con:
        every = read_sums(con, "Demo-2025", METRICS)
        assert every is not None
        for size in range(len(every.segments) + 1):
            for chosen in itertools.combinations(every.segments, size):
                got = held_sums(
                    any_demo_store.reading, ("demo", 1), "Demo-2025", METRICS, chosen
                )
                want = read_sums(con, "Demo-2025", METRICS, list(chosen))
                assert got is not None and want is not None
                _same(got.frame, want.frame)


def test_a_compact_frame_keeps_every_text_and_gap(tmp_store):
    """Categories out of order, a missing text, a number: as ``df`` gives them.

    PostgreSQL sends them as CSV: texts with its separators, quotes, a line
    break or nothing at all come back as they were.
    """
    texts = ["zeta", "Älpha", None, "beta", "zeta", "béta", "alpha", None]
    texts += ['a, "b"', "two\nlines", "", "100%", "zeta"]
    frame = pd.DataFrame({"key": texts, "value": np.arange(float(len(texts)))})
    with tmp_store.writing() as con:
        con.create_table("compact_check", frame)
    with tmp_store.reading() as con:
        con.execute("SELECT 1").fetchone()  # a result left unread must not matter
        got = con.compact_frame(
            "SELECT key, value FROM compact_check WHERE value >= ? ORDER BY value",
            [0.0],
        )
        plain = con.compact_frame(
            "SELECT key FROM compact_check WHERE key LIKE '%a%' ORDER BY value"
        )
    assert isinstance(got["key"].dtype, pd.CategoricalDtype)
    assert [None if pd.isna(v) else v for v in got["key"]] == texts
    assert got["value"].tolist() == list(np.arange(float(len(texts))))
    assert plain["key"].tolist() == [t for t in texts if t is not None and "a" in t]
    key = sums_cells._Key.of(got["key"])
    assert list(key.labels) == sorted(t for t in set(texts) if t is not None)
    assert [None if pd.isna(v) else v for v in key.values(key.codes)] == texts
