"""Every format, end to end: the stored answers equal what the file said.

Expected tables are written by tests/data/ingest/make_fixtures.py from the
respondents it generated, not by the code under test.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.ingest.mapping import suggest_mapping
from analysis.ingest.prepare import prepare_wave
from analysis.ingest.readers import read_survey
from analysis.store.wave_store import WaveStore

DATA = Path(__file__).parents[1] / "data" / "ingest"
QUESTIONS = (
    "share_caution",
    "leave_unprotected",
    "ethical_use",
    "refuse_share_journey",
    "track_browsing",
    "track_feeds",
    "track_ads",
    "spend_more",
    "expect_personal",
    "password_reuse",
)
CASES = [
    # file, format detected, sheet
    ("qualtrics_fr_text.csv", "qualtrics", None),
    ("surveymonkey_en.csv", "surveymonkey", None),
    ("surveymonkey_fr.xlsx", "surveymonkey", None),
    ("spss_en.sav", "spss", None),
    ("excel_fr.xlsx", "excel", "Données"),
    # European CSV dialects
    ("csv_fr_cp1252.csv", "csv", None),
    ("csv_en_utf16.txt", "csv", None),
    ("csv_fr_bom_comma.csv", "csv", None),
]


def expected(stem: str) -> pd.DataFrame:
    frame = pd.read_csv(DATA / "expected" / f"{stem}.csv", dtype={"respondent_id": str})
    for q in QUESTIONS:
        frame[q] = frame[q].astype("Int16")
    return frame


def assert_stored_equals(
    stored: pd.DataFrame, want: pd.DataFrame, store: WaveStore
) -> None:
    stored = stored.drop(columns=["wave"]).reset_index(drop=True)
    # ids are stored as their pseudonyms (the store's keyed hash)
    key = store.pseudonym_key()
    assert list(stored["respondent_id"]) == key.pseudonyms(want["respondent_id"])
    assert np.allclose(stored["weight"].to_numpy(float), want["weight"].to_numpy(float))
    for column in ("country", "age_band", "gender"):
        assert list(stored[column]) == list(want[column]), column
    for q in QUESTIONS:
        got = pd.array(stored[q], dtype="Int16")
        assert got.equals(want[q].array), q


@pytest.mark.parametrize(("name", "fmt", "sheet"), CASES)
def test_round_trip(name, fmt, sheet, codebook, tmp_store):
    raw = read_survey(DATA / name, sheet=sheet)
    assert raw.format == fmt
    mapping = suggest_mapping(raw, codebook)
    assert {e.target for e in mapping.by_role("question")} == set(QUESTIONS)
    result = prepare_wave(raw, mapping, codebook, "RT-1")
    assert result.report.ok, result.report.to_text()
    tmp_store.add_wave(result.wave)
    assert_stored_equals(
        tmp_store.load_respondents(["RT-1"]), expected(Path(name).stem), tmp_store
    )
    info = tmp_store.wave("RT-1")
    assert info.meta.file_sha256 == raw.sha256
    assert info.meta.mapping["columns"]
    assert info.meta.report["rows_kept"] == result.report.rows_kept


def test_qualtrics_numeric_needs_one_edit_then_a_profile_maps_it(
    codebook, tmp_store, tmp_path
):
    """Qualtrics numbers "don't know" 6 on agree5: the analyst maps 6 to 9 once."""
    from analysis.ingest.profiles import load_profile, save_profile

    raw = read_survey(DATA / "qualtrics_en_numeric.csv")
    assert (raw.format, raw.variant) == ("qualtrics", "numeric values")
    mapping = suggest_mapping(raw, codebook)
    first = prepare_wave(raw, mapping, codebook, "QN-1")
    unknown = [p for p in first.report.errors if p.check == "unknown_answer"]
    assert {p.column for p in unknown} == {"Q1", "Q4", "Q6", "Q7"}
    assert first.wave is None
    answers = mapping.answers_frame()
    extra = pd.DataFrame({"column": ["Q1", "Q4", "Q6", "Q7"], "answer": "6", "code": 9})
    edited = mapping.with_frame(mapping.to_frame(), pd.concat([answers, extra]))
    path = save_profile(edited, tmp_path / "qualtrics-en.yaml")
    reloaded = load_profile(path)
    result = prepare_wave(raw, reloaded, codebook, "QN-1")
    assert result.report.ok, result.report.to_text()
    tmp_store.add_wave(result.wave)
    assert_stored_equals(
        tmp_store.load_respondents(["QN-1"]),
        expected("qualtrics_en_numeric"),
        tmp_store,
    )


def test_toplines_csv_and_xlsx(codebook, tmp_store):
    for name, wave in (("toplines_fr.csv", "TL-CSV"), ("toplines.xlsx", "TL-XLSX")):
        raw = read_survey(DATA / name)
        assert raw.format == "toplines"
        result = prepare_wave(raw, suggest_mapping(raw, codebook), codebook, wave)
        assert result.ok
        tmp_store.add_wave(result.wave)
    stored = tmp_store.load_toplines(["TL-CSV", "TL-XLSX"])
    assert len(stored) == 12
    fr = stored[
        (stored.metric == "share_with_caution") & (stored.segment_value == "FR")
    ]
    assert list(fr["percent"]) == [65.5, 65.5]
    assert stored["base_n"].isna().sum() == 4
