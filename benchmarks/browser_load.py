"""Benchmark: the dashboard in headless Chromium, a cold first chart and busy sessions.

Two of issue 16's "fast at 10M" figures, on a store built by
``benchmarks/bench_sums.py``'s ``build`` (a DuckDB file or a postgresql:// URL):

* **cold first chart**: each run starts a fresh server (``python -m dashboard.serve``)
  (nothing cached in the server) and opens a fresh browser context (nothing
  cached in the browser), then times ``page.goto`` on the wave's Segments page
  until its first plotly chart has drawn its traces. The peer, timed exactly
  the same way, runs after run in the same process:
  ``benchmarks/minimal_chart_app.py``, one ``st.plotly_chart`` and nothing else,
  served by ``streamlit run`` as Streamlit ships it. Each is served as it
  ships: Confiance by its launcher, so with its libraries loaded first and its
  chart pages' plotly hint (:mod:`dashboard.plotly_hint`); the peer has
  neither.
  Target: Confiance ≤ 1.3× the peer. The seconds until the server answers its
  health check are printed apart (they are not in the chart's time). A second
  fresh browser context then opens the same page on the same server (the next
  visitor: what most people meet), timed the same way on both pages.
* **concurrent sessions** (:mod:`benchmarks.browser_sessions`): one server,
  ``--sessions`` browser contexts walking Overview, Segments (segment variables
  and filters changed through the URL), Trends and Crosstab while one
  ``python -m analysis ingest`` of 200,000 respondents runs into the same store.

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/browser_load.py --store LOCATION
--wave NAME [--runs 5] [--sessions 8] [--skip-cold] [--skip-sessions]``.
Prints its figures and ratios, never asserts. Needs Debian's ``chromium``.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.health import wait_healthy  # noqa: E402
from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

APP = ROOT / "dashboard" / "app.py"
MINIMAL = ROOT / "benchmarks" / "minimal_chart_app.py"
TARGET_RATIO = 1.3
HEALTHY_S = 120.0  # a server on a busy 2-core machine may take a while to start
CHART_S = 120.0
CHART_DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')].some(plot => {
  if (plot.closest('.st-key-plotly_preload')) return false;
  const svg = plot.querySelector('.main-svg');
  return svg && svg.getBoundingClientRect().height > 0
    && plot.querySelectorAll('.main-svg .trace path').length > 0;
})"""
"""A plotly chart is visible and has drawn its traces (bars, points); the hidden
chart that makes a session's first page load plotly early
(:mod:`dashboard.preload`) is never it."""
PHASES = """(() => {
  window.__phases = {};
  const seen = (state) => {
    const t = performance.now() / 1000;
    if (state === 'running' && !('running' in window.__phases))
      window.__phases.running = t;
    if (state === 'notRunning' && 'running' in window.__phases
        && !('done' in window.__phases)) window.__phases.done = t;
  };
  new MutationObserver(() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (app) seen(app.getAttribute('data-test-script-state'));
    if (!('element' in window.__phases)
        && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
              .some(e => !e.closest('.st-key-plotly_preload')))
      window.__phases.element = performance.now() / 1000;
  }).observe(document, {subtree: true, attributes: true, childList: true});
})();"""
"""Records, in seconds from navigation, when the page's script starts, when the
first chart's element arrives (not yet drawn), and when the script ends."""


@dataclass(frozen=True)
class Served:
    """A running streamlit server: where, its process, seconds until healthy."""

    url: str
    pid: int
    healthy: float


@dataclass(frozen=True)
class FirstChart:
    """One cold run: seconds until the server was healthy, then until the chart.

    ``started``, ``element`` and ``ran``: seconds from navigation until the
    page's script started running on the server (Streamlit's page and
    websocket loaded), until the first chart's element reached the page (the
    server had built it; plotly then draws it) and until the script finished
    (None when it had not yet). ``next_visitor``: goto → chart for a second
    fresh browser context on the same server.
    """

    healthy: float
    chart: float
    started: float | None = None
    element: float | None = None
    ran: float | None = None
    next_visitor: float | None = None


def app_env(store: str | None) -> dict[str, str]:
    """The server's environment: the store, no analyst passphrase, this tree."""
    env = dict(os.environ)
    env.pop("CONFIANCE_ANALYST_PASSWORD_HASH", None)
    env["PYTHONPATH"] = str(ROOT)
    if store is not None:
        env["CONFIANCE_STORE"] = store
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(app: Path, env: dict[str, str], log: Path) -> Iterator[Served]:
    """``streamlit run app`` on a free port, healthy; always stopped afterwards."""
    port = _free_port()
    flags = ["--server.address", "127.0.0.1", "--server.port", str(port)]
    flags += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    start = time.perf_counter()
    # each served as it ships: Confiance by its launcher (make run), the peer
    # by streamlit run
    launch = ["dashboard.serve"] if app == APP else ["streamlit", "run", str(app)]
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", *launch, *flags],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, server, log, HEALTHY_S)
        yield Served(url, server.pid, time.perf_counter() - start)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def first_charts(
    app: Path, env: dict[str, str], path: str, runs: int
) -> list[FirstChart]:
    """Each run: a fresh server and browser context, goto → first chart drawn.

    Then a second fresh browser context on the same server: the next visitor,
    whose browser is cold but whose server has served the page once.
    """
    from playwright.sync_api import sync_playwright

    found = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for k in range(runs):
            with served(app, env, Path(folder) / f"server{k}.log") as server:
                chart, phases = _visit(browser, server.url + path)
                following, _ = _visit(browser, server.url + path)
                found.append(
                    FirstChart(
                        server.healthy,
                        chart,
                        phases.get("running"),
                        phases.get("element"),
                        phases.get("done"),
                        following,
                    )
                )
        browser.close()
    return found


