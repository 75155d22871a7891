"""Signing in through a real OpenID Connect provider, in headless Chromium.

One provider (``oidc-provider-mock``, on loopback over plain HTTP) and one
app start serve the whole module; each person signs in in a browser context of
their own. The browser visits ``localhost``, the host of the configured
``redirect_uri``: ``127.0.0.1`` would fail silently. Screenshots land in
tests/artifacts/browser/auth_*.png.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis.access.grants import Grants
from analysis.access.journal import Journal
from analysis.access.policy import Policy, Rule, save_policy
from analysis.store.wave_store import WaveStore
from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS, IDLE
from tests.dashboard.served import copy_store, free_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts" / "browser"
UPLOAD = ROOT / "tests" / "data" / "ingest" / "csv_fr_bom_comma.csv"  # 30 rows
STEP_MS = 60_000
OTHERS = ("Germany", "United Kingdom", "United States")
PEOPLE = {
    # sub: (claims, role the access file gives)
    "vera@example.com": {"email": "vera@example.com", "name": "Vera Viewer"},
    "ana@example.com": {"email": "ana@example.com", "name": "Ana Analyst"},
    "marie@example.com": {
        "email": "marie@example.com",
        "name": "Marie Manager",
        "groups": ["country-managers-fr"],
    },
    "ada@example.com": {"email": "ada@example.com", "name": "Ada Admin"},
}
RULES = (
    Rule("ada@example.com", "admin"),
    Rule("ana@example.com", "analyst"),
    Rule(
        "group:country-managers-fr", "viewer", Grants.of(segments={"country": ["FR"]})
    ),
    Rule("@example.com", "viewer"),
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason=f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)",
    ),
]
sync_api = pytest.importorskip("playwright.sync_api")
provider_mock = pytest.importorskip("oidc_provider_mock")


@pytest.fixture(scope="module")
def provider():
    """The identity provider, with the journey's people one click away."""
    users = [provider_mock.User(sub=sub, claims=c) for sub, c in PEOPLE.items()]
    with provider_mock.run_server_in_thread(port=free_port(), user_claims=users) as s:
        yield f"http://localhost:{s.server_port}"


@pytest.fixture(scope="module")
def site(demo_store_path, provider, tmp_path_factory, served_app):
    """The app on a copy of the demo store, signing in through ``provider``."""
    folder = tmp_path_factory.mktemp("auth_browser")
    store = copy_store(demo_store_path, folder)
    access = save_policy(Policy(rules=RULES), folder / "access.yaml")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        'cookie_secret = "a cookie secret for this journey only"\n'
        "[auth.company]\n"
        'client_id = "confiance"\n'
        'client_secret = "journey-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    app = served_app(
        store,
        env={"CONFIANCE_ACCESS": str(access)},
        args=["--secrets.files", str(secrets)],
        port=port,
    )
    url = f"http://localhost:{port}"
    return {"url": url, "store": store, "access": access, "log": app.log}


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for the module."""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"auth_{name}.png"))


# Quiet: the script has finished, nothing is stale (being redrawn), the status
# widget ("Running…") is gone, the socket is up, and all of it has held for
# QUIET_MS: a rerun that a click has asked for but not yet started would
# otherwise pass for idle, and the next click land on elements being replaced.
_QUIET = """quietMs => {
  const app = document.querySelector('[data-testid="stApp"]');
  const busy = !app
    || app.getAttribute('data-test-script-state') !== 'notRunning'
    || app.getAttribute('data-test-connection-state') !== 'CONNECTED'
    || document.querySelector('[data-testid="stStatusWidget"], [data-stale="true"]');
  const now = performance.now();
  if (busy || window.__quietSince === undefined) {
    window.__quietSince = busy ? undefined : now;
    return false;
  }
  return now - window.__quietSince >= quietMs;
}"""
QUIET_MS = 400


def _settle(page) -> None:
    """Wait until Streamlit has finished every rerun asked for, and stays so."""
    page.evaluate("window.__quietSince = undefined")
    page.wait_for_function(_QUIET, arg=QUIET_MS, polling=100, timeout=STEP_MS)


def _click(page, target) -> None:
    """Click ``target`` once the page is quiet and it is enabled."""
    _settle(page)
    sync_api.expect(target).to_be_enabled(timeout=STEP_MS)
    target.click()


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=STEP_MS)
    _settle(page)


def _sign_in(chromium, site, provider, sub: str):
    """A fresh browser context signed in as ``sub`` through the provider."""
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    _open(page, site["url"])
    _click(page, page.get_by_role("button", name="Sign in with Company"))
    page.wait_for_url(f"{provider}/oauth2/authorize**", timeout=STEP_MS)
    page.get_by_role("button", name=sub).click()
    page.wait_for_url(f"{site['url']}/**", timeout=STEP_MS)
    _settle(page)
    name = PEOPLE[sub]["name"]
    sync_api.expect(page.get_by_text(f"Signed in as {name}")).to_be_visible(
        timeout=STEP_MS
    )
    return context, page


def _listed(page, name: str) -> bool:
    """Whether the sidebar's navigation lists a page (its links hold an icon too)."""
    links = page.locator('[data-testid="stSidebarNav"] a').all_text_contents()
    assert any("Overview" in link for link in links), links
    return any(link.endswith(name) for link in links)


