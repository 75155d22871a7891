"""The dashboard served for the browser tests, as `make run` serves it, on a free port.

:func:`serve` starts the app headless over a given store, with the environment a
test gives it, and returns once ``/_stcore/health`` answers; :func:`stop` ends
it and whatever it started. The ``served_app`` fixture (tests/dashboard/
conftest.py) pairs the two for a module.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from scripts.health import NotHealthy, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 60
# who may do what, and on which data: only the test that starts the app sets these
CLEARED = (
    "CONFIANCE_STORE",
    "CONFIANCE_ACCESS",
    "CONFIANCE_ACCESS_LOG",
    "CONFIANCE_ANALYST_PASSWORD_HASH",
    "CONFIANCE_USER",
)


@dataclass(frozen=True)
class Served:
    """One running app: its base URL, its port, its process and its log."""

    url: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path


def free_port() -> int:
    """A loopback port nobody listens on (now)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(
    store: Path,
    *,
    env: Mapping[str, str] | None = None,
    args: Sequence[str] = (),
    port: int | None = None,
    base_path: str = "",
) -> Served:
    """Start the app on ``store`` and wait until it is healthy.

    The app sees this process's environment without :data:`CLEARED`, then
    ``CONFIANCE_STORE`` and ``env``; ``args`` go to ``streamlit run`` (through
    :mod:`dashboard.serve`, as ``make run`` starts it). Its log
    is ``app-<port>.log`` beside the store. With ``base_path``, Streamlit serves
    the app under it (``server.baseUrlPath``) and the URL includes it.
    """
    port = port or free_port()
    environ = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environ |= {"CONFIANCE_STORE": str(store), **(env or {})}
    log = store.parent / f"app-{port}.log"
    # as make run serves it: the launcher warms up, then streamlit run
    command = [sys.executable, "-m", "dashboard.serve"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    if base_path:
        command += ["--server.baseUrlPath", base_path]
    with log.open("w") as out:
        process = subprocess.Popen(
            [*command, *args],
            cwd=ROOT,
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group, so stop() reaches its children
        )
    url = f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")
    served = Served(url, port, process, log)
    try:
        _wait_healthy(served)
    except BaseException:
        stop(served)
        raise
    return served


def _wait_healthy(served: Served) -> None:
    try:
        wait_healthy(served.url, served.process, served.log, START_SECONDS)
    except NotHealthy as exc:
        pytest.fail(str(exc))


def stop(served: Served) -> None:
    """Stop the app and its process group: politely, then for good."""
    group = served.process.pid  # the group's id (start_new_session)
    try:
        os.killpg(group, signal.SIGTERM)
        served.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(group, signal.SIGKILL)
        served.process.wait()
    except ProcessLookupError:
        served.process.wait()
    # children that outlived the app's own exit
    with contextlib.suppress(ProcessLookupError):
        os.killpg(group, signal.SIGKILL)


def copy_store(source: Path, folder: Path) -> Path:
    """A copy of a DuckDB store in ``folder``, with its pseudonym key when it has one."""
    store = folder / "store.duckdb"
    shutil.copyfile(source, store)
    key = Path(f"{source}.key")
    if key.exists():
        shutil.copyfile(key, f"{store}.key")
    return store
