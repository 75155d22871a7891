"""Every format, end to end: the stored answers equal what the file said.

Expected tables are written by tests/data/ingest/make_fixtures.py from the
respondents it generated, not by the code under test.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.ingest.column_roles import Overrides
from analysis.ingest.from_file import prepare_file_wave
from analysis.ingest.profile_overrides import detection_profile, profile_overrides
from analysis.ingest.profiles import load_profile, save_profile
from analysis.ingest.questionnaire import detect_questionnaire
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
    stored: pd.DataFrame, want: pd.DataFrame, store: WaveStore, questionnaire
) -> None:
    """Stored rows (by pseudonym) hold the file's answers, read as library codes."""
    # ids are stored as their pseudonyms (the store's keyed hash)
    key = store.pseudonym_key()
    stored = stored.set_index("respondent_id")
    assert set(key.pseudonyms(want["respondent_id"])) == set(stored.index)
    got = stored.loc[key.pseudonyms(want["respondent_id"])]
    assert np.allclose(got["weight"].to_numpy(float), want["weight"].to_numpy(float))
    for column in ("country", "age_band", "gender"):
        assert list(got[column]) == list(want[column]), column
    for q in QUESTIONS:
        question = questionnaire.linked(q)
        codes = {a.code: a.link_code for a in question.answers}
        found = got[question.id].map(lambda c, m=codes: m.get(c))
        assert list(pd.array(found, dtype="Int16")) == list(want[q].array), q


@pytest.mark.parametrize(("name", "fmt", "sheet"), CASES)
def test_round_trip(name, fmt, sheet, codebook, tmp_store):
    raw = read_survey(DATA / name, sheet=sheet)
    assert raw.format == fmt
    result = prepare_file_wave(raw, codebook, "RT-1")
    assert result.report.ok, result.report.to_text()
    questionnaire = result.wave.questionnaire
    assert {q.link for q in questionnaire.questions if q.link} == set(QUESTIONS)
    tmp_store.add_wave(result.wave)
    want = expected(Path(name).stem)
    stored = tmp_store.load_respondents(["RT-1"])
    assert_stored_equals(stored, want, tmp_store, questionnaire)
    info = tmp_store.wave("RT-1")
    assert info.meta.file_sha256 == raw.sha256
    assert info.meta.mapping["columns"]
    assert info.meta.report["rows_kept"] == result.report.rows_kept == len(want)


def test_qualtrics_numeric_saved_profile_maps_the_next_file_alike(
    codebook, tmp_store, tmp_path
):
    """A detection saved as a profile, read back, gives the same wave."""
    raw = read_survey(DATA / "qualtrics_en_numeric.csv")
    assert (raw.format, raw.variant) == ("qualtrics", "numeric values")
    detection = detect_questionnaire(raw, codebook)
    path = save_profile(detection_profile(detection), tmp_path / "qualtrics-en.yaml")
    asked = {p.header: p.question for p in detection.proposals if p.question}
    chosen = profile_overrides(load_profile(path), raw.columns, asked, Overrides())
    first = prepare_file_wave(raw, codebook, "QN-1")
    again = prepare_file_wave(raw, codebook, "QN-1", overrides=chosen)
    assert again.report.ok, again.report.to_text()
    roles = [
        {h: c["role"] for h, c in r.mapping["columns"].items()} for r in (first, again)
    ]
    assert roles[0] == roles[1]
    assert again.report.dropped_personal == first.report.dropped_personal
    assert again.wave.data.equals(first.wave.data)


def test_toplines_csv_and_xlsx(codebook, tmp_store):
    for name, wave in (("toplines_fr.csv", "TL-CSV"), ("toplines.xlsx", "TL-XLSX")):
        raw = read_survey(DATA / name)
        assert raw.format == "toplines"
        result = prepare_file_wave(raw, codebook, wave)
        assert result.ok
        tmp_store.add_wave(result.wave)
    stored = tmp_store.load_toplines(["TL-CSV", "TL-XLSX"])
    assert len(stored) == 12
    fr = stored[
        (stored.metric == "share_with_caution") & (stored.segment_value == "FR")
    ]
    assert list(fr["percent"]) == [65.5, 65.5]
    assert stored["base_n"].isna().sum() == 4
