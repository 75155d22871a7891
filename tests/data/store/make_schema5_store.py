"""Make ``schema5.duckdb.gz``: a store written by the release before weightings.

The store is made by the code at commit 356a45d itself (checked out with
``git archive`` into a temporary folder), so the migration test runs on what
that release wrote: the demo's 2019 wave, a published toplines wave and a
deleted respondent wave. The same code writes ``schema5_seed.json``: the seed
metrics of the demo wave by country, as that release estimated them, which
the migrated store must give again under its default weighting (the file's
weight). The pseudonym key is the fixed test key below (no key file is
shipped; the migration to schema 6 does not need it).

Run from the repository root: ``python tests/data/store/make_schema5_store.py``.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import tempfile
from pathlib import Path

RELEASE = "356a45d"
HERE = Path(__file__).resolve().parent
TEST_KEY = "schema-5-fixture-key-not-a-secret-0123456789"

BUILD = """
import json, sys
from datetime import date
import numpy as np, pandas as pd
from analysis.ingest.demo import demo_waves
from analysis.library.codebook import load_codebook
from analysis.store.wave_store import WaveStore
from analysis.store.wave import Wave, WaveMeta
from analysis.table.estimate import estimate

store = WaveStore(sys.argv[1])
book = load_codebook()
demo = [w for w in demo_waves(book) if w.meta.name == "Demo-2019"][0]
store.add_wave(demo, actor="fixture")
rng = np.random.default_rng(4)
data = pd.DataFrame({
    "respondent_id": [f"S5-B-{i:03d}" for i in range(8)],
    "weight": rng.uniform(0.5, 2.0, 8),
    "country": rng.choice(["FR", "DE"], 8),
    "ethical_use": pd.array(rng.choice([1, 2, 9], 8), dtype="Int16"),
})
meta = WaveMeta(name="S5-B", kind="respondents", source="schema-5 fixture",
                file_name="b.csv", file_sha256="ab" * 32)
store.add_wave(Wave(meta=meta, data=data), actor="fixture")
toplines = pd.DataFrame({"metric": ["ethical_use_possible"], "segment_var": ["total"],
                         "segment_value": ["total"], "percent": [45.0]})
meta = WaveMeta(name="S5-TL", kind="toplines", source="report", file_name="tl.csv",
                file_sha256="cd" * 32)
store.add_wave(Wave(meta=meta, data=toplines), actor="fixture")
store.delete_wave("S5-B", actor="fixture")
table = estimate(store, ["Demo-2019"], by=["country"])
keep = ["metric", "segment_var", "segment_value", "n", "estimate", "se",
        "ci_low", "ci_high"]
rows = json.loads(table[keep].to_json(orient="records", double_precision=15))
with open(sys.argv[2], "w") as out:
    json.dump(rows, out, indent=1)
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
        store = root / "schema5.duckdb"
        subprocess.run(
            [sys.executable, "-c", BUILD, str(store), str(HERE / "schema5_seed.json")],
            cwd=tmp,
            env={
                "PYTHONPATH": tmp,
                "PATH": "/usr/bin:/bin",
                "CONFIANCE_PSEUDONYM_KEY": TEST_KEY,
            },
            check=True,
        )
        out = HERE / "schema5.duckdb.gz"
        out.write_bytes(gzip.compress(store.read_bytes(), mtime=0))
        print(f"{out}: {out.stat().st_size} bytes ({store.stat().st_size} unzipped)")


if __name__ == "__main__":
    main()
