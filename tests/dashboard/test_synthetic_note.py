"""The pages' warning on synthetic data: calibrated for the demo's waves only.

The demo's waves (``python -m analysis demo``) are calibrated to the published
RSA 2019 and Segment 2017 figures, and their warning says so; any other
synthetic wave (here the Demo-2025 rows stored again as a benchmark would)
is only said to be synthetic.
"""

import shutil
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from analysis.names import markdown_safe
from analysis.store.origin import is_demo
from analysis.store.wave import Wave, WaveMeta
from analysis.store.wave_store import WaveStore
from tests.dashboard.test_app import APP

CALIBRATED = {
    "en": "calibrated to the published RSA 2019 and Segment 2017 figures",
    "fr": "calées sur les chiffres publiés RSA 2019 et Segment 2017",
}
PLAIN = {
    "en": "Synthetic data: no real respondent is behind these numbers.",
    "fr": "Données synthétiques : aucun vrai répondant derrière ces chiffres.",
}


@pytest.fixture(scope="module")
def bench_store_path(demo_store_path, tmp_path_factory):
    """The demo store and a synthetic wave that is not the demo's, "Bench-2026"."""
    path = tmp_path_factory.mktemp("bench") / "store.duckdb"
    shutil.copyfile(demo_store_path, path)
    shutil.copyfile(f"{demo_store_path}.key", f"{path}.key")
    store = WaveStore(path)
    demo = store.wave("Demo-2025").meta
    data = store.load_respondents(["Demo-2025"]).drop(columns=["wave"], errors="ignore")
    data["respondent_id"] = [f"B-{i}" for i in range(len(data))]
    meta = WaveMeta(
        name="Bench-2026",
        kind="respondents",
        source="benchmark: Demo-2025 resampled",
        file_name="bench (generated)",
        file_sha256="b" * 64,
        fieldwork_start=date(2026, 3, 2),
        fieldwork_end=date(2026, 3, 16),
        countries=demo.countries,
        synthetic=True,
        sample_type="opt_in",
    )
    store.add_wave(Wave(meta=meta, data=data), actor="tests")
    assert is_demo(demo) and not is_demo(meta)
    return path


@pytest.fixture
def app(bench_store_path, monkeypatch):
    monkeypatch.setenv("CONFIANCE_STORE", str(bench_store_path))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    return AppTest.from_file(APP, default_timeout=90)


def _open(app, page, wave, lang):
    app.query_params["wave"] = wave
    app.query_params["lang"] = lang
    app.run()
    if page != "overview.py":
        app.switch_page(f"app_pages/{page}").run()
    assert not app.exception, app.exception
    assert app.title[0].value.endswith(f"· {markdown_safe(wave)}")
    return app


def _notes(app, page):
    """The synthetic-data notes: the Overview's warning, the Segments' caption."""
    shown = app.warning if page == "overview.py" else app.caption
    return [e.value for e in shown if "ynth" in e.value]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("page", ["overview.py", "segments.py"])
def test_the_demo_wave_says_it_is_calibrated(app, page, lang):
    [note] = _notes(_open(app, page, "Demo-2025", lang), page)
    assert CALIBRATED[lang] in note


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("page", ["overview.py", "segments.py"])
def test_another_synthetic_wave_claims_no_calibration(app, page, lang):
    [note] = _notes(_open(app, page, "Bench-2026", lang), page)
    assert note.endswith(PLAIN[lang])
    assert CALIBRATED[lang] not in note
