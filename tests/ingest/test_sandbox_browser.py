"""In a real browser: a file that crashes the reader, and one that outlasts it.

The server is started with a two-second reader limit. The analyst uploads the
six-byte-corrupted .sav (a segfault in pyreadstat, which once killed the whole
server) and then a 150,000-row workbook (six seconds to read): each ends in
one sentence, while ``/_stcore/health`` keeps answering and another session
keeps working.
"""

from __future__ import annotations

import io
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from analysis.auth import hash_passphrase
from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS, IDLE
from tests.dashboard.served import copy_store, serve, stop

ROOT = Path(__file__).resolve().parents[2]
CRASH = ROOT / "tests" / "data" / "ingest" / "regressions" / "spss_6_bytes_segfault.sav"
PASSPHRASE = "sandbox passphrase"
STEP_MS = 60_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api")


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as answer:
            return answer.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def server(demo_store_path, tmp_path_factory):
    """The app on a free port with a two-second reader limit; always stopped."""
    store = copy_store(demo_store_path, tmp_path_factory.mktemp("sandbox_browser"))
    env = {
        "CONFIANCE_ANALYST_PASSWORD_HASH": hash_passphrase(PASSPHRASE),
        "CONFIANCE_READER_SECONDS": "2",
    }
    app = serve(store, env=env)
    try:
        yield app.url, app.process
    finally:
        stop(app)


def slow_workbook(path: Path) -> Path:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["respondent_id", "share_caution", "country"])
    for i in range(150_000):
        sheet.append([f"r{i}", i % 5 + 1, "FR"])
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_crash_and_hang_stay_in_the_worker(server, tmp_path):
    url, process = server
    slow = slow_workbook(tmp_path / "slow.xlsx")
    expect = sync_api.expect
    expect.set_options(timeout=STEP_MS)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        analyst = browser.new_page()
        analyst.goto(url)
        analyst.wait_for_selector(IDLE, timeout=STEP_MS)
        analyst.get_by_label("Your name (for the audit trail)").fill("Sandbox Analyst")
        analyst.get_by_label("Passphrase").fill(PASSPHRASE)
        analyst.get_by_role("button", name="Sign in").click()
        expect(analyst.get_by_text("Signed in as Sandbox Analyst")).to_be_visible()
        analyst.wait_for_selector(IDLE, timeout=STEP_MS)
        # a new page load is a new session: go to Upload within this one
        analyst.locator('[data-testid="stSidebarNav"] a', has_text="Upload").click()
        analyst.wait_for_url("**/upload**", timeout=STEP_MS)
        analyst.wait_for_selector(IDLE, timeout=STEP_MS)
        uploader = analyst.locator('[data-testid="stFileUploader"] input[type=file]')
        expect(uploader).to_have_count(1)

        uploader.set_input_files(str(CRASH))
        expect(analyst.get_by_text("the file reader crashed on it")).to_be_visible()
        assert healthy(url) and process.poll() is None

        uploader.set_input_files(str(slow))
        viewer = browser.new_page()  # another session, while the reader runs
        viewer.goto(url)
        expect(viewer.get_by_role("heading", name="Overview")).to_be_visible()
        expect(
            analyst.get_by_text("reading was stopped after 2 s (the limit")
        ).to_be_visible()
        assert healthy(url) and process.poll() is None
        viewer.reload()
        expect(viewer.get_by_role("heading", name="Overview")).to_be_visible()
        browser.close()
