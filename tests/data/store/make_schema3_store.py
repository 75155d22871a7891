"""Make ``schema3.duckdb.gz``: a store written by the release before sample types.

The store is made by the code at commit bc560c2 itself (checked out with
``git archive`` into a temporary folder), not by a copy of its DDL, so the
migration test runs on exactly what that release wrote: a respondents wave, a
toplines wave and a deleted wave, none of them with a sample type. The
pseudonym key is the fixed test key below (no key file is shipped; the
migration to schema 4 does not need the key).

Run from the repository root: ``python tests/data/store/make_schema3_store.py``.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import tempfile
from pathlib import Path

RELEASE = "bc560c2"
HERE = Path(__file__).resolve().parent
TEST_KEY = "schema-3-fixture-key-not-a-secret-0123456789"

BUILD = """
import sys
from datetime import date
import numpy as np, pandas as pd
from analysis.store.wave_store import WaveStore
from analysis.store.wave import Wave, WaveMeta

store = WaveStore(sys.argv[1])
for name, n in (("S3-A", 12), ("S3-B", 8)):
    rng = np.random.default_rng(n)
    data = pd.DataFrame({
        "respondent_id": [f"{name}-{i:03d}" for i in range(n)],
        "weight": rng.uniform(0.5, 2.0, n),
        "country": rng.choice(["FR", "DE"], n),
        "ethical_use": pd.array(rng.choice([1, 2, 9], n), dtype="Int16"),
    })
    meta = WaveMeta(name=name, kind="respondents", source="schema-3 fixture",
                    file_name=name + ".csv",
                    file_sha256=name.encode().hex().ljust(64, "0"),
                    fieldwork_start=date(2024, 3, 1), fieldwork_end=date(2024, 3, 9),
                    countries=("DE", "FR"))
    store.add_wave(Wave(meta=meta, data=data), actor="fixture")
toplines = pd.DataFrame({"metric": ["ethical_use_possible"], "segment_var": ["total"],
                         "segment_value": ["total"], "percent": [45.0]})
meta = WaveMeta(name="S3-TL", kind="toplines", source="report", file_name="tl.csv",
                file_sha256="cd" * 32)
store.add_wave(Wave(meta=meta, data=toplines), actor="fixture")
store.delete_wave("S3-B", actor="fixture")
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
        store = root / "schema3.duckdb"
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
        out = HERE / "schema3.duckdb.gz"
        out.write_bytes(gzip.compress(store.read_bytes(), mtime=0))
        print(f"{out}: {out.stat().st_size} bytes ({store.stat().st_size} unzipped)")


if __name__ == "__main__":
    main()
