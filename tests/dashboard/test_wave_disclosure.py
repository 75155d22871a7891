"""The Waves page edits a wave's sample type and disclosure, audited; Upload asks it."""

import getpass
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.auth import hash_passphrase
from analysis.store.wave_store import WaveStore

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def store_copy(demo_store_path, tmp_path, monkeypatch):
    """A copy of the demo store this test may change."""
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_store_path, path)
    shutil.copyfile(f"{demo_store_path}.key", f"{path}.key")
    monkeypatch.setenv("CONFIANCE_STORE", str(path))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    return path


def _waves_page(lang="en"):
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params["lang"] = lang
    app.run()
    app.switch_page("app_pages/waves.py").run()
    assert not app.exception, app.exception
    return app


def test_an_analyst_describes_a_wave_and_the_trail_says_so(store_copy):
    app = _waves_page()
    table = app.dataframe[0].value
    assert table.set_index("Wave").loc["Demo-2025", "Sample"] == "Opt-in panel"
    assert table.set_index("Wave").loc["RSA-2019", "Sample"] == "Not stated"
    app.selectbox(key="sample_type_RSA-2019").set_value("probability")
    app.text_input(key="sponsor_RSA-2019").input("RSA Security")
    app.text_area(key="limitations_RSA-2019").input(
        "Figures as quoted by a press article"
    )
    [save] = [b for b in app.button if b.label == "Save the description of RSA-2019"]
    save.click().run()
    assert not app.exception, app.exception
    assert any("RSA-2019: description saved." in s.value for s in app.success)
    store = WaveStore(store_copy)
    meta = store.wave("RSA-2019").meta
    assert meta.sample_type == "probability"
    assert meta.disclosure.sponsor == "RSA Security"
    assert meta.disclosure.limitations == "Figures as quoted by a press article"
    assert store.wave("Demo-2025").meta.sample_type == "opt_in"  # one wave only
    last = store.audit().iloc[-1]
    assert (last["action"], last["wave"], last["actor"]) == (
        "describe",
        "RSA-2019",
        f"local:{getpass.getuser()}",  # this machine's user, named since issue 15
    )
    assert last["detail"] == "sample_type unknown -> probability; sponsor; limitations"
    shown = app.dataframe[0].value.set_index("Wave")
    assert shown.loc["RSA-2019", "Sample"] == "Probability sample"


def test_the_form_speaks_french(store_copy):
    app = _waves_page("fr")
    box = app.selectbox(key="sample_type_Demo-2025")
    assert box.label == "Type d'échantillon"
    assert box.value == "opt_in"
    assert "Panel à adhésion volontaire" in box.options
    assert app.text_input(key="sponsor_Demo-2025").label == "Commanditaire"


def test_a_viewer_cannot_describe_a_wave(store_copy, monkeypatch):
    monkeypatch.setenv(
        "CONFIANCE_ANALYST_PASSWORD_HASH", hash_passphrase("analyst passphrase 1")
    )
    app = _waves_page()
    assert not [b for b in app.button if b.label.startswith("Save the description")]
    with pytest.raises(KeyError):
        app.selectbox(key="sample_type_Demo-2025")
