"""Where things are: the project's paths and the environment variables it reads.

Every path the library opens by default and every variable it reads from the
environment is named here, so a deployment has one page to read.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.errors import StoreError, SurveyDataError

ROOT = Path(__file__).resolve().parent.parent
"""The checkout: ``analysis/``, ``dashboard/`` and ``data/`` sit side by side."""

DATA = ROOT / "data"
CODEBOOK = DATA / "codebook.yaml"
THEME = DATA / "theme.yaml"
PUBLISHED_TOPLINES = DATA / "reference" / "published_toplines.csv"
MAPPINGS = DATA / "mappings"
DEFAULT_STORE = DATA / "confiance.duckdb"
DEFAULT_ACCESS = DATA / "access.yaml"

STORE_ENV = "CONFIANCE_STORE"
"""A store other than ``data/confiance.duckdb``."""

PASSPHRASE_HASH_ENV = "CONFIANCE_ANALYST_PASSWORD_HASH"
"""The scrypt hash that unlocks analyst actions (``python -m analysis passphrase``)."""

ACCESS_ENV = "CONFIANCE_ACCESS"
"""The access file (roles and row grants) other than ``data/access.yaml``."""

ACCESS_LOG_ENV = "CONFIANCE_ACCESS_LOG"
"""The sign-in and export journal other than ``<store>.access.sqlite``."""

USER_ENV = "CONFIANCE_USER"
"""The e-mail whose role and grants a command-line call acts with (unset: the
file's owner, unrestricted)."""

PSEUDONYM_KEY_ENV = "CONFIANCE_PSEUDONYM_KEY"
"""The pseudonym key as text, for several servers sharing one store.

Unset, the key is the file beside the store (:func:`pseudonym_key_path`),
generated at first use with mode 0600. Either way it never enters the store.
"""

STORE_WRITE_WAIT_ENV = "CONFIANCE_STORE_WRITE_WAIT"
"""Seconds a change waits for another writer to finish before giving up."""

STORE_READ_WAIT_ENV = "CONFIANCE_STORE_READ_WAIT"
"""Seconds a read waits for a writer to finish before saying the store is busy."""

STORE_WRITE_WAIT = 30.0
STORE_READ_WAIT = 4.0

BROWSER_ENV = ("CONFIANCE_CHROMIUM", "BROWSER_PATH")
"""A Chromium for PNG export, used as given (never silently replaced)."""

LIMIT_ENVS = {
    "max_file_mb": "CONFIANCE_MAX_FILE_MB",
    "max_columns": "CONFIANCE_MAX_COLUMNS",
    "max_cell_kb": "CONFIANCE_MAX_CELL_KB",
    "reader_seconds": "CONFIANCE_READER_SECONDS",
    "reader_memory_mb": "CONFIANCE_READER_MEMORY_MB",
}
"""The caps on an uploaded file and on the sandboxed reader, one variable each."""


@dataclass(frozen=True)
class IngestLimits:
    """Caps on a file to import and on the worker that reads it.

    The defaults fit real survey exports with room to spare: a 200 MB CSV is
    about a million respondents of 100 answers; survey tools export a few
    hundred columns; an open answer is rarely over a page (64 kB). Reading a
    200 MB CSV took 10 s and between 2 and 3 GB of data segment (address
    space, not resident memory), so the worker gets two minutes and 4 GB.
    """

    max_file_mb: float = 200
    max_columns: int = 2000
    max_cell_kb: float = 64
    reader_seconds: float = 120
    reader_memory_mb: float = 4096

    @property
    def max_file_bytes(self) -> int:
        """The file cap in bytes."""
        return int(self.max_file_mb * 2**20)

    @property
    def max_cell_chars(self) -> int:
        """The cell cap in characters (a kB is taken as 1,024 characters)."""
        return int(self.max_cell_kb * 1024)


def ingest_limits() -> IngestLimits:
    """The limits, each from its environment variable when set (else the default)."""
    values: dict[str, Any] = {}
    for field, name in LIMIT_ENVS.items():
        text = os.environ.get(name, "").strip()
        if not text:
            continue
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not value > 0:
            raise SurveyDataError(f"{name}={text!r} must be a number above 0")
        values[field] = int(value) if field == "max_columns" else value
    return IngestLimits(**values)


def store_path() -> Path:
    """``$CONFIANCE_STORE`` if set, else ``data/confiance.duckdb``.

    A URL is refused in one line naming its scheme (see :func:`store_file`),
    so a database URL never silently becomes a file of that name.
    """
    env = os.environ.get(STORE_ENV)
    return store_file(env, STORE_ENV) if env else DEFAULT_STORE


_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_POSTGRES = ("postgresql", "postgres")


def store_file(location: str, where: str = "the store") -> Path:
    """The DuckDB file a store location names; a URL is refused, naming its scheme.

    Only a file path (or ``file://`` followed by one) names a store in this
    release: a ``postgresql://`` store is not built yet, and any other scheme
    (``mysql://``, a typo of ``postgresql``) is not a store at all.

    Examples
    --------
    >>> store_file("file:///srv/confiance.duckdb")
    PosixPath('/srv/confiance.duckdb')
    """
    found = _URL.match(location.strip())
    if found is None:
        return Path(location)
    scheme = found.group(1).lower()
    if scheme == "file":
        return Path(location.strip()[len("file://") :])
    if scheme in _POSTGRES:
        raise StoreError(
            f"{where}: a PostgreSQL store ({scheme}://) is not available in this "
            "release; point it at a DuckDB file path instead"
        )
    raise StoreError(
        f"{where}: unknown store URL scheme {scheme!r}; give a DuckDB file path "
        "(PostgreSQL stores are not available in this release)"
    )


def pseudonym_key_path(store: Path) -> Path:
    """``<store>.key``: where the store's pseudonym key lives when no env names it."""
    return store.with_name(store.name + ".key")


def pseudonym_key_text() -> str | None:
    """The pseudonym key from the environment, or None when none is set."""
    value = os.environ.get(PSEUDONYM_KEY_ENV, "").strip()
    return value or None


def store_waits() -> tuple[float, float]:
    """Seconds to wait for the store's lock: (to read, to write)."""
    return (
        _seconds(STORE_READ_WAIT_ENV, STORE_READ_WAIT),
        _seconds(STORE_WRITE_WAIT_ENV, STORE_WRITE_WAIT),
    )


def _seconds(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 3600:
        raise StoreError(f"${name} ({text!r}) must be a number of seconds, 0 to 3600")
    return value


def passphrase_hash() -> str | None:
    """The analyst hash from the environment, or None when none is set."""
    value = os.environ.get(PASSPHRASE_HASH_ENV, "").strip()
    return value or None


def access_path() -> Path:
    """``$CONFIANCE_ACCESS`` if set, else ``data/access.yaml``."""
    env = os.environ.get(ACCESS_ENV, "").strip()
    return Path(env) if env else DEFAULT_ACCESS


def access_log_path(store: Path) -> Path:
    """``$CONFIANCE_ACCESS_LOG`` if set, else ``<store>.access.sqlite`` beside it."""
    env = os.environ.get(ACCESS_LOG_ENV, "").strip()
    return Path(env) if env else store.with_name(store.name + ".access.sqlite")


def acting_user() -> str | None:
    """The e-mail a command-line call acts for, or None for the file's owner."""
    value = os.environ.get(USER_ENV, "").strip()
    return value or None


def browser_override() -> Path | None:
    """The browser path set in the environment, if any."""
    for name in BROWSER_ENV:
        value = os.environ.get(name)
        if value:
            return Path(value)
    return None
