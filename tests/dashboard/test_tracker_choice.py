"""The analyst's choice of tracker link, stored with the audit trail (issue 11)."""

import pytest

from analysis.table.trackers import tracker


def test_the_analysts_choice_is_stored_audited_and_followed(own_store_path, tmp_path):
    import shutil
    from pathlib import Path

    from analysis.errors import StoreError
    from analysis.store.trackers import choose_tracked
    from analysis.store.wave_store import WaveStore

    path = tmp_path / "store.duckdb"
    shutil.copyfile(own_store_path, path)
    if Path(f"{own_store_path}.key").exists():
        shutil.copyfile(f"{own_store_path}.key", f"{path}.key")
    store = WaveStore(path)
    before = store.audit()
    # CES-2015's abortion question is said to be CES-2011's religion one: refused
    # (another type), and nothing changes
    with pytest.raises(StoreError, match="a tracker links questions of one type"):
        choose_tracked(store, "CES-2015", "abortion", ("CES-2011", "importance"))
    assert len(store.audit()) == len(before)
    choose_tracked(
        store, "CES-2015", "importance", ("CES-2011", "importance"), actor="ana"
    )
    assert store.questionnaire("CES-2015").question("importance").tracks == "importance"
    audit = store.audit()
    last = audit[audit.action == "tracker"].iloc[-1]
    assert (last.actor, last.wave) == ("ana", "CES-2015")
    assert "CES-2011:importance" in last.detail
    waves = [(w.meta, store.questionnaire(w.name)) for w in store.waves()]
    series = tracker("CES-2015", "importance", waves)
    assert [(s.wave, s.how) for s in series] == [
        ("CES-2011", "choice"),
        ("CES-2015", "self"),
    ]
