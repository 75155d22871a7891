"""Validation problems, response-quality options and profiles on the detection route."""

from __future__ import annotations

import csv as _csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.errors import IngestError, NameRuleError
from analysis.ingest.column_roles import Overrides
from analysis.ingest.from_file import prepare_file_wave
from analysis.ingest.labels import AGE_BANDS, age_band, age_to_band, country_code
from analysis.ingest.mapping import ColumnMap, SurveyMapping
from analysis.ingest.model import IngestOptions
from analysis.ingest.profile_overrides import detection_profile, profile_overrides
from analysis.ingest.profiles import load_profile, save_profile
from analysis.ingest.questionnaire import detect_questionnaire
from analysis.ingest.readers import read_survey

DATA = Path(__file__).parents[1] / "data" / "ingest"


def csv(tmp_path, text, name="wave.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return read_survey(path)


def prepared(raw, codebook, options=None, overrides=None):
    return prepare_file_wave(raw, codebook, "V-1", options, overrides=overrides)


def with_profile(raw, codebook, profile):
    """The profile's choices for this file, as the command line applies them."""
    first = detect_questionnaire(raw, codebook)
    asked = {p.header: p.question for p in first.proposals if p.question}
    return profile_overrides(profile, raw.columns, asked, Overrides())


def checks(result):
    return {(p.check, p.column): p for p in result.report.problems}


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("France", "FR"),
        ("Allemagne", "DE"),
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("Royaume-Uni", "GB"),
        ("États-Unis", "US"),
        ("usa", "US"),
        ("Narnia", None),
    ],
)
def test_country_names(written, iso):
    assert country_code(written) == iso


@pytest.mark.parametrize(
    ("written", "band"),
    [
        ("18-24", "18-24"),
        ("25 à 34 ans", "25-34"),
        ("65 ans et plus", "65+"),
        ("65+", "65+"),
        ("47", "45-54"),
        ("17", None),
        ("35–44", "35-44"),
    ],
)
def test_age_bands(written, band):
    assert age_band(written) == band


@given(st.integers(min_value=18, max_value=120))
def test_every_adult_age_falls_in_its_band(age):
    band = age_to_band(age)
    assert band in AGE_BANDS
    low = int(band.rstrip("+").split("-")[0])
    assert low <= age and (band == "65+" or age <= int(band.split("-")[1]))


def test_problems_name_column_count_and_file_rows(codebook, tmp_path):
    raw = csv(
        tmp_path,
        (
            "respondent_id;pays;sexe;poids;share_caution;password_reuse\n"
            "a;France;Femme;1,5;Tout à fait d'accord;\n"
            "a;Allemagne;Homme;0;Peut-être;\n"
            "c;;Homme;;Plutôt d'accord;\n"
            "d;Narnia;Femme;-2;Peut-être;\n"
        ),
    )
    result = prepared(raw, codebook)
    found = checks(result)
    assert not result.ok and result.wave is None
    assert found[("duplicate_id", "respondent_id")].rows == (2, 3)
    assert found[("negative_weight", "poids")].rows == (5,)
    assert found[("zero_weight", "poids")].severity == "warning"  # kept, as R keeps it
    assert found[("zero_weight", "poids")].rows == (3,)
    assert found[("missing_weight", "poids")].rows == (4,)
    assert "password_reuse" in result.report.unmapped  # no answers in the file
    assert result.report.to_dict()["problems"][0]["rows"]


def test_an_unknown_country_is_kept_as_given(codebook, tmp_path):
    raw = csv(tmp_path, "id;pays;q\na;France;Oui\nb;Narnia;Non\nc;;Oui\n")
    result = prepared(raw, codebook)
    assert result.ok, result.report.to_text()
    assert list(result.wave.data["country"].fillna("")) == ["FR", "Narnia", ""]


def test_problem_rows_count_qualtrics_three_header_rows(codebook, tmp_path):
    rows = list(
        _csv.reader(
            io.StringIO(
                (DATA / "qualtrics_fr_text.csv").read_text(encoding="utf-8-sig")
            )
        )
    )
    column = rows[0].index("ResponseId")
    rows[5][column] = rows[4][column]  # lines 5 and 6 of the file: one id twice
    buffer = io.StringIO()
    _csv.writer(buffer).writerows(rows)
    raw = csv(tmp_path, buffer.getvalue(), "q.csv")
    found = checks(prepared(raw, codebook))
    assert found[("duplicate_id", "ResponseId")].rows == (5, 6)


def test_at_most_five_example_rows(codebook, tmp_path):
    rows = "".join(f"r{i};-1;Oui\n" for i in range(9))
    found = checks(prepared(csv(tmp_path, "id;weight;q\n" + rows), codebook))
    problem = found[("negative_weight", "weight")]
    assert problem.count == 9 and problem.rows == (2, 3, 4, 5, 6)


