"""The dashboard in real headless Chromium: a user's journey, and a phone-sized look.

The module starts the app itself (``streamlit run`` on a free port, on a copy of
the demo store, with an analyst passphrase set) and always stops it. Screenshots
of every step land in tests/artifacts/browser/ (git-ignored) for a human to look
at when a step fails.

Streamlit redraws in place: during a rerun the old chart stays until the new one
is drawn. So each step waits for the text it expects and then for the app to be
idle (``data-test-script-state="notRunning"`` on ``stApp``), never for a delay.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.auth import hash_passphrase
from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS, IDLE
from tests.dashboard.served import copy_store

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
UPLOAD = ROOT / "tests" / "data" / "ingest" / "csv_fr_bom_comma.csv"  # 30 rows
PASSPHRASE = "browser journey passphrase"
NEW_WAVE = "Journey-2026"
# the demo store's latest wave; the journey adds a later one, so pages that
# must show the demo name it in the URL rather than rely on the default
DEMO_WAVE = "Demo-2025"
STEP_MS = 60_000  # generous ceiling for one step on a cold, busy machine

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def app_url(demo_store_path, tmp_path_factory, served_app):
    """The app served on a free port, on a copy of the demo store the journey fills."""
    # its pseudonym key goes with it, or the journey's import is refused
    store = copy_store(demo_store_path, tmp_path_factory.mktemp("browser"))
    env = {"CONFIANCE_ANALYST_PASSWORD_HASH": hash_passphrase(PASSPHRASE)}
    return served_app(store, env=env).url


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for the module."""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def shots(request):
    """Save a numbered screenshot of a page under tests/artifacts/browser/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = request.node.originalname.removeprefix("test_")

    def shot(page, step: str, *, full_page: bool = False) -> Path:
        path = ARTIFACTS / f"{prefix}_{step}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return shot


def _idle(page) -> None:
    page.wait_for_selector(IDLE, timeout=STEP_MS)


def _open(page, url: str) -> None:
    page.goto(url)
    _idle(page)


def _nav(page, name: str) -> None:
    page.locator('[data-testid="stSidebarNav"] a', has_text=name).click()
    page.wait_for_url(f"**/{name.lower()}**", timeout=STEP_MS)
    _idle(page)


def _chart_text(page, selector: str) -> list[str]:
    return page.locator(f".js-plotly-plot {selector}").all_text_contents()


def test_journey_segments_login_upload_trends(app_url, chromium, shots):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    expect = sync_api.expect
    expect.set_options(timeout=STEP_MS)

    _open(page, app_url)
    expect(page.get_by_role("heading", name=f"Overview · {DEMO_WAVE}")).to_be_visible()
    shots(page, "01_overview")

    # Segments, by country (the default), then by age band
    _nav(page, "Segments")
    expect(
        page.locator(".js-plotly-plot .ytick text", has_text="France")
    ).to_have_count(1)
    assert not any("18-24" in label for label in _chart_text(page, ".ytick text"))
    shots(page, "02_segments_country")
    page.get_by_role("combobox", name="Segment variable").click()
    page.get_by_role("option", name="Age band").click()
    expect(
        page.locator(".js-plotly-plot .ytick text", has_text="18-24 (A)").first
    ).to_be_visible()
    _idle(page)
    labels = _chart_text(page, ".ytick text")
    assert "65+ (F)" in labels
    assert not any("France" in label for label in labels)
    assert "by=age_band" in page.url  # the view is in the link
    shots(page, "03_segments_age_band")

    # Upload is not even listed until the analyst signs in, with a name
    nav = page.locator('[data-testid="stSidebarNav"] a', has_text="Upload")
    assert nav.count() == 0
    page.get_by_label("Your name (for the audit trail)").fill("Journey Analyst")
    page.get_by_label("Passphrase").fill("not the passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Wrong passphrase.")).to_be_visible()
    page.wait_for_timeout(1_100)  # one failure: a second's wait before the next try
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Journey Analyst (admin).")).to_be_visible()
    _idle(page)
    shots(page, "04_logged_in")
    _nav(page, "Upload")

    # Upload: file → wave name → validation report → import
    uploader = page.locator('[data-testid="stFileUploader"] input[type=file]')
    uploader.set_input_files(str(UPLOAD))
    expect(page.get_by_text(f"{UPLOAD.name}: csv export, 30 rows")).to_be_visible()
    name = page.get_by_label("Wave name")
    name.fill(NEW_WAVE)
    name.press("Enter")
    expect(page.get_by_role("heading", name="Validation report")).to_be_visible()
    _idle(page)
    assert page.get_by_text("block the import").count() == 0
    shots(page, "05_validated", full_page=True)
    page.get_by_role("combobox", name="Sample type").click()
    page.get_by_role("option", name="Probability sample").click()
    _idle(page)
    page.get_by_role("button", name=f"Import {NEW_WAVE}").click()
    expect(page.get_by_text(f"{NEW_WAVE}: 30 rows stored.")).to_be_visible()
    shots(page, "06_imported")

    # Trends: the new wave is among the waves and on the chart's x axis
    _nav(page, "Trends")
    chips = page.locator('[data-testid="stMultiSelect"]', has_text="Waves")
    expect(chips).to_contain_text(NEW_WAVE)
    expect(
        page.locator(".js-plotly-plot .xtick text", has_text=NEW_WAVE)
    ).to_be_visible()
    assert _chart_text(page, ".xtick text")[-1] == NEW_WAVE  # stored last, drawn last
    shots(page, "07_trends")

    # Waves: the new wave is a probability sample, as the upload said
    _nav(page, "Waves")
    page.get_by_text(f"{NEW_WAVE} · ").click()
    _idle(page)
    box = page.locator('[data-testid="stExpander"]', has_text=NEW_WAVE)
    chosen = box.get_by_role("combobox", name="Sample type")
    expect(chosen).to_have_value("Probability sample")
    shots(page, "08_waves")
    page.close()


PHONE_PAGES = [
    # (screenshot name, path and query, words of the first chart's title)
    ("overview", "", "expect personalisation"),  # the tension chart
    ("segments", "segments?by=age_band", "would turn away"),
]


PHONE = {
    # what a phone's browser tells the server: its size and a mobile user agent
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
    "user_agent": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
    ),
}


def _phone_chart(chromium, app_url, path, title):
    """A phone-sized page at the demo wave, scrolled to its first chart's title."""
    page = chromium.new_page(**PHONE)
    sep = "&" if "?" in path else "?"
    _open(page, f"{app_url}/{path}{sep}wave={DEMO_WAVE}")
    heading = page.locator(".js-plotly-plot text.annotation-text", has_text=title)
    sync_api.expect(heading.first).to_be_attached(timeout=STEP_MS)
    # plotly redraws its annotations when the responsive chart settles into its
    # width, which can detach the node found a moment before: find it again
    for _ in range(10):
        try:
            heading.first.scroll_into_view_if_needed(timeout=5_000)
            break
        except sync_api.Error:
            page.wait_for_timeout(300)
    _idle(page)
    return page, heading.first


