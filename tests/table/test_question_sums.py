"""A wave's own questions from the store's sums equal them from the rows.

The reference is :func:`analysis.table.questions.question_rows` on the
respondent rows (itself checked against R's survey in tests/table); the sums
come from the store's SQL (:func:`analysis.store.sums.compute_sums`) run by
DuckDB on the same rows. Random questionnaires (single-choice with "don't
know" and unlisted codes, scales with coded or worded points, multi-select
sets with a "don't know" option, numeric questions), random designs (weights
with zeros, strata, PSUs, fpc, lonely-PSU rules), segments with missing
labels, filters, every interval method, weighted or not.
"""

import json

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.methods import INTERVAL_METHODS
from analysis.store.duck import DuckConnection
from analysis.store.questionnaire import Answer, Design, Question, Questionnaire
from analysis.store.sums import compute_sums
from analysis.table.question_sums import question_rows_from_sums
from analysis.table.questions import question_rows
from analysis.table.rows import EstimateOptions
from tests.stats.test_from_sums import assert_same

WAVES = """CREATE TABLE waves (wave VARCHAR, kind VARCHAR, table_name VARCHAR,
row_count BIGINT, questionnaire VARCHAR, deleted_at TIMESTAMP)"""


def _questions(rng, n, k=3, dk=True, worded=False, options=2, multi_dk=True):
    """The four kinds of question and their stored columns."""
    single = Question(
        "s",
        "Pick one",
        "single",
        (
            *(Answer(str(i), f"A{i}") for i in range(1, k + 1)),
            *([Answer("9", "DK", excluded=True)] if dk else []),
        ),
    )
    codes = np.array([*(str(i) for i in range(1, k + 1)), "9", "7", None], object)
    points = ["lo", "mid", "hi", "top"] if worded else ["1", "2", "3", "4", "5"]
    scale = Question(
        "sc",
        "Agree?",
        "scale",
        (*(Answer(p, p.upper()) for p in points), Answer("99", "DK", excluded=True)),
    )
    labels = [Answer(f"o{i}", f"Opt {i}") for i in range(options)]
    if multi_dk:
        labels.append(Answer("odk", "DK", excluded=True))
    multi = Question(
        "m",
        "Which?",
        "multi",
        tuple(labels),
        columns=tuple(f"m_{a.code}" for a in labels),
    )
    numeric = Question("x", "How many?", "numeric")
    frame = pd.DataFrame(
        {
            "s": codes[rng.integers(0, len(codes), n)],
            "sc": np.array([*points, "99", None], object)[
                rng.integers(0, len(points) + 2, n)
            ],
            "x": np.where(rng.random(n) < 0.2, np.nan, rng.gamma(2.0, 3.0, n)),
        }
    )
    seen = rng.random(n) < 0.8
    for a in labels:
        frame[f"m_{a.code}"] = np.where(seen, (rng.random(n) < 0.4) * 1.0, np.nan)
    return (single, scale, multi, numeric), frame


@st.composite
def waves(draw):
    """A random wave: its questionnaire, rows, segments and design."""
    n = draw(st.integers(12, 100))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    questions, frame = _questions(
        rng,
        n,
        k=draw(st.integers(2, 5)),
        dk=draw(st.booleans()),
        worded=draw(st.booleans()),
        options=draw(st.integers(1, 3)),
        multi_dk=draw(st.booleans()),
    )
    frame.insert(0, "id", np.arange(n))
    for var, k in (("region", draw(st.integers(1, 4))), ("age", 3)):
        values = np.array([f"{var}{i}" for i in range(k)], object)[
            rng.integers(0, k, n)
        ]
        if draw(st.booleans()):
            values[rng.random(n) < 0.1] = None
        frame[var] = values
    weights = rng.gamma(2.0, 1.0, n)
    if draw(st.booleans()):
        weights[rng.random(n) < 0.1] = 0.0
    weights[0] = 1.0
    frame["weight"] = weights
    kind = draw(st.sampled_from(["none", "strata", "clusters", "both", "fpc"]))
    if kind in ("strata", "both", "fpc"):
        frame["stratum"] = rng.integers(0, draw(st.integers(1, 3)), n).astype(str)
    if kind in ("clusters", "both"):
        frame["psu"] = rng.integers(0, draw(st.integers(2, 8)), n).astype(str)
    if kind == "fpc":
        frame["fpc"] = frame["stratum"].map({"0": 5 * n, "1": 6 * n, "2": 7 * n})
        frame["fpc"] = frame["fpc"].astype(float)
    design = Design(
        "weight",
        "stratum" if "stratum" in frame else None,
        "psu" if "psu" in frame else None,
        "fpc" if "fpc" in frame else None,
    )
    return Questionnaire(questions, ("region", "age"), design), frame


