"""Pseudonyms: respondent ids are stored as a keyed hash, never as given.

The hash is HMAC-SHA-256 under a key that lives outside the store —
``$CONFIANCE_PSEUDONYM_KEY`` (several servers share it) or the file
``<store>.key`` beside the store, made at first use with mode 0600 — so a copy
of the store alone cannot be linked back to the ids a survey tool handed out,
while the same id still gets the same pseudonym in every wave (panels stay
linked, and one person can be erased from all waves). The store keeps a short
check of its key, so a wrong or regenerated key is refused instead of silently
making pseudonyms that match nobody. Losing the key makes erasure by the id a
respondent was given impossible.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from analysis import config
from analysis.errors import PseudonymKeyError

if TYPE_CHECKING:
    from analysis.store.dialect import StoreConnection

MIN_KEY_LENGTH = 32
_CHECK_INPUT = b"confiance pseudonym key check"
_LOST = (
    "restore that key (a backup made with --with-key holds it): without it, "
    "respondents cannot be found by the id they were given"
)


@dataclass(frozen=True)
class PseudonymKey:
    """The secret and where it came from (the env variable or a file path)."""

    secret: bytes = field(repr=False)
    origin: str
    created: bool = False

    def pseudonym(self, given: object) -> str:
        """The stored form of one respondent id (its text, trimmed)."""
        text = str(given).strip().encode("utf-8")
        return hmac.new(self.secret, text, hashlib.sha256).hexdigest()

    def pseudonyms(self, ids: Iterable[object]) -> list[str]:
        """The stored form of each id, in order."""
        return [self.pseudonym(given) for given in ids]

    @property
    def check(self) -> str:
        """A short keyed digest the store keeps to recognise its key."""
        return hmac.new(self.secret, _CHECK_INPUT, hashlib.sha256).hexdigest()[:16]


def load_key(store: Path, *, create: bool) -> PseudonymKey:
    """The key from the environment, else ``<store>.key`` (made when ``create``)."""
    text = config.pseudonym_key_text()
    if text is not None:
        return key_from_text(text, f"${config.PSEUDONYM_KEY_ENV}")
    path = config.pseudonym_key_path(store)
    created = False
    if not path.exists():
        if not create:
            raise PseudonymKeyError(
                f"no pseudonym key: neither {path} nor ${config.PSEUDONYM_KEY_ENV} "
                f"exists; {_LOST}"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        created = install_key_file(path, secrets.token_hex(32), replace=False)
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise PseudonymKeyError(
            f"cannot read the pseudonym key {path}: {exc}"
        ) from None
    return key_from_text(text, str(path), created)


def key_from_text(text: str, origin: str, created: bool = False) -> PseudonymKey:
    """A key from its text; too short a text is refused, naming where it came from."""
    if len(text) < MIN_KEY_LENGTH:
        raise PseudonymKeyError(
            f"the pseudonym key in {origin} has {len(text)} characters; it needs "
            f"at least {MIN_KEY_LENGTH} (e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`)"
        )
    return PseudonymKey(text.encode("utf-8"), origin, created)


def install_key_file(path: Path, text: str, *, replace: bool) -> bool:
    """Write a key file atomically with mode 0600; False if one was there first.

    The file appears whole or not at all, so two processes making the first
    key at once end up sharing the one that landed first.
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(temporary, path)
            return True
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        temporary.unlink(missing_ok=True)


def check_key(con: StoreConnection, key: PseudonymKey, *, record: bool = True) -> None:
    """Refuse a key other than the store's; with ``record``, adopt it if none yet.

    Recording runs inside the caller's write transaction. Searching with a
    wrong key would find nobody and say so falsely, hence the refusal.
    """
    found = store_key_check(con)
    if found is None:
        if record:
            con.execute("INSERT INTO meta VALUES ('pseudonym_check', ?)", [key.check])
        return
    if found == key.check:
        return
    if key.created:
        # a key made just now for a store that already had one: the old one is lost
        Path(key.origin).unlink(missing_ok=True)
        raise PseudonymKeyError(
            f"the pseudonym key {key.origin} is missing, and this store's ids were "
            f"hashed with it; {_LOST}"
        )
    raise PseudonymKeyError(
        f"the pseudonym key in {key.origin} is not the one this store's ids were "
        f"hashed with; {_LOST}"
    )


def store_key_check(con: StoreConnection) -> str | None:
    """The store's key check, None when no id has been hashed yet."""
    row = con.execute("SELECT value FROM meta WHERE key = 'pseudonym_check'").fetchone()
    return None if row is None else str(row[0])
