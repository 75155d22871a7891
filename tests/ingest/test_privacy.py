"""Personal data never reaches the store: by known column names and by content."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

from analysis.cli import main
from analysis.ingest.column_roles import Overrides
from analysis.ingest.from_file import prepare_file_wave
from analysis.ingest.privacy import personal_by_content, personal_by_name
from analysis.ingest.readers import read_survey
from analysis.store.wave_store import WaveStore

DATA = Path(__file__).parents[1] / "data" / "ingest"
PLANTED = [
    v
    for values in json.loads((DATA / "planted.json").read_text()).values()
    for v in values
]


def store_text(path: Path) -> str:
    """Every cell of every table, as text, to search at the SQL level too."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        ]
        return "\n".join(
            con.execute(f'SELECT * FROM "{t}"').df().to_csv() for t in tables
        )
    finally:
        con.close()


def test_planted_personal_data_is_not_in_the_store_file(tmp_path, capsys):
    store = tmp_path / "store.duckdb"
    assert (
        main(
            [
                "ingest",
                str(DATA / "qualtrics_personal.csv"),
                "--wave",
                "PII-1",
                "--store",
                str(store),
                "--output",
                "json",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    dropped = out["report"]["dropped_personal"]
    assert set(dropped) == {
        "IPAddress",
        "RecipientLastName",
        "RecipientFirstName",
        "RecipientEmail",
        "ExternalReference",
        "LocationLatitude",
        "LocationLongitude",
        "Q9",
    }
    assert dropped["Q9"] == "e-mail address in the answers; 30 rows"
    # the connection is closed: search the file's bytes (and any write-ahead log)
    files = [p for p in (store, store.with_suffix(".duckdb.wal")) if p.exists()]
    content = b"".join(p.read_bytes() for p in files)
    for value in PLANTED:
        for encoded in {value.encode("utf-8"), value.encode("utf-16-le")}:
            assert encoded not in content, value
    text = store_text(store)
    for value in PLANTED:
        assert value not in text, value
    kept_id = pd.read_csv(DATA / "expected" / "qualtrics_personal.csv")[
        "respondent_id"
    ][0]
    # the search does find what is stored: the id's pseudonym, never the id
    assert WaveStore(store).pseudonym_key().pseudonym(kept_id) in text
    assert kept_id not in text


def test_content_patterns_catch_what_names_do_not(codebook):
    assert personal_by_name("RecipientEmail") == "e-mail address"
    assert personal_by_name("Adresse e-mail") == "e-mail address"
    assert personal_by_name("Téléphone portable") == "phone number"
    assert personal_by_name("country") is None
    assert (
        personal_by_content(pd.Series(["ok", "call +33 6 12 34 56 78"]))
        == "phone number"
    )
    assert personal_by_content(pd.Series(["a@b.fr"])) == "e-mail address"
    assert personal_by_content(pd.Series(["FR", "DE", "25-34"])) is None


def test_segment_or_id_holding_personal_data_is_dropped(codebook, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(
        "contact,segment_crm,share_caution\n"
        "ann@example.com,gold,Strongly agree\n"
        "bob@example.com,+33 6 12 34 56 78,Tend to agree\n",
        encoding="utf-8",
    )
    raw = read_survey(path)
    chosen = Overrides(respondent_id="contact", segments=("segment_crm",))
    result = prepare_file_wave(raw, codebook, "CRM-1", overrides=chosen)
    assert result.ok, result.report.to_text()
    data = result.wave.data
    assert list(data.columns) == ["respondent_id", "weight", "share_caution"]
    assert list(data["respondent_id"]) == ["row-2", "row-3"]
    assert result.report.dropped_personal == {
        "contact": "e-mail address; 2 rows",
        "segment_crm": "phone number; 2 rows",
    }
    assert "example.com" not in json.dumps(result.wave.meta.report)
