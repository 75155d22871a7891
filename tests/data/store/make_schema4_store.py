"""Make ``schema4.duckdb.gz``: a store written by the release before questionnaires.

The store is made by the code at commit d1ca7b7 itself (checked out with
``git archive`` into a temporary folder, see ``old_store.py``), so the
migration test runs on what that release wrote: the demo's 2019 wave, a
published toplines wave and a deleted respondent wave. The same code writes
``schema4_seed.json``: the seed metrics of the demo wave by country, as that
release estimated them, which the migrated store must give again. The
pseudonym key is the fixed test key below (no key file is shipped; the
migration to schema 5 does not need it).

Run from the repository root: ``python tests/data/store/make_schema4_store.py``.
"""

from __future__ import annotations

from old_store import HERE, write_old_store

RELEASE = "d1ca7b7"
TEST_KEY = "schema-4-fixture-key-not-a-secret-0123456789"

BUILD = """
add_demo_2019()
add_respondents(respondents([f"S4-B-{i:03d}" for i in range(8)], 4),
                name="S4-B", source="schema-4 fixture", file_name="b.csv",
                file_sha256="ab" * 32)
add_toplines("S4-TL", "cd" * 32)
store.delete_wave("S4-B", actor="fixture")
write_seed(sys.argv[2], ["metric", "segment_var", "segment_value", "n", "estimate",
                         "se", "ci_low", "ci_high"], by=["country"])
"""


def main() -> None:
    """Build the store with the old release's code and write it gzipped."""
    seed = HERE / "schema4_seed.json"
    write_old_store(RELEASE, "schema4", BUILD, args=[str(seed)], key=TEST_KEY)


if __name__ == "__main__":
    main()
