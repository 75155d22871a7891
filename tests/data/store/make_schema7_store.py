"""Make ``schema7.duckdb.gz``: a store written by the release before table specs.

The store is made by the code at commit 6ae38cc itself (checked out with
``git archive`` into a temporary folder, see ``old_store.py``): the demo's
2019 wave and an analyst's metric on it. The migration to schema 8 must keep
both and add an empty table of saved banner-table specs. The pseudonym key is
a fixed test key (the migration does not need it).

Run from the repository root: ``python tests/data/store/make_schema7_store.py``.
"""

from __future__ import annotations

from old_store import write_old_store

RELEASE = "6ae38cc"
TEST_KEY = "schema-7-fixture-key-not-a-secret-0123456789"

BUILD = """
from analysis.store.metrics import AnalystMetric

add_demo_2019()
store.add_metric(
    AnalystMetric("cautious", "Demo-2019", "share_caution", ("4", "5")),
    actor="fixture",
)
"""


def main() -> None:
    """Build the store with the old release's code and write it gzipped."""
    write_old_store(RELEASE, "schema7", BUILD, key=TEST_KEY)


if __name__ == "__main__":
    main()
