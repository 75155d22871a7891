"""Charts of a question's answers: each bar, whisker and label is a row of the table.

The rows come from :func:`analysis.table.questions.question_rows` (checked
against R ``survey`` in tests/table/test_questions_reference.py); here the
figure must draw exactly them: a scale as a diverging bar (lower answers
left of zero), single choice and multi-select as bars, with intervals,
bases, letters, and the question's own words around them.
"""

import io

import pytest

from analysis.errors import SurveyDataError
from analysis.figures.answers import answer_chart
from analysis.figures.chart import ChartContext
from analysis.figures.layout import text_width
from analysis.formatting import percent
from analysis.slides.render import find_browser, slide_png
from analysis.store.wave import TOTAL
from analysis.table.letters import with_segment_letters
from analysis.table.questions import question_rows


def _rows(data, qid, by, **options):
    respondents, wave = data
    rows = question_rows(respondents, wave, qid, by=by, wave="W", **options)
    return with_segment_letters(rows)


def _chart(data, qid, by, ctx=None, **options):
    rows = _rows(data, qid, by, **options)
    return rows, answer_chart(rows, data[1].question(qid), ctx or ChartContext())


def _row(rows, segment, answer):
    var, value = segment
    pick = rows[
        (rows["segment_var"] == var)
        & (rows["segment_value"].astype(str) == value)
        & (rows["answer"] == answer)
    ]
    [row] = pick.to_dict("records")
    return row


@pytest.fixture(scope="module")
def importance(ces):
    """How important is religion (a 4-point scale) by province, with its NETs."""
    return _chart(ces, "importance", "region", nets=True)


def test_a_scale_diverges_lower_answers_left(importance):
    rows, chart = importance
    layout = chart.answers
    assert layout.kind == "diverging"
    assert layout.negative == ("notvery", "not")  # from zero outwards
    assert layout.positive == ("somewhat", "very")
    assert layout.neutral is None
    assert layout.low_net == layout.low_end == "not + notvery"
    assert layout.high_net == layout.high_end == "somewhat + very"
    bars = {t.name: t for t in chart.figure.data if t.type == "bar"}
    assert set(bars) == {"not", "notvery", "somewhat", "very"}
    for name, trace in bars.items():
        sign = -1 if name in layout.negative else 1
        expected = [
            sign * 100 * _row(rows, s, name)["estimate"] for s in layout.segments
        ]
        assert list(trace.x) == pytest.approx(expected, abs=1e-9)
    assert layout.segments[0] == (TOTAL, TOTAL)
    assert len(layout.segments) == 11  # the total and ten provinces


def test_each_side_ends_at_its_net_with_the_nets_interval(importance):
    rows, chart = importance
    layout = chart.answers
    bars = {t.name: t for t in chart.figure.data if t.type == "bar"}
    whiskers = [t for t in chart.figure.data if t.type == "scatter" and t.error_x.array]
    assert len(whiskers) == 2
    for trace, net, sign in (
        (whiskers[0], layout.low_net, -1),
        (whiskers[1], layout.high_net, 1),
    ):
        for i, segment in enumerate(layout.segments):
            row = _row(rows, segment, net)
            side = layout.negative if sign < 0 else layout.positive
            # the stacked bars reach the NET: a NET's share is its answers' sum
            assert sum(bars[a].x[i] for a in side) == pytest.approx(
                sign * 100 * row["estimate"], abs=1e-9
            )
            assert trace.x[i] == pytest.approx(sign * 100 * row["estimate"])
            outward = 100 * (row["ci_high"] - row["estimate"])
            inward = 100 * (row["estimate"] - row["ci_low"])
            right, left = trace.error_x.array[i], trace.error_x.arrayminus[i]
            assert (right, left) == pytest.approx(
                (outward, inward) if sign > 0 else (inward, outward)
            )


def test_net_labels_carry_the_value_and_its_letters(importance):
    rows, chart = importance
    texts = [t for t in chart.figure.data if t.type == "scatter" and t.mode == "text"]
    left = list(texts[0].text)
    quebec = chart.answers.segments.index(("region", "QC"))
    row = _row(rows, ("region", "QC"), "not + notvery")
    assert row["letters"]  # Quebec's bottom-2 beats most provinces
    assert left[quebec] == f"<b>{percent(row['estimate'])} <b>{row['letters']}</b></b>"


def test_labels_stay_inside_the_plot(importance):
    """Each NET label, measured per letter, ends inside the axis' range."""
    _, chart = importance
    fig = chart.figure
    low, high = fig.layout.xaxis.range
    width = fig.layout.width or 960  # the screen figure is 960 px wide
    plot_px = width - fig.layout.margin.l - fig.layout.margin.r
    per_px = (high - low) / plot_px
    font = fig.data[-1].textfont.size
    for trace in (t for t in fig.data if t.type == "scatter" and t.mode == "text"):
        for x, text in zip(trace.x, trace.text, strict=True):
            width = text_width(text, font) * per_px
            if trace.textposition == "middle left":
                assert x - width >= low, text
            else:
                assert x + width <= high, text


