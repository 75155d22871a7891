"""Make ``schema2.duckdb.gz``: a store written by the previous release (schema 2).

The store is made by the code at commit 6475fd1 itself (checked out with
``git archive`` into a temporary folder), not by a copy of its DDL, so the
migration test runs on exactly what that release wrote. Respondent ids and one
segment's values are planted (``planted.json``) for the raw-bytes checks.

Run from the repository root: ``python tests/data/store/make_schema2_store.py``.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import tempfile
from pathlib import Path

RELEASE = "6475fd1"
HERE = Path(__file__).resolve().parent

BUILD = """
import json, sys
import numpy as np, pandas as pd
from analysis.store import WaveStore
from analysis.wave import Wave, WaveMeta

planted = json.loads(sys.argv[2])
store = WaveStore(sys.argv[1])
for name, ids in planted["ids"].items():
    rng = np.random.default_rng(len(ids))
    n = len(ids)
    data = pd.DataFrame({
        "respondent_id": ids,
        "weight": rng.uniform(0.5, 2.0, n),
        "country": rng.choice(["FR", "DE"], n),
        "hometown": [planted["hometowns"][i % len(planted["hometowns"])]
                     for i in range(n)],
        "ethical_use": pd.array(rng.choice([1, 2, 9], n), dtype="Int16"),
    })
    meta = WaveMeta(name=name, kind="respondents", source="schema-2 fixture",
                    file_name=name + ".csv", file_sha256=name.encode().hex().ljust(64, "0"),
                    countries=("DE", "FR"))
    store.add_wave(Wave(meta=meta, data=data), actor="fixture")
toplines = pd.DataFrame({"metric": ["ethical_use_possible"], "segment_var": ["total"],
                         "segment_value": ["total"], "percent": [45.0]})
meta = WaveMeta(name="Old-TL", kind="toplines", source="report", file_name="tl.csv",
                file_sha256="ab" * 32)
store.add_wave(Wave(meta=meta, data=toplines), actor="fixture")
store.delete_wave("Old-B", actor="fixture")
"""


def main() -> None:
    """Build the store with the old release's code and write it gzipped."""
    planted = json.loads((HERE / "planted.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        archive = subprocess.run(
            ["git", "archive", RELEASE, "analysis"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        store = root / "schema2.duckdb"
        subprocess.run(
            [sys.executable, "-c", BUILD, str(store), json.dumps(planted)],
            cwd=tmp,
            env={"PYTHONPATH": tmp, "PATH": "/usr/bin:/bin"},
            check=True,
        )
        out = HERE / "schema2.duckdb.gz"
        out.write_bytes(gzip.compress(store.read_bytes(), mtime=0))
        print(f"{out}: {out.stat().st_size} bytes ({store.stat().st_size} unzipped)")


if __name__ == "__main__":
    main()
