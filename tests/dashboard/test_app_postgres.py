"""Every page of the dashboard renders on a PostgreSQL store as on DuckDB's file."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.test_app import APP, PAGES, _open


@pytest.fixture
def pg_app(demo_pg_url, pg_key, monkeypatch):
    monkeypatch.setenv("CONFIANCE_STORE", demo_pg_url)
    monkeypatch.delenv("CONFIANCE_ANALYST_PASSWORD_HASH", raising=False)
    return AppTest.from_file(APP, default_timeout=90)


@pytest.mark.postgres
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_postgres(pg_app, page):
    _open(pg_app, page)
