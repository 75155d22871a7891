"""In a real browser: a file that crashes the reader, and one that outlasts it.

The server is started with a two-second reader limit. The analyst uploads the
six-byte-corrupted .sav (a segfault in pyreadstat, which once killed the whole
server) and then a 150,000-row workbook (six seconds to read): each ends in
one sentence, while ``/_stcore/health`` keeps answering and another session
keeps working.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import openpyxl
import pytest

from analysis.auth import hash_passphrase
from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS, IDLE

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
    folder = tmp_path_factory.mktemp("sandbox_browser")
    store = folder / "store.duckdb"
    shutil.copyfile(demo_store_path, store)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {
        **os.environ,
        "CONFIANCE_STORE": str(store),
        "CONFIANCE_ANALYST_PASSWORD_HASH": hash_passphrase(PASSPHRASE),
        "CONFIANCE_READER_SECONDS": "2",
    }
    command = [sys.executable, "-m", "streamlit", "run", "dashboard/app.py"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    log = folder / "app.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not healthy(url):
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "streamlit never became healthy"
            time.sleep(0.25)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


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
