"""Purge and respondent erasure leave no byte of what they removed in the store.

The measure is the store's raw bytes on disk (a DuckDB file; a PostgreSQL
database's table files, after ``VACUUM FULL``): planted ids' pseudonyms and
planted answers (``hometown`` values) are found there before, and not after.
"""

import pytest

from analysis.errors import StoreError
from tests.store.planting import found, planted_wave, store_bytes

A_TOWNS = [f"Purgeville-{i:02d}" for i in range(20)]
B_TOWNS = [f"Keepton-{i:02d}" for i in range(20)]
A_IDS = [f"A-{i:02d}" for i in range(20)]
B_IDS = [f"B-{i:02d}" for i in range(20)]


@pytest.fixture
def two_waves(tmp_store):
    """Waves A and B, each with its own planted ids and answers."""
    tmp_store.add_wave(planted_wave("A", A_IDS, A_TOWNS, seed=1), actor="ana")
    tmp_store.add_wave(planted_wave("B", B_IDS, B_TOWNS, seed=2), actor="ana")
    return tmp_store


def test_purge_leaves_no_byte_of_the_wave(two_waves):
    store = two_waves
    key = store.pseudonym_key()
    a_ids, b_ids = key.pseudonyms(A_IDS), key.pseudonyms(B_IDS)
    before = store_bytes(store)
    # the search finds what is stored (else the test below would prove nothing)
    assert found(before, A_TOWNS + a_ids) == A_TOWNS + a_ids
    store.delete_wave("A", actor="ana")
    # a soft delete keeps every byte: it is reversible
    assert found(store_bytes(store), A_TOWNS) == A_TOWNS
    purged = store.purge_wave("A", actor="bob")
    assert purged.row_count == 20
    after = store_bytes(store)
    assert found(after, A_TOWNS + a_ids) == []
    assert found(after, B_TOWNS + b_ids) == B_TOWNS + b_ids
    assert [w.name for w in store.waves(include_deleted=True)] == ["B"]
    audit = store.audit()
    assert audit[["action", "wave", "actor"]].values.tolist()[-1] == [
        "purge",
        "A",
        "bob",
    ]


def test_purge_frees_the_name_and_the_file_fingerprint(two_waves):
    store = two_waves
    again = planted_wave("A", A_IDS, A_TOWNS, seed=1)
    store.delete_wave("A")
    with pytest.raises(StoreError, match="deleted; restore or purge it first"):
        store.add_wave(again)
    store.purge_wave("A")
    store.add_wave(again)
    assert store.wave("A").row_count == 20


def test_purge_needs_a_deleted_wave_and_changes_nothing_otherwise(two_waves):
    before = (two_waves.version, len(two_waves.audit()), two_waves.waves())
    with pytest.raises(StoreError, match="must be deleted before it can be purged"):
        two_waves.purge_wave("A")
    assert (two_waves.version, len(two_waves.audit()), two_waves.waves()) == before


def test_purge_needs_a_deleted_wave_and_leaves_the_file_alone(duck_store):
    duck_store.add_wave(planted_wave("A", A_IDS, A_TOWNS, seed=1))
    before = duck_store.path.read_bytes()
    with pytest.raises(StoreError, match="must be deleted before it can be purged"):
        duck_store.purge_wave("A")
    assert duck_store.path.read_bytes() == before


def test_erasing_a_respondent_removes_them_from_every_wave(tmp_store):
    store = tmp_store
    towns = [f"Ordinary-{i}" for i in range(10)]
    secret_town = "Onlyhere-sur-Loire"
    ids = [f"R{i}" for i in range(10)]
    store.add_wave(planted_wave("W1", ids, [secret_town, *towns[1:]], seed=1))
    store.add_wave(planted_wave("W2", ids[:5], [secret_town, *towns[1:5]], seed=2))
    store.add_wave(planted_wave("W3", ids[5:], towns[5:], seed=3))
    store.delete_wave("W2")  # a deleted wave is not spared
    pseudonym = store.pseudonym_key().pseudonym("R0")
    assert found(store_bytes(store), [pseudonym, secret_town]) == [
        pseudonym,
        secret_town,
    ]
    assert dict(store.find_respondent("R0").rows) == {"W1": 1, "W2": 1}

    erased = store.erase_respondent("R0", actor="dpo")

    assert dict(erased.rows) == {"W1": 1, "W2": 1}
    assert (erased.total, erased.waves_searched) == (2, 3)
    assert found(store_bytes(store), ["R0", pseudonym, secret_town]) == []
    assert [w.row_count for w in store.waves(include_deleted=True)] == [9, 4, 5]
    assert len(store.load_respondents(["W1"])) == 9
    others = store.pseudonym_key().pseudonyms(ids[1:])
    assert found(store_bytes(store), others) == others
    audit = store.audit().tail(2)
    assert audit[["action", "wave", "actor", "rows"]].values.tolist() == [
        ["erase-respondent", "W1", "dpo", 1],
        ["erase-respondent", "W2", "dpo", 1],
    ]
    # the audit never names the person, neither as given nor as a pseudonym
    assert "R0" not in audit.to_string() and pseudonym not in audit.to_string()


def test_erasing_an_unknown_id_changes_no_wave_and_is_audited(two_waves):
    erased = two_waves.erase_respondent("nobody", actor="dpo")
    assert (erased.total, erased.waves_searched) == (0, 2)
    assert [w.row_count for w in two_waves.waves()] == [20, 20]
    last = two_waves.audit().iloc[-1]
    assert (last["action"], last["wave"], last["rows"]) == ("erase-respondent", "*", 0)
