"""Make ``upload.duckdb.gz``: a file uploaded without a source, by the previous release.

The store is made by the code at commit 17effcb itself (checked out with
``git archive`` into a temporary folder, see ``old_store.py``): it imports
``tests/data/ingest/qualtrics_fr_text.csv`` as the wave ``Upload-2025``
without a source, so the wave's source is the English text that release
wrote, "upload of qualtrics_fr_text.csv". A French chart, slide or deck of
this wave must say "import de qualtrics_fr_text.csv". The pseudonym key is a
fixed test key (reading the store does not need it).

Run from the repository root: ``python tests/data/store/make_upload_store.py``.
"""

from __future__ import annotations

from pathlib import Path

from old_store import write_old_store

RELEASE = "17effcb"
TEST_KEY = "upload-fixture-key-not-a-secret-0123456789"
FILE = Path(__file__).resolve().parents[1] / "ingest" / "qualtrics_fr_text.csv"

BUILD = """
from analysis.ingest.from_file import prepare_file_wave
from analysis.ingest.readers import read_survey
from analysis.library.codebook import load_codebook

result = prepare_file_wave(read_survey(sys.argv[2]), load_codebook(), "Upload-2025")
store.add_wave(result.wave, actor="fixture")
"""


def main() -> None:
    """Build the store with the old release's code and write it gzipped."""
    write_old_store(RELEASE, "upload", BUILD, args=[str(FILE)], key=TEST_KEY)


if __name__ == "__main__":
    main()
