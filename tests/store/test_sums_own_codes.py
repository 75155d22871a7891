"""Waves in their own codes, with their own designs, get sums views read.

Every respondent file of tests/data/ingest/ is imported as the upload page
imports it (read, questionnaire detected, links to the library, the file's
weight, strata and PSUs); each wave's view from the store's cell sums equals
the view from its rows (:func:`analysis.table.estimate.estimate`), which
itself reads the questions' links and the stored design.
"""

from pathlib import Path

import pytest

from analysis.ingest.from_file import prepare_file_wave
from analysis.ingest.readers import read_survey
from analysis.store.wave_store import WaveStore
from analysis.table.estimate import estimate
from analysis.table.rows import EstimateOptions
from analysis.table.sums_view import estimate_from_sums
from tests.stats.test_from_sums import assert_same
from tests.table.test_library_links import FILES

DATA = Path(__file__).parents[1] / "data" / "ingest"


@pytest.fixture(scope="module")
def store(tmp_path_factory, codebook_module):
    """Every respondent file of tests/data/ingest/, imported once."""
    store = WaveStore(tmp_path_factory.mktemp("own") / "own.duckdb")
    for i, (name, sheet) in enumerate(FILES):
        raw = read_survey(DATA / name, sheet=sheet)
        result = prepare_file_wave(raw, codebook_module, f"W{i}")
        if result.report.ok:
            store.add_wave(result.wave, actor="test")
    return store


@pytest.fixture(scope="module")
def codebook_module():
    """The library, once for the module's imports."""
    from analysis.library.codebook import load_codebook

    return load_codebook()


def test_the_files_are_stored_with_sums(store):
    with store.reading() as con:
        states = dict(con.execute("SELECT wave, state FROM cell_sums").fetchall())
    assert len(states) >= 10
    assert set(states.values()) <= {"ready", "no_metrics"}
    assert list(states.values()).count("ready") >= 8


def test_a_designed_wave_is_split_by_stratum_and_psu(store):
    with store.reading() as con:
        designs = [d for (d,) in con.execute("SELECT design FROM cell_sums").fetchall()]
    assert any('"strata": "' in d and '"cluster": "' in d for d in designs)


@pytest.mark.parametrize("method", ["wilson", "logit", "clopper-pearson"])
def test_every_wave_from_sums_is_the_wave_from_rows(store, method, codebook_module):
    opts = EstimateOptions(method=method, thresholds=(5, 2, 0))
    checked = 0
    with store.reading() as con:
        ready = [
            w
            for (w,) in con.execute(
                "SELECT wave FROM cell_sums WHERE state = 'ready' ORDER BY wave"
            ).fetchall()
        ]
    for wave in ready:
        segments = list(store.segment_levels(wave))
        for by in [[], segments[:1], segments[-1:]]:
            want = estimate(
                store, [wave], None, by, options=opts, codebook=codebook_module
            )
            got = estimate_from_sums(
                store, [wave], None, by, None, opts, codebook_module
            )
            assert_same(got, want)
            checked += 1
    assert checked >= 8
