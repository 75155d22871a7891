"""Make ``schema5.duckdb.gz``: a store written by the release before weightings.

The store is made by the code at commit 356a45d itself (checked out with
``git archive`` into a temporary folder, see ``old_store.py``), so the
migration test runs on what that release wrote: the demo's 2019 wave, a
published toplines wave and a deleted respondent wave. The same code writes
``schema5_seed.json``: the seed metrics of the demo wave by country, as that
release estimated them, which the migrated store must give again under its
default weighting (the file's weight). The pseudonym key is the fixed test key
below (no key file is shipped; the migration to schema 6 does not need it).

Run from the repository root: ``python tests/data/store/make_schema5_store.py``.
"""

from __future__ import annotations

from old_store import HERE, write_old_store

RELEASE = "356a45d"
TEST_KEY = "schema-5-fixture-key-not-a-secret-0123456789"

BUILD = """
add_demo_2019()
add_respondents(respondents([f"S5-B-{i:03d}" for i in range(8)], 4),
                name="S5-B", source="schema-5 fixture", file_name="b.csv",
                file_sha256="ab" * 32)
add_toplines("S5-TL", "cd" * 32)
store.delete_wave("S5-B", actor="fixture")
write_seed(sys.argv[2], ["metric", "segment_var", "segment_value", "n", "estimate",
                         "se", "ci_low", "ci_high"], by=["country"])
"""


def main() -> None:
    """Build the store with the old release's code and write it gzipped."""
    seed = HERE / "schema5_seed.json"
    write_old_store(RELEASE, "schema5", BUILD, args=[str(seed)], key=TEST_KEY)


if __name__ == "__main__":
    main()
