"""Build a store as an earlier release wrote it: the part every ``make_schema*`` shares.

A maker names the release (a commit), the store's file name and the few lines
that fill it. ``write_old_store`` checks that release's own ``analysis`` (and
``data``) out with ``git archive`` into a temporary folder and runs the lines
there, not a copy of its DDL, so a migration test runs on exactly what that
release wrote. The lines run after ``HELPERS``, which open the store as
``store`` (``sys.argv[1]``) and give the pieces most fixtures are made of: a
small respondent wave, a published toplines wave, the demo's 2019 wave and the
seed estimates that release gives on it. Further arguments of the lines are
``sys.argv[2:]``.

Run a maker from the repository root (``git archive`` reads this repository):
``python tests/data/store/make_schemaN_store.py``.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent

# where the store and the wave record live from commit bc560c2 on
IMPORTS = """
from analysis.store.wave_store import WaveStore
from analysis.store.wave import Wave, WaveMeta
"""

HELPERS = """
import json, sys
import numpy as np, pandas as pd

store = WaveStore(sys.argv[1])


def respondents(ids, seed, **columns):
    # drawn in this order (weight, country, answers) by every release's fixture
    rng = np.random.default_rng(seed)
    n = len(ids)
    return pd.DataFrame({
        "respondent_id": ids,
        "weight": rng.uniform(0.5, 2.0, n),
        "country": rng.choice(["FR", "DE"], n),
        **columns,
        "ethical_use": pd.array(rng.choice([1, 2, 9], n), dtype="Int16"),
    })


def add_respondents(data, **meta):
    meta = WaveMeta(kind="respondents", **meta)
    store.add_wave(Wave(meta=meta, data=data), actor="fixture")


def add_toplines(name, file_sha256):
    toplines = pd.DataFrame({"metric": ["ethical_use_possible"],
                             "segment_var": ["total"], "segment_value": ["total"],
                             "percent": [45.0]})
    meta = WaveMeta(name=name, kind="toplines", source="report", file_name="tl.csv",
                    file_sha256=file_sha256)
    store.add_wave(Wave(meta=meta, data=toplines), actor="fixture")


def add_demo_2019():
    from analysis.ingest.demo import demo_waves
    from analysis.library.codebook import load_codebook

    demo = [w for w in demo_waves(load_codebook()) if w.meta.name == "Demo-2019"][0]
    store.add_wave(demo, actor="fixture")


def write_seed(path, keep, **how):
    from analysis.table.estimate import estimate

    table = estimate(store, ["Demo-2019"], **how)
    rows = json.loads(table[keep].to_json(orient="records", double_precision=15))
    with open(path, "w") as out:
        json.dump(rows, out, indent=1)
"""


def write_old_store(
    release: str,
    name: str,
    build: str,
    *,
    args: Sequence[str] = (),
    key: str | None = None,
    imports: str = IMPORTS,
) -> None:
    """Run ``build`` with ``release``'s code and write ``<name>.duckdb.gz`` here.

    ``key`` is the pseudonym key the release reads from its environment (a
    fixed test key; none before pseudonyms); ``imports`` names where that
    release kept ``WaveStore``, ``Wave`` and ``WaveMeta``.
    """
    env = {"PATH": "/usr/bin:/bin"}
    if key is not None:
        env["CONFIANCE_PSEUDONYM_KEY"] = key
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "archive", release, "analysis", "data"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        store = Path(tmp) / f"{name}.duckdb"
        script = imports + HELPERS + build
        subprocess.run(
            [sys.executable, "-c", script, str(store), *args],
            cwd=tmp,
            env={**env, "PYTHONPATH": tmp},
            check=True,
        )
        out = HERE / f"{name}.duckdb.gz"
        out.write_bytes(gzip.compress(store.read_bytes(), mtime=0))
        print(f"{out}: {out.stat().st_size} bytes ({store.stat().st_size} unzipped)")
