"""The app's base URL, written into a page's HTML, so the browser connects at once.

Opened on ``/segments``, Streamlit's browser code cannot tell a page's name
from a base path a proxy serves the app under (``/confiance/…``). So it asks
``/segments/_stcore/health`` first, waits for that to fail, and asks the root
100 ms later: 0.12–0.15 s before a deep link's page starts, in headless
Chromium on the benchmarks' machine, which a visitor opening ``/`` never
pays. The server knows its pages' names. A page's HTML therefore carries a
small script that takes a known page name off the end of the address and
gives Streamlit the rest as its backend's base URL (``window.__streamlit``,
the hook Streamlit reads for hosts that embed it). An address that does not
end in a page's name is left to Streamlit's own search.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Mapping
from typing import Any

from dashboard.page_paths import PAGES, page_of

Message = dict[str, Any]
Send = Callable[[Message], Any]

# Runs before Streamlit's module scripts (those are deferred); the address's
# query and fragment are not part of the base.
SCRIPT = (
    "<script>(() => {"
    "const pages = " + json.dumps(list(PAGES)) + ";"
    "const parts = location.pathname.replace(/\\/+$/, '').split('/');"
    "if (!pages.includes(parts[parts.length - 1])) return;"
    "parts.pop();"
    "const base = new URL(location.href);"
    "base.pathname = parts.join('/') || '/';"
    "base.search = ''; base.hash = '';"
    "window.__streamlit = {...window.__streamlit, BACKEND_BASE_URL: base.href};"
    "})();</script>"
)
_HEAD = b"<head>"


def with_base_script(html: bytes) -> bytes:
    """The page with the script first in its head; unchanged if it has no head."""
    at = html.find(_HEAD)
    if at < 0:
        return html
    at += len(_HEAD)
    return html[:at] + SCRIPT.encode("ascii") + html[at:]


class BasePathHint:
    """ASGI middleware: the script in HTML answers for a page's own address."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    async def __call__(
        self, scope: Mapping[str, Any], receive: Callable[..., Any], send: Send
    ) -> None:
        """Pass the request on; hold a page's HTML answer to add the script."""
        if (
            scope["type"] != "http"
            or scope.get("method") != "GET"
            or page_of(scope.get("path", "")) not in PAGES
        ):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body: list[bytes] = []

        async def rewritten(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and _rewritable(message):
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            await _send_rewritten(start, b"".join(body), send)

        await self.app(scope, receive, rewritten)


async def _send_rewritten(start: Message, body: bytes, send: Send) -> None:
    """The held answer, script added, its length and encoding kept right."""
    zipped = _headers(start).get(b"content-encoding", b"").lower() == b"gzip"
    html = with_base_script(gzip.decompress(body) if zipped else body)
    payload = gzip.compress(html, mtime=0) if zipped else html
    kept = [
        (name, value)
        for name, value in start.get("headers", ())
        if name.lower() not in (b"content-length", b"etag")
    ]
    kept.append((b"content-length", str(len(payload)).encode("ascii")))
    await send({**start, "headers": kept})
    await send({"type": "http.response.body", "body": payload, "more_body": False})


def _rewritable(start: Message) -> bool:
    """A successful HTML answer, plain or gzipped (another encoding is passed on)."""
    headers = _headers(start)
    return (
        start.get("status") == 200
        and headers.get(b"content-type", b"").startswith(b"text/html")
        and headers.get(b"content-encoding", b"identity").lower()
        in (b"identity", b"gzip")
    )


def _headers(start: Message) -> dict[bytes, bytes]:
    return {name.lower(): value for name, value in start.get("headers", ())}
