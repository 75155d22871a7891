"""Banner tables on constructed waves: SPECs, letters, arrows, bases and errors.

The letters are checked against the documented rule worked by hand: a Wald
test of every pair of columns of one banner on one line, SE √(p(1 − p)/n)
for an unweighted sample without design, p-values Holm-corrected within the
family, a letter where the adjusted p < α and the column is higher.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from analysis.errors import SurveyDataError
from analysis.store.questionnaire import Answer, Question, Questionnaire
from analysis.table.banner import CELL_KEYS, banner_table
from analysis.table.banner_spec import RowSpec, TableSpec, parse_nest, split_list

NO_FLAGS_SPEC = TableSpec(rows=("q",), banners=("g",))
AGREE = Question(
    "agree",
    "I trust brands.",
    "scale",
    (
        Answer("1", "Strongly disagree"),
        Answer("2", "Disagree"),
        Answer("3", "Agree"),
        Answer("4", "Strongly agree"),
        Answer("8", "Don't know", excluded=True),
    ),
)
YES_NO = Question("q", "Would you?", "single", (Answer("1", "Yes"), Answer("2", "No")))


def _wave(shares, n_per, second=None):
    """Segments a, b, c of banner g with the given shares of Yes, n_per each."""
    rows = []
    for seg, share in zip("abc", shares, strict=True):
        yes = round(share * n_per)
        rows += [{"g": seg, "q": "1"}] * yes + [{"g": seg, "q": "2"}] * (n_per - yes)
    frame = pd.DataFrame(rows)
    frame["h"] = np.where(np.arange(len(frame)) % 2 == 0, "x", "y")
    if second is not None:
        frame["h"] = second
    return frame, Questionnaire((YES_NO,), segments=("g", "h"))


def _holm(p):
    order = np.argsort(p)
    m = len(p)
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adjusted[i] = running
    return adjusted


def test_letters_follow_the_documented_rule():
    shares, n = (0.30, 0.50, 0.52), 200
    frame, questionnaire = _wave(shares, n)
    table = banner_table(frame, questionnaire, TableSpec(rows=("q",), banners=("g",)))
    yes = table.cells[table.cells["answer"] == "Yes"]
    g = yes[yes["banner"] == "g"].set_index("column")
    # by hand: every pair's Wald z on plain binomial SEs, Holm over the 3 pairs
    pairs = [(0, 1), (0, 2), (1, 2)]
    se = [math.sqrt(p * (1 - p) / n) for p in shares]
    raw = np.array(
        [
            2 * norm.sf(abs(shares[a] - shares[b]) / math.hypot(se[a], se[b]))
            for a, b in pairs
        ]
    )
    adjusted = _holm(raw)
    above = {c: "" for c in "ABC"}
    for (a, b), p in zip(pairs, adjusted, strict=True):
        if p < 0.05:
            hi, lo = (a, b) if shares[a] > shares[b] else (b, a)
            above["ABC"[hi]] += "ABC"[lo]
    assert list(g["letter"]) == ["A", "B", "C"]
    assert list(g["letters"]) == [above["A"], above["B"], above["C"]]
    assert list(g["letters"]) == ["", "A", "A"]  # what the hand rule gives here
    total = yes[yes["banner"] == "total"]
    assert total["letter"].isna().all() and total["letters"].isna().all()


def test_letters_restart_in_each_banner():
    frame, questionnaire = _wave((0.3, 0.5, 0.52), 200)
    spec = TableSpec(rows=("q",), banners=("g", "h"))
    table = banner_table(frame, questionnaire, spec)
    columns = table.columns
    assert [c[2] for c in columns] == ["", "A", "B", "C", "A", "B"]
    assert [c[0] for c in columns] == ["total", "g", "g", "g", "h", "h"]


def test_arrows_test_against_the_rest_not_the_total():
    # a is low against everyone else; against the Total it would be diluted
    frame, questionnaire = _wave((0.20, 0.50, 0.50), 300)
    spec = TableSpec(rows=("q",), banners=("g",), arrows=True)
    cells = banner_table(frame, questionnaire, spec).cells
    yes = cells[(cells["answer"] == "Yes") & (cells["banner"] == "g")]
    assert list(yes["arrow"]) == ["down", "up", "up"]
    # b against rest (a + c: 0.35 on 600) by hand, Holm over three tests
    se_b, se_rest = math.sqrt(0.25 / 300), math.sqrt(0.35 * 0.65 / 600)
    p_b = 2 * norm.sf(0.15 / math.hypot(se_b, se_rest))
    assert p_b * 2 < 0.05  # Holm multiplies the middle p-value by at most 2
    assert cells[cells["banner"] == "total"]["arrow"].isna().all()


def test_no_arrows_unless_asked_and_no_total_when_refused():
    frame, questionnaire = _wave((0.3, 0.5, 0.5), 50)
    spec = TableSpec(rows=("q",), banners=("g",), total=False)
    table = banner_table(frame, questionnaire, spec)
    assert "total" not in set(table.cells["banner"])
    assert table.cells["arrow"].isna().all()
    assert set(table.records()[0]) == set(CELL_KEYS)
    assert list(table.records()[0]) == list(CELL_KEYS)


def _scale_wave():
    rng = np.random.default_rng(3)
    n = 400
    frame = pd.DataFrame(
        {
            "agree": rng.choice(["1", "2", "3", "4", "8"], n),
            "country": rng.choice(["FR", "DE"], n),
            "gender": rng.choice(["F", "M"], n),
            "weight": rng.uniform(0.5, 2.0, n),
        }
    )
    from analysis.store.questionnaire import Design

    questionnaire = Questionnaire(
        (AGREE,), segments=("country", "gender"), design=Design(weight="weight")
    )
    return frame, questionnaire


def test_a_scale_gives_answers_nets_and_mean_and_a_net_spec():
    frame, questionnaire = _scale_wave()
    spec = TableSpec(
        rows=("agree", "agree:net=3+4", "agree:mean"), banners=("country",)
    )
    cells = banner_table(frame, questionnaire, spec).cells
    total = cells[cells["banner"] == "total"]
    answers = list(total[total["row"] == "agree"]["answer"])
    assert answers == [
        "Strongly disagree",
        "Disagree",
        "Agree",
        "Strongly agree",
        "Agree + Strongly agree",
        "Strongly disagree + Disagree",
        "mean",
    ]
    # the analyst's NET equals the scale's own top-2 box
    top2 = total[
        (total["row"] == "agree") & (total["answer"] == "Agree + Strongly agree")
    ]
    net = total[total["row"] == "agree:net=3+4"]
    assert float(net["estimate"].iloc[0]) == pytest.approx(
        float(top2["estimate"].iloc[0])
    )
    # by hand: the weighted share of 3 or 4 among counted answers
    counted = frame["agree"] != "8"
    w = frame["weight"][counted]
    hand = (w * frame["agree"][counted].isin(["3", "4"])).sum() / w.sum()
    assert float(net["estimate"].iloc[0]) == pytest.approx(hand, abs=1e-12)
    mean = total[total["row"] == "agree:mean"]
    scores = frame["agree"][counted].astype(float)
    assert float(mean["estimate"].iloc[0]) == pytest.approx(
        (w * scores).sum() / w.sum()
    )


def test_nested_banner_and_bases():
    frame, questionnaire = _scale_wave()
    spec = TableSpec(
        rows=("agree",), banners=("country",), nest=(("country", "gender"),)
    )
    table = banner_table(frame, questionnaire, spec)
    nested = table.cells[table.cells["banner"] == "country × gender"]
    assert list(dict.fromkeys(nested["column"])) == [
        "DE · F",
        "DE · M",
        "FR · F",
        "FR · M",
    ]
    bases = table.bases.set_index(["banner", "column"])
    counted = frame["agree"] != "8"
    fr_m = counted & (frame["country"] == "FR") & (frame["gender"] == "M")
    assert bases.loc[("country × gender", "FR · M"), "n"] == fr_m.sum()
    assert bases.loc[("country × gender", "FR · M"), "weighted"] == pytest.approx(
        frame["weight"][fr_m].sum()
    )
    assert bases.loc[("total", "Total"), "n"] == counted.sum()


def test_suppressed_cells_keep_their_base_but_no_estimate():
    frame, questionnaire = _wave((0.5, 0.5, 0.5), 8)
    table = banner_table(frame, questionnaire, TableSpec(rows=("q",), banners=("g",)))
    seg = table.cells[table.cells["banner"] == "g"]
    assert (seg["flag"] == "suppressed").all()
    assert seg["estimate"].isna().all() and seg["ci_low"].isna().all()
    assert (seg["n"] == 8).all()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (TableSpec(rows=("nope",), banners=("g",)), "no question 'nope'"),
        (
            TableSpec(rows=("q",), banners=("region",)),
            "no segment or question 'region'",
        ),
        (TableSpec(rows=("metric:nothing",), banners=("g",)), "no metric 'nothing'"),
        (TableSpec(rows=("q:net=Maybe",), banners=("g",)), "row 'q:net=Maybe'"),
    ],
)
def test_unknown_names_are_named(spec, message):
    frame, questionnaire = _wave((0.3, 0.5, 0.5), 20)
    with pytest.raises(SurveyDataError, match=message):
        banner_table(frame, questionnaire, spec)


@pytest.mark.parametrize(
    ("text", "kind", "target", "answers"),
    [
        ("q1", "question", "q1", ()),
        ("q1:mean", "mean", "q1", ()),
        ("q1:net=A+B", "net", "q1", ("A", "B")),
        ("metric:trust", "metric", "trust", ()),
    ],
)
def test_row_specs_parse(text, kind, target, answers):
    spec = RowSpec.parse(text)
    assert (spec.kind, spec.target, spec.answers) == (kind, target, answers)


@pytest.mark.parametrize("text", ["", "q:net=", "q:median", "metric:"])
def test_bad_row_specs_are_refused(text):
    with pytest.raises(SurveyDataError, match="SPEC"):
        RowSpec.parse(text)


def test_option_lists_and_nest_pairs():
    assert split_list(["a,b", "c"]) == ("a", "b", "c")
    assert parse_nest(["country:gender"]) == (("country", "gender"),)
    with pytest.raises(SurveyDataError, match="--nest 'country' must be VAR:VAR"):
        parse_nest(["country"])
    with pytest.raises(SurveyDataError, match="given twice"):
        TableSpec(rows=("q",), banners=("g", "g"))
    spec = TableSpec(rows=("q",), banners=("g",), nest=(("g", "h"),), arrows=True)
    assert TableSpec.from_record(spec.record()) == spec


def test_a_filter_is_a_domain_equal_to_its_banner_column():
    frame, questionnaire = _scale_wave()
    spec = TableSpec(rows=("agree",), banners=("country",))
    whole = banner_table(frame, questionnaire, spec).cells
    only = banner_table(frame, questionnaire, spec, filters={"country": ["FR"]}).cells
    fr = whole[(whole["banner"] == "country") & (whole["column"] == "FR")]
    total = only[only["banner"] == "total"]
    assert list(total["estimate"]) == pytest.approx(list(fr["estimate"]), abs=1e-12)
    assert list(total["se"]) == pytest.approx(list(fr["se"]), abs=1e-12)
    assert list(total["n"]) == list(fr["n"])
    with pytest.raises(SurveyDataError, match=r"no filter variable\(s\) \['region'\]"):
        banner_table(frame, questionnaire, spec, filters={"region": ["N"]})


def test_a_table_of_totals_only_has_no_letters():
    frame, questionnaire = _wave((0.3, 0.5, 0.5), 20)
    table = banner_table(frame, questionnaire, TableSpec(rows=("q",)))
    assert set(table.cells["banner"]) == {"total"}
    assert table.cells["letter"].isna().all()
