"""Slide PNGs and PDF pages: kaleido in a headless Chromium, one per process.

PNGs and the PDF report's vector pages are rendered by kaleido in a headless
Chromium. Starting a browser costs seconds, so one session is kept for the
whole process (started on first use, closed at exit) and calls to it are
serialised: kaleido's session hands images back in arrival order, not to
their caller. A missing or broken
browser would otherwise hang the first render, so the session is tried once,
with a timeout, before it is trusted.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import threading
from collections.abc import Coroutine, Mapping
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, Literal, TypeVar

import plotly.graph_objects as go

from analysis import config
from analysis.errors import BrowserUnavailableError, ExportError
from analysis.figures.chart import Chart
from analysis.figures.theme import Theme, load_theme

BROWSER_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)
INSTALL_HINT = "PNG export needs Chromium: sudo apt-get install chromium"
_T = TypeVar("_T")
ImageKind = Literal["png", "pdf"]


def find_browser() -> Path | None:
    """The browser executable: ``$CONFIANCE_CHROMIUM``, ``$BROWSER_PATH``, then PATH.

    A path set in the environment is used as given, never silently replaced,
    so pointing it at a missing file makes export fail clearly.
    """
    path = config.browser_override()
    if path is not None:
        return path if path.is_file() and os.access(path, os.X_OK) else None
    for candidate in ("/usr/bin/chromium", *BROWSER_NAMES):
        found = shutil.which(candidate)
        if found:
            return Path(found)
    return None


class Renderer:
    """One kaleido session in its own event-loop thread, one render at a time."""

    def __init__(self, browser: Path | None = None, timeout: float = 30.0) -> None:
        self._browser = browser
        self._timeout = timeout
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido: Any = None

    @property
    def running(self) -> bool:
        """Whether a browser session is open."""
        return self._kaleido is not None

    def start(self) -> None:
        """Open the browser and render one tiny figure; raise if that fails."""
        with self._lock:
            if self._kaleido is not None:
                return
            browser = self._browser or find_browser()
            if browser is None:
                raise BrowserUnavailableError(f"{INSTALL_HINT} (no browser found)")
            self._loop = asyncio.new_event_loop()
            threading.Thread(
                target=self._loop.run_forever, name="confiance-kaleido", daemon=True
            ).start()
            try:
                self._kaleido = self._call(self._open(browser))
                self._call(self._render(go.Figure(), {"width": 64, "height": 36}))
            except Exception as exc:
                self._shutdown()
                reason = str(exc) or type(exc).__name__
                raise BrowserUnavailableError(
                    f"{INSTALL_HINT} ({browser} did not render: {reason})"
                ) from None

    def stop(self) -> None:
        """Close the browser (a later render starts a new one)."""
        with self._lock:
            self._shutdown()

    def png(self, fig: go.Figure, width: int, height: int, scale: float = 1) -> bytes:
        """A PNG of ``fig`` at ``width``×``height`` CSS pixels times ``scale``."""
        return self.image(fig, width, height, scale, "png")

    def image(
        self,
        fig: go.Figure,
        width: int,
        height: int,
        scale: float = 1,
        kind: ImageKind = "png",
    ) -> bytes:
        """``fig`` as a PNG, or as a one-page vector PDF (text stays text)."""
        if not self.running:
            self.start()
        opts = {"format": kind, "width": width, "height": height, "scale": scale}
        with self._lock:
            try:
                return self._call(self._render(fig, opts))
            except FutureTimeout:
                self._shutdown()
                raise ExportError(
                    f"rendering a {kind.upper()} took over {self._timeout:.0f} s; "
                    "the browser session was restarted"
                ) from None

    async def _open(self, browser: Path) -> Any:
        import kaleido  # the browser machinery loads only when PNGs are wanted

        k = kaleido.Kaleido(path=str(browser), mathjax=False, timeout=self._timeout)
        await k.open()
        return k

    async def _render(self, fig: go.Figure, opts: Mapping[str, Any]) -> bytes:
        data: bytes = await self._kaleido.calc_fig(fig, opts=dict(opts))
        return data

    def _call(self, coro: Coroutine[Any, Any, _T]) -> _T:
        assert self._loop is not None  # started before any call
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(self._timeout)
        except FutureTimeout:
            future.cancel()
            raise

    def _shutdown(self) -> None:
        loop, k = self._loop, self._kaleido
        self._loop, self._kaleido = None, None
        if loop is None:
            return
        if k is not None:
            # a dying browser may fail to close; the loop still stops
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)


_renderer = Renderer()
atexit.register(_renderer.stop)


def renderer() -> Renderer:
    """The process-wide rendering session (started lazily)."""
    return _renderer


def check_browser() -> Path:
    """The working browser's path, or :class:`BrowserUnavailableError`."""
    browser = find_browser()
    if browser is None:
        raise BrowserUnavailableError(f"{INSTALL_HINT} (no browser found)")
    _renderer.start()
    return browser


def slide_png(chart: Chart, theme: Theme | None = None) -> bytes:
    """The chart as a 1920×1080 slide PNG (see :func:`figure_png`)."""
    return figure_png(chart.figure, theme)


def figure_png(fig: go.Figure, theme: Theme | None = None) -> bytes:
    """A figure laid out here as a 1920×1080 slide PNG.

    A screen figure is rendered at its 960×540 layout scaled ×2, which is the
    slide figure pixel for pixel; a slide figure is rendered as it is.
    """
    size = (theme or load_theme()).size("slide")
    if fig.layout.width == size.width:
        return _renderer.png(fig, size.width, size.height, 1)
    return _renderer.png(
        fig, round(size.width / size.k), round(size.height / size.k), size.k
    )


def figure_pdf(fig: go.Figure, theme: Theme | None = None) -> bytes:
    """A figure as a one-page vector PDF at its own layout size (1 px = 0.75 pt)."""
    screen = (theme or load_theme()).size("screen")
    width = int(fig.layout.width or screen.width)
    height = int(fig.layout.height or screen.height)
    return _renderer.image(fig, width, height, 1, "pdf")
