"""Where things are: the project's paths and the environment variables it reads.

Every path the library opens by default and every variable it reads from the
environment is named here, so a deployment has one page to read.
"""

from __future__ import annotations

import os
from pathlib import Path

from analysis.errors import StoreError

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


def store_path() -> Path:
    """``$CONFIANCE_STORE`` if set, else ``data/confiance.duckdb``."""
    env = os.environ.get(STORE_ENV)
    return Path(env) if env else DEFAULT_STORE


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
