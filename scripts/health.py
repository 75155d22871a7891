"""Wait until a Streamlit server just started answers its health check."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from pathlib import Path


class NotHealthy(RuntimeError):
    """The server exited, or did not answer in time; the message ends with its log."""


def wait_healthy(
    url: str, process: subprocess.Popen[bytes], log: Path, seconds: float
) -> None:
    """Poll ``url``'s health check until it answers, the process exits or time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise NotHealthy(f"streamlit exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise NotHealthy(f"streamlit never became healthy:\n{log.read_text()[-3000:]}")