def _visit(browser: Any, url: str) -> tuple[float, dict[str, float]]:
    """A fresh browser context: seconds from goto until the chart, and the phases."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(PHASES)
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(CHART_DRAWN, timeout=CHART_S * 1000)
    chart = time.perf_counter() - start
    phases: dict[str, float] = page.evaluate("window.__phases")
    context.close()
    return chart, phases


def segments_path(wave: str) -> str:
    """The wave's Segments page, as a manager's link opens it."""
    return "/segments?" + urlencode({"wave": wave})


def cold_first_chart(store: str, wave: str, runs: int) -> list[float]:
    """Seconds from goto until Confiance's first Segments chart, each cold run."""
    found = first_charts(APP, app_env(store), segments_path(wave), runs)
    return [r.chart for r in found]


def minimal_first_chart(runs: int) -> list[float]:
    """Seconds from goto until the minimal page's chart, each cold run."""
    return [r.chart for r in first_charts(MINIMAL, app_env(None), "/", runs)]


def compare_first_charts(store: str, wave: str, runs: int) -> dict[str, Any]:
    """Both pages, run after run (so the machine's load hits both alike)."""
    confiance: list[FirstChart] = []
    minimal: list[FirstChart] = []
    for _ in range(runs):
        confiance += first_charts(APP, app_env(store), segments_path(wave), 1)
        minimal += first_charts(MINIMAL, app_env(None), "/", 1)
    return {"confiance": confiance, "minimal": minimal}


def report_first_charts(found: dict[str, Any]) -> None:
    """Medians, every run, healthy times apart, and the ratio to the peer."""
    print("\ncold first chart (fresh server + fresh browser context each run)")
    medians = {}
    for name, runs in found.items():
        charts = [r.chart for r in runs]
        medians[name] = statistics.median(charts)
        each = ", ".join(f"{c:.2f}" for c in charts)
        healthy = statistics.median(r.healthy for r in runs)
        print(
            f"  {name:<10} goto → chart median {medians[name]:6.2f} s "
            f"(runs: {each}); server healthy after {healthy:.2f} s (median)"
        )
        print(f"  {'':<10} after navigation (medians): " + _phases(runs))
    ratio = medians["confiance"] / medians["minimal"]
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    print(f"  ratio Confiance ÷ minimal: {ratio:.2f}× ({verdict} ≤ {TARGET_RATIO}×)")
    following = {
        name: statistics.median(r.next_visitor for r in runs if r.next_visitor)
        for name, runs in found.items()
    }
    print(
        "  the next visitor (a fresh browser context, the same server): "
        + ", ".join(f"{name} {v:.2f} s" for name, v in following.items())
        + f"; ratio {following['confiance'] / following['minimal']:.2f}×"
    )


def concurrent_sessions(
    store: str, wave: str, import_path: Path, sessions: int = 8
) -> dict[str, Any]:
    """:func:`benchmarks.browser_sessions.concurrent_sessions`, from here too."""
    from benchmarks import browser_sessions

    return browser_sessions.concurrent_sessions(store, wave, import_path, sessions)


def _phases(runs: list[FirstChart]) -> str:
    """When the script started, the chart's element arrived, the script ended."""
    said = []
    for label, name in (
        ("script started", "started"),
        ("chart element in page", "element"),
        ("script ended", "ran"),
    ):
        seen = [getattr(r, name) for r in runs if getattr(r, name) is not None]
        if seen:
            said.append(f"{label} {statistics.median(seen):.2f} s")
    return ", ".join(said)


def load() -> str:
    """The machine's load averages, for the figures beside them."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="DuckDB file or postgresql://")
    parser.add_argument("--wave", required=True, help="a wave of that store")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--import-rows", type=int, default=200_000)
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--skip-sessions", action="store_true")
    args = parser.parse_args()
    print(load(), flush=True)
    if not args.skip_cold:
        report_first_charts(compare_first_charts(args.store, args.wave, args.runs))
        print(load(), flush=True)
    if not args.skip_sessions:
        from benchmarks.browser_sessions import import_file, report_sessions

        with tempfile.TemporaryDirectory() as folder:
            path = import_file(Path(folder) / "import.csv", args.import_rows)
            found = concurrent_sessions(args.store, args.wave, path, args.sessions)
        report_sessions(found)
        print(load(), flush=True)


if __name__ == "__main__":
    main()