def test_the_words_are_the_questions_own(importance):
    _, chart = importance
    assert chart.text.title == "How important is religion in your life?"
    assert "NET “not + notvery” and NET “somewhat + very”" in chart.text.subtitle
    foot = chart.text.footnote
    assert "Base: n = 2,231" in foot and "segments n = 72–687" in foot
    assert "Sample type not stated" in foot and "margin of error" not in foot
    assert "Whiskers at the bar ends: the interval of that side's NET" in foot
    assert "Holm" in foot  # the letters' test is named


def test_french_words(ces):
    _, chart = _chart(ces, "importance", "gender", ChartContext(lang="fr"), nets=True)
    assert "par genre" in chart.text.subtitle
    assert "Moustaches en bout de barre" in chart.text.footnote
    assert "Base\u00a0: n = 2\u202f231" in chart.text.footnote


def test_the_middle_answer_stands_aside_and_dont_know_leaves_the_base(five_point):
    rows, chart = _chart(five_point, "trust", "group", nets=True)
    layout = chart.answers
    assert layout.neutral == "Neither"
    [aside] = [t for t in chart.figure.data if t.type == "bar" and t.xaxis == "x2"]
    expected = [100 * _row(rows, s, "Neither")["estimate"] for s in layout.segments]
    assert list(aside.x) == pytest.approx(expected)
    # weighted: group a (weight 1) answers 1,2,3,4,5; group b (weight 2)
    # answers 2,3,4,4 and "don't know": Neither is 1 + 2 of 5 + 8
    assert expected[0] == pytest.approx(100 * 3 / 13)
    assert "The middle answer “Neither” is shown aside" in chart.text.footnote
    assert "Left out of the base: “Don't know”" in chart.text.footnote


def test_single_choice_is_bars_per_answer_one_per_segment(ces):
    rows, chart = _chart(ces, "abortion", "gender")
    layout = chart.answers
    assert layout.kind == "bars" and layout.by_answer
    bars = [t for t in chart.figure.data if t.type == "bar"]
    assert len(bars) == 3  # the total, women, men
    for trace, segment in zip(bars, layout.segments, strict=True):
        picked = [_row(rows, segment, a) for a in ("No", "Yes")]
        assert list(trace.x) == pytest.approx([100 * r["estimate"] for r in picked])
        assert list(trace.error_x.array) == pytest.approx(
            [100 * (r["ci_high"] - r["estimate"]) for r in picked]
        )
        assert list(trace.error_x.arrayminus) == pytest.approx(
            [100 * (r["estimate"] - r["ci_low"]) for r in picked]
        )
    assert "n = 1,244" in bars[1].name  # the base under the segment's name
    assert chart.text.subtitle == "% giving each answer, by gender"


def test_many_segments_group_by_segment(ces):
    rows, chart = _chart(ces, "abortion", "region")
    assert not chart.answers.by_answer
    bars = [t for t in chart.figure.data if t.type == "bar"]
    assert [t.name for t in bars] == ["No", "Yes"]
    yes = [_row(rows, s, "Yes")["estimate"] for s in chart.answers.segments]
    assert list(bars[1].x) == pytest.approx([100 * v for v in yes])


def test_multi_select_options_are_bars_of_those_asked(multi_select):
    _, chart = _chart(multi_select, "contact", "group")
    assert chart.answers.answers == ("Email", "Phone", "Post")
    [total] = [t for t in chart.figure.data if t.type == "bar"][:1]
    assert list(total.x) == pytest.approx([60, 40, 40])  # ticks over 200 people
    assert chart.text.subtitle.startswith("% ticking each option")


def test_a_scale_without_all_its_answers_is_refused(ces):
    rows = _rows(ces, "importance", None, answers=["top2"])
    with pytest.raises(SurveyDataError, match="a scale's chart needs every answer"):
        answer_chart(rows, ces[1].question("importance"))


@pytest.mark.browser
@pytest.mark.skipif(find_browser() is None, reason="PNG export needs Chromium")
@pytest.mark.parametrize("qid,by", [("importance", "region"), ("abortion", "gender")])
def test_the_slide_renders_whole(ces, qid, by, tmp_path):
    from PIL import Image, ImageStat

    _, chart = _chart(ces, qid, by, ChartContext(size="slide"), nets=True)
    image = Image.open(io.BytesIO(slide_png(chart))).convert("L")
    assert image.size == (1920, 1080)
    assert ImageStat.Stat(image).var[0] > 100
    foot = image.crop((0, image.height - 10, image.width, image.height))
    assert ImageStat.Stat(foot).var[0] < 5  # nothing runs off the bottom edge
    image.save(f"/tmp/answers_{qid}_{by}.png")


def test_a_narrow_axis_never_ticks_past_100_percent(ces):
    """On a phone the axis widens past ±100 for the NET labels: no tick there."""
    import dataclasses

    from analysis.figures.theme import load_theme

    theme = dataclasses.replace(load_theme(), screen=(380, 640))
    _, chart = _chart(ces, "importance", "region", ChartContext(theme=theme), nets=True)
    low, high = chart.figure.layout.xaxis.range
    assert low < -100 or high > 100  # the case this is about
    ticks = chart.figure.layout.xaxis.tickvals
    assert ticks and all(abs(v) <= 100 for v in ticks)
    assert 0 in ticks
