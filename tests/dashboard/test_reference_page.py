"""The Reference page as AppTest runs it: caveats shown, comparisons on one geography."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


@pytest.fixture
def reference(demo_store_path, monkeypatch):
    monkeypatch.setenv("CONFIANCE_STORE", str(demo_store_path))
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params["wave"] = "Demo-2019"
    app.run()
    app.switch_page("app_pages/reference.py").run()
    assert not app.exception, app.exception
    return app


def test_published_caveats_and_geographies_are_shown(reference):
    frame = reference.dataframe[0].value
    geography = frame["Geography as published"]
    assert "not stated (probably FR)" in set(geography)
    assert "whole sample: FR, DE, GB, US" in set(geography)
    assert "ALL" not in set(geography)
    unstated = frame[geography.str.startswith("not stated")]
    assert len(unstated) == 8
    assert (unstated["Demo-2019"] == "–").all()  # never set against the wave
    assert (unstated["Comparison"] == "not compared: the geography is not stated").all()
    caveats = " ".join(frame["Caveats"])
    assert "attributed to two reports" in caveats and "probably France" in caveats
    whole = frame[geography == "whole sample: FR, DE, GB, US"]
    assert (whole["Published base"] == "6,387").all()
    assert whole["Comparison"].str.contains("z-test against").all()
    assert any("Holm-corrected across the page" in c.value for c in reference.caption)
