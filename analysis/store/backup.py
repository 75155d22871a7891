"""Backups: a consistent copy of the store while the app runs, and its restore.

A backup is one zip file (mode 0600) holding ``store.duckdb``, a fresh copy of
the live data made under the writers' lock (so no half-written import is in
it, and no byte of a purged wave either); ``manifest.json`` (when, which
waves, the schema, the check of the pseudonym key); the access store, when
there is one: ``access.sqlite`` (the journal of sign-ins, failed sign-ins,
exports and role changes, copied consistently while it is written) and
``access.yaml`` (who has which role and rows); and, only when asked,
``pseudonym.key``. A backup without the key restores every wave, but finding
a respondent by the id they were given needs the key that hashed it: keep the
key with the backups, or in a safe of its own. Restoring replaces the store
file, then the journal and the access file, each with one atomic rename, and
says what it replaced.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from analysis import config
from analysis.errors import PseudonymKeyError, StoreError
from analysis.store.backup_access import (
    ACCESS_FILE,
    ACCESS_LOG,
    AccessCopy,
    copy_access,
    restore_access,
)
from analysis.store.connection import open_connection, write_deadline, writers_lock
from analysis.store.pseudonym import install_key_file, load_key, store_key_check
from analysis.store.rewrite import copy_store, replace_file
from analysis.store.schema import SCHEMA_VERSION, log_action, schema_version
from analysis.store.wave_store import WaveStore

MANIFEST, DATABASE, KEY = "manifest.json", "store.duckdb", "pseudonym.key"
_MEMBERS = {MANIFEST, DATABASE, KEY, ACCESS_LOG, ACCESS_FILE}


@dataclass(frozen=True)
class Backup:
    """What a backup file holds, as its manifest says."""

    path: Path
    made_at: str
    schema: int
    waves: tuple[str, ...]
    rows: int
    with_key: bool
    key_check: str | None
    access: AccessCopy = field(default_factory=AccessCopy)
    """Whether the access journal and the access file are inside."""


@dataclass(frozen=True)
class Restored:
    """A restore: the backup put in place, the waves it replaced, the key's fate."""

    backup: Backup
    replaced: tuple[str, ...]
    key_note: str
    access_note: str = ""


def create_backup(store: WaveStore, out: Path, *, with_key: bool, actor: str) -> Backup:
    """Write a consistent copy of ``store`` to the new zip file ``out``."""
    if out.exists():
        raise StoreError(f"{out} exists; give the backup a new file name")
    key_text = load_key(store.path, create=False).secret.decode() if with_key else None
    with tempfile.TemporaryDirectory(dir=store.path.parent, prefix=".backup-") as tmp:
        copy = Path(tmp) / DATABASE
        with store.writing() as con:
            con.begin()
            detail = f"to {out.name}, {'with' if with_key else 'without'} the key"
            log_action(con, "backup", "*", actor, detail=detail)
            con.commit()
            manifest = _manifest(con, with_key)
            copy_store(con, copy)
        access = copy_access(store.path, Path(tmp))
        manifest["access"] = access.as_dict()
        _write_zip(out, copy, manifest, key_text, access.files(Path(tmp)))
    return _backup(out, manifest)


def _manifest(con: duckdb.DuckDBPyConnection, with_key: bool) -> dict[str, Any]:
    waves = con.execute(
        "SELECT wave, row_count FROM waves ORDER BY imported_at, wave"
    ).fetchall()
    return {
        "made_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema": SCHEMA_VERSION,
        "waves": [str(w) for w, _ in waves],
        "rows": sum(int(n) for _, n in waves),
        "with_key": with_key,
        "key_check": store_key_check(con),
    }


