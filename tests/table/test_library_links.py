"""Library metrics on a wave through its questions' links.

For every respondent file in tests/data/ingest/, the metric values computed
through detection's links (the file's own codes, recoded by each answer's
``link_code``) equal the same metrics computed on the library codes the
fixture generator wrote (tests/data/ingest/expected/, made with the files by
make_fixtures.py and make_questionnaire_fixtures.py, not by the code under
test), respondent by respondent.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.errors import SurveyDataError
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


def _expected(name):
    """The generator's respondents with their library codes, by respondent id."""
    path = DATA / "expected" / f"{Path(name).stem}.csv"
    if not path.exists():
        return None
    frame = pd.read_csv(path, dtype={"respondent_id": str})
    return frame.set_index("respondent_id")


def _compared(name, sheet, codebook):
    """Per metric: (through the links, from the generator's codes), same rows."""
    raw = read_survey(DATA / name, sheet=sheet)
    detection = detect_questionnaire(raw, codebook)
    values = library_values(detection.respondents, detection.questionnaire, codebook)
    want = _expected(name)
    if not values or want is None:
        return {}
    ids = detection.respondents["respondent_id"].astype(str).to_numpy()
    rows = np.isin(ids, want.index)
    reference = want.loc[ids[rows]].reset_index(drop=True)
    return {
        metric_id: (linked[rows], metric_values(reference, codebook.metric(metric_id)))
        for metric_id, linked in values.items()
        if set(codebook.metric(metric_id).questions) <= set(reference.columns)
    }


@pytest.mark.parametrize(("name", "sheet"), FILES)
def test_linked_metrics_equal_the_generators_codes(name, sheet, codebook):
    compared = _compared(name, sheet, codebook)
    assert compared, f"{name}: no linked metric, or no generator's codes to compare"
    for metric_id, (linked, wanted) in compared.items():
        np.testing.assert_array_equal(linked, wanted, err_msg=f"{name} {metric_id}")


def test_the_comparison_covers_the_files_and_the_metrics(codebook):
    """Not a vacuous pass: every file is compared, with most seed metrics."""
    compared = {
        name: set(found)
        for name, sheet in FILES
        if (found := _compared(name, sheet, codebook))
    }
    assert set(compared) == {name for name, _ in FILES}
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
