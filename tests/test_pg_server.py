"""The throw-away PostgreSQL servers: a dead run's are swept, a live run's are kept.

A killed test run leaves its server running; the next start sweeps it
(:func:`tests.pg_server.sweep_servers`). Another run may be using the machine
at the same time, so a server whose owner still runs must survive the sweep.
"""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from tests import pg_server


def _gone(pid: int) -> bool:
    deadline = time.monotonic() + 10  # the server's exit is reaped by init
    while pg_server.started_at(pid) is not None:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.mark.postgres
def test_a_server_is_swept_once_its_owner_is_dead_and_not_before(postgres_server):
    import psycopg

    bin_dir = postgres_server.bin
    server = pg_server.start_server(bin_dir)
    owner = subprocess.Popen(["sleep", "300"])
    try:
        postmaster = pg_server.postmaster_pid(server.folder)
        assert postmaster is not None
        # another run's server, that run still alive: kept
        pg_server.write_owner(server.folder, owner.pid)
        swept = pg_server.sweep_servers(bin_dir)
        assert server.folder not in swept
        assert pg_server.postmaster_pid(server.folder) == postmaster
        # that run killed: its server is stopped and its folder removed
        owner.kill()
        owner.wait()
        swept = pg_server.sweep_servers(bin_dir)
        assert server.folder in swept
        assert not server.folder.exists()
        assert _gone(postmaster)
        # this run's own server was never touched
        assert postgres_server.folder not in swept
        with psycopg.connect(postgres_server.url(), autocommit=True) as con:
            assert con.execute("SELECT 1").fetchone() == (1,)
    finally:
        owner.kill()
        owner.wait()
        if server.folder.exists():
            server.stop()


def test_a_folder_naming_no_owner_is_swept_only_when_old_and_idle(tmp_path):
    old = tmp_path / f"{pg_server.PREFIX}old"
    new = tmp_path / f"{pg_server.PREFIX}new"
    for folder in (old, new):
        (folder / "data").mkdir(parents=True)
    hours_ago = time.time() - 2 * pg_server.ORPHAN_SECONDS
    os.utime(old, (hours_ago, hours_ago))
    # a start may be under way in the new one: its owner is written next
    assert pg_server.sweep_servers(tmp_path / "bin", tmp_path) == [old]
    assert not old.exists()
    assert new.exists()


def test_the_owner_is_this_process_and_its_start_time(tmp_path):
    pg_server.write_owner(tmp_path, os.getpid())
    pid, started = (tmp_path / pg_server.OWNER).read_text().split()
    assert int(pid) == os.getpid()
    assert int(started) == pg_server.started_at(os.getpid()) > 0
