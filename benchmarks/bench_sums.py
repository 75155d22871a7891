"""Benchmark: a new Segments view from the store's cell sums vs from respondent rows.

Builds a store of ``--n`` respondents (default 10,000,000) split into
``--waves`` waves, generated in DuckDB SQL (nothing passes through pandas):
20 questions (the library's 16 and 4 others) and 5 segment variables of 3 to
10 levels (country 10, region 8, age band 6, income 5, gender 3), weights
from 0.3 to 1.7, about 5 % of answers missing. Each wave's cell sums are
computed by the store's own SQL (:func:`analysis.store.sums.compute_sums`),
timed.

Then, for each route, a fresh server process, readied as the launcher readies
a server (:func:`dashboard.serve.ready`: libraries loaded, then frozen out of
the collector's full passes), drives the real app with Streamlit's
``AppTest`` on one wave: the cold first load of Segments, then a series of new
views (filters and segment variables changed, each a view not seen before, so
its estimates are computed), timing every ``.run()``, and reports its peak
resident memory (``VmHWM``):

* ``sums``: the app as it ships, answering views from the cell sums;
* ``rows`` (the peer, today's path): the same app with the sums switched
  off (``dashboard.data.FROM_SUMS = False``): respondent rows read and cached.

The same is done on each backend (``--backends duckdb,postgresql``; the
PostgreSQL store lives on a throw-away server, ``tests/pg_server.py``, as
``make test`` starts it, and is vacuumed and analysed once built, so that
autovacuum does not share the machine with the figures).

Run: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_sums.py [--n N]
[--waves W] [--backends duckdb,postgresql] [--skip-rows] [--browser-runs 3]
[--sessions 8]``. After the server's figures, each backend's store is opened
in headless Chromium (``benchmarks/browser_load.py``): the cold first chart
against a minimal Streamlit + plotly page, and 8 browsing sessions while an
import runs. Targets: a new
view ≤ 150 ms of server time, peak server memory ≤ 500 MB. Prints, never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.ingest.demo import demo_waves
from analysis.library.codebook import load_codebook
from analysis.store.dialect import StoreConnection
from analysis.store.questionnaires import codebook_questionnaire
from analysis.store.rows import bump, insert_wave_row
from analysis.store.sums import compute_sums
from analysis.store.wave import WaveMeta
from analysis.store.wave_store import WaveStore
from analysis.store.weightings import insert_file_weighting
from tests import pg_server

ROOT = str(Path(__file__).resolve().parents[1])
APP = str(Path(ROOT) / "dashboard" / "app.py")
TARGET_MS, TARGET_MB = 150.0, 500.0
SEGMENTS = {
    "country": ["BE", "DE", "ES", "FR", "GB", "IT", "NL", "PL", "SE", "US"],
    "region": [f"R{i}" for i in range(1, 9)],
    "age_band": ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"],
    "income": [f"Q{i}" for i in range(1, 6)],
    "gender": ["female", "male", "other"],
}
EXTRA_QUESTIONS = {f"extra_{i}": [1, 2, 3, 4, 5] for i in range(1, 5)}
STEPS: list[tuple[str, str, dict[str, list[str]]]] = [
    ("filter country = FR", "country", {"country": ["FR"]}),
    ("filter country = FR, DE", "country", {"country": ["FR", "DE"]}),
    ("segment by age band", "age_band", {"country": ["FR", "DE"]}),
    ("segment by region", "region", {"country": ["FR", "DE"]}),
    ("filter income = Q1", "gender", {"country": ["FR", "DE"], "income": ["Q1"]}),
    ("clear the filters", "income", {}),
    ("filter gender = female", "age_band", {"gender": ["female"]}),
    ("filter age 18-24, 25-34", "country", {"age_band": ["18-24", "25-34"]}),
    ("segment by gender", "gender", {"age_band": ["18-24", "25-34"]}),
    ("filter region R1, country GB", "income", {"region": ["R1"], "country": ["GB"]}),
]


def _pick(values: list[str] | list[int], missing: float = 0.0) -> str:
    """SQL drawing one of ``values`` at random per row (NULL with ``missing``).

    The same text runs on DuckDB and PostgreSQL (``ARRAY[…][k]``, 1-based).
    """
    items = ", ".join(repr(v) for v in values)
    draw = f"(ARRAY[{items}])[1 + CAST(floor(random() * {len(values)}) AS INTEGER)]"
    return f"CASE WHEN random() < {missing} THEN NULL ELSE {draw} END"


def question_codes() -> dict[str, list[int]]:
    """Each library question's codes as the demo wave uses them, and 4 more."""
    demo = demo_waves(load_codebook())[-1].data
    codes = {
        str(c): sorted(int(v) for v in demo[c].dropna().unique())
        for c in demo.columns
        if str(demo[c].dtype) == "Int16"
    }
    return codes | EXTRA_QUESTIONS


