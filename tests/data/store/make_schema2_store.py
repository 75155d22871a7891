"""Make ``schema2.duckdb.gz``: a store written by the previous release (schema 2).

The store is made by the code at commit 6475fd1 itself (checked out with
``git archive`` into a temporary folder, see ``old_store.py``), not by a copy
of its DDL, so the migration test runs on exactly what that release wrote.
Respondent ids and one segment's values are planted (``planted.json``) for the
raw-bytes checks.

Run from the repository root: ``python tests/data/store/make_schema2_store.py``.
"""

from __future__ import annotations

from old_store import HERE, write_old_store

RELEASE = "6475fd1"

# that release kept the store and the wave record in flat modules
IMPORTS = """
from analysis.store import WaveStore
from analysis.wave import Wave, WaveMeta
"""

BUILD = """
with open(sys.argv[2]) as source:
    planted = json.load(source)
towns = planted["hometowns"]
for name, ids in planted["ids"].items():
    hometown = [towns[i % len(towns)] for i in range(len(ids))]
    add_respondents(respondents(ids, len(ids), hometown=hometown),
                    name=name, source="schema-2 fixture", file_name=name + ".csv",
                    file_sha256=name.encode().hex().ljust(64, "0"),
                    countries=("DE", "FR"))
add_toplines("Old-TL", "ab" * 32)
store.delete_wave("Old-B", actor="fixture")
"""


def main() -> None:
    """Build the store with the old release's code and write it gzipped."""
    write_old_store(
        RELEASE, "schema2", BUILD, args=[str(HERE / "planted.json")], imports=IMPORTS
    )


if __name__ == "__main__":
    main()
