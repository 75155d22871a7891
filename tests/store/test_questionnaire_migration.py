"""A schema-4 store (made by d1ca7b7's own code) gets questionnaires and metrics.

tests/data/store/make_schema4_store.py wrote the store and, with the same old
code, the seed metrics of its demo wave; the migrated store must give them
again, through the stored columns and through the questionnaire's links.
"""

import json

import numpy as np
import pytest

from analysis.errors import StoreError
from analysis.ingest.profiles import load_profile
from analysis.store.metrics import AnalystMetric
from analysis.store.wave_store import WaveStore
from analysis.table.estimate import estimate
from analysis.table.library import library_rows
from analysis.table.questions import question_rows
from tests.store.conftest import STORE_DATA

SEED = json.loads((STORE_DATA / "schema4_seed.json").read_text())
NUMBERS = ("n", "estimate", "se", "ci_low", "ci_high")


def _check_seed(table):
    assert len(table) == len(SEED)
    for got, want in zip(table.to_dict("records"), SEED, strict=True):
        assert (got["metric"], got["segment_var"], got["segment_value"]) == (
            want["metric"],
            want["segment_var"],
            want["segment_value"],
        )
        for key in NUMBERS:
            assert got[key] == pytest.approx(want[key], rel=1e-12, abs=1e-15), key


def test_old_waves_get_codebook_questionnaires(schema4_store):
    store = WaveStore(schema4_store)
    demo = store.questionnaire("Demo-2019")
    rows = store.load_respondents(["Demo-2019"])
    asked = [q.id for q in demo.questions]
    assert asked and all(q.link == q.id and q.link_confirmed for q in demo.questions)
    assert set(asked) <= set(rows.columns)
    caution = demo.question("share_caution")
    assert caution.type == "scale"
    assert [a.link_code for a in caution.answers] == [
        int(a.code) for a in caution.answers
    ]
    assert [a.code for a in caution.answers if a.excluded] == ["9"]
    assert set(demo.segments) == {"country", "age_band", "gender"}
    assert demo.design.weight == "weight"
    deleted = store.questionnaire("S4-B")
    assert [q.id for q in deleted.questions] == ["ethical_use"]
    assert deleted.segments == ("country",)
    toplines = store.questionnaire("S4-TL")
    assert [q.id for q in toplines.questions] == ["ethical_use_possible"]
    audit = store.audit()
    assert audit["detail"].iloc[-1] == "schema 4 -> 8"


def test_seed_numbers_are_the_same_after_the_migration(schema4_store):
    store = WaveStore(schema4_store)
    _check_seed(estimate(store, ["Demo-2019"], by=["country"]))
    # and through the questionnaire's links, the new waves' route
    rows = store.load_respondents(["Demo-2019"])
    metrics = list(dict.fromkeys(r["metric"] for r in SEED))
    linked = library_rows(
        rows, store.questionnaire("Demo-2019"), metrics, by=["country"]
    )
    _check_seed(linked)


def test_any_question_of_a_migrated_wave_is_estimated(schema4_store):
    store = WaveStore(schema4_store)
    rows = store.load_respondents(["Demo-2019"])
    table = question_rows(
        rows, store.questionnaire("Demo-2019"), "leave_unprotected", answers=["Yes"]
    )
    seed = next(r for r in SEED if r["metric"] == "churn_unprotected")
    assert table["estimate"].iloc[0] == pytest.approx(seed["estimate"], rel=1e-12)
    assert np.isfinite(table["se"].iloc[0])


def test_metrics_are_stored_audited_and_deleted(schema4_store):
    store = WaveStore(schema4_store)
    added = store.add_metric(
        AnalystMetric(
            id="leave", wave="Demo-2019", question="leave_unprotected", answers=("yes",)
        ),
        actor="ana",
    )
    assert added.answers == ("1",) and added.label_en == "Yes"
    assert [m.id for m in store.metrics()] == ["leave"]
    with pytest.raises(StoreError, match="already stored"):
        store.add_metric(added, actor="ana")
    with pytest.raises(StoreError, match="is a library metric's id"):
        store.add_metric(
            AnalystMetric("churn_unprotected", "Demo-2019", "leave_unprotected", ("1",))
        )
    store.delete_metric("leave", actor="ana")
    assert store.metrics() == []
    with pytest.raises(StoreError, match="no metric named 'leave'"):
        store.delete_metric("leave")
    actions = store.audit()[["action", "actor"]].values.tolist()
    assert actions[-2:] == [["metric_add", "ana"], ["metric_delete", "ana"]]


def test_saved_mapping_profiles_stay_readable():
    from analysis import config

    profiles = sorted(config.MAPPINGS.glob("*.yaml"))
    assert profiles
    for path in profiles:
        assert load_profile(path).columns


def test_a_file_wave_keeps_its_questionnaire_and_segments(tmp_path, codebook):
    from pathlib import Path

    from analysis.ingest.from_file import prepare_file_wave
    from analysis.ingest.readers import read_survey

    source = Path(__file__).parents[1] / "data" / "ingest" / "csv_fr_snake.csv"
    result = prepare_file_wave(read_survey(source), codebook, "SN-1")
    assert result.ok and result.wave is not None
    store = WaveStore(tmp_path / "s.duckdb")
    store.add_wave(result.wave, actor="test")
    held = store.questionnaire("SN-1")
    assert held == result.wave.questionnaire
    levels = store.segment_levels("SN-1")
    assert list(levels) == list(held.segments)
    rows = store.load_respondents(["SN-1"])
    for segment, values in levels.items():
        assert values == sorted(rows[segment].dropna().astype(str).unique())


def test_a_questionnaire_naming_absent_columns_is_refused():
    import pandas as pd

    from analysis.errors import SurveyDataError
    from analysis.store.questionnaire import Question, Questionnaire
    from analysis.store.wave import Wave, WaveMeta

    meta = WaveMeta(
        name="W", kind="respondents", source="s", file_name="f", file_sha256="0" * 64
    )
    data = pd.DataFrame({"respondent_id": ["a"], "weight": [1.0], "q": ["1"]})
    quest = Questionnaire(
        questions=(Question("q", "Q?", "single", columns=("q",)),), segments=("zone",)
    )
    with pytest.raises(SurveyDataError, match=r"column\(s\) \['zone'\]"):
        Wave(meta=meta, data=data, questionnaire=quest)
