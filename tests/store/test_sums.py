"""The store keeps per-cell sums of each respondent wave, and views read them.

Sums are computed in SQL when a wave is stored, when an older store is
migrated (a store written by the release before them, 356a45d), and again
when a respondent is erased; a purge drops them. A view answered from them
gives the rows' EstimateTable (:func:`analysis.table.estimate.estimate`).
"""

import json
import shutil

import duckdb
import numpy as np
import pandas as pd
import pytest

from analysis.methods import INTERVAL_METHODS
from analysis.store.schema import SCHEMA_VERSION
from analysis.store.sums import MAX_SEGMENTS, compute_sums, read_sums, segment_levels
from analysis.store.wave import Wave, WaveMeta
from analysis.store.wave_store import WaveStore
from analysis.table.estimate import estimate
from analysis.table.rows import EstimateOptions
from analysis.table.sums_view import estimate_from_sums
from tests.stats.test_from_sums import assert_same
from tests.store.conftest import STORE_DATA

SEED = json.loads((STORE_DATA / "schema5_sums_seed.json").read_text())


@pytest.fixture
def demo_store(any_demo_store):
    """The demo store in DuckDB and in PostgreSQL: the same SQL sums on both."""
    return any_demo_store


@pytest.fixture
def demo_copy(demo_store_path, tmp_path):
    """A copy of the demo store that a test may change."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_store_path, path)
    shutil.copy(f"{demo_store_path}.key", f"{path}.key")
    return WaveStore(path)


def _catalogue(store):
    with store.reading() as con:
        return con.execute(
            "SELECT wave, weighting, state, cells FROM cell_sums ORDER BY wave"
        ).fetchall()


def test_every_stored_respondent_wave_has_its_sums(demo_store):
    rows = _catalogue(demo_store)
    assert [(w, s) for w, _, s, _ in rows] == [
        ("Demo-2017", "ready"),
        ("Demo-2019", "ready"),
        ("Demo-2025", "ready"),
    ]
    for wave, _, _, cells in rows:
        frame = demo_store.load_respondents([wave])
        segments = ["country", "age_band", "gender"]
        assert cells == len(frame.groupby(segments, dropna=False))


VIEWS = [
    # (by, filters)
    ((), {}),
    (("country",), {}),
    (("age_band", "gender"), {"country": ["FR", "DE"]}),
    (("gender",), {"age_band": ["18-24"], "country": ["US"]}),
]


@pytest.mark.parametrize(("by", "filters"), VIEWS)
@pytest.mark.parametrize("method", INTERVAL_METHODS)
def test_a_view_from_sums_is_the_view_from_rows(demo_store, by, filters, method):
    waves = ["Demo-2019", "Demo-2025"]
    opts = EstimateOptions(method=method)
    want = estimate(demo_store, waves, None, by, filters, opts)
    got = estimate_from_sums(demo_store, waves, None, by, filters, opts)
    assert_same(got, want)


def test_an_unweighted_view_from_sums(demo_store):
    opts = EstimateOptions(weighted=False)
    want = estimate(demo_store, ["Demo-2017"], None, ["country"], options=opts)
    got = estimate_from_sums(demo_store, ["Demo-2017"], None, ["country"], None, opts)
    assert_same(got, want)


def test_segment_levels_read_from_the_sums_are_those_of_the_rows(demo_store):
    for wave in ["Demo-2017", "Demo-2019", "Demo-2025"]:
        rows = demo_store.load_respondents([wave])
        want = {
            var: sorted(str(v) for v in rows[var].dropna().unique())
            for var in ["country", "age_band", "gender"]
        }
        with demo_store.reading() as con:
            assert segment_levels(con, wave) == want
        assert demo_store.segment_levels(wave) == want


def test_what_the_sums_do_not_cover_reads_the_rows(demo_store):
    # a question as a segment, a toplines wave
    assert estimate_from_sums(demo_store, ["Demo-2019"], by=["share_caution"]) is None
    assert estimate_from_sums(demo_store, ["RSA-2019"]) is None


def test_the_previous_release_store_gets_sums_at_migration(schema5_store):
    store = WaveStore(schema5_store)
    assert [w.name for w in store.waves(include_deleted=True)] == ["Demo-2019", "S5-B"]
    assert [(w, s) for w, _, s, _ in _catalogue(store)] == [
        ("Demo-2019", "ready"),
        ("S5-B", "ready"),
    ]
    con = duckdb.connect(str(schema5_store), read_only=True)
    version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'")
    assert version.fetchone()[0] == str(SCHEMA_VERSION)
    con.close()
    got = estimate_from_sums(
        store, ["Demo-2019"], by=["age_band"], filters={"country": ["FR"]}
    )
    want = pd.DataFrame(SEED)  # as the previous release estimated from the rows
    assert (
        got[list(want.columns)[:3]].values.tolist() == want.iloc[:, :3].values.tolist()
    )
    assert got["flag"].tolist() == want["flag"].tolist()
    for column in ["n", "n_eff", "deff", "estimate", "se", "ci_low", "ci_high"]:
        np.testing.assert_allclose(
            got[column].to_numpy(dtype=float, na_value=np.nan),
            want[column].to_numpy(dtype=float),
            rtol=1e-12,
            atol=1e-12,
            err_msg=column,
        )


def _small(name, ids, countries, sha):
    data = pd.DataFrame(
        {
            "respondent_id": ids,
            "weight": np.linspace(0.5, 2.0, len(ids)),
            "country": countries,
            "ethical_use": pd.array([1, 2] * (len(ids) // 2), dtype="Int16"),
        }
    )
    meta = WaveMeta(
        name=name, kind="respondents", source="t", file_name="t.csv", file_sha256=sha
    )
    return Wave(meta=meta, data=data)


def test_erasure_recomputes_the_sums_and_purge_drops_them(tmp_store):
    store = tmp_store
    ids = [f"r{i}" for i in range(12)]
    store.add_wave(_small("A", ids, ["FR", "DE"] * 6, "a" * 64))
    store.erase_respondent("r0")
    want = estimate(store, ["A"], ["ethical_use_possible"], ["country"])
    got = estimate_from_sums(store, ["A"], ["ethical_use_possible"], ["country"])
    assert_same(got, want)
    assert got["n"].tolist()[0] == 11
    store.delete_wave("A")
    store.purge_wave("A")
    with store.reading() as con:
        assert con.execute("SELECT count(*) FROM cell_sums").fetchone()[0] == 0
        tables = con.tables()
    assert not [t for t in tables if t.startswith("sums_")]


def test_beyond_the_caps_a_wave_has_no_sums(tmp_store):
    store = tmp_store
    store.add_wave(_small("A", [f"r{i}" for i in range(4)], ["FR"] * 4, "b" * 64))
    with store.writing() as con:
        questionnaire = json.loads(
            con.execute("SELECT questionnaire FROM waves").fetchone()[0]
        )
        questionnaire["segments"] = ["country"] * (MAX_SEGMENTS + 1)
        con.execute("UPDATE waves SET questionnaire = ?", [json.dumps(questionnaire)])
        assert compute_sums(con, "A") == "too_many_segments"
        assert read_sums(con, "A", ["ethical_use_possible"]) is None


def test_library_codes_stored_as_text_have_sums_equal_to_the_rows(tmp_store):
    """A file in the library's codes whose codes came as text (" 1", "2.0", "DK").

    PostgreSQL refused the sums' SQL (text compared with numbers) and the
    import failed; the rows' route reads such codes as numbers.
    """
    from dataclasses import replace

    from analysis.ingest.demo import demo_waves
    from analysis.library.codebook import load_codebook

    wave = demo_waves(load_codebook())[0]
    data = wave.data.head(3000).copy()
    questions = [c for c in data.columns if str(data[c].dtype) == "Int16"]
    rng = np.random.default_rng(5)
    for q in questions:
        text = data[q].astype(object).map(lambda v: None if pd.isna(v) else str(v))
        spaced = rng.random(len(text)) < 0.2
        text[spaced] = text[spaced].map(lambda v: None if v is None else f" {v}.0")
        text[rng.random(len(text)) < 0.02] = "DK"
        data[q] = text.astype(object)
    meta = replace(wave.meta, name="Text-codes", file_sha256="e" * 64)
    tmp_store.add_wave(Wave(meta=meta, data=data), actor="test")
    assert ("Text-codes", "weight", "ready") in [
        (w, g, s) for w, g, s, _ in _catalogue(tmp_store)
    ]
    want = estimate(tmp_store, ["Text-codes"], None, ["country"])
    got = estimate_from_sums(tmp_store, ["Text-codes"], None, ["country"])
    assert_same(got, want)


def test_segment_levels_keep_a_value_whose_respondents_answered_nothing(
    demo_store_path, store_location
):
    """One metric's cells hold every value: a cell's ``rows`` count the silent too.

    France's respondents answer nothing at all, Germany's only the last
    question: both are still levels, on both backends.
    """
    demo = WaveStore(demo_store_path)
    rows = demo.load_respondents(["Demo-2025"]).drop(columns=["wave"])
    questionnaire = demo.questionnaire("Demo-2025")
    asked = [q.id for q in questionnaire.questions]
    rows.loc[rows["country"] == "FR", asked] = np.nan
    rows.loc[rows["country"] == "DE", asked[:-1]] = np.nan
    meta = WaveMeta(
        name="Silent",
        kind="respondents",
        source="the demo's 2025 wave, France silent, for tests",
        file_name="silent.csv",
        file_sha256="5" * 64,
    )
    store = WaveStore(store_location)
    store.add_wave(Wave(meta, rows, questionnaire), actor="tests")
    want = {
        var: sorted(str(v) for v in rows[var].dropna().unique())
        for var in questionnaire.segments
    }
    assert {"FR", "DE"} <= set(want["country"])
    with store.reading() as con:
        assert segment_levels(con, "Silent") == want
