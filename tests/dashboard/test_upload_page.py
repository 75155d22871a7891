"""The Upload page in AppTest: proposals shown, edited in one go, used by the import.

AppTest cannot drop a file on ``st.file_uploader``, so the page's uploader
hands it the bytes of a real export (the upload itself, through a real
browser, is in test_browser.py and test_sandbox_browser.py). Everything else
is real: the sandboxed worker, the data editor's edit state, the store.
"""

import shutil
from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from analysis.store.wave_store import WaveStore

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "dashboard" / "app.py")
SPSS = ROOT / "tests" / "data" / "ingest" / "spss_en.sav"


class Upload:
    """What ``st.file_uploader`` returns once a file is dropped on it."""

    def __init__(self, path: Path) -> None:
        self.name, self.file_id = path.name, f"test-{path.name}"
        self._content = path.read_bytes()

    def getvalue(self) -> bytes:
        return self._content


@pytest.fixture
def store(demo_store_path, tmp_path, monkeypatch):
    """A copy of the demo store, and the SPSS export dropped on the uploader."""
    path = tmp_path / "store.duckdb"
    shutil.copyfile(demo_store_path, path)
    shutil.copyfile(f"{demo_store_path}.key", f"{path}.key")
    monkeypatch.setenv("CONFIANCE_STORE", str(path))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    monkeypatch.delenv("CONFIANCE_ACCESS", raising=False)
    real = streamlit.file_uploader

    def uploader(label, *args, **kwargs):
        if kwargs.get("key") == "deck_template":  # the export panel's own
            return real(label, *args, **kwargs)
        return Upload(SPSS)

    monkeypatch.setattr(streamlit, "file_uploader", uploader)
    return path


def open_upload(lang="en"):
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params["lang"] = lang
    app.run()
    app.switch_page("app_pages/upload.py").run()
    assert not app.exception, app.exception
    return app


def proposals(app):
    [editor] = app.data_editor
    return editor, editor.value.set_index("column")


def click(app, label):
    next(b for b in app.button if b.label == label).click().run()
    assert not app.exception, app.exception


def test_the_editor_shows_texts_answers_with_counts_roles_and_links(store):
    app = open_upload()
    assert app.success[0].value == r"spss\_en\.sav: spss export, 30 rows, 15 columns."
    _, rows = proposals(app)
    row = rows.loc["leave_unprotected"]
    assert row["text"].startswith("Would you stop buying from a brand")
    assert row["answers"] == "Yes (12) · No (8) · Don't know (9) · Refused (1)"
    assert (row["role"], row["type"], row["link"]) == ("question", "single", row.name)
    assert row["score"] == 1.0
    assert rows.loc["gender", "role"] == "segment"
    assert rows.loc["gender", "answers"] == "female (14) · male (12) · other (4)"
    assert rows.loc["resp_id", "answers"] == ""  # an id's values are not shown
    assert "Name the wave to validate it." in [i.value for i in app.info]


def test_one_role_and_one_link_changed_then_applied_reach_the_import(store):
    app = open_upload()
    app.text_input[0].set_value("Upload-1").run()
    assert "Validation report" in [s.value for s in app.subheader]
    editor, rows = proposals(app)
    position = {c: i for i, c in enumerate(rows.index)}
    app.session_state[editor.key] = {
        "edited_rows": {
            position["gender"]: {"role": "left_out"},
            position["password_reuse"]: {"link": "leave_distrust"},
        },
        "added_rows": [],
        "deleted_rows": [],
    }
    click(app, "Apply changes")
    assert "2 choice(s) of yours apply to this file." in [i.value for i in app.info]
    _, rows = proposals(app)
    assert rows.loc["gender", "role"] == "left_out"
    assert rows.loc["password_reuse", "link"] == "leave_distrust"
    click(app, r"Import Upload\-1")
    assert r"Upload\-1: 30 rows stored." in [s.value for s in app.success]
    stored = WaveStore(store).questionnaire("Upload-1")
    assert "gender" not in stored.segments and "country" in stored.segments
    linked = {q.id: q.link for q in stored.questions}
    assert linked["password_reuse"] == "leave_distrust"
    assert linked["leave_unprotected"] == "leave_unprotected"  # untouched rows kept


def test_back_to_the_proposals_forgets_the_edits(store):
    app = open_upload()
    editor, rows = proposals(app)
    app.session_state[editor.key] = {
        "edited_rows": {list(rows.index).index("country"): {"segment": "pays"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    click(app, "Apply changes")
    assert proposals(app)[1].loc["country", "segment"] == "pays"
    click(app, "Back to the proposals")
    assert proposals(app)[1].loc["country", "segment"] == "country"


def test_a_type_that_cannot_be_chosen_is_one_sentence(store):
    app = open_upload()
    editor, rows = proposals(app)
    app.session_state[editor.key] = {
        "edited_rows": {list(rows.index).index("spend_more"): {"type": "multi"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    click(app, "Apply changes")
    assert any("type 'multi' cannot be chosen" in e.value for e in app.error)


def test_the_page_speaks_french(store):
    app = open_upload("fr")
    assert any(b.label == "Appliquer les modifications" for b in app.button)
    assert "Nommez la vague pour la valider." in [i.value for i in app.info]


def test_the_page_never_detects_in_the_servers_process(store, monkeypatch):
    """Detection runs in the worker: patched out here, the page works all the same."""
    import analysis.ingest.from_file
    import analysis.ingest.prepared
    import analysis.ingest.questionnaire

    def refuse(*args, **kwargs):
        raise AssertionError("detection ran in the server's process")

    for module in (analysis.ingest.questionnaire, analysis.ingest.from_file):
        monkeypatch.setattr(module, "detect_questionnaire", refuse)
    monkeypatch.setattr(analysis.ingest.prepared, "detect_questionnaire", refuse)
    app = open_upload()
    app.text_input[0].set_value("Upload-2").run()
    assert not app.exception
    assert "Validation report" in [s.value for s in app.subheader]


def test_toplines_need_no_editor_and_import(store, monkeypatch):
    toplines = Upload(ROOT / "tests" / "data" / "ingest" / "toplines_fr.csv")
    real = streamlit.file_uploader

    def uploader(label, *args, **kwargs):
        if kwargs.get("key") == "deck_template":
            return real(label, *args, **kwargs)
        return toplines

    monkeypatch.setattr(streamlit, "file_uploader", uploader)
    app = open_upload()
    assert not app.data_editor  # published figures have no columns to map
    app.text_input[0].set_value("Tops-1").run()
    click(app, r"Import Tops\-1")
    assert any("rows stored" in s.value for s in app.success)
    assert "Tops-1" in {w.name for w in WaveStore(store).waves()}
