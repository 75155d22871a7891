"""A preload hint on a chart page's HTML, so the browser fetches plotly at once.

Streamlit's browser code imports its plotly part (4.7 MB, with a few small
modules of its own) only when a page's first plotly element renders. By then
the server is running the page's script, and it answers those files late: in
headless Chromium on the benchmarks' machine the three small modules took
0.36 s to arrive while the 4.7 MB one was already in. A ``Link: rel=modulepreload``
header on the page's HTML lets the browser fetch and compile them all while
the server is still idle, so the import resolves as soon as the chart
arrives. :mod:`dashboard.preload` then makes that arrival early.

Only the chart pages get the hint: a browser opening Waves or Upload would
spend a core compiling a library that page never uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import streamlit

from dashboard.page_paths import CHART_PAGES, page_of

STATIC = Path(streamlit.__file__).parent / "static"
_IMPORT = re.compile(r'(?:\bfrom|\bimport)\s*"\./([\w.-]+\.js)"')
_ENTRY = re.compile(r'<script type="module"[^>]*\bsrc="\./static/js/([\w.-]+\.js)"')
_IMPORTS_WITHIN = 20_000  # a bundle's static imports all sit at its start
Message = dict[str, Any]
Send = Callable[[Message], Any]


def plotly_modules(static: Path = STATIC) -> tuple[str, ...]:
    """Streamlit's plotly part and the modules it imports that the page lacks.

    File names under ``static/js``, sorted; none when this Streamlit has no
    such part (a hint would then be wrong, so there is none). What the page's
    own entry module already imports is left out: the browser has it.
    """
    js = static / "static" / "js"
    plotly = sorted(path.name for path in js.glob("PlotlyChart.*.js"))
    if not plotly:
        return ()
    index = (static / "index.html").read_text(encoding="utf-8")
    entry = _ENTRY.findall(index)
    return tuple(sorted(_imported(js, plotly) - _imported(js, entry)))


def _imported(js: Path, modules: Iterable[str]) -> set[str]:
    """The modules and everything they import, statically, through ``./`` paths."""
    seen: set[str] = set()
    waiting = list(modules)
    while waiting:
        name = waiting.pop()
        path = js / name
        if name in seen or not path.is_file():
            continue
        seen.add(name)
        with path.open(encoding="utf-8") as source:
            waiting += _IMPORT.findall(source.read(_IMPORTS_WITHIN))
    return seen


@cache
def link_header() -> bytes:
    """The ``Link`` header's value: each module, relative as the page's own are."""
    links = (f"<./static/js/{name}>; rel=modulepreload" for name in plotly_modules())
    return ", ".join(links).encode("ascii")


def is_chart_page(path: str) -> bool:
    """Whether a request's path opens a chart page ("" is the default page)."""
    return page_of(path) in CHART_PAGES


class PlotlyHint:
    """ASGI middleware: the ``Link`` header on HTML answers for chart pages."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    async def __call__(
        self, scope: Mapping[str, Any], receive: Callable[..., Any], send: Send
    ) -> None:
        """Pass the request on; add the header to its answer where it belongs."""
        hint = link_header()
        if (
            scope["type"] != "http"
            or not hint
            or not is_chart_page(scope.get("path", ""))
        ):
            await self.app(scope, receive, send)
            return

        async def hinted(message: Message) -> None:
            if message["type"] == "http.response.start" and _is_html(message):
                headers = [*message.get("headers", ()), (b"link", hint)]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, hinted)


def _is_html(start: Message) -> bool:
    for name, value in start.get("headers", ()):
        if name.lower() == b"content-type":
            return bool(value.startswith(b"text/html"))
    return False
