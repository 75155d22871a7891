"""Library metrics on a wave through its questions' links.

For every respondent file in tests/data/ingest/, the metric values computed
through detection's links (the file's own codes, recoded by each answer's
``link_code``) equal those of the codebook mapping path (``suggest_mapping``
+ ``prepare_wave``) on the same file, respondent by respondent.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import SurveyDataError
from analysis.ingest.mapping import suggest_mapping
from analysis.ingest.model import IngestOptions
from analysis.ingest.prepare import prepare_wave
from analysis.ingest.questionnaire import detect_questionnaire
from analysis.ingest.readers import read_survey
from analysis.library.scoring import metric_values
from analysis.store.questionnaire import Answer, Question, Questionnaire
from analysis.table.estimate import respondent_table
from analysis.table.library import (
    library_frame,
    library_rows,
    library_values,
    linked_metrics,
)
from analysis.table.rows import DesignColumns

DATA = Path(__file__).parents[1] / "data" / "ingest"
FILES = [
    # file, sheet
    ("csv_en_utf16.txt", None),
    ("csv_fr_bom_comma.csv", None),
    ("csv_fr_cp1252.csv", None),
    ("csv_fr_snake.csv", None),
    ("excel_fr.xlsx", "Données"),
    ("qualtrics_en_numeric.csv", None),
    ("qualtrics_fr_text.csv", None),
    ("plain_personal_wide.csv", None),
    ("qualtrics_personal.csv", None),
    ("spss_en.sav", None),
    ("spss_varlabels.sav", None),
    ("stratified_psu.csv", None),
    ("surveymonkey_en.csv", None),
    ("surveymonkey_fr.xlsx", None),
]


def test_every_respondent_file_is_listed():
    files = {
        p.name
        for p in DATA.iterdir()
        if p.suffix not in (".py", ".json") and p.is_file()
    }
    assert {f for f, _ in FILES} == {f for f in files if "toplines" not in f}


def _mapped(raw, codebook):
    """Today's path: the codebook mapping, every row kept (rows line up)."""
    mapping = suggest_mapping(raw, codebook)
    if raw.file_name == "qualtrics_en_numeric.csv":
        # the one edit an analyst makes there: Qualtrics' "6" is don't know
        extra = pd.DataFrame(
            {"column": ["Q1", "Q4", "Q6", "Q7"], "answer": "6", "code": 9}
        )
        answers = pd.concat([mapping.answers_frame(), extra])
        mapping = mapping.with_frame(mapping.to_frame(), answers)
    return prepare_wave(
        raw, mapping, codebook, "W", IngestOptions(keep_incomplete=True)
    )


@pytest.mark.parametrize(("name", "sheet"), FILES)
def test_linked_metrics_equal_the_codebook_mapping_path(name, sheet, codebook):
    raw = read_survey(DATA / name, sheet=sheet)
    detection = detect_questionnaire(raw, codebook)
    values = library_values(detection.respondents, detection.questionnaire, codebook)
    if not values:
        pytest.skip(f"{name}: detection links no metric's questions")
    result = _mapped(raw, codebook)
    if result.wave is None:
        pytest.skip(f"{name}: the codebook mapping path refuses this file")
    stored = result.wave.data
    assert len(stored) == len(detection.respondents)
    for metric_id, linked in values.items():
        mapped = metric_values(stored, codebook.metric(metric_id))
        np.testing.assert_array_equal(linked, mapped, err_msg=f"{name} {metric_id}")


def test_the_comparison_covers_the_files_and_the_metrics(codebook):
    """Not a vacuous pass: most files go both ways, with most seed metrics."""
    compared = {}
    for name, sheet in FILES:
        raw = read_survey(DATA / name, sheet=sheet)
        detection = detect_questionnaire(raw, codebook)
        values = library_values(detection.respondents, detection.questionnaire)
        if values and _mapped(raw, codebook).wave is not None:
            compared[name] = set(values)
    assert len(compared) >= 10
    assert len(compared["spss_en.sav"]) >= 12  # every metric of the ten questions
    assert "trust_index" in compared["surveymonkey_fr.xlsx"]  # a composite


YES_NO = Question(
    "stop",
    "Would you stop buying?",
    "single",
    # the file codes 1 = No, 2 = Yes; the library has 1 = Yes, 2 = No
    (
        Answer("1", "No", link_code=2),
        Answer("2", "Yes", link_code=1),
        Answer("7", "Refused", excluded=True),
        Answer("8", "Don't know", excluded=True, link_code=9),
    ),
    link="leave_unprotected",
)


def test_the_codes_follow_the_links_not_the_files_numbers(codebook):
    data = pd.DataFrame({"stop": ["2", "1", "2", "8", "7", None]})
    frame = library_frame(data, Questionnaire((YES_NO,)))
    np.testing.assert_array_equal(
        frame["leave_unprotected"], [1.0, 2.0, 1.0, 9.0, np.nan, np.nan]
    )
    values = library_values(data, Questionnaire((YES_NO,)), codebook)
    metric = next(
        m for m in codebook.metrics.values() if m.questions == ("leave_unprotected",)
    )
    np.testing.assert_array_equal(values[metric.id], [1, 0, 1, np.nan, np.nan, np.nan])


def test_a_metric_needing_an_unlinked_question_is_skipped(codebook):
    wave = Questionnaire((YES_NO,))
    ids = {m.id for m in linked_metrics(wave, codebook)}
    composites = [m for m in codebook.metrics.values() if len(m.questions) > 1]
    needing = [m for m in composites if "leave_unprotected" in m.questions]
    assert ids and not ids & {m.id for m in needing}
    assert all(set(codebook.metric(i).questions) == {"leave_unprotected"} for i in ids)
    with pytest.raises(SurveyDataError, match=r"metric 'trust_index' needs library q"):
        library_rows(pd.DataFrame({"stop": ["1"]}), wave, ["trust_index"])


def test_an_unlinked_wave_has_no_library_metric(codebook):
    wave = Questionnaire((Question("x", "Anything?", "single", (Answer("1", "A"),)),))
    assert linked_metrics(wave, codebook) == ()
    with pytest.raises(SurveyDataError, match=r"no library metric can be computed"):
        library_rows(pd.DataFrame({"x": ["1"]}), wave)


def test_library_rows_use_the_waves_stored_design(codebook):
    raw = read_survey(DATA / "stratified_psu.csv")
    detection = detect_questionnaire(raw, codebook)
    wave = detection.questionnaire
    rows = library_rows(detection.respondents, wave, by=["country"], wave="S")
    assert set(rows["metric"]) == {m.id for m in linked_metrics(wave, codebook)}
    design = wave.design
    frame = pd.concat(
        [detection.respondents, library_frame(detection.respondents, wave)], axis=1
    )
    plain = respondent_table(
        frame.loc[:, ~frame.columns.duplicated()],
        list(linked_metrics(wave, codebook)),
        ["country"],
        wave="S",
        design=DesignColumns(design.weight),
    )
    # same estimates, other standard errors: the strata and PSUs enter
    np.testing.assert_allclose(rows["estimate"], plain["estimate"], rtol=1e-12)
    assert not np.allclose(rows["se"], plain["se"])