@pytest.mark.parametrize(("step", "path", "title"), PHONE_PAGES)
def test_phone_sized_pages_do_not_overflow(app_url, chromium, shots, step, path, title):
    page, heading = _phone_chart(chromium, app_url, path, title)
    shots(page, step)  # the page scrolls inside stMain: a full-page shot adds nothing
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, innerWidth]"
    )
    assert scroll_width <= inner_width + 1, f"{step} scrolls sideways on a phone"
    sync_api.expect(heading).to_be_visible()
    box = heading.bounding_box()
    assert box is not None and 0 <= box["x"] < inner_width, "title starts off screen"
    page.close()


@pytest.mark.parametrize(("step", "path", "title"), PHONE_PAGES)
def test_phone_chart_title_fits_the_chart(app_url, chromium, step, path, title):
    page, heading = _phone_chart(chromium, app_url, path, title)
    overhang = heading.evaluate(
        """title => title.getBoundingClientRect().right
            - title.closest('.js-plotly-plot').getBoundingClientRect().right"""
    )
    page.close()
    assert overhang <= 1, f"the title runs {overhang:.0f} px past the chart"


def test_the_slide_comes_from_the_journaled_button_not_the_camera(
    app_url, chromium, tmp_path
):
    """Plotly's camera is gone; "PNG slide" gives the 1920×1080 slide, journaled."""
    import numpy as np
    from PIL import Image

    page = chromium.new_page(
        viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    _open(
        page, f"{app_url}/segments?wave={DEMO_WAVE}&by=country&metric=churn_unprotected"
    )
    chart = page.locator(".js-plotly-plot").first
    chart.hover()
    assert chart.locator(".modebar-btn").count()  # zoom and reset stay
    assert chart.locator('.modebar-btn[data-title^="Download plot"]').count() == 0
    with page.expect_download(timeout=STEP_MS) as download:
        page.get_by_role("button", name="PNG slide").first.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    page.close()
    assert path.name.endswith(f"_{DEMO_WAVE}_country.png")
    image = Image.open(path)
    assert image.size == (1920, 1080)
    pixels = np.asarray(image.convert("L"), dtype=float)
    assert pixels.std() > 10  # text and marks, not a blank page


ARRIVALS = """(() => {
  window.__charts = [];
  new MutationObserver(() => {
    const found = '.st-key-plotly_preload, [data-testid="stPlotlyChart"]';
    for (const el of document.querySelectorAll(found)) {
      if (el.dataset.seen || el.closest('.st-key-plotly_preload') !== null
          && !el.matches('.st-key-plotly_preload')) continue;
      el.dataset.seen = '1';
      window.__charts.push(el.matches('.st-key-plotly_preload') ? 'hidden' : 'chart');
    }
  }).observe(document, {subtree: true, childList: true});
})();"""
"""Records, in order, the hidden chart's box and each visible plotly element as they
reach the page (a plotly element shows once the browser has plotly's code)."""


FETCHED = """(parts) => parts.map(part => {
  const seen = performance.getEntriesByType('resource').filter(e => e.name.includes(part));
  return seen.length ? Math.min(...seen.map(e => e.startTime)) : null;
})"""
"""When the page first asked for a URL containing each part (ms; null: never)."""


def test_a_first_visit_loads_plotly_before_its_first_chart_then_leaves_no_trace(
    app_url, chromium
):
    """The hidden chart first, gone once the page is drawn; none on the next page.

    The session's next page is a rerun whose browser has plotly already.
    """
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(ARRIVALS)
    page = context.new_page()
    _open(page, f"{app_url}/segments?wave={DEMO_WAVE}&by=country")
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=STEP_MS)
    arrived = page.evaluate("window.__charts")
    assert arrived[0] == "hidden" and "chart" in arrived
    # the page's HTML had the plotly hint: fetched before Streamlit's first ping
    plotly, ping = page.evaluate(FETCHED, ["PlotlyChart.", "_stcore/health"])
    assert plotly is not None and ping is not None and plotly < ping
    assert page.locator(".st-key-plotly_preload").count() == 0
    visible = page.locator('[data-testid="stPlotlyChart"]').first
    assert visible.bounding_box()["height"] > 100
    _nav(page, "Trends")  # the same session: a rerun, not a new page load
    assert "hidden" not in page.evaluate("window.__charts")[len(arrived) :]
    assert page.locator('[data-testid="stPlotlyChart"]').count() > 0
    context.close()


