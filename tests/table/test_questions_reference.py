"""A real survey's own question, end to end, against R ``survey``; stored designs.

``ces11_reference.json`` is R 4.2.2 / survey 4.1.1 on ``carData::CES11``
(tests/data/reference/README.md): ``svydesign(ids = ~1, strata = ~province,
weights = ~weight)``, ``svyby(~abortion, ~province, svymean)`` and
``svyby(~I(abortion == "Yes"), ~province, svyciprop, method = "logit")``.
The SPSS file is read and detected as it is; the analyst only says the
province (a segment) is also the strata. R's logit interval comes from an
IRLS fit (``svyglm``) whose estimate for QC stops 1.3e-9 short of R's own
``svymean``; there its bounds are compared within that gap, and at R's own
estimate to 1e-11.
"""

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.ingest.questionnaire import Overrides, detect_questionnaire
from analysis.ingest.readers import read_survey
from analysis.stats.design import SurveyDesign, design_mean
from analysis.stats.domains import domain_estimates
from analysis.table.questions import design_columns, question_records, question_rows
from analysis.table.rows import EstimateOptions

DATA = Path(__file__).parents[1] / "data"
R = json.loads((DATA / "reference" / "ces11_reference.json").read_text())
REL = 1e-9


@pytest.fixture(scope="module")
def ces(codebook):
    """CES 2011 detected as is, the province segment also the strata."""
    raw = read_survey(DATA / "ingest" / "public" / "ces11.sav")
    opts = Overrides(strata="province", segments=("province",))
    return detect_questionnaire(raw, codebook, overrides=opts)


def test_the_province_segment_is_also_the_strata(ces):
    questionnaire = ces.questionnaire
    assert "region" in questionnaire.segments
    assert questionnaire.design.strata == "region"
    assert questionnaire.design.weight == "weight"
    assert ces.proposal("province").role == "segment"


def test_the_question_keeps_its_own_text_and_answers(ces):
    question = ces.questionnaire.question("abortion")
    assert question.text == "Should abortion be banned?"
    assert [a.label for a in question.answers] == ["No", "Yes"]
    assert question.link is None  # no library question is about abortion


def test_shares_and_ses_by_province_match_r(ces):
    rows = question_rows(
        ces.respondents, ces.questionnaire, "abortion", by="region", wave="CES-2011"
    )
    records = question_records(rows)
    total = {r["answer"]: r for r in records if r["segment"] is None}
    assert total["Yes"]["estimate"] == pytest.approx(R["total"]["share_yes"], rel=REL)
    assert total["Yes"]["se"] == pytest.approx(R["total"]["se_yes"], rel=REL)
    cells = {(r["segment"], r["answer"]): r for r in records if r["segment"]}
    assert {p for p, _ in cells} == {ref["province"] for ref in R["by_province"]}
    for ref in R["by_province"]:
        for answer in ("no", "yes"):
            row = cells[(ref["province"], answer.capitalize())]
            assert row["estimate"] == pytest.approx(ref[f"share_{answer}"], rel=REL)
            assert row["se"] == pytest.approx(ref[f"se_{answer}"], rel=REL)
    assert records[0]["segment_var"] is None  # the total first
    assert {r["segment_var"] for r in records[2:]} == {"region"}


def _converged(ref):
    """R's svyciprop estimate (an IRLS fit) equals its own svymean share to 1e-10."""
    return abs(ref["logit_estimate"] / ref["share_yes"] - 1) < 1e-10


def test_logit_intervals_by_province_match_svyciprop(ces):
    rows = question_rows(
        ces.respondents,
        ces.questionnaire,
        "abortion",
        answers=["Yes"],
        by="region",
        options=EstimateOptions(method="logit"),
    )
    assert set(rows["method"]) == {"logit"}
    total = rows.iloc[0]
    assert total["ci_low"] == pytest.approx(R["total"]["logit_low"], rel=REL)
    assert total["ci_high"] == pytest.approx(R["total"]["logit_high"], rel=REL)
    by = rows.set_index("segment_value")
    converged = [ref for ref in R["by_province"] if _converged(ref)]
    assert len(converged) == 9  # all but QC, where svyglm stopped 1.3e-9 short
    for ref in R["by_province"]:
        row = by.loc[ref["province"]]
        # where R's fit stopped short, its bounds carry that error too
        slack = abs(ref["logit_estimate"] / ref["share_yes"] - 1)
        rel = REL if _converged(ref) else 1.5 * slack
        assert row["ci_low"] == pytest.approx(ref["logit_low"], rel=rel)
        assert row["ci_high"] == pytest.approx(ref["logit_high"], rel=rel)


def test_at_rs_own_estimate_the_logit_bounds_are_rs_to_1e_11(ces):
    """The QC gap above is R's IRLS stopping, not the interval: at R's p̂ it vanishes."""
    resp, questionnaire = ces.respondents, ces.questionnaire
    design = design_columns(questionnaire).design(resp)
    labels = sorted(resp["region"].unique())
    codes = resp["region"].map({v: i for i, v in enumerate(labels)}).to_numpy()
    yes = (resp["abortion"] == "2").to_numpy(dtype=np.float64)
    est = domain_estimates(design, yes, codes, labels)
    refs = {ref["province"]: ref for ref in R["by_province"]}
    at_r = np.array([refs[v]["logit_estimate"] for v in labels])
    ci = replace(est, estimate=at_r).ci(method="logit")
    for i, province in enumerate(labels):
        assert ci.low[i] == pytest.approx(refs[province]["logit_low"], rel=1e-11)
        assert ci.high[i] == pytest.approx(refs[province]["logit_high"], rel=1e-11)


def test_a_stored_stratified_cluster_design_gives_its_own_ses(codebook):
    """The stored design's SE equals design_mean on the file's raw design columns."""
    path = DATA / "ingest" / "stratified_psu.csv"
    raw = read_survey(path)
    detection = detect_questionnaire(raw, codebook)
    questionnaire = detection.questionnaire
    assert questionnaire.design.is_complex
    question = questionnaire.linked("ethical_use")
    assert question is not None
    rows = question_rows(
        detection.respondents, questionnaire, question.id, answers=["Yes"]
    )
    file = pd.read_csv(path, dtype=str)
    answers = file[question.text].map({"Yes": 1.0, "No": 0.0})  # "Not sure": out
    design = SurveyDesign(
        file["final_weight"].astype(float).to_numpy(),
        strata=file["stratum"],
        clusters=file["psu"],
        fpc=file["fpc"].astype(float).to_numpy(),
    )
    ref = design_mean(design, answers.to_numpy(dtype=np.float64))
    assert rows["estimate"].iloc[0] == pytest.approx(ref.estimate, rel=1e-12)
    assert rows["se"].iloc[0] == pytest.approx(ref.se, rel=1e-12)
    weights_only = design_mean(
        SurveyDesign(file["final_weight"].astype(float).to_numpy()),
        answers.to_numpy(dtype=np.float64),
    )
    assert abs(ref.se - weights_only.se) > 1e-6  # the design matters here