def _write_zip(
    out: Path,
    copy: Path,
    manifest: dict[str, Any],
    key_text: str | None,
    extra: dict[str, Path],
) -> None:
    partial = out.with_name(f".{out.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
                archive.write(copy, DATABASE)
                for member, source in extra.items():
                    archive.write(source, member)
                if key_text is not None:
                    archive.writestr(KEY, key_text + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        replace_file(partial, out)
    finally:
        partial.unlink(missing_ok=True)


def read_backup(path: Path) -> Backup:
    """The manifest of a backup file; refuse anything else."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if not {MANIFEST, DATABASE} <= names <= _MEMBERS:
                raise StoreError(f"{path} is not a Confiance backup (members {names})")
            manifest = json.loads(archive.read(MANIFEST))
            if manifest.get("with_key") != (KEY in names):
                raise StoreError(f"{path}: the manifest and the key file disagree")
            access = AccessCopy.read(manifest.get("access"), names, str(path))
    except (OSError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise StoreError(f"{path} is not a readable Confiance backup: {exc}") from None
    return _backup(path, manifest, access)


def _backup(
    path: Path, manifest: dict[str, Any], access: AccessCopy | None = None
) -> Backup:
    try:
        return Backup(
            path=path,
            made_at=str(manifest["made_at"]),
            schema=int(manifest["schema"]),
            waves=tuple(str(w) for w in manifest["waves"]),
            rows=int(manifest["rows"]),
            with_key=bool(manifest["with_key"]),
            key_check=manifest.get("key_check"),
            access=access or AccessCopy.read(manifest.get("access"), None, str(path)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"{path}: the backup's manifest lacks {exc}") from None


def restore_backup(store: WaveStore, path: Path, *, actor: str) -> Restored:
    """Replace the store by the backup, atomically; say what was replaced.

    Other :class:`WaveStore` objects of this process should be made anew: the
    restored file may need its schema migrated.
    """
    backup = read_backup(path)
    store.path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=store.path.parent, prefix=".restore-") as tmp:
        staged = Path(tmp) / DATABASE
        with zipfile.ZipFile(path) as archive:
            with archive.open(DATABASE) as source, staged.open("wb") as target:
                shutil.copyfileobj(source, target)
            key_text = archive.read(KEY).decode().strip() if backup.with_key else None
            backup.access.extract(archive, Path(tmp))
        _check_staged(staged, backup)
        deadline = write_deadline()
        with writers_lock(store.path, deadline):
            replaced = _current_waves(store.path, deadline)
            if store.path.exists():  # keep who may read it
                os.chmod(staged, stat.S_IMODE(store.path.stat().st_mode))
            replace_file(staged, store.path)
            access_note = restore_access(store.path, Path(tmp), backup.access)
    note = _install_key(store.path, key_text, backup)
    fresh = WaveStore(store.path)
    with fresh.writing() as con:
        con.begin()
        detail = f"{path.name} ({backup.made_at}); {len(replaced)} wave(s) replaced"
        log_action(con, "restore-backup", "*", actor, detail=detail)
        con.commit()
    return Restored(
        backup=backup, replaced=replaced, key_note=note, access_note=access_note
    )


def _check_staged(staged: Path, backup: Backup) -> None:
    """The extracted file is a Confiance store holding the waves its manifest lists."""
    try:
        con = duckdb.connect(str(staged), read_only=True)
    except duckdb.Error as exc:
        raise StoreError(f"{backup.path}: its store is unreadable: {exc}") from None
    try:
        if schema_version(con, backup.path) is None:
            raise StoreError(f"{backup.path}: its store is empty")
        waves = con.execute("SELECT wave FROM waves ORDER BY imported_at, wave")
        if tuple(str(w) for (w,) in waves.fetchall()) != backup.waves:
            raise StoreError(f"{backup.path}: its store is not the one listed")
    finally:
        con.close()


def _current_waves(path: Path, deadline: float) -> tuple[str, ...]:
    """The waves of the store about to be replaced (the caller holds the lock)."""
    if not path.exists() or path.stat().st_size == 0:
        return ()
    con = open_connection(path, read_only=False, deadline=deadline)
    try:
        if schema_version(con, path) is None:
            return ()
        rows = con.execute("SELECT wave FROM waves ORDER BY imported_at, wave")
        return tuple(str(w) for (w,) in rows.fetchall())
    finally:
        con.close()


def _install_key(store: Path, key_text: str | None, backup: Backup) -> str:
    """Put the backup's key beside the store, or say whether the current one fits."""
    key_file = config.pseudonym_key_path(store)
    if key_text is not None and config.pseudonym_key_text() is None:
        if key_file.exists() and key_file.read_text().strip() == key_text:
            return f"the pseudonym key {key_file} was already the backup's"
        install_key_file(key_file, key_text, replace=True)
        return f"the backup's pseudonym key was written to {key_file}"
    if backup.key_check is None:
        return "the backup holds no pseudonymised ids"
    try:
        current = load_key(store, create=False)
    except PseudonymKeyError:
        current = None
    if current is not None and current.check == backup.key_check:
        return f"the pseudonym key in {current.origin} is the backup's"
    return (
        "warning: the pseudonym key of this backup is not in place "
        f"({key_file} or ${config.PSEUDONYM_KEY_ENV}); imports and erasure by a "
        "given id are refused until it is restored"
    )
