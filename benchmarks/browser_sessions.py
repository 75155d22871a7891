"""Concurrent browsing while an import runs: issue 16's "8 sessions + 1 import".

One ``streamlit run dashboard/app.py`` on the store; ``sessions`` browser
contexts of one headless Chromium walk what a manager visits — Overview,
Segments with other segment variables and filters (through the URL, as a
copied link opens them), Trends, Crosstab — each session from another step
and with its own filter values, so the server computes views it has not seen.
Meanwhile ONE ``python -m analysis ingest`` of a generated file (the library's
question codes, ~200,000 respondents) runs into the same store. The sessions
keep walking until the import has finished (at most 10 minutes) and each has
made ``least`` visits.

A failed page: Streamlit's exception box or an error alert on it, a page
still running after 60 s, or a browser error (navigation, a script error in
the page). Afterwards a fresh page opens the new wave by its name, to show
that it appears in the app.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import numpy as np

from benchmarks.browser_load import APP, ROOT, app_env, served
from scripts.screenshot import CHROMIUM, CHROMIUM_ARGS

PAGE_S = 60.0
THINK_S = 0.5  # a pause between a page drawn and the next click
IMPORT_AFTER_S = 10.0  # the sessions' first pages are under way when it starts
ARRIVAL_S = 2.0  # session k arrives k × this after the first: people do not click
# in the same millisecond, and the cold first load is timed on its own
WALK_S = 600.0  # the sessions stop walking then, even if the import still runs
READER_S = "900"  # the import's reader limit (default 120 s) on a machine this busy
BENCH_KEY = "b" * 64  # a PostgreSQL store needs a pseudonym key shared by all
COUNTRIES = ["FR", "DE", "GB", "US", "ES", "IT", "NL", "PL", "SE", "BE"]
RENDERED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app !== null
    && app.getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelector('[data-testid="stMain"] h1') !== null;
}"""
"""The page has run to the end: a title drawn and the script no longer running."""
FAILURES = '[data-testid="stException"], [data-testid="stAlertContentError"]'


@dataclass(frozen=True)
class Visit:
    """One page a session opened: its path, seconds, and what failed (or '')."""

    session: int
    path: str
    seconds: float
    failure: str = ""


def steps(wave: str, k: int) -> list[str]:
    """Session ``k``'s walk: pages and views a manager opens, its own filters."""
    one, two = COUNTRIES[k % len(COUNTRIES)], COUNTRIES[(k + 3) % len(COUNTRIES)]

    def link(page: str, **params: str) -> str:
        return f"/{page}?" + urlencode({"wave": wave, **params})

    walk = [
        link("overview"),
        link("segments", by="country"),
        link("segments", by="age_band", f_country=one),
        link("segments", by="region", f_country=f"{one},{two}"),
        link("trends", by="country"),
        link("segments", by="gender", f_country=two, f_income="Q1"),
        link("crosstab", by="age_band", f_country=one),
        link("segments", by="income", metric="churn_unprotected,trust_index"),
    ]
    return walk[k % len(walk) :] + walk[: k % len(walk)]


async def _visit(page: Any, base: str, path: str, k: int, errors: list[str]) -> Visit:
    """Open one page and wait until it has run; what failed on it, if anything."""
    from playwright.async_api import Error

    errors.clear()
    start = time.perf_counter()
    try:  # one budget of PAGE_S for loading and running the page
        await page.goto(base + path, timeout=PAGE_S * 1000)
        left = max(1.0, PAGE_S - (time.perf_counter() - start))
        await page.wait_for_function(RENDERED, timeout=left * 1000)
    except Error as exc:
        first = str(exc).splitlines()[0]
        return Visit(k, path, time.perf_counter() - start, f"browser: {first}")
    seconds = time.perf_counter() - start
    shown = [t.strip() for t in await page.locator(FAILURES).all_inner_texts()]
    failure = " | ".join(shown + [f"page error: {e}" for e in errors])
    return Visit(k, path, seconds, failure[:500])


async def _session(
    browser: Any, base: str, wave: str, k: int, least: int, done: asyncio.Event
) -> list[Visit]:
    """One person browsing until the import is done and ``least`` pages are seen."""
    await asyncio.sleep(k * ARRIVAL_S)
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    walk, visits, began = steps(wave, k), [], time.perf_counter()
    while len(visits) < least or (
        not done.is_set() and time.perf_counter() - began < WALK_S
    ):
        path = walk[len(visits) % len(walk)]
        visits.append(await _visit(page, base, path, k, errors))
        await asyncio.sleep(THINK_S)
    await context.close()
    return visits


