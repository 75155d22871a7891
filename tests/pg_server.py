"""A throw-away PostgreSQL server for the tests: initdb + pg_ctl in a temporary folder.

Debian's ``postgresql`` package (``scripts/ensure-postgres.sh`` installs it)
puts the server programs in ``/usr/lib/postgresql/<version>/bin``. ``initdb``
refuses to run as root, so as root the server runs as the package's
``postgres`` user (``runuser -u postgres --``) in a folder that user owns;
it listens only on a unix socket in that folder, under a free port number.
Each store gets a schema of its own in one database, dropped after its test.

A killed test run cannot stop its server, so each folder names its owner
(``owner.pid``: the pytest process and its start time) and every start first
sweeps the folders whose owner is gone: their server is stopped and the folder
removed. A live pytest's server is never touched (several runs may share the
machine).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "confiance_test"
PREFIX = "confiance-pg-"
OWNER = "owner.pid"
ORPHAN_SECONDS = 3600
"""A folder without an owner (made before owners were written) and without a
running server is swept once it is this old: by then no start is under way."""


def server_bin() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``, installing them once if need be."""
    for attempt in range(2):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if found:
            return Path(found[-1]).parent
        on_path = shutil.which("initdb")
        if on_path:
            return Path(on_path).resolve().parent
        if attempt == 0:
            subprocess.run(
                [str(ROOT / "scripts" / "ensure-postgres.sh")],
                check=False,
                capture_output=True,
            )
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running server: its folder (socket there too) and port."""

    bin: Path
    folder: Path
    port: int
    as_postgres: bool

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        subprocess.run(
            [*prefix, *args], check=True, capture_output=True, text=True, timeout=120
        )

    def url(self, database: str = DATABASE, schema: str | None = None) -> str:
        """A URL of one database (and schema) on this server's socket."""
        user = "postgres" if self.as_postgres else os.environ.get("USER", "postgres")
        url = f"postgresql://{user}@/{database}?host={self.folder}&port={self.port}"
        return url + (f"&options=-csearch_path%3D{schema}" if schema else "")

    def stop(self) -> None:
        """Stop at once and remove the folder."""
        try:
            self._run(
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "immediate",
                "stop",
            )
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_server(bin_dir: Path) -> Server:
    """Make a cluster in a new folder, start it, create the test database.

    Servers that dead runs left behind are swept first (:func:`sweep_servers`).
    """
    sweep_servers(bin_dir)
    as_postgres = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    write_owner(folder, os.getpid())
    if as_postgres:
        shutil.chown(folder, "postgres", "postgres")
    folder.chmod(0o700)
    server = Server(bin_dir, folder, _free_port(), as_postgres)
    user = "postgres" if as_postgres else os.environ.get("USER", "postgres")
    data = str(folder / "data")
    server._run(
        str(bin_dir / "initdb"),
        "-D",
        data,
        "-A",
        "trust",
        "-U",
        user,
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
    )
    options = (
        f"-k {folder} -p {server.port} -c listen_addresses='' -c fsync=off"
        " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    server._run(
        str(bin_dir / "pg_ctl"),
        "-D",
        data,
        "-o",
        options,
        "-l",
        str(folder / "server.log"),
        "-w",
        "start",
    )
    import psycopg

    with psycopg.connect(server.url("postgres"), autocommit=True) as con:
        con.execute(f"CREATE DATABASE {DATABASE}")
    return server


def new_schema(server: Server) -> tuple[str, str]:
    """A fresh empty schema: (its name, the store URL that uses it)."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(server.url(), autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {name}")
    return name, server.url(schema=name)


def drop_schema(server: Server, name: str, url: str) -> None:
    """Close this process's pool of ``url`` and drop the schema."""
    import psycopg

    from analysis.store.postgres import close_pools

    close_pools(url)
    with psycopg.connect(server.url(), autocommit=True) as con:
        con.execute(f"DROP SCHEMA {name} CASCADE")


def started_at(pid: int) -> int | None:
    """When process ``pid`` started (clock ticks since boot), or None if none runs."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name, in parentheses, may hold spaces: fields follow its ")"
    return int(stat.rsplit(")", 1)[1].split()[19])


def write_owner(folder: Path, pid: int) -> None:
    """Name process ``pid`` (and its start time) as the owner of a server folder."""
    (folder / OWNER).write_text(f"{pid} {started_at(pid) or 0}\n")


def _owner_alive(folder: Path) -> bool | None:
    """Whether the folder's owner still runs; None when the folder names none."""
    try:
        pid, started = (int(f) for f in (folder / OWNER).read_text().split())
    except (OSError, ValueError):
        return None
    return started_at(pid) == started  # a recycled pid started later


def postmaster_pid(folder: Path) -> int | None:
    """The pid of the server running on this folder's data, if one runs."""
    try:
        pid = int((folder / "data" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if started_at(pid) is not None else None


def sweep_servers(bin_dir: Path, parent: Path | None = None) -> list[Path]:
    """Stop the servers whose owner is gone and remove their folders; those swept.

    Folders that name no owner are removed only when no server runs in them
    and they are older than :data:`ORPHAN_SECONDS`.
    """
    swept = []
    for folder in Path(parent or tempfile.gettempdir()).glob(PREFIX + "*"):
        alive = _owner_alive(folder)
        if alive is None:
            with contextlib.suppress(OSError):
                old = time.time() - folder.stat().st_mtime > ORPHAN_SECONDS
                if old and postmaster_pid(folder) is None:
                    shutil.rmtree(folder, ignore_errors=True)
                    swept.append(folder)
            continue
        if alive:
            continue
        server = Server(bin_dir, folder, 0, os.geteuid() == 0)
        if postmaster_pid(folder) is None:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            with contextlib.suppress(subprocess.SubprocessError):
                server.stop()
        swept.append(folder)
    return swept
