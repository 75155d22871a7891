"""Reading, detecting and validating in the worker: the one route of the app and CLI."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import analysis.ingest.from_file
import analysis.ingest.prepared
import analysis.ingest.questionnaire
from analysis.cli import main
from analysis.config import IngestLimits
from analysis.errors import SandboxError, SurveyDataError
from analysis.ingest.column_roles import Overrides
from analysis.ingest.from_file import prepare_file_wave
from analysis.ingest.prepared import prepare_untrusted
from analysis.ingest.readers import read_survey
from analysis.ingest.sandbox import read_untrusted

DATA = Path(__file__).parents[1] / "data" / "ingest"
WORDS = ["brand", "data", "trust", "share", "personal", "ethical", "track", "privacy"]


def slow_to_detect(columns: int = 400, rows: int = 300) -> bytes:
    """A small CSV (fast to read) whose many worded questions are slow to detect."""
    pick = random.Random(7).choice
    headers = [
        f"Q{i} " + " ".join(pick(WORDS) for _ in range(6)) for i in range(columns)
    ]
    answers = ["Yes", "No", "Maybe", "Often", "Never", "Sometimes"]
    lines = [",".join(headers)]
    lines += [",".join(pick(answers) for _ in headers) for _ in range(rows)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def no_detection_here(monkeypatch):
    """Detection in the calling process fails the test: it must run in the worker."""

    def refuse(*args, **kwargs):
        raise AssertionError("detection ran in the calling process")

    for module, name in [
        (analysis.ingest.questionnaire, "detect_questionnaire"),
        (analysis.ingest.from_file, "detect_questionnaire"),
        (analysis.ingest.prepared, "detect_questionnaire"),
        (analysis.ingest.prepared, "prepare_file_wave"),
    ]:
        monkeypatch.setattr(module, name, refuse)


def test_the_worker_prepares_what_the_library_prepares(codebook):
    path = DATA / "qualtrics_fr_text.csv"
    here = prepare_file_wave(read_survey(path), codebook, "W-1")
    there = prepare_untrusted(path, codebook, wave_name="W-1")
    assert there.result is not None and there.result.ok
    assert there.result.report == here.report
    assert there.result.mapping == here.mapping
    assert there.result.wave.data.equals(here.wave.data)
    assert (there.file.format, there.file.rows) == ("qualtrics", 30)
    assert there.profile is not None


def test_without_a_wave_name_only_proposals_come_back(codebook):
    prepared = prepare_untrusted(DATA / "spss_en.sav", codebook)
    assert prepared.result is None
    row = prepared.proposals.set_index("column").loc["leave_unprotected"]
    assert row["role"] == "question" and row["link"] == "leave_unprotected"
    assert row["answers"] == "Yes (12) · No (8) · Don't know (9) · Refused (1)"


def test_the_command_line_never_detects_in_its_own_process(
    no_detection_here, tmp_path, capsys
):
    store = tmp_path / "s.duckdb"
    args = ["ingest", str(DATA / "spss_en.sav"), "--wave", "W-1"]
    assert main([*args, "--store", str(store)]) == 0
    assert "W-1: 30 rows stored" in capsys.readouterr().out


def test_slow_detection_is_stopped_by_the_workers_limit(codebook):
    # 2,000 worded questions (the column cap): read in under a second, detected
    # in over ten (measured on a busy machine: 0.9 s and 14 s); 3 s sits between
    content = slow_to_detect(columns=2000)
    limits = IngestLimits(reader_seconds=3)
    # reading alone fits in the limit: what is stopped is the detection
    assert read_untrusted("wide.csv", content=content, limits=limits).data.shape[1]
    with pytest.raises(SandboxError, match=r"stopped after 3 s") as caught:
        prepare_untrusted(
            "wide.csv", codebook, wave_name="W-1", content=content, limits=limits
        )
    assert caught.value.reason == "timeout" and "\n" not in str(caught.value)
    # the caller lives on and the next file is prepared as usual
    assert prepare_untrusted(DATA / "spss_en.sav", codebook).file.rows == 30


def test_the_command_line_survives_slow_detection(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CONFIANCE_READER_SECONDS", "2")
    path = tmp_path / "wide.csv"
    path.write_bytes(slow_to_detect(columns=2000))
    store = tmp_path / "s.duckdb"
    status = main(["ingest", str(path), "--wave", "W-1", "--store", str(store)])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1
    assert err.startswith("error: wide.csv: reading was stopped after 2 s")
    assert not store.exists()


def test_each_drop_is_listed_with_its_rows(codebook, tmp_path):
    path = tmp_path / "crm.csv"
    path.write_text(
        "Email,share_caution\nann@example.com,Strongly agree\n,Tend to agree\n"
        "bob@example.com,Tend to agree\n",
        encoding="utf-8",
    )
    prepared = prepare_untrusted(path, codebook, wave_name="CRM-1")
    assert prepared.result.report.dropped_personal == {
        "Email": "e-mail address; 2 rows"
    }


def test_the_analysts_choices_reach_the_worker(codebook):
    overrides = Overrides(roles={"gender": "left_out"})
    prepared = prepare_untrusted(
        DATA / "spss_en.sav", codebook, wave_name="W-1", overrides=overrides
    )
    roles = prepared.proposals.set_index("column")["role"]
    assert roles["gender"] == "left_out" and roles["country"] == "segment"
    assert "gender" not in prepared.result.wave.data


def test_an_analyst_may_retype_a_question_and_rename_a_segment(codebook):
    overrides = Overrides(
        types={"share_caution": "single", "ethical_use": "scale"},
        segment_names={"gender": "sexe"},
    )
    prepared = prepare_untrusted(
        DATA / "spss_en.sav", codebook, wave_name="W-1", overrides=overrides
    )
    rows = prepared.proposals.set_index("column")
    assert rows.loc["share_caution", "type"] == "single"
    assert rows.loc["ethical_use", "type"] == "scale"
    assert rows.loc["gender", "segment"] == "sexe"
    wave = prepared.result.wave
    assert "sexe" in wave.questionnaire.segments and "sexe" in wave.data
    # a name of its own keeps the values as the file labels them
    assert set(wave.data["sexe"].dropna()) == {"Female", "Male", "Other"}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (Overrides(types={"country": "multi"}), r"type 'multi' must be one of"),
        (Overrides(types={"nope": "single"}), r"column 'nope' is not in the file"),
        (Overrides(segment_names={"gender": "=1+2"}), r"segment"),
    ],
)
def test_choices_that_cannot_apply_are_one_sentence(codebook, overrides, message):
    with pytest.raises(SurveyDataError, match=message):
        prepare_untrusted(DATA / "spss_en.sav", codebook, overrides=overrides)


def test_text_answers_cannot_become_numbers(codebook, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,q\nr1,Yes\nr2,No\nr3,Yes\n", encoding="utf-8")
    with pytest.raises(SurveyDataError, match=r"column 'q': .* cannot be read as"):
        prepare_untrusted(path, codebook, overrides=Overrides(types={"q": "numeric"}))


@pytest.mark.parametrize("name", ["qualtrics_fr_text.csv", "surveymonkey_en.csv"])
def test_the_editor_and_the_command_line_propose_the_same(codebook, capsys, name):
    args = ["ingest", str(DATA / name), "--wave", "W-1", "--dry-run"]
    assert main([*args, "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out)["mapping"]["columns"]
    rows = prepare_untrusted(DATA / name, codebook).proposals.set_index("column")
    assert list(rows.index) == list(printed)
    for header, entry in printed.items():
        row = rows.loc[header]
        assert row["role"] == entry["role"], header
        assert row["segment"] == (entry.get("segment") or ""), header
        assert row["type"] == entry.get("type", ""), header
        assert row["link"] == (entry.get("link") or ""), header
        if entry.get("text"):
            assert row["text"] == entry["text"], header


@pytest.mark.parametrize(
    "cells",
    [
        # found by the fuzz suite: int() of over 4,300 digits raises ValueError
        ["Strongly disagree", "9" * 5000],  # an unlabelled code, linked by number
        ["1", "2", "9" * 5000],  # whole numbers, typed
    ],
)
def test_thousands_of_digits_in_an_answer_are_read_not_a_crash(codebook, cells):
    content = ("share_caution\n" + "\n".join(cells) + "\n").encode()
    result = prepare_file_wave(read_survey("w.csv", content=content), codebook, "W")
    assert result.report is not None
