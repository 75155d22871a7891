"""Waves' own questions through the store: from the cell sums as from the rows.

CES 2011 (tests/data/ingest/public/ces11.sav) and every other respondent file
of tests/data/ingest/ are imported as the upload page imports them (the
file's questionnaire, weight, strata and PSUs); every chartable question's
page table (answers, NETs, mean) from the store's sums equals
:func:`analysis.table.wave_questions.question_table` on the stored rows, by
each segment variable, within a filter, for every interval method. An
erasure recomputes the sums.
"""

from pathlib import Path

import numpy as np
import pytest

from analysis.ingest.from_file import prepare_file_wave
from analysis.ingest.readers import read_survey
from analysis.library.codebook import load_codebook
from analysis.methods import INTERVAL_METHODS
from analysis.store.wave_store import WaveStore
from analysis.table.question_sums import question_table_from_sums
from analysis.table.rows import EstimateOptions
from analysis.table.wave_questions import chartable, question_table
from tests.stats.test_from_sums import assert_same
from tests.table.test_library_links import FILES

DATA = Path(__file__).parents[1] / "data" / "ingest"
CES = DATA / "public" / "ces11.sav"


def _import(store, path, name, sheet=None):
    raw = read_survey(path, sheet=sheet)
    result = prepare_file_wave(raw, load_codebook(), name)
    if result.report.ok:
        store.add_wave(result.wave, actor="test")
    return result.report.ok


@pytest.fixture(scope="module")
def ces(tmp_path_factory):
    """CES 2011 as imported, in a store of its own."""
    store = WaveStore(tmp_path_factory.mktemp("ces") / "ces.duckdb")
    assert _import(store, CES, "CES-2011")
    return store


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Every respondent file of tests/data/ingest/, imported once."""
    store = WaveStore(tmp_path_factory.mktemp("files") / "files.duckdb")
    names = [
        f"W{i}"
        for i, (name, sheet) in enumerate(FILES)
        if _import(store, DATA / name, f"W{i}", sheet)
    ]
    return store, names


def _both(store, wave, question, by=(), filters=None, opts=None):
    questionnaire = store.questionnaire(wave)
    rows = store.load_respondents([wave])
    want = question_table(
        rows,
        questionnaire,
        question,
        by=by,
        filters=filters,
        options=opts,
        wave=wave,
    )
    got = question_table_from_sums(
        store, wave, questionnaire, question, by=by, filters=filters, options=opts
    )
    return got, want


@pytest.mark.parametrize("method", INTERVAL_METHODS)
@pytest.mark.parametrize("question", ["abortion", "importance"])
@pytest.mark.parametrize(
    ("by", "filters"),
    [
        ((), None),
        (("region",), None),
        (("gender", "education"), {"urban": ["1"]}),
    ],
)
def test_ces_from_sums_is_ces_from_rows(ces, question, by, filters, method):
    opts = EstimateOptions(method=method)
    got, want = _both(ces, "CES-2011", question, by, filters, opts)
    assert_same(got, want)
    assert got["answer"].tolist() == want["answer"].tolist()


def test_ces_nets_and_mean_are_there(ces):
    got, _ = _both(ces, "CES-2011", "importance")
    assert {"mean"} < set(got["answer"])
    assert got["metric"].str.contains(r"\+").any()  # the top-2 and bottom-2 boxes


def test_every_files_questions_from_sums(files):
    store, names = files
    opts = EstimateOptions(method="logit", thresholds=(5, 2, 0))
    checked = 0
    for wave in names:
        questionnaire = store.questionnaire(wave)
        segments = list(questionnaire.segments)
        for question in chartable(questionnaire):
            for by in [[], segments[:1], segments[-1:]]:
                got, want = _both(store, wave, question.id, by, None, opts)
                assert_same(got, want, rtol=_conditioned(want))
                checked += 1
    assert checked >= 30


def test_a_question_as_segment_reads_the_rows(ces):
    got = question_table_from_sums(
        ces, "CES-2011", ces.questionnaire("CES-2011"), "abortion", by=["importance"]
    )
    assert got is None


def _conditioned(table):
    """1e-12, or 1e-15 × the mean's x̄²/s² when that is worse.

    Both routes take a variance as a difference of sums (the mean of y² less
    ȳ²), adding in other orders; for a numeric question of mean 10,003 and
    sd ≈ 1.7 (tests/data/ingest/plain_personal_wide.csv) that difference
    keeps 8 fewer digits, in both.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = table["estimate"] ** 2 / (table["se"] ** 2 * table["n_eff"])
    finite = ratio[np.isfinite(ratio.astype(float))]
    return max(1e-12, 1e-15 * float(finite.max())) if len(finite) else 1e-12


def test_an_erasure_recomputes_the_questions_sums(tmp_path):
    store = WaveStore(tmp_path / "ces.duckdb")
    raw = read_survey(CES)
    result = prepare_file_wave(raw, load_codebook(), "CES-2011")
    store.add_wave(result.wave, actor="test")
    before, _ = _both(store, "CES-2011", "importance")
    store.erase_respondent(str(result.wave.data["respondent_id"].iloc[0]))
    got, want = _both(store, "CES-2011", "importance", ("region",))
    assert_same(got, want)
    assert got["n"].iloc[0] == before["n"].iloc[0] - 1


def test_a_migrated_store_answers_its_questions_from_sums(schema5_store):
    """The release before sums (356a45d) wrote it; migration computes them."""
    store = WaveStore(schema5_store)
    questionnaire = store.questionnaire("Demo-2019")
    checked = 0
    for question in chartable(questionnaire):
        got, want = _both(store, "Demo-2019", question.id, ("country",))
        assert_same(got, want)
        checked += 1
    assert checked >= 5
