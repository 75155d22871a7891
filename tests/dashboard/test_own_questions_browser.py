"""The four browsing pages in real headless Chromium on the CES 2011 wave.

CES-2011 answers none of the library's questions: each page must show the
wave's own question in its own words. One app start (``streamlit run`` on a
free port, on a copy of the fixture store); a screenshot of every step lands
in tests/artifacts/browser/ for a human to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS, IDLE
from tests.dashboard.served import copy_store

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
STEP_MS = 60_000
QUESTION = "Should abortion be banned?"
RELIGION = "How important is religion in your life?"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def app_url(own_store_path, tmp_path_factory, served_app):
    """The app on a copy of the store with CES-2011, a wave without segments, CES-2015."""
    store = copy_store(own_store_path, tmp_path_factory.mktemp("own_browser"))
    return served_app(store).url


def _visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=STEP_MS)


def _no_trace(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("give this reference").count() == 0


def test_journey_through_the_four_pages_on_the_ces_wave(app_url):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expect = sync_api.expect
    expect.set_options(timeout=STEP_MS)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        _visit(page, f"{app_url}/?wave=CES-2011&question=abortion")
        expect(page.get_by_role("heading", name="Overview · CES-2011")).to_be_visible()
        expect(page.get_by_text(QUESTION).first).to_be_visible()
        expect(page.get_by_text("No library metric is linked")).to_be_visible()
        _no_trace(page)
        page.screenshot(path=str(ARTIFACTS / "own_01_overview.png"), full_page=True)

        _visit(
            page,
            f"{app_url}/segments?wave=CES-2011&question=abortion&answers=Yes&by=region",
        )
        expect(
            page.locator(".js-plotly-plot .ytick text", has_text="QC").first
        ).to_be_visible()
        titles = page.locator(
            ".js-plotly-plot text.annotation-text"
        ).all_text_contents()
        assert any("abortion" in t for t in titles), titles
        _no_trace(page)
        page.screenshot(path=str(ARTIFACTS / "own_02_segments.png"), full_page=True)

        _visit(page, f"{app_url}/trends?wave=CES-2015&question=importance&answer=very")
        expect(
            page.locator(".js-plotly-plot .xtick text", has_text="CES-2011")
        ).to_be_visible()
        expect(page.get_by_text("wording changed in CES-2015")).to_be_visible()
        _no_trace(page)
        page.screenshot(path=str(ARTIFACTS / "own_03_trends.png"), full_page=True)

        _visit(page, f"{app_url}/crosstab?wave=CES-2011&rows=importance&by=gender")
        expect(page.get_by_text(RELIGION)).to_be_visible()
        expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()
        _no_trace(page)
        page.screenshot(path=str(ARTIFACTS / "own_04_crosstab.png"), full_page=True)

        _visit(page, f"{app_url}/segments?wave=NoSegments-2012&question=importance")
        expect(
            page.get_by_text("this wave has no segment variable", exact=False)
        ).to_be_visible()
        _no_trace(page)
        page.screenshot(path=str(ARTIFACTS / "own_05_no_segments.png"), full_page=True)
        browser.close()
