"""A long scale's whole-side NETs (top-3 of 7 points) from the sums equal the rows'.

The rows' numbers are checked against R in tests/figures/test_seven_point.py;
here the store's sums must give the same, both when the sums hold the NET
(a wave summed by this code) and when they do not (a wave summed before the
side NETs existed: the NET is made of its answers' sums).
"""

import numpy as np
import pandas as pd

from analysis.store.questionnaire import Answer, Design, Question, Questionnaire
from analysis.table.question_sums import question_rows_from_sums
from analysis.table.questions import question_rows
from analysis.table.rows import EstimateOptions
from tests.stats.test_from_sums import assert_same
from tests.table.test_question_sums import stored


def _wave():
    rng = np.random.default_rng(7)
    n = 240
    answers = (
        *(Answer(str(i), f"P{i}") for i in range(1, 8)),
        Answer("9", "DK", excluded=True),
    )
    question = Question("q", "Trust?", "scale", answers)
    frame = pd.DataFrame(
        {
            "id": np.arange(n),
            "q": rng.choice(["1", "2", "3", "4", "5", "6", "7", "9", None], n),
            "region": rng.choice(["N", "S", "E"], n),
            "weight": rng.uniform(0.5, 2.0, n),
            "stratum": rng.choice(["a", "b"], n),
        }
    )
    design = Design(weight="weight", strata="stratum")
    return Questionnaire((question,), ("region",), design), frame


def test_side_nets_from_sums_are_the_rows():
    questionnaire, frame = _wave()
    con, rows = stored(questionnaire, frame)
    opts = EstimateOptions(thresholds=(20, 5, 2))
    for ask in ({"nets": True}, {"answers": ["top3"]}, {"answers": ["bottom3"]}):
        want = question_rows(
            rows, questionnaire, "q", by="region", options=opts, wave="W", **ask
        )
        got = question_rows_from_sums(
            con, "W", questionnaire, "q", by="region", options=opts, **ask
        )
        assert_same(got, want)
    held = set(con.frame("SELECT DISTINCT metric FROM sums_w")["metric"])
    assert {"q=1+2+3", "q=5+6+7"} <= held  # the store sums the sides itself
    nets = question_rows(rows, questionnaire, "q", nets=True, options=opts)
    assert {"P1 + P2 + P3", "P5 + P6 + P7"} <= set(nets["answer"])


def test_sums_made_before_the_side_nets_make_them_of_the_answers():
    questionnaire, frame = _wave()
    con, rows = stored(questionnaire, frame)
    con.execute("DELETE FROM sums_w WHERE metric IN ('q=5+6+7', 'q=1+2+3')")
    opts = EstimateOptions(thresholds=(20, 5, 2))
    want = question_rows(
        rows, questionnaire, "q", by="region", nets=True, options=opts, wave="W"
    )
    got = question_rows_from_sums(
        con, "W", questionnaire, "q", by="region", nets=True, options=opts
    )
    assert_same(got, want)