async def _import(
    store: str, path: Path, name: str, done: asyncio.Event
) -> dict[str, Any]:
    """``python -m analysis ingest`` of the file into the store, timed."""
    await asyncio.sleep(IMPORT_AFTER_S)
    command = [sys.executable, "-m", "analysis", "ingest", str(path)]
    command += ["--wave", name, "--store", store, "--format", "json"]
    start = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        *command,
        cwd=ROOT,
        env=_env(store) | {"CONFIANCE_READER_SECONDS": READER_S},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    seconds = time.perf_counter() - start
    done.set()
    kept = None
    if process.returncode == 0:
        kept = json.loads(out)["report"].get("rows_kept")
    return {
        "wave": name,
        "seconds": seconds,
        "ok": process.returncode == 0,
        "rows_kept": kept,
        "stderr": err.decode()[-1500:],
    }


async def _appears(browser: Any, base: str, name: str) -> bool:
    """A fresh page opens the new wave by name: the waves list was read again."""
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(base + "/segments?" + urlencode({"wave": name}))
    await page.wait_for_function(RENDERED, timeout=PAGE_S * 1000)
    title = await page.locator('[data-testid="stMain"] h1').first.inner_text()
    await context.close()
    return name in title


async def _run(
    base: str, store: str, wave: str, path: Path, sessions: int, least: int
) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        done = asyncio.Event()
        walks = [_session(browser, base, wave, k, least, done) for k in range(sessions)]
        start = time.perf_counter()
        name = f"Import-{time.strftime('%H%M%S')}"
        imported, *visits = await asyncio.gather(
            _import(store, path, name, done), *walks
        )
        walked = time.perf_counter() - start
        appears = await _appears(browser, base, name)
        await browser.close()
    found = [v for session in visits for v in session]
    return {"import": imported, "visits": found, "walked": walked, "appears": appears}


def _env(store: str) -> dict[str, str]:
    env = app_env(store)
    env.setdefault("CONFIANCE_PSEUDONYM_KEY", BENCH_KEY)
    return env


def concurrent_sessions(
    store: str, wave: str, import_path: Path, sessions: int = 8, least: int = 8
) -> dict[str, Any]:
    """``sessions`` people browsing one server while the file is imported.

    Returns the visits (each page's seconds and failure), the import's seconds,
    success and rows kept, the walk's wall time, and whether the new wave then
    opens in the app.
    """
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "server.log"
        with served(APP, _env(store), log) as server:
            found = asyncio.run(
                _run(server.url, store, wave, import_path, sessions, least)
            )
        found["errors"] = _logged_errors(log.read_text())
    found["sessions"] = sessions
    return found


def _logged_errors(log: str) -> dict[str, str]:
    """Each logged page error's reference and the last line of its traceback."""
    found: dict[str, str] = {}
    blocks = log.split("unexpected error on a page, reference ")[1:]
    for block in blocks:
        lines = [line for line in block.splitlines() if line.strip()]
        ends = [line for line in lines[1:] if not line.startswith((" ", "Traceback"))]
        found[lines[0].strip()] = ends[0] if ends else "?"
    return found


def import_file(path: Path, rows: int) -> Path:
    """A CSV of ``rows`` respondents in the library's codes, made from the demo wave.

    The demo's latest wave resampled (its question codes, country, age band,
    gender and weight), each row with a new respondent id.
    """
    from analysis.ingest.demo import demo_waves
    from analysis.library.codebook import load_codebook

    demo = demo_waves(load_codebook())[-1].data
    seed = time.time_ns()  # a new file each run: a store refuses one file twice
    picked = np.random.default_rng(seed).integers(0, len(demo), rows)
    data = demo.iloc[picked].reset_index(drop=True)
    data["respondent_id"] = [f"IMP{seed % 10**6}-{i:07d}" for i in range(rows)]
    data.to_csv(path, index=False)
    return path


def report_sessions(found: dict[str, Any]) -> None:
    """Pages, failures (with their text), view times, the import, the new wave."""
    visits: list[Visit] = found["visits"]
    seconds = sorted(v.seconds for v in visits)
    failed = [v for v in visits if v.failure]
    p95 = seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))]
    print(f"\n{found['sessions']} concurrent sessions + one import")
    print(
        f"  pages visited {len(visits)} in {found['walked']:.0f} s, "
        f"failed {len(failed)}; view time median {statistics.median(seconds):.2f} s, "
        f"p95 {p95:.2f} s, max {seconds[-1]:.2f} s"
    )
    for v in failed:
        where = f"session {v.session} {v.path} after {v.seconds:.1f} s"
        print(f"  FAILED {where}: {v.failure}")
    done = found["import"]
    print(
        f"  import of {done['wave']}: {done['seconds']:.1f} s, "
        f"{'succeeded' if done['ok'] else 'FAILED'} (rows kept {done['rows_kept']})"
    )
    if not done["ok"]:
        print("  " + done["stderr"].replace("\n", "\n  "))
    print(f"  the new wave opens in the app afterwards: {found['appears']}")
    for reference, error in found["errors"].items():
        print(f"  server log, reference {reference}: {error}")
