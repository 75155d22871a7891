"""Make ``schema7.duckdb.gz``: a store written by the release before table specs.

The store is made by the code at commit 6ae38cc itself (checked out with
``git archive`` into a temporary folder): the demo's 2019 wave and an
analyst's metric on it. The migration to schema 8 must keep both and add an
empty table of saved banner-table specs. The pseudonym key is a fixed test
key (the migration does not need it).

Run from the repository root: ``python tests/data/store/make_schema7_store.py``.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import tempfile
from pathlib import Path

RELEASE = "6ae38cc"
HERE = Path(__file__).resolve().parent
TEST_KEY = "schema-7-fixture-key-not-a-secret-0123456789"

BUILD = """
import sys
from analysis.ingest.demo import demo_waves
from analysis.library.codebook import load_codebook
from analysis.store.metrics import AnalystMetric
from analysis.store.wave_store import WaveStore

store = WaveStore(sys.argv[1])
demo = [w for w in demo_waves(load_codebook()) if w.meta.name == "Demo-2019"][0]
store.add_wave(demo, actor="fixture")
store.add_metric(
    AnalystMetric("cautious", "Demo-2019", "share_caution", ("4", "5")),
    actor="fixture",
)
"""


def main() -> None:
    """Build the store with the old release's code and write it gzipped."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        archive = subprocess.run(
            ["git", "archive", RELEASE, "analysis", "data"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        store = root / "schema7.duckdb"
        subprocess.run(
            [sys.executable, "-c", BUILD, str(store)],
            cwd=tmp,
            env={
                "PYTHONPATH": tmp,
                "PATH": "/usr/bin:/bin",
                "CONFIANCE_PSEUDONYM_KEY": TEST_KEY,
            },
            check=True,
        )
        out = HERE / "schema7.duckdb.gz"
        out.write_bytes(gzip.compress(store.read_bytes(), mtime=0))
        print(f"{out}: {out.stat().st_size} bytes ({store.stat().st_size} unzipped)")


if __name__ == "__main__":
    main()