def _main_uploaders(page) -> int:
    return page.locator('[data-testid="stMain"] [data-testid="stFileUploader"]').count()


def _chart_texts(page) -> str:
    page.wait_for_timeout(500)  # plotly lays its labels out after the run
    return " ".join(page.locator(".js-plotly-plot text").all_text_contents())


def test_nothing_shows_before_sign_in_and_sign_out_ends_the_session(
    chromium, site, provider
):
    page = chromium.new_page()
    _open(page, site["url"])
    sync_api.expect(
        page.get_by_role("button", name="Sign in with Company")
    ).to_be_visible()
    assert page.locator(".js-plotly-plot").count() == 0
    _shot(page, "01_sign_in")
    page.close()
    context, page = _sign_in(chromium, site, provider, "vera@example.com")
    _click(page, page.get_by_role("button", name="Sign out"))
    page.wait_for_url(f"{provider}/oauth2/end_session**", timeout=STEP_MS)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{site['url']}/**", timeout=STEP_MS)
    _settle(page)
    sync_api.expect(
        page.get_by_role("button", name="Sign in with Company")
    ).to_be_visible()
    _shot(page, "02_signed_out")
    context.close()
    actions = Journal.beside(site["store"]).entries()
    vera = actions[actions["actor"] == "vera@example.com"]["action"].tolist()
    assert vera[-2:] == ["sign-in", "sign-out"]


def test_a_viewer_sees_no_upload_and_no_analyst_action_anywhere(
    chromium, site, provider
):
    context, page = _sign_in(chromium, site, provider, "vera@example.com")
    assert not _listed(page, "Upload")
    _shot(page, "03_viewer_overview")
    _open(page, f"{site['url']}/upload")  # typing the URL by hand
    assert _main_uploaders(page) == 0
    _open(page, f"{site['url']}/waves")
    sync_api.expect(page.get_by_role("heading", name="Waves")).to_be_visible()
    assert page.get_by_role("button", name="Delete").count() == 0
    for name in ("Delete Demo-2025", "Audit trail", "Roles and access"):
        assert page.get_by_text(name).count() == 0, name
    _shot(page, "04_viewer_waves")
    context.close()


def test_an_analyst_uploads_a_file_under_their_name(chromium, site, provider):
    context, page = _sign_in(chromium, site, provider, "ana@example.com")
    assert _listed(page, "Upload")
    _open(page, f"{site['url']}/upload")
    expect = sync_api.expect
    page.locator(
        '[data-testid="stFileUploader"] input[type=file]'
    ).first.set_input_files(str(UPLOAD))
    expect(page.get_by_text(f"{UPLOAD.name}: csv export, 30 rows")).to_be_visible(
        timeout=STEP_MS
    )
    name = page.get_by_label("Wave name")
    _settle(page)
    name.fill("Auth-2026")
    name.press("Enter")
    expect(page.get_by_role("heading", name="Validation report")).to_be_visible(
        timeout=STEP_MS
    )
    _click(page, page.get_by_role("button", name="Import Auth-2026"))
    expect(page.get_by_text("Auth-2026: 30 rows stored.")).to_be_visible(
        timeout=STEP_MS
    )
    _shot(page, "05_analyst_imported")
    context.close()
    audit = WaveStore(site["store"]).audit()
    added = audit[audit["wave"] == "Auth-2026"]
    assert added[["action", "actor"]].values.tolist() == [["add", "ana@example.com"]]


def _fetched(page, button: str) -> bytes:
    """What a download made on click (Streamlit's deferred data) gives the browser."""
    target = page.get_by_role("button", name=button).first
    try:
        with page.expect_download(timeout=STEP_MS) as got:
            _click(page, target)
    except sync_api.TimeoutError:
        said = page.locator('[data-testid="stDownloadButtonError"]').all_inner_texts()
        pytest.fail(f"{button}: no download; the button said {said}")
    return Path(got.value.path()).read_bytes()


def _download(page, button: str, folder: Path) -> Path:
    target = page.get_by_role("button", name=button).first
    target.wait_for(timeout=STEP_MS * 2)  # a deck is built before its button shows
    with page.expect_download(timeout=STEP_MS) as download:
        _click(page, target)
    path = folder / download.value.suggested_filename
    download.value.save_as(path)
    return path


def test_a_country_manager_sees_france_only_everywhere(
    chromium, site, provider, tmp_path
):
    context, page = _sign_in(chromium, site, provider, "marie@example.com")
    url = site["url"]
    sync_api.expect(page.get_by_text("You see: country FR")).to_be_visible()
    # segments and their heatmap, even when the URL names other countries
    _open(page, f"{url}/segments?wave=Demo-2025&by=country&f_country=DE,GB")
    texts = _chart_texts(page)
    assert "France" in texts and not [c for c in OTHERS if c in texts], texts
    _shot(page, "06_manager_segments")
    # the deck of that view, with editable charts: their data name France only
    _click(page, page.get_by_text("PPTX, editable charts"))
    _click(page, page.get_by_role("button", name="Export deck"))
    _shot(page, "06b_manager_deck")
    deck = _download(page, "Download PPTX", tmp_path)
    from pptx import Presentation

    words = []
    for slide in Presentation(str(deck)).slides:
        for shape in slide.shapes:
            if shape.has_chart:
                for plot in shape.chart.plots:
                    words += [str(c) for c in plot.categories]
            if shape.has_text_frame:
                words.append(shape.text_frame.text)
    deck_text = " ".join(words)
    assert "France" in deck_text and not [c for c in OTHERS if c in deck_text]
    # trends
    _open(page, f"{url}/trends")
    texts = _chart_texts(page)
    assert not [c for c in OTHERS if c in texts], texts
    _shot(page, "07_manager_trends")
    # the crosstab and its downloads, asked by URL for the country columns
    _open(page, f"{url}/crosstab?wave=Demo-2025&by=country&f_country=DE")
    _shot(page, "08_manager_crosstab")
    table = _fetched(page, "Download CSV").decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(table)))
    assert any("France" in h or "FR" in h for h in header), header
    assert not [h for h in header if any(c in h for c in (*OTHERS, "DE", "GB", "US"))]
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(_fetched(page, "Download Excel")))
    cells = " ".join(
        str(c) for row in book.active.iter_rows(values_only=True) for c in row if c
    )
    assert "France" in cells or "FR" in cells
    assert not [c for c in OTHERS if c in cells]
    context.close()
    journal = Journal.beside(site["store"]).entries()
    exports = journal[
        (journal["actor"] == "marie@example.com") & (journal["action"] == "export")
    ]
    assert {"crosstab CSV", "crosstab Excel", "deck"} <= {
        word for detail in exports["detail"] for word in _kinds(detail)
    }
    # five page loads, five sessions, one sign-in
    marie = journal[journal["actor"] == "marie@example.com"]
    assert marie["action"].tolist().count("sign-in") == 1, marie


def _kinds(detail: str) -> set[str]:
    return {k for k in ("crosstab CSV", "crosstab Excel", "deck") if k in detail}


def test_an_admin_changes_a_role_and_it_applies_at_the_next_page_load(
    chromium, site, provider
):
    vera_context, vera = _sign_in(chromium, site, provider, "vera@example.com")
    assert not _listed(vera, "Upload")
    context, page = _sign_in(chromium, site, provider, "ada@example.com")
    _open(page, f"{site['url']}/waves")
    _click(page, page.get_by_text("Roles and access"))
    page.get_by_label("Who: an e-mail, @domain, group:NAME or *").fill(
        "vera@example.com"
    )
    # the radio is re-created when a redraw lands on the click: click its label
    # once the page is quiet, until it holds
    form = page.locator('[data-testid="stForm"]')
    radio = form.get_by_role("radio", name="analyst", exact=True)
    for _ in range(3):
        _settle(page)
        form.get_by_text("analyst", exact=True).click()
        if radio.is_checked():
            break
    sync_api.expect(radio).to_be_checked()
    _click(page, page.get_by_role("button", name="Save the rule"))
    _settle(page)
    _shot(page, "09_admin_saved")
    sync_api.expect(
        page.get_by_text("Saved: added vera@example.com: analyst.")
    ).to_be_visible(timeout=STEP_MS)
    _shot(page, "09_admin_roles")
    _click(page, page.get_by_text("Audit trail"))
    _settle(page)
    _shot(page, "10_admin_audit")
    vera.reload()
    _settle(vera)
    sync_api.expect(
        vera.locator('[data-testid="stSidebarNav"] a', has_text="Upload")
    ).to_be_visible(timeout=STEP_MS)
    _shot(vera, "11_viewer_now_analyst")
    vera_context.close()
    context.close()
    journal = Journal.beside(site["store"]).entries()
    roles = journal[journal["action"] == "roles"]
    assert roles["actor"].tolist() == ["ada@example.com"]


def _toolbar_labels(page, table) -> list[str]:
    """The labels of a table's own toolbar, shown while the pointer is over it."""
    table.scroll_into_view_if_needed()
    table.hover()
    buttons = page.locator('[data-testid="stElementToolbarButton"] button')
    sync_api.expect(buttons.first).to_be_visible(timeout=STEP_MS)
    return [b.get_attribute("aria-label") or b.inner_text() for b in buttons.all()]


def test_no_page_lets_the_browser_export_data_unjournaled(chromium, site, provider):
    """No camera on charts, no CSV icon on tables: every export is a journaled button."""
    context, page = _sign_in(chromium, site, provider, "ada@example.com")
    links = page.locator('[data-testid="stSidebarNav"] a')
    urls = sorted({str(link.get_attribute("href")) for link in links.all()})
    assert len(urls) >= 7, urls  # every page, the admin's Waves and Upload included
    charts, labels = 0, []
    for url in urls:
        _open(page, url)
        for panel in ("Audit trail", "Roles and access"):
            if page.get_by_text(panel).count():
                _click(page, page.get_by_text(panel))
                _settle(page)
        plots = page.locator(".js-plotly-plot")
        charts += plots.count()
        if plots.count():  # the toolbar is there, the camera is not
            assert page.locator(".js-plotly-plot .modebar-btn").count()
            cameras = page.locator('.modebar-btn[data-title^="Download plot"]')
            assert cameras.count() == 0, url
        for table in page.locator('[data-testid="stDataFrame"]').all():
            if not table.is_visible():  # in a closed expander; the option is global
                continue
            shown = _toolbar_labels(page, table)
            labels += shown
            assert not [x for x in shown if "ownload" in x], (url, shown)
    assert charts and labels, (charts, labels)  # the checks above saw something
    _shot(page, "12_no_browser_exports")
    context.close()
