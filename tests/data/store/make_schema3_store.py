"""Make ``schema3.duckdb.gz``: a store written by the release before sample types.

The store is made by the code at commit bc560c2 itself (checked out with
``git archive`` into a temporary folder, see ``old_store.py``), not by a copy
of its DDL, so the migration test runs on exactly what that release wrote: a
respondents wave, a toplines wave and a deleted wave, none of them with a
sample type. The pseudonym key is the fixed test key below (no key file is
shipped; the migration to schema 4 does not need the key).

Run from the repository root: ``python tests/data/store/make_schema3_store.py``.
"""

from __future__ import annotations

from old_store import write_old_store

RELEASE = "bc560c2"
TEST_KEY = "schema-3-fixture-key-not-a-secret-0123456789"

BUILD = """
from datetime import date

for name, n in (("S3-A", 12), ("S3-B", 8)):
    ids = [f"{name}-{i:03d}" for i in range(n)]
    add_respondents(respondents(ids, n),
                    name=name, source="schema-3 fixture", file_name=name + ".csv",
                    file_sha256=name.encode().hex().ljust(64, "0"),
                    fieldwork_start=date(2024, 3, 1), fieldwork_end=date(2024, 3, 9),
                    countries=("DE", "FR"))
add_toplines("S3-TL", "cd" * 32)
store.delete_wave("S3-B", actor="fixture")
"""


def main() -> None:
    """Build the store with the old release's code and write it gzipped."""
    write_old_store(RELEASE, "schema3", BUILD, key=TEST_KEY)


if __name__ == "__main__":
    main()
