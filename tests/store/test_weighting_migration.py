"""A schema-5 store (made by 356a45d's own code) gets named weightings.

tests/data/store/make_schema5_store.py wrote the store and, with the same old
code, the seed metrics of its demo wave by country. Migrated, each respondent
wave's one weight becomes its default weighting, named ``file``, and the
estimates under it are those the old release gave.
"""

import json

import duckdb
import pytest

from analysis.errors import StoreError
from analysis.ingest.targets import read_targets
from analysis.store.schema import SCHEMA_VERSION
from analysis.store.wave_store import WaveStore
from analysis.table.estimate import estimate
from analysis.table.rows import EstimateOptions
from analysis.table.weighted import weigh_wave
from tests.store.conftest import STORE_DATA

SEED = json.loads((STORE_DATA / "schema5_seed.json").read_text())
TARGETS = STORE_DATA.parents[2] / "data" / "reference" / "targets_demo.json"


def _version(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'"
        ).fetchone()[0]
    finally:
        con.close()


def test_each_wave_s_weight_becomes_its_default_weighting(schema5_weights_store):
    assert _version(schema5_weights_store) == "5"
    store = WaveStore(schema5_weights_store)
    demo = store.weightings("Demo-2019")
    assert [(w.name, w.method, w.is_default) for w in demo] == [("file", "file", True)]
    assert store.weighting("Demo-2019").name == "file"
    assert _version(schema5_weights_store) == str(SCHEMA_VERSION) == "8"
    # the deleted wave got its weighting too, seen once it is restored
    with pytest.raises(StoreError, match="deleted"):
        store.weightings("S5-B")
    store.restore_wave("S5-B", actor="test")
    assert [w.name for w in store.weightings("S5-B")] == ["file"]
    audit = store.audit()
    assert "schema 5 -> 8" in audit["detail"].tolist()


def test_old_estimates_hold_under_the_default_weighting(schema5_weights_store):
    store = WaveStore(schema5_weights_store)
    table = estimate(store, ["Demo-2019"], by=["country"])
    assert len(table) == len(SEED)
    for got, want in zip(table.to_dict("records"), SEED, strict=True):
        assert (got["metric"], got["segment_value"]) == (
            want["metric"],
            want["segment_value"],
        )
        assert got["weighting"] == "file"
        for key in ("n", "estimate", "se", "ci_low", "ci_high"):
            assert got[key] == pytest.approx(want[key], rel=1e-12, abs=1e-15), key


def test_a_migrated_wave_takes_a_raked_weighting(schema5_weights_store):
    store = WaveStore(schema5_weights_store)
    raw = json.loads(TARGETS.read_text())
    stored, fitted = weigh_wave(
        store, "Demo-2019", read_targets(TARGETS), raw, name="census", actor="t"
    )
    assert stored.method == "rake by group" and not stored.is_default
    plain = estimate(store, ["Demo-2019"], ["share_with_caution"])
    raked = estimate(
        store,
        ["Demo-2019"],
        ["share_with_caution"],
        options=EstimateOptions(weighting="census"),
    )
    assert raked["weighting"].tolist() == ["census"]
    assert plain["weighting"].tolist() == ["file"]
    assert raked["estimate"].iloc[0] != pytest.approx(plain["estimate"].iloc[0])
    assert fitted.max_margin_gap <= 1e-12
