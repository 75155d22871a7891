"""Make ``schema5_sums.duckdb.gz``: a store written by the release before cell sums.

The store is made by the code at commit 356a45d itself (checked out with
``git archive`` into a temporary folder, see ``old_store.py``), so the
migration test runs on what that release wrote: the demo's 2019 wave and a
small deleted respondent wave. The same code writes ``schema5_sums_seed.json``:
the demo wave's metrics by age band within France, as that release estimated
them from the rows, which the migrated store must give again from its sums.
The pseudonym key is the fixed test key below.

Run from the repository root: ``python tests/data/store/make_schema5_sums_store.py``.
"""

from __future__ import annotations

from old_store import HERE, write_old_store

RELEASE = "356a45d"
TEST_KEY = "schema-5-fixture-key-not-a-secret-0123456789"

BUILD = """
add_demo_2019()
add_respondents(respondents([f"S5-B-{i:03d}" for i in range(8)], 5),
                name="S5-B", source="schema-5 fixture", file_name="b.csv",
                file_sha256="ab" * 32)
store.delete_wave("S5-B", actor="fixture")
write_seed(sys.argv[2], ["metric", "segment_var", "segment_value", "n", "n_eff",
                         "deff", "estimate", "se", "ci_low", "ci_high", "flag"],
           by=["age_band"], filters={"country": ["FR"]})
"""


def main() -> None:
    """Build the store with the old release's code and write it gzipped."""
    seed = HERE / "schema5_sums_seed.json"
    write_old_store(RELEASE, "schema5_sums", BUILD, args=[str(seed)], key=TEST_KEY)


if __name__ == "__main__":
    main()
