"""Segments and design columns: recognised from headers and answers, overridable."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.errors import IngestError
from analysis.ingest.column_roles import Overrides
from analysis.ingest.model import RawSurvey
from analysis.ingest.questionnaire import detect_questionnaire
from analysis.ingest.roles import design_role, segment_by_header
from analysis.ingest.segments import (
    age_band_of,
    band_labels,
    band_of_text,
    country_code,
    recode_segment,
    segment_by_values,
)


def values(series: pd.Series) -> list:
    return [None if pd.isna(v) else v for v in series]


@pytest.mark.parametrize(
    ("written", "code"),
    [
        # English and French names, with and without accents
        ("Germany", "DE"),
        ("Allemagne", "DE"),
        ("États-Unis", "US"),
        ("etats unis", "US"),
        ("Royaume-Uni", "GB"),
        ("UK", "GB"),
        ("Pays-Bas", "NL"),
        ("the Netherlands", "NL"),
        ("Côte d'Ivoire", "CI"),
        ("Brésil", "BR"),
        ("Japon", "JP"),
        ("South Korea", "KR"),
        # ISO codes
        ("fr", "FR"),
        ("DEU", "DE"),
        ("NZL", "NZ"),
    ],
)
def test_countries_in_english_french_and_iso_codes(written, code):
    assert country_code(written) == code


def test_unknown_countries_are_kept_as_written():
    series = pd.Series(
        ["Allemagne", "Atlantis", None, "  Groland ", "Prefer not to say"]
    )
    assert values(recode_segment(series, "country")) == [
        "DE",
        "Atlantis",
        None,
        "Groland",
        None,
    ]


def test_short_words_are_not_countries_unless_in_capitals():
    assert country_code("no", codes_any_case=False) is None
    assert country_code("NO", codes_any_case=False) == "NO"
    assert segment_by_values(["Yes", "No", "Don't know"]) is None


@pytest.mark.parametrize(
    ("values", "segment"),
    [
        (["Male", "Female", "Other"], "gender"),
        (["Homme", "Femme"], "gender"),
        (["M", "F"], "gender"),
        (["France", "Allemagne", "Italie"], "country"),
        (["FRA", "DEU", "USA"], "country"),
        (["18-24", "25-34", "65+"], "age_band"),
        (["25 à 34 ans", "35 à 44 ans", "65 ans et plus"], "age_band"),
        (["Île-de-France", "Bretagne", "Occitanie", "Grand Est"], "region"),
        (["Ontario", "Quebec", "Alberta"], "region"),
        (["California", "Texas", "New York", "Ohio"], "region"),
        # not segments
        (["Yes", "No"], None),
        (["Strongly agree", "Agree", "Disagree"], None),
        (["AB", "BC", "ON", "QC"], None),  # Canadian provinces
    ],
)
def test_segments_from_their_answers(values, segment):
    assert segment_by_values(values) == segment


@pytest.mark.parametrize(
    ("header", "segment"),
    [
        ("Pays", "country"),
        ("country_iso3", "country"),
        ("Âge", "age_band"),
        ("tranche_age", "age_band"),
        ("Sexe", "gender"),
        ("Genre", "gender"),
        ("Région", "region"),
        ("province", "region"),
        ("Niveau d'études", "own"),
        ("usage_ethique_possible", None),
        ("How much do you trust your bank with your data today?", None),
    ],
)
def test_segments_from_their_headers(header, segment):
    assert segment_by_header(header) == segment


def test_a_short_question_text_names_a_segment():
    assert segment_by_header("Q10", "What is your age?") == "age_band"
    assert segment_by_header("Q11", "Dans quel pays vivez-vous ?") == "country"


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("ResponseId", "respondent_id"),
        ("Respondent ID", "respondent_id"),
        ("id_repondant", "respondent_id"),
        ("Pondération", "weight"),
        ("poids_final", "weight"),
        ("FinalWeight", "weight"),
        ("stratum", "strata"),
        ("Strate", "strata"),
        ("PSU", "cluster"),
        ("grappe", "cluster"),
        ("fpc", "fpc"),
        ("How much weight do you give to price when you buy?", None),
        ("strategy", None),
    ],
)
def test_design_columns_from_their_headers(header, role):
    assert design_role(header) == role


def test_age_bands_default_and_custom_cut_points():
    assert band_labels() == ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
    assert [age_band_of(a) for a in (17, 18, 24, 25, 64, 65, 99)] == [
        "<18",
        "18-24",
        "18-24",
        "25-34",
        "55-64",
        "65+",
        "65+",
    ]
    assert age_band_of(130) is None and age_band_of(float("nan")) is None
    cuts = (16, 30, 50)
    assert band_labels(cuts) == ("16-29", "30-49", "50+")
    assert [age_band_of(a, cuts) for a in (15, 16, 29, 30, 77)] == [
        "<16",
        "16-29",
        "16-29",
        "30-49",
        "50+",
    ]


@pytest.mark.parametrize(
    ("written", "band"),
    [
        ("25-34", "25-34"),
        ("25 à 34 ans", "25-34"),
        ("65 ans et plus", "65+"),
        ("65 and over", "65+"),
        ("Young adults", "Young adults"),  # the analyst's own band, kept
    ],
)
def test_age_bands_written_as_text(written, band):
    assert band_of_text(written) == band


def raw(data: dict[str, list], fmt: str = "csv", **kw) -> RawSurvey:
    return RawSurvey(
        file_name=f"t.{fmt}", sha256="0", format=fmt, data=pd.DataFrame(data), **kw
    )


def test_ages_become_bands_and_the_age_is_not_stored(codebook):
    survey = raw({"age": ["19", "33", "71", "", "45"], "Q1": ["a", "b", "a", "b", "a"]})
    detection = detect_questionnaire(survey, codebook)
    assert values(detection.respondents["age_band"]) == [
        "18-24",
        "25-34",
        "65+",
        None,
        "45-54",
    ]
    assert "age" not in detection.respondents
    custom = detect_questionnaire(
        survey, codebook, overrides=Overrides(age_cuts=(18, 40))
    )
    assert values(custom.respondents["age_band"]) == [
        "18-39",
        "18-39",
        "40+",
        None,
        "40+",
    ]
    with pytest.raises(
        IngestError, match=r"age cut points \[40, 18\] must be increasing"
    ):
        detect_questionnaire(survey, codebook, overrides=Overrides(age_cuts=(40, 18)))


def test_gender_recognised_from_the_answers_of_a_numbered_column(codebook):
    survey = raw({"Q7": ["Male", "Female", "Female", "Other", None]})
    detection = detect_questionnaire(survey, codebook)
    assert detection.proposal("Q7").segment == "gender"
    assert values(detection.respondents["gender"]) == [
        "male",
        "female",
        "female",
        "other",
        None,
    ]


def test_overrides_win_over_detection(codebook):
    survey = raw(
        {
            "weight": ["1", "2", "1", "2"],
            "w2": ["0.5", "1.5", "1", "1"],
            "site": ["a", "a", "b", "b"],
            "brand": ["X", "Y", "X", "Y"],
            "Q1": ["Yes", "No", "Yes", "No"],
        }
    )
    opts = Overrides(
        weight="w2", strata="site", segments=("brand",), roles={"Q1": "left_out"}
    )
    detection = detect_questionnaire(survey, codebook, overrides=opts)
    roles = {p.header: p.role for p in detection.proposals}
    assert roles == {
        "weight": "left_out",
        "w2": "weight",
        "site": "strata",
        "brand": "segment",
        "Q1": "left_out",
    }
    assert "'w2' is the weight" in detection.proposal("weight").reason
    assert list(detection.respondents["weight"]) == [0.5, 1.5, 1.0, 1.0]
    assert detection.questionnaire.segments == ("brand",)
    assert detection.questionnaire.design.strata == "strata"


def test_overrides_naming_an_unknown_column_list_the_columns(codebook):
    survey = raw({"a": ["1"], "b": ["2"]})
    with pytest.raises(
        IngestError, match=r"column 'wt' is not in the file \(columns: a, b\)"
    ):
        detect_questionnaire(survey, codebook, overrides=Overrides(weight="wt"))
    with pytest.raises(IngestError, match=r"column 'a': role 'boss' must be one of"):
        detect_questionnaire(survey, codebook, overrides=Overrides(roles={"a": "boss"}))


def test_one_column_cannot_take_two_roles(codebook):
    survey = raw({"a": ["1", "2"], "b": ["x", "y"]})
    with pytest.raises(
        IngestError, match=r"column 'a' is given two roles: weight and strata"
    ):
        detect_questionnaire(
            survey, codebook, overrides=Overrides(weight="a", strata="a")
        )


def test_toplines_have_no_questionnaire_to_detect(codebook):
    survey = raw({"metric": ["m"], "percent": ["50"]}, fmt="toplines")
    with pytest.raises(IngestError, match=r"t.toplines holds published toplines"):
        detect_questionnaire(survey, codebook)


def test_second_stage_units_are_left_out_with_the_reason(codebook):
    survey = raw({"psu": ["1", "1", "2"], "ssu": ["1", "2", "3"], "Q": ["a", "b", "a"]})
    detection = detect_questionnaire(survey, codebook)
    assert detection.proposal("psu").role == "cluster"
    assert "only the first stage" in detection.proposal("ssu").reason


def test_spss_value_labels_give_segment_values(codebook):
    survey = raw(
        {"province": [7.0, 9.0, 2.0], "gender": [1.0, 2.0, 2.0]},
        fmt="spss",
        value_labels={
            "province": {"2": "BC", "7": "ON", "9": "QC"},
            "gender": {"1": "Female", "2": "Male"},
        },
    )
    frame = detect_questionnaire(survey, codebook).respondents
    assert list(frame["region"]) == ["ON", "QC", "BC"]
    assert list(frame["gender"]) == ["female", "male", "male"]
