"""The access store in a backup: the sign-in journal and the access file.

Beside the store live ``<store>.access.sqlite`` (or ``$CONFIANCE_ACCESS_LOG``:
sign-ins, failed sign-ins, exports, role changes, by name) and the access file
(``data/access.yaml`` or ``$CONFIANCE_ACCESS``: who has which role and rows).
A backup copies both as they are when it is made — the journal through
SQLite's online backup, so entries written meanwhile are either in or out,
never half — and a restore checks both before anything is replaced, then puts
each back with one atomic rename.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analysis import config
from analysis.errors import AccessError, StoreError
from analysis.store.rewrite import replace_file

ACCESS_LOG, ACCESS_FILE = "access.sqlite", "access.yaml"


@dataclass(frozen=True)
class AccessCopy:
    """Which parts of the access store a backup holds."""

    journal: bool = False
    policy: bool = False
    entries: int = 0
    """The journal's entries when the backup was made."""

    def as_dict(self) -> dict[str, Any]:
        """The manifest's ``access`` entry."""
        return {"journal": self.journal, "policy": self.policy, "entries": self.entries}

    @classmethod
    def read(cls, data: object, names: set[str] | None, where: str) -> AccessCopy:
        """The manifest's entry, checked against the zip's members when given.

        A backup made before the access store was backed up has no entry.
        """
        if data is None:
            found = cls()
        elif isinstance(data, dict):
            found = cls(
                bool(data.get("journal")),
                bool(data.get("policy")),
                int(data.get("entries") or 0),
            )
        else:
            raise StoreError(f"{where}: the manifest's access entry is not a mapping")
        if names is not None and (
            found.journal != (ACCESS_LOG in names)
            or found.policy != (ACCESS_FILE in names)
        ):
            raise StoreError(f"{where}: the manifest and the access files disagree")
        return found

    def files(self, folder: Path) -> dict[str, Path]:
        """The zip members of this copy and where they are staged in ``folder``."""
        members = [ACCESS_LOG] * self.journal + [ACCESS_FILE] * self.policy
        return {member: folder / member for member in members}

    def extract(self, archive: zipfile.ZipFile, folder: Path) -> None:
        """Stage this copy's members in ``folder`` and check them; refuse bad ones."""
        where = archive.filename or "backup"
        for member, target in self.files(folder).items():
            target.write_bytes(archive.read(member))
        if self.journal:
            _check_journal(folder / ACCESS_LOG, where)
        if self.policy:
            _check_policy(folder / ACCESS_FILE, where)


def copy_access(store: Path, folder: Path) -> AccessCopy:
    """Copy the journal and the access file of ``store`` into ``folder``."""
    journal = config.access_log_path(store)
    entries = 0
    if journal.exists():
        entries = _copy_journal(journal, folder / ACCESS_LOG)
    policy = config.access_path()
    if policy.exists():
        (folder / ACCESS_FILE).write_bytes(policy.read_bytes())
    return AccessCopy(journal.exists(), policy.exists(), entries)


def _copy_journal(journal: Path, target: Path) -> int:
    try:
        source = sqlite3.connect(journal, timeout=10)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            row = copy.execute("SELECT count(*) FROM journal").fetchone()
        finally:
            copy.close()
            source.close()
    except sqlite3.Error as exc:
        raise StoreError(
            f"{journal}: the access journal cannot be read: {exc}"
        ) from None
    return int(row[0])


def _check_journal(path: Path, where: str) -> None:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            con.execute("SELECT happened_at, action, actor FROM journal LIMIT 1")
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise StoreError(f"{where}: its access journal is unreadable: {exc}") from None


def _check_policy(path: Path, where: str) -> None:
    from analysis.access.policy import parse_policy  # the access file's own rules

    try:
        parse_policy(yaml.safe_load(path.read_text(encoding="utf-8")) or {}, where)
    except (yaml.YAMLError, UnicodeDecodeError, AccessError) as exc:
        raise StoreError(f"{where}: its access file is not valid: {exc}") from None


def restore_access(store: Path, folder: Path, copy: AccessCopy) -> str:
    """Put the staged journal and access file in place; say what was done."""
    journal = config.access_log_path(store)
    policy = config.access_path()
    said = []
    if copy.journal:
        _put(folder / ACCESS_LOG, journal, 0o600)
        said.append(f"the access journal {journal} ({copy.entries} entries)")
    if copy.policy:
        staged = folder / ACCESS_FILE
        if not policy.exists() or policy.read_bytes() != staged.read_bytes():
            _put(staged, policy, 0o600)
        said.append(f"the access file {policy}")
    if not said:
        return (
            "the backup holds no access journal nor access file; both left as they were"
        )
    return "restored " + " and ".join(said)


def _put(staged: Path, target: Path, mode: int) -> None:
    """Copy ``staged`` beside ``target`` and rename it over ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():  # keep who may read it
        mode = stat.S_IMODE(target.stat().st_mode)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(staged.read_bytes())
            out.flush()
            os.fsync(out.fileno())
        os.chmod(name, mode)
        replace_file(Path(name), target)
    finally:
        Path(name).unlink(missing_ok=True)