def build(location: str, n: int, waves: int) -> list[str]:
    """The store, each wave generated in SQL and its sums computed; wave names."""
    store = WaveStore(location)
    store.prepare()
    codes = question_codes()
    names = []
    for k in range(waves):
        with store.writing() as con:
            size = n // waves + (1 if k < n % waves else 0)
            names.append(_build_wave(con, k, size, codes))
    return names


QUIET_LOAD = 1.0  # 1-minute load average before the browser's figures
QUIET_WAIT_S = 180.0


def settle(location: str) -> float:
    """``VACUUM (ANALYZE)`` then ``CHECKPOINT`` a PostgreSQL store just built.

    Autovacuum would otherwise visit the 10M new rows while the figures are
    measured, taking a core from both pages (the minimal one's first chart
    took 1.9 s instead of 1.45 s), and the checkpointer would write the build's
    gigabytes out meanwhile. A store a company runs has long settled. Returns
    the seconds it took.
    """
    import psycopg

    start = time.perf_counter()
    with psycopg.connect(location, autocommit=True) as con:  # VACUUM: no transaction
        con.execute("VACUUM (ANALYZE)")
        con.execute("CHECKPOINT")  # the throw-away server's user is its superuser
    return time.perf_counter() - start


def wait_for_quiet(most: float = QUIET_LOAD, seconds: float = QUIET_WAIT_S) -> str:
    """Wait until the 1-minute load average is at most ``most``; say how long.

    Both pages of the browser's figures are measured after the same wait: a
    build just finished (or a database still writing it out) takes a core
    from the page that computes, not from the minimal one. Gives up after
    ``seconds`` and says so, leaving the reader the load to judge by.
    """
    start = time.monotonic()
    while os.getloadavg()[0] > most and time.monotonic() - start < seconds:
        time.sleep(5)
    waited, load = time.monotonic() - start, os.getloadavg()[0]
    verdict = "settled" if load <= most else "did not settle"
    return f"waited {waited:.0f} s for the machine ({verdict}: load {load:.1f})"


def _build_wave(
    con: StoreConnection, k: int, size: int, codes: dict[str, list[int]]
) -> str:
    """One wave's rows generated in SQL, its row and its sums; its name."""
    name, table = f"Bench-{k + 1}", f"respondents_bench_{k + 1}"
    columns = [
        f"'B{k}-' || CAST(i AS VARCHAR) AS respondent_id",
        "0.3 + 1.4 * random() AS weight",
        *(f"{_pick(v)} AS {s}" for s, v in SEGMENTS.items()),
        *(f"CAST({_pick(v, 0.05)} AS SMALLINT) AS {q}" for q, v in codes.items()),
    ]
    start = time.perf_counter()
    con.execute(
        f"CREATE TABLE {table} AS SELECT {', '.join(columns)}"
        f" FROM generate_series(0, {size - 1}) t(i)"
    )
    generated = time.perf_counter() - start
    types = {"respondent_id": "VARCHAR", "weight": "DOUBLE"}
    types |= dict.fromkeys(SEGMENTS, "VARCHAR") | dict.fromkeys(codes, "SMALLINT")
    meta = WaveMeta(
        name=name,
        kind="respondents",
        source="benchmark (generated in SQL)",
        file_name="bench",
        file_sha256=f"{k:064x}",
        synthetic=True,
    )
    questionnaire = json.dumps(codebook_questionnaire(types).to_dict())
    now = datetime.now(UTC).replace(tzinfo=None)
    insert_wave_row(con, meta, table, size, now, questionnaire)
    insert_file_weighting(con, name, "benchmark", now)
    start = time.perf_counter()
    state = compute_sums(con, name)
    summed = time.perf_counter() - start
    bump(con)
    cells = con.execute("SELECT cells FROM cell_sums WHERE wave = ?", [name]).fetchone()
    print(
        f"  {name}: {size:,} rows generated in {generated:.1f} s; "
        f"sums ({state}, {cells[0] if cells else 0:,} cells) in {summed:.1f} s",
        flush=True,
    )
    return name


