"""The four browsing pages in real headless Chromium on the CES 2011 wave.

CES-2011 answers none of the library's questions: each page must show the
wave's own question in its own words. One app start (``streamlit run`` on a
free port, on a copy of the fixture store); a screenshot of every step lands
in tests/artifacts/browser/ for a human to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS, IDLE

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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(own_store_path, tmp_path_factory):
    """The app on a copy of the store with CES-2011, a wave without segments, CES-2015."""
    folder = tmp_path_factory.mktemp("own_browser")
    store = folder / "store.duckdb"
    shutil.copyfile(own_store_path, store)
    key = Path(f"{own_store_path}.key")
    if key.exists():
        shutil.copyfile(key, f"{store}.key")
    port = _free_port()
    env = {**os.environ, "CONFIANCE_STORE": str(store)}
    env.pop("CONFIANCE_ANALYST_PASSWORD_HASH", None)
    log = folder / "app.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "streamlit", "run", "dashboard/app.py"),
                *("--server.address", "127.0.0.1", "--server.port", str(port)),
                *("--server.headless", "true", "--browser.gatherUsageStats", "false"),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.25)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


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