HEATMAP_LABELS = """() => {
  const plot = [...document.querySelectorAll('.js-plotly-plot')]
    .find(el => el.data && el.data[0] && el.data[0].type === 'heatmap');
  if (!plot) return null;
  const boxes = (selector) => [...plot.querySelectorAll(selector)]
    .map(t => t.getBoundingClientRect());
  const columns = boxes('.xtick text').sort((a, b) => a.left - b.left);
  const rows = boxes('.ytick text').sort((a, b) => a.top - b.top);
  return {rows: plot.data[0].y.length, shown: rows.length,
          columns_apart: columns.every((b, i) => i === 0 || columns[i - 1].right <= b.left),
          rows_apart: rows.every((b, i) => i === 0 || rows[i - 1].bottom <= b.top + 1),
          inside: rows.every(b => b.left >= 0) && columns.every(b => b.top >= 0)};
}"""
"""The Segments heatmap's rows, how many row labels plotly drew, and whether its
labels stand apart and inside the page (plotly drops row labels too close to
each other, and overlaps those that are not)."""


@pytest.mark.parametrize(
    ("screen", "viewport"), [("laptop", (1280, 900)), ("phone", (390, 844))]
)
def test_the_segments_heatmap_labels_every_row_and_column(
    app_url, chromium, shots, screen, viewport
):
    width, height = viewport
    context = chromium.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    compact = "1" if screen == "phone" else "0"
    url = f"{app_url}/segments?wave={DEMO_WAVE}&by=country&lang=fr&compact={compact}"
    _open(page, url)
    page.wait_for_function(f"({HEATMAP_LABELS})() !== null", timeout=STEP_MS)
    heatmap = page.locator(".js-plotly-plot").last
    heatmap.evaluate("e => e.scrollIntoView({block: 'start'})")
    labels = page.evaluate(HEATMAP_LABELS)
    shots(page, f"segments_heatmap_{screen}")
    assert labels["rows"] >= 15  # the demo's every metric
    assert labels["shown"] == labels["rows"]
    assert labels["rows_apart"] and labels["columns_apart"] and labels["inside"]
    context.close()


def test_a_first_visit_to_a_page_without_charts_gets_no_hidden_chart(app_url, chromium):
    """A page may stop early (``st.stop``), and then nothing could take it away."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(ARRIVALS)
    page = context.new_page()
    _open(page, f"{app_url}/waves")
    page.get_by_text("Demo-2025").first.wait_for(timeout=STEP_MS)
    assert page.evaluate("window.__charts") == []
    assert page.locator(".js-plotly-plot").count() == 0
    assert page.evaluate(FETCHED, ["PlotlyChart."])[0] is None  # nor the hint
    context.close()