def serve(store: str, wave: str, route: str) -> None:
    """One server process: the app on ``wave``, cold load then each new view."""
    from streamlit.testing.v1 import AppTest

    import dashboard.data
    import dashboard.serve

    dashboard.serve.ready()  # as the launcher readies a server, for both routes
    dashboard.data.FROM_SUMS = route == "sums"
    os.environ["CONFIANCE_STORE"] = store
    os.environ.pop("CONFIANCE_ANALYST_PASSWORD_HASH", None)
    app = AppTest.from_file(APP, default_timeout=900)
    app.query_params["wave"] = wave

    def timed(run: Callable[[], object]) -> float:
        start = time.perf_counter()
        run()
        if app.exception or app.error:
            sys.exit(f"the Segments page failed: {app.exception or app.error}")
        return (time.perf_counter() - start) * 1000

    def cold() -> None:
        app.run()
        app.switch_page("app_pages/segments.py").run()

    first = timed(cold)
    views = []
    for _, by, filters in STEPS:
        for var in SEGMENTS:
            key = f"filter_{wave}_{var}"
            app.multiselect(key=key).set_value(filters.get(var, []))
        views.append(timed(app.selectbox(key="by").set_value(by).run))
    print(json.dumps({"cold": first, "views": views, "peak_mb": peak_mb()}))


def peak_mb() -> float:
    """The peak resident memory of this process since it started (``VmHWM``).

    Not ``ru_maxrss``: Linux carries that over an ``exec`` from the parent
    that forked it, so a server started by a process that had just built a
    10M store would report the builder's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(store: str, wave: str, route: str) -> dict[str, Any]:
    """Run :func:`serve` in a fresh process; its figures."""
    done = subprocess.run(
        [sys.executable, __file__, "--serve", route, "--store", str(store), wave],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ | {"PYTHONPATH": ROOT},
    )
    if done.returncode != 0:
        sys.exit(f"the {route} server failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(results: dict[str, dict[str, Any]]) -> None:
    """Print each route's figures, the targets and the ratios against rows."""
    print(f"\nSegments page, server time per AppTest run (target ≤ {TARGET_MS:.0f} ms)")
    routes = list(results)
    print(f"  {'':<34}" + "".join(f"{r:>12}" for r in routes))
    colds = "".join(f"{results[r]['cold']:9.0f} ms" for r in routes)
    print(f"  {'cold first load':<34}{colds}")
    for i, (label, _, _) in enumerate(STEPS):
        views = "".join(f"{results[r]['views'][i]:9.0f} ms" for r in routes)
        print(f"  {'new view: ' + label:<34}{views}")
    for r in routes:
        median, worst = statistics.median(results[r]["views"]), max(results[r]["views"])
        peak = results[r]["peak_mb"]
        print(
            f"  {r:<5} new view median {median:6.0f} ms, max {worst:6.0f} ms "
            f"({'meets' if worst <= TARGET_MS else 'misses'} ≤ {TARGET_MS:.0f} ms); "
            f"peak server memory {peak:6.0f} MB "
            f"({'meets' if peak <= TARGET_MB else 'misses'} ≤ {TARGET_MB:.0f} MB)"
        )
    print(
        "  not from sums, by design (they read the rows, as the peer does): a view"
        " by one of the wave's questions used as a segment (Crosstab), and any"
        " view under a calibrated weighting (its variance needs every domain's"
        " residuals, not sums)"
    )
    if "rows" in results:
        rows, sums = results["rows"], results["sums"]
        view = statistics.median(rows["views"]) / statistics.median(sums["views"])
        print(
            f"\nratios, rows (peer) ÷ sums: new view {view:.1f}×, "
            f"cold load {rows['cold'] / sums['cold']:.1f}×, "
            f"peak memory {rows['peak_mb'] / sums['peak_mb']:.1f}×"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000_000)
    parser.add_argument("--waves", type=int, default=4)
    parser.add_argument(
        "--backends", default="duckdb,postgresql", help="comma-separated"
    )
    parser.add_argument("--skip-rows", action="store_true", help="no peer run")
    parser.add_argument(
        "--browser-runs", type=int, default=3, help="cold first charts (0: none)"
    )
    parser.add_argument(
        "--sessions", type=int, default=8, help="browsing sessions (0: none)"
    )
    parser.add_argument("--serve", choices=("sums", "rows"))
    parser.add_argument("--store")
    parser.add_argument("wave", nargs="?")
    args = parser.parse_args()
    if args.serve:
        serve(args.store, args.wave, args.serve)
        return
    os.environ.setdefault("CONFIANCE_PSEUDONYM_KEY", "b" * 64)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for backend in args.backends.split(","):
        with _location(backend) as location:
            _run(backend, location, args)
    print(f"load average {os.getloadavg()[0]:.1f} after the run")


