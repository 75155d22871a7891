"""Saved banner-table specs: stored, replaced, deleted, audited, migrated.

The migration runs on a schema-7 store written by the previous release's own
code (tests/data/store/make_schema7_store.py): its wave and analyst's metric
stay, and specs can be saved afterwards.
"""

import pytest

from analysis.errors import NameRuleError, StoreError
from analysis.store.wave_store import WaveStore
from analysis.table.banner import banner_table
from analysis.table.banner_spec import TableSpec

SPEC = TableSpec(
    rows=("share_caution", "metric:cautious"),
    banners=("country",),
    nest=(("country", "gender"),),
    arrows=True,
)


def test_save_read_replace_delete_audited(tmp_store):
    saved = tmp_store.save_table_spec("By country", SPEC, actor="ana")
    assert saved.spec == SPEC and saved.saved_by == "ana"
    other = TableSpec(rows=("q",), banners=("gender",))
    tmp_store.save_table_spec("By country", other, actor="bob")
    assert [s.name for s in tmp_store.table_specs()] == ["By country"]
    assert tmp_store.table_spec("By country").spec == other
    tmp_store.delete_table_spec("By country", actor="ana")
    assert tmp_store.table_specs() == []
    audit = tmp_store.audit()
    actions = list(audit["action"])
    assert actions.count("table_spec_save") == 2
    assert actions[-1] == "table_spec_delete"
    assert list(audit["actor"])[-1] == "ana"


def test_unknown_and_badly_named_specs_are_refused(tmp_store):
    with pytest.raises(
        StoreError, match="no table spec named 'x' \\(saved: none yet\\)"
    ):
        tmp_store.table_spec("x")
    with pytest.raises(NameRuleError):
        tmp_store.save_table_spec("=HYPERLINK()", SPEC)
    assert tmp_store.table_specs() == []


def test_schema7_store_migrates_and_keeps_its_wave_and_metric(schema7_store):
    store = WaveStore(schema7_store)
    assert [m.id for m in store.metrics()] == ["cautious"]
    assert store.table_specs() == []
    assert store.audit()["detail"].iloc[-1] == "schema 7 -> 8"
    store.save_table_spec("Caution", SPEC, actor="ana")
    # the saved spec applies to the migrated wave, the analyst's metric included
    table = banner_table(
        store.load_respondents(["Demo-2019"]),
        store.questionnaire("Demo-2019"),
        store.table_spec("Caution").spec,
        wave="Demo-2019",
        analyst_metrics=store.metrics(),
    )
    assert set(table.cells["row"]) == {"share_caution", "metric:cautious"}
    assert "country × gender" in set(table.cells["banner"])


def test_only_analysts_save_specs_under_their_own_name(demo_store_path, tmp_path):
    import shutil

    from analysis.access.people import Access, Person
    from analysis.access.store import UserStore
    from analysis.errors import AccessError

    path = tmp_path / "store.duckdb"
    shutil.copyfile(demo_store_path, path)
    shutil.copyfile(f"{demo_store_path}.key", f"{path}.key")
    viewer = UserStore(path, Access(Person("v", "v@example.com"), "viewer"))
    with pytest.raises(AccessError, match="may not"):
        viewer.save_table_spec("Mine", SPEC)
    analyst = UserStore(path, Access(Person("a", "a@example.com"), "analyst"))
    saved = analyst.save_table_spec("Mine", SPEC, actor="someone else")
    assert saved.saved_by == "a@example.com"
    assert [s.name for s in viewer.table_specs()] == ["Mine"]  # everyone may read
