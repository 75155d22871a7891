"""The chart pages' HTML names Streamlit's plotly modules for the browser to fetch."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from dashboard.plotly_hint import STATIC, PlotlyHint, link_header, plotly_modules


def _static(tmp_path: Path, files: dict[str, str]) -> Path:
    """A Streamlit-like static folder: index.html and modules under static/js."""
    js = tmp_path / "static" / "js"
    js.mkdir(parents=True)
    (tmp_path / "index.html").write_text(
        '<script type="module" crossorigin src="./static/js/index.A1.js"></script>'
    )
    for name, source in files.items():
        (js / name).write_text(source)
    return tmp_path


def test_the_plotly_part_and_only_the_modules_the_page_lacks(tmp_path):
    static = _static(
        tmp_path,
        {
            "index.A1.js": 'import{a}from"./shared.B2.js";import"./css.C3.js";',
            "shared.B2.js": "export const a=1;",
            "css.C3.js": "",
            "PlotlyChart.X9.js": 'import{a}from"./shared.B2.js";'
            'import{b}from"./own.D4.js";import"./side.E5.js";',
            "own.D4.js": 'import{c}from"./deep.F6.js";export const b=2;',
            "deep.F6.js": "export const c=3;",
            "side.E5.js": "",
            "Unrelated.G7.js": 'import"./own.D4.js";',
        },
    )
    assert plotly_modules(static) == (
        "PlotlyChart.X9.js",
        "deep.F6.js",
        "own.D4.js",
        "side.E5.js",
    )


def test_no_hint_when_streamlit_has_no_plotly_part(tmp_path):
    static = _static(tmp_path, {"index.A1.js": ""})
    assert plotly_modules(static) == ()


def test_the_installed_streamlit_modules_exist_and_are_not_already_on_the_page():
    modules = plotly_modules()
    js = STATIC / "static" / "js"
    assert any(name.startswith("PlotlyChart.") for name in modules)
    assert all((js / name).is_file() for name in modules)
    index = (STATIC / "index.html").read_text()
    on_page = set(re.findall(r'\./static/js/([\w.-]+\.js)"', index))
    assert on_page and not on_page & set(modules)
    assert link_header().count(b"rel=modulepreload") == len(modules)


def _answer(path: str, content_type: bytes) -> dict[bytes, bytes]:
    """The headers a request for ``path`` gets through the middleware."""
    sent: list[dict] = []

    async def app(scope, receive, send):
        headers = [(b"content-type", content_type)]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"x"})

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": path, "method": "GET"}
    asyncio.run(PlotlyHint(app)(scope, receive, send))
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    return dict(sent[0]["headers"])


@pytest.mark.parametrize(
    ("path", "hinted"),
    [
        # the chart pages, under the root or a base URL path
        ("/", True),
        ("/overview", True),
        ("/segments", True),
        ("/trends/", True),
        ("/confiance/segments", True),
        # pages without charts
        ("/waves", False),
        ("/upload", False),
        ("/crosstab", False),
    ],
)
def test_html_for_chart_pages_carries_the_hint(path, hinted):
    headers = _answer(path, b"text/html; charset=utf-8")
    assert headers.get(b"link") == (link_header() if hinted else None)


def test_other_answers_never_carry_it():
    assert b"link" not in _answer("/segments", b"application/javascript")
