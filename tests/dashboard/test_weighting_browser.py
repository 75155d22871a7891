"""The Weighting page in real headless Chromium: a targets file uploaded, a weighting made.

The module starts the app itself (``streamlit run`` on a free port, on a copy
of the demo store, no sign-in configured: this machine's user is admin) and
always stops it. Screenshots land in tests/artifacts/browser/ (git-ignored).
"""

from __future__ import annotations

import json
import os

import pytest

from analysis.store.wave_store import WaveStore
from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS, IDLE
from tests.dashboard.served import copy_store
from tests.dashboard.test_browser import ARTIFACTS, STEP_MS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason=f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api")
TARGETS = {
    "source": "shares made up for the browser test",
    "age_band": {
        "18-24": 0.12,
        "25-34": 0.17,
        "35-44": 0.17,
        "45-54": 0.17,
        "55-64": 0.16,
        "65+": 0.21,
    },
    "gender": {"female": 0.5, "male": 0.49, "other": 0.01},
}


@pytest.fixture(scope="module")
def served(demo_store_path, tmp_path_factory, served_app):
    """The app on a free port, on a copy of the demo store; url, store, its folder."""
    store = copy_store(demo_store_path, tmp_path_factory.mktemp("weighting_browser"))
    return served_app(store).url, store, store.parent


def test_a_targets_file_uploaded_becomes_a_weighting(served):
    url, store, folder = served
    targets = folder / "targets.json"
    targets.write_text(json.dumps(TARGETS))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expect = sync_api.expect
    expect.set_options(timeout=STEP_MS)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{url}/weighting?wave=Demo-2019&weighting=census")
        page.wait_for_selector(IDLE, timeout=STEP_MS)
        expect(page.get_by_text("Largest margin gap")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "weighting_01_census.png"))
        page.get_by_role("tab", name="Upload a targets file").click()
        page.locator('input[type="file"]').set_input_files(str(targets))
        page.wait_for_selector(IDLE, timeout=STEP_MS)
        name = page.get_by_label("Name of the weighting")
        name.fill("uploaded")
        name.press("Enter")
        page.wait_for_selector(IDLE, timeout=STEP_MS)
        page.get_by_role("button", name="Weight the wave").click()
        expect(page.get_by_text("Weighting uploaded stored.")).to_be_visible()
        page.wait_for_selector(IDLE, timeout=STEP_MS)
        page.screenshot(
            path=str(ARTIFACTS / "weighting_02_uploaded.png"), full_page=True
        )
        browser.close()
    stored = WaveStore(store).weighting("Demo-2019", "uploaded")
    assert stored.source == TARGETS["source"]
    assert stored.targets == TARGETS
    gaps = stored.diagnostics["margins"]
    for variable, shares in TARGETS.items():
        if variable == "source":
            continue
        for cell in gaps[variable]:
            assert cell["weighted_share"] == pytest.approx(
                shares[cell["category"]], abs=1e-10
            )
