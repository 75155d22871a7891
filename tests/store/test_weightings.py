"""Named weightings in the store: kept apart from the respondents, audited, erased.

A weighting's values are stored by respondent pseudonym in their own table;
purging a wave or erasing a respondent removes them too, byte for byte (the
store file's raw bytes, as tests/store/test_erasure.py measures them).
"""

import numpy as np
import pandas as pd
import pytest

from analysis.errors import NameRuleError, StoreError
from analysis.ingest.targets import parse_targets
from analysis.table.weighted import weigh_wave
from tests.store.planting import found, planted_wave, raw_bytes

A_IDS = [f"WA-{i:02d}" for i in range(20)]
B_IDS = [f"WB-{i:02d}" for i in range(20)]
TARGETS = {"country": {"FR": 0.3, "DE": 0.7}, "source": "made up for the test"}


@pytest.fixture
def weighted(tmp_store):
    """Waves A and B, A with a raking to country shares named ``raked``."""
    tmp_store.add_wave(planted_wave("A", A_IDS, [f"a{i}" for i in range(20)]))
    tmp_store.add_wave(planted_wave("B", B_IDS, [f"b{i}" for i in range(20)], seed=2))
    weigh_wave(
        tmp_store, "A", parse_targets(TARGETS), TARGETS, name="raked", actor="ana"
    )
    return tmp_store


def _weights_rows(store, wave):
    with store.reading() as con:
        return con.execute(
            "SELECT count(*) FROM weights WHERE wave = ?", [wave]
        ).fetchone()[0]


def test_a_weighting_is_stored_beside_the_respondents(weighted):
    store = weighted
    assert [(w.name, w.is_default) for w in store.weightings("A")] == [
        ("file", True),
        ("raked", False),
    ]
    raked = store.weighting("A", "raked")
    assert raked.source == "made up for the test"
    assert raked.targets == TARGETS
    assert raked.calibration[0]["columns"] == ["country"]
    values = store.weights("A", "raked")
    rows = store.load_respondents(["A"])
    assert sorted(values["respondent_id"]) == sorted(rows["respondent_id"])
    by_id = dict(zip(values.respondent_id, values.weight, strict=True))
    w = rows["respondent_id"].map(by_id)
    shares = w.groupby(rows["country"]).sum() / w.sum()
    assert shares.to_dict() == pytest.approx({"DE": 0.7, "FR": 0.3}, abs=1e-12)
    # the respondents' own weight column is the file's weighting, untouched
    assert "raked" not in rows.columns
    audit = store.audit()
    assert audit[["action", "wave", "actor"]].values.tolist()[-1] == [
        "weighting_add",
        "A",
        "ana",
    ]


def test_deleting_a_weighting_never_touches_the_respondents(weighted):
    store = weighted
    before = store.load_respondents(["A"])
    store.set_default_weighting("A", "raked", actor="ana")
    assert store.weighting("A").name == "raked"
    store.delete_weighting("A", "raked", actor="bob")
    pd.testing.assert_frame_equal(store.load_respondents(["A"]), before)
    assert store.weighting("A").name == "file"
    assert _weights_rows(store, "A") == 0
    actions = store.audit()[["action", "detail"]].values.tolist()[-3:]
    assert actions == [
        ["weighting_default", "raked"],
        ["weighting_delete", "raked"],
        ["weighting_default", "file"],
    ]


@pytest.mark.parametrize(
    ("name", "error", "match"),
    [
        ("raked", StoreError, "already has a weighting named 'raked'"),
        ("=cmd", NameRuleError, "weighting"),
    ],
)
def test_a_taken_or_bad_name_stores_nothing(weighted, name, error, match):
    store = weighted
    before = len(store.audit())
    with pytest.raises(error, match=match):
        weigh_wave(store, "A", parse_targets(TARGETS), TARGETS, name=name)
    assert [w.name for w in store.weightings("A")] == ["file", "raked"]
    assert _weights_rows(store, "A") == 20
    assert len(store.audit()) == before


def test_the_file_weighting_cannot_be_deleted(weighted):
    with pytest.raises(StoreError, match="cannot be deleted"):
        weighted.delete_weighting("A", "file")


def test_purge_removes_the_wave_s_weights_to_the_last_byte(weighted):
    store = weighted
    a_ids = store.pseudonym_key().pseudonyms(A_IDS)
    store.delete_wave("A")
    store.purge_wave("A")
    assert found(raw_bytes(store.path), a_ids) == []
    with store.reading() as con:
        left = con.execute(
            "SELECT count(*) FROM weightings WHERE wave = 'A'"
        ).fetchone()[0]
    assert left == 0 and _weights_rows(store, "A") == 0
    assert [w.name for w in store.weightings("B")] == ["file"]


def test_erasing_a_respondent_removes_their_weights(weighted):
    store = weighted
    gone = store.pseudonym_key().pseudonym(A_IDS[3])
    assert found(raw_bytes(store.path), [gone]) == [gone]
    erased = store.erase_respondent(A_IDS[3], actor="dpo")
    assert dict(erased.rows) == {"A": 1}
    assert found(raw_bytes(store.path), [gone]) == []
    values = store.weights("A", "raked")
    assert len(values) == 19 and gone not in set(values["respondent_id"])
    assert np.isfinite(values["weight"]).all()