def test_incomplete_left_out_by_default_and_counted(codebook):
    raw = read_survey(DATA / "qualtrics_fr_text.csv")
    default = prepared(raw, codebook)
    assert default.report.left_out == {"incomplete (Finished = 0 or Progress < 100)": 2}
    assert default.report.rows_kept == 28
    kept = prepared(raw, codebook, IngestOptions(keep_incomplete=True))
    assert kept.report.rows_kept == 30 and not kept.report.left_out


def test_speeders_and_straightliners_reported_then_left_out_on_request(codebook):
    raw = read_survey(DATA / "qualtrics_fr_text.csv")
    found = checks(prepared(raw, codebook))
    assert found[("speeder", None)].rows == (9,)  # respondent 6, after 3 header rows
    grid = [p for p in found.values() if p.check == "straightliner"]
    assert 13 in grid[0].rows  # respondent 10 answered 3 to the whole Q5 grid
    strict = prepared(
        raw, codebook, IngestOptions(exclude_speeders=True, exclude_straightliners=True)
    )
    left = strict.report.left_out
    assert left["speeders (under a third of the median duration)"] == 1
    assert left["straight-liners (one answer across a grid)"] >= 1
    assert len(strict.wave.data) == strict.report.rows_kept < 28


def test_a_profile_edited_saved_and_loaded_leaves_a_column_out(codebook, tmp_path):
    raw = read_survey(DATA / "csv_fr_cp1252.csv")
    profile = detection_profile(detect_questionnaire(raw, codebook))
    entries = [
        ColumnMap(e.column, "left_out") if e.column == "password_reuse" else e
        for e in profile.columns
    ]
    edited = SurveyMapping(columns=tuple(entries))
    path = save_profile(edited, tmp_path / "fr-panel.yaml")
    again = load_profile(path)
    assert again == SurveyMapping(columns=edited.columns, name="fr-panel")
    result = prepared(raw, codebook, overrides=with_profile(raw, codebook, again))
    assert result.ok and "password_reuse" not in result.wave.data
    assert "password_reuse" in result.report.unmapped
    linked = {q.link for q in result.wave.questionnaire.questions}
    assert "share_caution" in linked  # the other columns keep the profile's links


def test_a_profile_from_another_survey_applies_to_the_columns_they_share(
    codebook, tmp_path
):
    raw = read_survey(DATA / "csv_fr_cp1252.csv")
    other = SurveyMapping(columns=(ColumnMap("Q1", "question", "share_caution"),))
    result = prepared(raw, codebook, overrides=with_profile(raw, codebook, other))
    assert result.ok
    assert result.mapping == prepared(raw, codebook).mapping


def test_bad_profiles_are_one_clear_error(tmp_path):
    with pytest.raises(IngestError, match=r"no mapping profile 'nope-zz'"):
        load_profile("nope-zz")
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns:\n  Q1: {role: maybe}\n")
    with pytest.raises(IngestError, match=r"column 'Q1': role 'maybe' is not one of"):
        load_profile(bad)


def test_unknown_library_question_in_a_profile_is_an_error(codebook, tmp_path):
    raw = csv(tmp_path, "id,q\nr1,Oui\nr2,Non\n")
    profile = SurveyMapping(columns=(ColumnMap("q", "question", "happiness"),))
    with pytest.raises(IngestError, match=r"no library question 'happiness'"):
        prepared(raw, codebook, overrides=with_profile(raw, codebook, profile))


def test_no_weight_means_one_and_no_id_means_row_numbers(codebook, tmp_path):
    result = prepared(
        csv(tmp_path, "share_caution\nStrongly agree\nDon't know\n"), codebook
    )
    assert result.ok
    assert list(result.wave.data["weight"]) == [1.0, 1.0]
    assert list(result.wave.data["respondent_id"]) == ["row-2", "row-3"]
    assert "generated_id" in {p.check for p in result.report.problems}


def test_progress_is_reported(codebook):
    seen = []
    raw = read_survey(DATA / "csv_fr_cp1252.csv")
    prepare_file_wave(
        raw, codebook, "V-5", progress=lambda share, what: seen.append(share)
    )
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) >= 5


def test_bad_wave_name(codebook):
    raw = read_survey(DATA / "csv_fr_cp1252.csv")
    with pytest.raises(NameRuleError, match=r"wave name 'a/b' holds '/'"):
        prepare_file_wave(raw, codebook, "a/b")


def test_spss_value_labels_and_user_missing_codes(codebook):
    raw = read_survey(DATA / "spss_en.sav")
    assert raw.value_labels["share_caution"]["1"] == "Strongly agree"
    assert {"98", "99"} <= raw.missing_codes["share_caution"]
    question = detect_questionnaire(raw, codebook).questionnaire.question(
        "share_caution"
    )
    assert question.answer("1").link_code == 5
    assert question.answer("98").excluded and question.answer("99").excluded
