"""A value of one coded column is summed from its counts per code, as row by row.

:func:`analysis.store.sums_sql.sums_sql` sums a value that reads a single
column of answer codes from that column's counts, Σw and Σw² per code. The
check here runs the same plan both ways on the database — every value row by
row (``coded=()``, the wide scan), and by code — and asks for the same sums,
on DuckDB and PostgreSQL, for the demo waves (library metrics and answers)
and for a wave in its own codes with a stratified cluster design, missing
answers, zero weights and text codes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.store.questionnaire import Answer, Design, Question, Questionnaire
from analysis.store.sums import sums_plan
from analysis.store.sums_sql import SUM_FIELDS, only_column, sums_sql
from analysis.store.wave import Wave, WaveMeta
from analysis.store.wave_store import WaveStore


def _both_ways(store: WaveStore, wave: str) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    with store.reading() as con:
        plan = sums_plan(con, wave)
        assert plan is not None
        args = (plan.table, plan.segments, plan.values, plan.design)
        by_code = sums_sql(*args, plan.coded)
        wide = con.execute(sums_sql(*args, ())).df()
        coded = con.execute(by_code).df()
    keys = [c for c in wide.columns if c not in SUM_FIELDS]
    order = [*keys]

    def tidy(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame[[*keys, *SUM_FIELDS]].copy()
        for field in SUM_FIELDS:
            frame[field] = frame[field].astype(np.float64)
        for key in keys:
            frame[key] = frame[key].astype(object).where(frame[key].notna(), None)
        return frame.sort_values(order, na_position="last").reset_index(drop=True)

    return tidy(wide), tidy(coded), by_code


def _same(wide: pd.DataFrame, coded: pd.DataFrame) -> None:
    assert len(wide) == len(coded)
    keys = [c for c in wide.columns if c not in SUM_FIELDS]
    pd.testing.assert_frame_equal(wide[keys], coded[keys], check_dtype=False)
    for field in SUM_FIELDS:
        np.testing.assert_allclose(
            coded[field].to_numpy(), wide[field].to_numpy(), rtol=1e-12, atol=1e-9
        )


@pytest.mark.parametrize("wave", ["Demo-2017", "Demo-2019", "Demo-2025"])
def test_the_demo_waves_sums_by_code_are_the_rows_sums(any_demo_store, wave):
    wide, coded, sql = _both_ways(any_demo_store, wave)
    assert "codes0" in sql  # the library's one-question metrics went by code
    assert "grouped0" in sql  # composites and indices still row by row
    _same(wide, coded)


def _own_wave(seed: int) -> Wave:
    rng = np.random.default_rng(seed)
    n = 900
    scale = rng.choice([1.0, 2.0, 3.0, 4.0, 5.0, 9.0, np.nan], n)
    pick = pd.Series(rng.choice(["yes", "no", "dk", None], n), dtype=object)
    data = pd.DataFrame(
        {
            "respondent_id": [f"r{i}" for i in range(n)],
            "region": rng.choice(["north", "south", "east"], n),
            "sex": pd.Series(rng.choice(["f", "m", None], n), dtype=object),
            "stratum": rng.choice(["s1", "s2", "s3"], n),
            "psu": rng.integers(1, 12, n).astype(str),
            "weight": np.where(rng.random(n) < 0.05, 0.0, rng.uniform(0.2, 3.0, n)),
            "q1": scale,
            "q2": pick,
            "m_a": rng.integers(0, 2, n).astype(float),
            "m_b": rng.integers(0, 2, n).astype(float),
            "spend": rng.normal(50, 20, n),
        }
    )
    answers = tuple(
        Answer(code=str(c), label=f"point {c}", excluded=c == 9)
        for c in (1, 2, 3, 4, 5, 9)
    )
    questions = (
        Question(id="q1", text="How much?", type="scale", answers=answers),
        Question(
            id="q2",
            text="Did you?",
            type="single",
            answers=(
                Answer(code="yes", label="Yes"),
                Answer(code="no", label="No"),
                Answer(code="dk", label="Don't know", excluded=True),
            ),
        ),
        Question(
            id="m",
            text="Which?",
            type="multi",
            columns=("m_a", "m_b"),
            answers=(Answer(code="m_a", label="A"), Answer(code="m_b", label="B")),
        ),
        Question(id="spend", text="Spend", type="numeric"),
    )
    questionnaire = Questionnaire(
        questions=questions,
        segments=("region", "sex"),
        design=Design(weight="weight", strata="stratum", cluster="psu"),
    )
    meta = WaveMeta(
        name=f"Own-{seed}",
        kind="respondents",
        source="test",
        file_name="own.csv",
        file_sha256=f"{seed:064x}",
    )
    return Wave(meta=meta, data=data, questionnaire=questionnaire)


@pytest.mark.parametrize("seed", [1, 2])
def test_an_own_coded_wave_with_a_design_sums_by_code_as_row_by_row(tmp_store, seed):
    wave = _own_wave(seed)
    tmp_store.add_wave(wave, actor="test")
    wide, coded, sql = _both_ways(tmp_store, wave.meta.name)
    assert "codes" in sql
    _same(wide, coded)
    assert {"design_stratum", "design_psu"} <= set(wide.columns)


def test_only_column_names_the_single_column_a_value_reads():
    assert only_column('CASE WHEN "q1" IN (1, 2) THEN 1 ELSE 0 END') == "q1"
    assert only_column('CASE WHEN "a""b" = 1 THEN 1 END') == 'a"b'
    assert only_column('("q1" + "q2") / 2') is None
    assert only_column("CAST(1 AS DOUBLE PRECISION)") is None
