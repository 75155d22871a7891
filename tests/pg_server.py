"""A throw-away PostgreSQL server for the tests: initdb + pg_ctl in a temporary folder.

Debian's ``postgresql`` package (``scripts/ensure-postgres.sh`` installs it)
puts the server programs in ``/usr/lib/postgresql/<version>/bin``. ``initdb``
refuses to run as root, so as root the server runs as the package's
``postgres`` user (``runuser -u postgres --``) in a folder that user owns;
it listens only on a unix socket in that folder, under a free port number.
Each store gets a schema of its own in one database, dropped after its test.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "confiance_test"


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
    """Make a cluster in a new folder, start it, create the test database."""
    as_postgres = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="confiance-pg-"))
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
