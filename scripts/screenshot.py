"""Screenshot pages of a running Confiance app in headless Chromium (for the README).

Usage: python scripts/screenshot.py URL OUT.png [--width 1400] [--height 1000]
Waits until Streamlit has finished running the page before taking the picture.
"""

from __future__ import annotations

import argparse
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# Chromium as root on a machine with no network but the package registries:
# without the background-networking flags it keeps dialling out and failing.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
"""The app is idle: Streamlit has finished running the page."""


def capture(url: str, out: Path, width: int, height: int, full_page: bool) -> None:
    from playwright.sync_api import sync_playwright  # only when capturing

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(url)
        page.wait_for_selector(IDLE, timeout=60_000)
        page.wait_for_timeout(1500)  # let charts finish drawing
        page.wait_for_selector(IDLE, timeout=60_000)
        page.screenshot(path=str(out), full_page=full_page)
        browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("out", type=Path)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--full-page", action="store_true")
    args = parser.parse_args()
    capture(args.url, args.out, args.width, args.height, args.full_page)
    print(args.out)
