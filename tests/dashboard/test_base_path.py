"""A page's HTML tells Streamlit's browser code the app's base URL, so it need not search.

The middleware's rewriting is checked on made-up answers; the script itself in
headless Chromium, on the launcher's server at the root and under a base path
(``server.baseUrlPath``, as behind a proxy that keeps the prefix).
"""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path

import pytest

from dashboard.base_path import BasePathHint, with_base_script
from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS, IDLE
from tests.dashboard.served import copy_store

HTML = b"<!DOCTYPE html><html><head><title>x</title></head><body></body></html>"
DEMO_WAVE = "Demo-2025"
STEP_MS = 60_000


def _answer(headers, body, *, status=200, method="GET", path="/segments"):
    """What the middleware sends for a request, the inner app answering as given."""

    async def inner(scope, receive, send):
        await send(
            {"type": "http.response.start", "status": status, "headers": headers}
        )
        half = len(body) // 2  # in two parts, as a streamed file comes
        await send(
            {"type": "http.response.body", "body": body[:half], "more_body": True}
        )
        await send({"type": "http.response.body", "body": body[half:]})

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    scope = {"type": "http", "method": method, "path": path}
    asyncio.run(BasePathHint(inner)(scope, receive, send))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start, dict(start["headers"]), body


def test_the_script_goes_first_in_the_head():
    html = with_base_script(HTML)
    assert html.startswith(b"<!DOCTYPE html><html><head><script>")
    assert html.count(b"<script>") == 1 and html.endswith(b"</body></html>")
    assert with_base_script(b"<p>no head</p>") == b"<p>no head</p>"


def test_a_gzipped_page_is_rewritten_with_its_length_and_without_its_etag():
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-encoding", b"gzip"),
        (b"content-length", b"999"),
        (b"etag", b'"abc"'),
    ]
    _, sent, body = _answer(headers, gzip.compress(HTML))
    assert gzip.decompress(body) == with_base_script(HTML)
    assert sent[b"content-length"] == str(len(body)).encode()
    assert b"etag" not in sent  # the old tag names the old bytes


def test_a_plain_page_is_rewritten():
    _, sent, body = _answer([(b"content-type", b"text/html")], HTML)
    assert body == with_base_script(HTML)
    assert sent[b"content-length"] == str(len(body)).encode()


@pytest.mark.parametrize(
    ("headers", "how"),
    [
        ([(b"content-type", b"text/html")], {"path": "/"}),  # no search at the root
        ([(b"content-type", b"text/html")], {"path": "/segmnts"}),  # not a page
        ([(b"content-type", b"text/html")], {"method": "HEAD"}),
        ([(b"content-type", b"text/html")], {"status": 304}),
        ([(b"content-type", b"application/json")], {}),
        ([(b"content-type", b"text/html"), (b"content-encoding", b"br")], {}),
    ],
)
def test_other_answers_pass_unchanged(headers, how):
    start, _, body = _answer(headers, HTML, **how)
    assert body == HTML
    assert start["headers"] == headers


browser = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason=f"needs Debian's chromium at {CHROMIUM}"
)


@pytest.fixture(scope="module")
def chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def app_url_for(demo_store_path, tmp_path_factory, served_app):
    """The app's URL at the root ("root") or under a base path, each served once."""
    served: dict[str, str] = {}

    def url(base: str) -> str:
        if base not in served:
            store = copy_store(demo_store_path, tmp_path_factory.mktemp(base))
            path = "" if base == "root" else base
            served[base] = served_app(store, base_path=path).url
        return served[base]

    return url


def _visit(chromium, url):
    """Open ``url``; the page, the URLs it asked for, and the base it was told."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=STEP_MS)
    page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=STEP_MS)
    told = page.evaluate("window.__streamlit && window.__streamlit.BACKEND_BASE_URL")
    return page, asked, told


@pytest.mark.browser
@browser
@pytest.mark.parametrize("base", ["root", "confiance"])
def test_a_deep_link_connects_without_searching_for_the_base_path(
    chromium, app_url_for, base
):
    url = app_url_for(base)
    page, asked, told = _visit(chromium, f"{url}/segments?wave={DEMO_WAVE}")
    assert f"{url}/segments/_stcore/health" not in asked  # Streamlit's probe
    assert f"{url}/_stcore/health" in asked
    assert told.rstrip("/") == url  # the root's URL ends in "/", a path's not
    page.locator('[data-testid="stSidebarNav"] a', has_text="Trends").click()
    page.wait_for_url(f"{url}/trends**", timeout=STEP_MS)  # pages keep the base
    page.wait_for_selector(IDLE, timeout=STEP_MS)
    page.context.close()


@pytest.mark.browser
@browser
def test_an_address_that_is_no_page_is_left_to_streamlit(chromium, app_url_for):
    url = app_url_for("root")
    context = chromium.new_context()
    page = context.new_page()
    page.goto(f"{url}/segmnts")
    page.wait_for_selector(IDLE, timeout=STEP_MS)
    assert page.evaluate("window.__streamlit === undefined")
    context.close()
