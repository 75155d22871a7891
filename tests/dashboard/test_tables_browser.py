"""The Tables page in real headless Chromium: a banner table, its Excel, a deck.

After the Excel file, the journey exports the deck of the same wave's
Segments view with editable charts and reads its native charts back.

One app start for the module (``streamlit run`` on a copy of the demo store),
always stopped. The journey picks rows, a second banner, a nested banner and
arrows, downloads the Excel file and reads it back with openpyxl: its
numbers are those of :func:`analysis.table.banner.banner_table` for the same
spec. Screenshots land in tests/artifacts/browser/ (git-ignored).
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation

from analysis.store.wave_store import WaveStore
from analysis.table.banner import banner_table
from analysis.table.banner_spec import TableSpec
from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS, IDLE
from tests.dashboard.served import copy_store
from tests.dashboard.test_auth_browser import _click, _download, _open

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
WAVE = "Demo-2025"
STEP_MS = 60_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def served(demo_store_path, tmp_path_factory, served_app):
    """The app on a free port over a copy of the demo store; (url, store path)."""
    store = copy_store(demo_store_path, tmp_path_factory.mktemp("tables_browser"))
    return served_app(store).url, store


def _idle(page):
    page.wait_for_selector(IDLE, timeout=STEP_MS)


def _pick(page, label, option):
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    _idle(page)


def test_build_a_banner_table_and_download_excel(served, tmp_path):
    url, store_path = served
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        sync_api.expect.set_options(timeout=STEP_MS)
        page.goto(f"{url}/tables?wave={WAVE}")
        _idle(page)
        sync_api.expect(page.get_by_role("heading", name="Tables")).to_be_visible()
        _pick(page, "Banners", "Gender")
        _pick(page, "Nested banners", "Country × Gender")
        page.get_by_text("Arrows: each column against the rest").click()
        _idle(page)
        sync_api.expect(page.locator('[data-testid="stDataFrame"]')).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "tables_01_built.png"), full_page=True)
        with page.expect_download(timeout=STEP_MS) as download:
            page.get_by_role("button", name="Download Excel").click()
        target = tmp_path / download.value.suggested_filename
        download.value.save_as(target)
        # then the deck of the same wave's Segments view, with editable charts
        _open(page, f"{url}/segments?wave={WAVE}&by=gender")
        _click(page, page.get_by_text("PPTX, editable charts"))
        _click(page, page.get_by_role("button", name="Export deck"))
        deck = _download(page, "Download PPTX", tmp_path)
        page.screenshot(path=str(ARTIFACTS / "tables_02_deck.png"), full_page=True)
        browser.close()
    charts = [
        shape.chart
        for slide in Presentation(str(deck)).slides
        for shape in slide.shapes
        if shape.has_chart
    ]
    assert charts, "the deck holds no native chart"
    categories = {str(c) for chart in charts for c in chart.plots[0].categories}
    assert any(c.startswith(("Women", "Men")) for c in categories), categories
    assert target.name == f"table_{WAVE}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(target.read_bytes())).worksheets[0]
    assert sheet.freeze_panes == "C6"
    banners = [c.value for c in sheet[2] if c.value]
    assert banners == ["Total", "country", "gender", "country × gender"]
    store = WaveStore(store_path)
    spec = TableSpec(
        rows=("share_caution",),
        banners=("country", "gender"),
        nest=(("country", "gender"),),
        arrows=True,
    )
    table = banner_table(
        store.load_respondents([WAVE]), store.questionnaire(WAVE), spec, wave=WAVE
    )
    first = table.cells.iloc[0]  # the first answer in the Total column
    line = next(
        r
        for r in range(6, sheet.max_row + 1)
        if sheet.cell(r, 2).value == first["answer"]
    )
    assert sheet.cell(line, 3).value == pytest.approx(first["estimate"], abs=1e-12)
    assert sheet.cell(line, 3).number_format == "0%"
