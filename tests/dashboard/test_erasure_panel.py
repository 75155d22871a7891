"""The Waves page purges a deleted wave and erases a respondent, each confirmed."""

import getpass
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.auth import hash_passphrase
from analysis.store.wave_store import WaveStore
from tests.store.planting import found, planted_wave, raw_bytes

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
GIVEN = "P0"
SECRET = "Onlyhere-sur-Loire"


@pytest.fixture
def store_copy(demo_store_path, tmp_path, monkeypatch):
    """A copy of the demo store this test may change."""
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_store_path, path)
    shutil.copyfile(f"{demo_store_path}.key", f"{path}.key")
    monkeypatch.setenv("CONFIANCE_STORE", str(path))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    # a small wave is stored uncompressed, so its bytes can be searched for
    towns = [SECRET, *(f"Ordinary-{i}" for i in range(1, 10))]
    ids = [f"P{i}" for i in range(10)]
    WaveStore(path).add_wave(planted_wave("Planted-1", ids, towns, seed=4))
    return path


def _waves_page():
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params["lang"] = "en"
    app.run()
    app.switch_page("app_pages/waves.py").run()
    assert not app.exception, app.exception
    return app


def _shown(element) -> str:
    """An element's text as the reader sees it (wave names are escaped markdown)."""
    return element.value.replace("\\", "")


def _click(app, label):
    [button] = [b for b in app.button if b.label == label]
    button.click().run()
    assert not app.exception, app.exception


def _raw(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}.wal")) if p.exists())


def test_purge_with_the_name_typed_removes_the_deleted_wave(store_copy):
    store = WaveStore(store_copy)
    store.delete_wave("Planted-1", actor="test")
    planted = [store.pseudonym_key().pseudonym(GIVEN), SECRET]
    assert found(raw_bytes(store_copy), planted) == planted
    app = _waves_page()
    assert app.selectbox(key="purge_wave").value == "Planted-1"
    app.text_input(key="purge_confirm").input("Planted-1")
    _click(app, "Purge for good")
    assert any("Planted-1 purged: 10 rows erased" in _shown(s) for s in app.success)
    names = [w.name for w in WaveStore(store_copy).waves(include_deleted=True)]
    assert "Planted-1" not in names
    assert "Demo-2025" in names
    assert found(raw_bytes(store_copy), planted) == []
    last = WaveStore(store_copy).audit().iloc[-1]
    assert (last["action"], last["wave"], last["actor"]) == (
        "purge",
        "Planted-1",
        f"local:{getpass.getuser()}",  # the machine's user, named (issue 15)
    )


def test_a_wrong_confirmation_purges_nothing(store_copy):
    store = WaveStore(store_copy)
    store.delete_wave("Planted-1", actor="test")
    trail = len(store.audit())
    app = _waves_page()
    app.text_input(key="purge_confirm").input("Planted-2")
    _click(app, "Purge for good")
    assert any("nothing was purged" in e.value for e in app.error)
    assert WaveStore(store_copy).wave("Planted-1").deleted_at is not None
    assert len(WaveStore(store_copy).audit()) == trail


def test_an_analyst_erases_a_respondent_by_the_id_given(store_copy):
    store = WaveStore(store_copy)
    assert dict(store.find_respondent(GIVEN).rows) == {"Planted-1": 1}
    pseudonym = store.pseudonym_key().pseudonym(GIVEN)
    assert found(raw_bytes(store_copy), [pseudonym]) == [pseudonym]
    app = _waves_page()
    app.text_input(key="erase_id").input(GIVEN)
    app.text_input(key="erase_confirm").input("P1")
    _click(app, "Erase this respondent")
    assert any("nothing was erased" in e.value for e in app.error)
    assert WaveStore(store_copy).find_respondent(GIVEN).total == 1
    app.text_input(key="erase_id").input(GIVEN)
    app.text_input(key="erase_confirm").input(GIVEN)
    _click(app, "Erase this respondent")
    [done] = [_shown(s) for s in app.success if "Erased" in s.value]
    assert done == "Erased 1 row(s) from Planted-1 (1); the store file was rewritten."
    assert GIVEN not in done and pseudonym not in done
    assert WaveStore(store_copy).find_respondent(GIVEN).total == 0
    assert found(raw_bytes(store_copy), [pseudonym]) == []
    last = WaveStore(store_copy).audit().iloc[-1]
    assert (last["action"], last["actor"]) == (
        "erase-respondent",
        f"local:{getpass.getuser()}",  # the machine's user, named (issue 15)
    )


def test_a_viewer_sees_no_erasure_controls(store_copy, monkeypatch):
    monkeypatch.setenv(
        "CONFIANCE_ANALYST_PASSWORD_HASH", hash_passphrase("analyst passphrase 1")
    )
    WaveStore(store_copy).delete_wave("Planted-1", actor="test")
    app = _waves_page()
    labels = {b.label for b in app.button}
    assert not labels & {"Purge for good", "Erase this respondent"}
    keys = {w.key for w in app.text_input}
    assert not keys & {"purge_confirm", "erase_id", "erase_confirm"}
    assert not any(e.label == "Erase for good" for e in app.expander)
