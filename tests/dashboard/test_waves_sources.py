"""The Waves page tells each wave's source in the page's language.

The store is the one the previous release wrote for an upload without a
source (tests/data/store/make_upload_store.py): "upload of <file>".
"""

import gzip
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.test_app import APP

STORE = Path(__file__).parents[1] / "data" / "store" / "upload.duckdb.gz"
FILE = "qualtrics_fr_text.csv"


@pytest.fixture
def app(tmp_path, monkeypatch):
    path = tmp_path / "upload.duckdb"
    with gzip.open(STORE) as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    monkeypatch.setenv("CONFIANCE_STORE", str(path))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    return AppTest.from_file(APP, default_timeout=90)


@pytest.mark.parametrize(
    ("lang", "source"), [("en", f"upload of {FILE}"), ("fr", f"import de {FILE}")]
)
def test_the_waves_table_gives_an_uploads_source_in_the_page_language(
    app, lang, source
):
    app.query_params["lang"] = lang
    app.run()
    app.switch_page("app_pages/waves.py").run()
    assert not app.exception, app.exception
    [table] = [t.value for t in app.dataframe if "Source" in t.value.columns]
    assert list(table["Source"]) == [source]