def stored(questionnaire, frame):
    """The wave in an in-memory store, its sums computed; and its rows read back."""
    con = DuckConnection(duckdb.connect())
    con.execute(WAVES)
    con.create_table("w", frame)
    held = json.dumps(questionnaire.to_dict())
    con.execute(
        "INSERT INTO waves VALUES ('W', 'respondents', 'w', ?, ?, NULL)",
        [len(frame), held],
    )
    assert compute_sums(con, "W") == "ready"
    return con, con.frame('SELECT * FROM "w" ORDER BY id')


ASKS = [
    ("s", {}),
    ("s", {"answers": ["A1", "A2"]}),  # a NET made of the answers' sums
    ("sc", {"nets": True}),
    ("sc", {"mean": True}),
    ("sc", {"answers": ["top2"]}),
    ("m", {}),
    ("x", {}),
]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    wave=waves(),
    by=st.sampled_from([(), ("region",), ("age",), ("region", "age")]),
    filtered=st.booleans(),
    method=st.sampled_from(INTERVAL_METHODS),
    weighted=st.booleans(),
    lonely=st.sampled_from(["adjust", "certainty", "average"]),
)
def test_questions_from_sums_are_the_rows_numbers(
    wave, by, filtered, method, weighted, lonely
):
    questionnaire, frame = wave
    con, rows = stored(questionnaire, frame)
    filters = {"age": ["age0", "age2"]} if filtered else {}
    opts = EstimateOptions(method=method, weighted=weighted, thresholds=(20, 5, 2))
    common = {
        "by": list(by),
        "filters": filters,
        "options": opts,
        "lonely_psu": lonely,
    }
    for question, ask in ASKS:
        want = question_rows(rows, questionnaire, question, **ask, **common, wave="W")
        got = question_rows_from_sums(
            con, "W", questionnaire, question, **ask, **common
        )
        assert_same(got, want)
        assert got["answer"].tolist() == want["answer"].tolist()
        assert got.attrs["excluded_answers"] == want.attrs["excluded_answers"]


def test_a_share_by_hand():
    """Two respondents of weight 1 and 3 answer 1 and 2; a DK leaves the base."""
    q = Question(
        "q",
        "?",
        "single",
        (Answer("1", "Yes"), Answer("2", "No"), Answer("9", "DK", excluded=True)),
    )
    frame = pd.DataFrame(
        {
            "id": [0, 1, 2],
            "region": ["a", "a", "b"],
            "q": ["1", "2", "9"],
            "weight": [1.0, 3.0, 5.0],
        }
    )
    con, _ = stored(Questionnaire((q,), ("region",), Design("weight")), frame)
    opts = EstimateOptions(thresholds=(0, 0, 0))
    got = question_rows_from_sums(
        con,
        "W",
        Questionnaire((q,), ("region",), Design("weight")),
        "q",
        options=opts,
    )
    assert got["answer"].tolist() == ["Yes", "No"]
    np.testing.assert_allclose(got["estimate"], [0.25, 0.75])
    assert got["n"].tolist() == [2, 2]


@pytest.mark.parametrize(
    ("question", "ask"),
    [
        ("s", {"by": ["sc"]}),  # a question used as a segment
        ("s", {"filters": {"sc": ["1"]}}),  # a filter on a question
        ("m", {"answers": ["Opt 0", "Opt 1"]}),  # a NET of ticks: not additive
        ("nope", {}),  # the rows' route says which questions there are
    ],
)
def test_what_the_sums_do_not_hold_reads_the_rows(question, ask):
    rng = np.random.default_rng(3)
    questions, frame = _questions(rng, 40)
    frame.insert(0, "id", range(40))
    frame["region"] = "r"
    frame["age"] = "a"
    frame["weight"] = 1.0
    q = Questionnaire(questions, ("region", "age"), Design("weight"))
    con, _ = stored(q, frame)
    assert question_rows_from_sums(con, "W", q, question, **ask) is None
