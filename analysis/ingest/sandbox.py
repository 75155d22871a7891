"""Reading an untrusted file in a worker process that may crash, hang or bloat.

The SPSS and Excel readers are C and XML code fed with bytes a stranger
chose: a six-byte change to a ``.sav`` file segfaults pyreadstat, which in the
app would take the server down for every user. :func:`read_untrusted` runs
:func:`~analysis.ingest.readers.read_survey` (detection, parsing and the
reader's own checks) — and, through :func:`in_sandbox`, whatever is
done with the file next: questionnaire detection and validation
(:mod:`analysis.ingest.prepared`) — in a child forked from a
multiprocessing *forkserver* that has the readers already imported, so each
file costs a fork, not a fresh interpreter. The child has a data-segment
limit (``RLIMIT_DATA``: ``RLIMIT_AS`` would trip on the address space numpy
and pyarrow reserve) and
the parent a wall-time limit; a crash, a hang or a limit becomes one
:class:`~analysis.errors.SandboxError` sentence, and only the child dies.
File size, columns and cell length are capped too
(:class:`~analysis.config.IngestLimits`, one environment variable each).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import resource
import signal
import sys
import threading
import traceback
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from analysis.config import LIMIT_ENVS, IngestLimits, ingest_limits
from analysis.errors import IngestError, SandboxError, SurveyDataError
from analysis.ingest.model import RawSurvey
from analysis.ingest.readers import read_survey
from analysis.ingest.safety import check_size

log = logging.getLogger(__name__)

_PRELOAD = ["analysis.ingest.readers", "analysis.ingest.prepared", "pyreadstat"]
_PRELOAD += ["openpyxl"]
_LOCK = threading.Lock()
_CONTEXTS: list[Any] = []
_GRACE = 5.0  # seconds for a finished or killed worker to be reaped
_CRASHES: dict[int, str] = {
    signal.SIGSEGV: "crashed on it (segmentation fault)",
    signal.SIGBUS: "crashed on it (bus error)",
    signal.SIGILL: "crashed on it (illegal instruction)",
    signal.SIGFPE: "crashed on it (arithmetic fault)",
}
_OUT_OF_MEMORY: dict[int, str] = {
    signal.SIGABRT: "aborted",
    signal.SIGKILL: "was killed",
}


@dataclass(frozen=True)
class _Request:
    """What the worker reads: a path, or bytes already in memory (an upload)."""

    path: str
    content: bytes | None
    format: str | None
    sheet: str | None
    limits: IngestLimits
    then: Callable[[RawSurvey], Any] | None = None
    """What the worker does with the file once read (picklable), under the same
    limits; its result is what comes back."""


def read_untrusted(
    path: Path | str,
    *,
    format: str | None = None,
    sheet: str | None = None,
    content: bytes | None = None,
    limits: IngestLimits | None = None,
) -> RawSurvey:
    """Read a survey file to import, sandboxed; the one reader of the app and CLI.

    Parameters
    ----------
    path
        The file (only its name is used when ``content`` is given).
    format, sheet
        As :func:`~analysis.ingest.readers.read_survey` takes them.
    content
        The file's bytes, when they are already in memory (an upload).
    limits
        The caps; by default :func:`~analysis.config.ingest_limits`.

    Returns
    -------
    RawSurvey
        The file as read; any failure is an :class:`~analysis.errors.IngestError`
        (a :class:`~analysis.errors.SandboxError` when the worker was stopped).
    """
    raw: RawSurvey = in_sandbox(
        path, None, format=format, sheet=sheet, content=content, limits=limits
    )
    return raw


def in_sandbox(
    path: Path | str,
    then: Callable[[RawSurvey], Any] | None,
    *,
    format: str | None = None,
    sheet: str | None = None,
    content: bytes | None = None,
    limits: IngestLimits | None = None,
) -> Any:
    """Read a file in the worker and run ``then`` on it there, under one set of limits.

    ``then`` must be picklable (a module-level function or a frozen dataclass
    with ``__call__``) and return a picklable result; without it the result is
    the :class:`~analysis.ingest.model.RawSurvey`. Failures are reported as
    :func:`read_untrusted` reports them.
    """
    caps = limits or ingest_limits()
    source = Path(path)
    check_size(_size(source, content), source.name, caps)
    request = _Request(str(source), content, format, sheet, caps, then)
    reply = _run(request, source.name)
    status, payload = reply[0], reply[1]
    if status == "ok":
        return payload
    if status == "error":
        error: SurveyDataError = payload
        raise error
    if status == "memory":
        raise SandboxError(
            f"{source.name} needs more than {caps.reader_memory_mb:g} MB of memory "
            f"to read (the limit, {LIMIT_ENVS['reader_memory_mb']}); nothing was "
            "stored",
            "memory",
        )
    log.error("reader failed on %s: %s\n%s", source.name, payload, reply[2])
    raise SandboxError(
        f"{source.name} could not be read: the reader failed unexpectedly "
        f"({payload}); nothing was stored",
        "unexpected",
    )


def _size(source: Path, content: bytes | None) -> int:
    if content is not None:
        return len(content)
    try:
        return source.stat().st_size
    except OSError as exc:
        raise IngestError(f"cannot read {source}: {exc.strerror}") from None


def _context() -> Any:
    """The forkserver context, its server preloaded with the readers (once)."""
    with _LOCK:
        if not _CONTEXTS:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
            _CONTEXTS.append(context)
        return _CONTEXTS[0]


@contextlib.contextmanager
def _plain_main() -> Iterator[None]:
    """Start workers as if ``__main__`` were empty.

    multiprocessing makes each child import the caller's ``__main__`` again:
    under Streamlit that is the page script (which must not run in a worker),
    in a user's script it may be unguarded code. The worker needs nothing
    from it: its task lives in this module.
    """
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if saved is not None:
            sys.modules["__main__"] = saved


def _run(request: _Request, name: str) -> tuple[Any, ...]:
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(
        target=_work, args=(sender, request), daemon=True, name="confiance-reader"
    )
    with _LOCK, _plain_main():
        worker.start()
    sender.close()
    try:
        return _receive(receiver, worker, name, request.limits)
    finally:
        receiver.close()
        _stop(worker)


def _receive(
    receiver: Connection, worker: Any, name: str, limits: IngestLimits
) -> tuple[Any, ...]:
    if not receiver.poll(limits.reader_seconds):
        raise SandboxError(
            f"{name}: reading was stopped after {limits.reader_seconds:g} s (the "
            f"limit, {LIMIT_ENVS['reader_seconds']}); the file is too large or "
            "built to hang the reader; nothing was stored",
            "timeout",
        )
    try:
        reply: tuple[Any, ...] = receiver.recv()
    except (EOFError, OSError):
        worker.join(_GRACE)
        message = _crash_message(name, worker.exitcode, limits)
        raise SandboxError(message, "crash") from None
    return reply


def _crash_message(name: str, exitcode: int | None, limits: IngestLimits) -> str:
    number = -exitcode if exitcode is not None and exitcode < 0 else 0
    if number in _OUT_OF_MEMORY:  # C++ readers abort when an allocation fails
        return (
            f"{name} could not be read: the file reader {_OUT_OF_MEMORY[number]}, "
            "so the file is damaged or needs more than "
            f"{limits.reader_memory_mb:g} MB of memory (the limit, "
            f"{LIMIT_ENVS['reader_memory_mb']}); nothing was stored"
        )
    if number:
        what = _CRASHES.get(number, f"was stopped by signal {number}")
        return (
            f"{name} could not be read: the file reader {what}, so the file is "
            "damaged or not what its name says; nothing was stored"
        )
    # not the file's doing: the worker could not start or was stopped from outside
    log.error("reader process for %s ended with status %s", name, exitcode)
    return (
        f"{name} could not be read: the reader process ended (status {exitcode}) "
        "before answering; see the server log; nothing was stored"
    )


def _stop(worker: Any) -> None:
    if worker.is_alive():
        worker.kill()
    worker.join(_GRACE)
    if not worker.is_alive():
        worker.close()


def _work(sender: Connection, request: _Request) -> None:
    """The child: cap its memory, read, send back the result or the error."""
    limit = int(request.limits.reader_memory_mb * 2**20)
    with contextlib.suppress(ValueError, OSError):  # a platform may refuse a limit
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core
    reply: tuple[Any, ...]
    try:
        raw = read_survey(
            request.path,
            format=request.format,
            sheet=request.sheet,
            content=request.content,
            limits=request.limits,
        )
        reply = ("ok", raw if request.then is None else request.then(raw))
    except SurveyDataError as exc:
        reply = ("error", exc)
    except MemoryError:
        reply = ("memory", None)
    except Exception as exc:  # a reader bug: reported as one line, trace logged
        summary = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        reply = ("unexpected", summary, traceback.format_exc())
    try:
        sender.send(reply)
    except MemoryError:
        sender.send(("memory", None))
    except Exception as exc:  # a result that cannot be sent back: a bug too
        summary = f"cannot return the result ({type(exc).__name__})"
        sender.send(("unexpected", summary, traceback.format_exc()))
    finally:
        sender.close()
