"""Each wave says what kind of sample it is, with its AAPOR disclosure items.

The schema-3 fixture was written by the release before sample types
(tests/data/store/make_schema3_store.py), so the migration is tested on what
that release really wrote.
"""

import dataclasses
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analysis.cli import main as cli_main
from analysis.errors import StoreError, SurveyDataError
from analysis.store.schema import SCHEMA_VERSION
from analysis.store.wave import (
    DISCLOSURE_ITEMS,
    Disclosure,
    Wave,
    WaveMeta,
    check_sample_type,
)
from analysis.store.wave_store import WaveStore


def _columns(path):
    con = duckdb.connect(str(path), read_only=True)
    try:
        version = con.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'"
        ).fetchone()[0]
        columns = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = 'waves'"
            ).fetchall()
        ]
        return version, columns
    finally:
        con.close()


def _toplines_wave(name="TL", **meta):
    data = pd.DataFrame(
        {
            "metric": ["ethical_use_possible"],
            "segment_var": ["total"],
            "segment_value": ["total"],
            "percent": [45.0],
        }
    )
    return Wave(
        WaveMeta(name, "toplines", "report", "tl.csv", name.encode().hex() * 8, **meta),
        data,
    )


def test_a_schema_3_store_migrates_and_its_waves_become_unknown(schema3_store):
    version, columns = _columns(schema3_store)
    assert version == "3" and "sample_type" not in columns
    store = WaveStore(schema3_store)
    infos = store.waves(include_deleted=True)
    assert [(w.name, w.row_count, w.deleted_at is not None) for w in infos] == [
        ("S3-A", 12, False),
        ("S3-B", 8, True),
        ("S3-TL", 1, False),
    ]
    assert {w.meta.sample_type for w in infos} == {"unknown"}
    assert {w.meta.disclosure for w in infos} == {Disclosure()}
    version, columns = _columns(schema3_store)
    assert version == str(SCHEMA_VERSION) == "8"
    assert {"sample_type", *DISCLOSURE_ITEMS} <= set(columns)
    # the old rows and their metadata survive
    assert infos[0].meta.fieldwork_start.isoformat() == "2024-03-01"
    assert len(store.load_respondents(["S3-A"])) == 12
    assert store.load_toplines(["S3-TL"])["percent"].tolist() == [45.0]
    audit = store.audit()
    assert audit["action"].tolist() == ["add", "add", "add", "delete", "migrate"]
    assert audit["detail"].iloc[-1] == "schema 3 -> 8"


def test_a_migrated_store_takes_a_described_wave(schema3_store):
    store = WaveStore(schema3_store)
    said = Disclosure(sponsor="Acme", mode="CATI")
    store.add_wave(_toplines_wave("New-TL", sample_type="probability", disclosure=said))
    info = store.wave("New-TL")
    assert (info.meta.sample_type, info.meta.disclosure) == ("probability", said)
    assert store.wave("S3-A").meta.sample_type == "unknown"


def test_sample_type_and_disclosure_round_trip(tmp_store):
    items = {name: f"{name} text, with ‘quotes’" for name in DISCLOSURE_ITEMS}
    said = Disclosure(**items)
    tmp_store.add_wave(_toplines_wave(sample_type="opt_in", disclosure=said))
    info = tmp_store.wave("TL")
    assert info.meta.sample_type == "opt_in"
    assert info.meta.disclosure.items() == items
    assert _toplines_wave("Plain").meta.sample_type == "unknown"


def test_describing_a_wave_is_audited(tmp_store):
    tmp_store.add_wave(_toplines_wave())
    said = Disclosure(sponsor="Acme", population="adults 18+ in France")
    info = tmp_store.describe_wave("TL", "probability", said, actor="ana")
    assert (info.meta.sample_type, info.meta.disclosure) == ("probability", said)
    assert tmp_store.wave("TL").meta.disclosure.sponsor == "Acme"
    last = tmp_store.audit().iloc[-1]
    assert (last["action"], last["wave"], last["actor"]) == ("describe", "TL", "ana")
    assert last["detail"] == "sample_type unknown -> probability; sponsor; population"
    again = tmp_store.describe_wave("TL", "probability", said, actor="ana")
    assert again.meta == info.meta
    assert tmp_store.audit().iloc[-1]["detail"] == "unchanged"


def test_describing_bumps_the_version_caches_key_on(tmp_store):
    tmp_store.add_wave(_toplines_wave())
    before = tmp_store.version
    tmp_store.describe_wave("TL", "opt_in", Disclosure())
    assert tmp_store.version == before + 1


@pytest.mark.parametrize("bad", ["panel", "Probability", "", None])
def test_an_unknown_sample_type_is_refused_with_the_allowed_ones(bad, tmp_store):
    message = "must be one of probability, opt_in, unknown"
    with pytest.raises(SurveyDataError, match=message):
        check_sample_type(bad)
    with pytest.raises(SurveyDataError, match=message):
        dataclasses.replace(_toplines_wave().meta, sample_type=bad)
    tmp_store.add_wave(_toplines_wave())
    with pytest.raises(SurveyDataError, match=message):
        tmp_store.describe_wave("TL", bad, Disclosure())
    assert tmp_store.wave("TL").meta.sample_type == "unknown"


def test_describing_a_missing_wave_names_the_known_ones(tmp_store):
    tmp_store.add_wave(_toplines_wave())
    with pytest.raises(StoreError, match=r"no wave named 'Nope'.*\(waves: TL\)"):
        tmp_store.describe_wave("Nope", "opt_in", Disclosure())


INGEST = Path(__file__).parents[1] / "data" / "ingest" / "qualtrics_fr_text.csv"


@pytest.mark.parametrize("given", [None, "probability", "opt_in", "unknown"])
def test_ingest_records_the_sample_type_given(tmp_path, capsys, given):
    store = tmp_path / "s.duckdb"
    args = ["ingest", str(INGEST), "--wave", "FR-1", "--store", str(store)]
    if given:
        args += ["--sample-type", given]
    assert cli_main(args) == 0
    assert WaveStore(store).wave("FR-1").meta.sample_type == (given or "unknown")


def test_ingest_refuses_an_unknown_sample_type(tmp_path, capsys):
    args = ["ingest", str(INGEST), "--wave", "FR-1", "--sample-type", "panel"]
    with pytest.raises(SystemExit) as stop:
        cli_main([*args, "--store", str(tmp_path / "s.duckdb")])
    assert stop.value.code == 2
    assert "invalid choice: 'panel'" in capsys.readouterr().err
