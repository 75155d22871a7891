"""Where things are: the project's paths and the environment variables it reads.

Every path the library opens by default and every variable it reads from the
environment is named here, so a deployment has one page to read.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The checkout: ``analysis/``, ``dashboard/`` and ``data/`` sit side by side."""

DATA = ROOT / "data"
CODEBOOK = DATA / "codebook.yaml"
THEME = DATA / "theme.yaml"
PUBLISHED_TOPLINES = DATA / "reference" / "published_toplines.csv"
MAPPINGS = DATA / "mappings"
DEFAULT_STORE = DATA / "confiance.duckdb"

STORE_ENV = "CONFIANCE_STORE"
"""A store other than ``data/confiance.duckdb``."""

PASSPHRASE_HASH_ENV = "CONFIANCE_ANALYST_PASSWORD_HASH"
"""The scrypt hash that unlocks analyst actions (``python -m analysis passphrase``)."""

BROWSER_ENV = ("CONFIANCE_CHROMIUM", "BROWSER_PATH")
"""A Chromium for PNG export, used as given (never silently replaced)."""


def store_path() -> Path:
    """``$CONFIANCE_STORE`` if set, else ``data/confiance.duckdb``."""
    env = os.environ.get(STORE_ENV)
    return Path(env) if env else DEFAULT_STORE


def passphrase_hash() -> str | None:
    """The analyst hash from the environment, or None when none is set."""
    value = os.environ.get(PASSPHRASE_HASH_ENV, "").strip()
    return value or None


def browser_override() -> Path | None:
    """The browser path set in the environment, if any."""
    for name in BROWSER_ENV:
        value = os.environ.get(name)
        if value:
            return Path(value)
    return None