@contextmanager
def _location(backend: str) -> Iterator[str]:
    """A new empty store: a DuckDB file, or a schema on a throw-away PostgreSQL."""
    if backend == "duckdb":
        with tempfile.TemporaryDirectory() as tmp:
            yield str(Path(tmp) / "bench.duckdb")
        return
    bin_dir = pg_server.server_bin()
    if bin_dir is None:
        sys.exit("no PostgreSQL server programs: apt-get install postgresql")
    server = pg_server.start_server(bin_dir)
    try:
        yield pg_server.new_schema(server)[1]
    finally:
        server.stop()


def _run(backend: str, location: str, args: argparse.Namespace) -> None:
    """Build one backend's store, then measure each route on its last wave."""
    print(f"\n== {backend}: {args.n:,} respondents in {args.waves} waves")
    start = time.perf_counter()
    names = build(location, args.n, args.waves)
    print(f"  built in {time.perf_counter() - start:.0f} s{_size(location)}")
    if backend == "postgresql":
        print(f"  vacuumed, analysed and checkpointed in {settle(location):.0f} s")
    wave = names[-1]
    results = {"sums": measure(location, wave, "sums")}
    if not args.skip_rows:
        results["rows"] = measure(location, wave, "rows")
    print(f"\n{backend}: the view's wave {wave}, {args.n // args.waves:,} respondents")
    report(results)
    _browse(location, wave, args)


def _browse(location: str, wave: str, args: argparse.Namespace) -> None:
    """The browser's figures on the same store (``benchmarks/browser_load.py``)."""
    command = [sys.executable, str(Path(__file__).with_name("browser_load.py"))]
    command += ["--store", location, "--wave", wave]
    command += ["--runs", str(max(args.browser_runs, 1))]
    command += ["--sessions", str(max(args.sessions, 1))]
    if args.browser_runs <= 0:
        command.append("--skip-cold")
    if args.sessions <= 0:
        command.append("--skip-sessions")
    if args.browser_runs > 0 or args.sessions > 0:
        print(f"\n{wait_for_quiet()}", flush=True)
        subprocess.run(command, check=False, env=os.environ | {"PYTHONPATH": ROOT})


def _size(location: str) -> str:
    path = Path(location)
    return f", file {path.stat().st_size / 2**20:.0f} MB" if path.exists() else ""


if __name__ == "__main__":
    main()
