"""Answer charts as native PowerPoint charts, read back with python-pptx.

Values, error bars and labels must be the table's rows: a scale's lower
answers as negative values of a stacked bar (labelled without the sign), its
sides' NET intervals as error bars on the outermost series and the NETs'
values and letters labelled past each end, clear of the whisker; single
choice as a clustered bar with each point's interval.
"""

import io

import openpyxl
import pytest
from pptx import Presentation

from analysis.figures.answer_layout import segment_rows
from analysis.slides.deck import deck_pptx

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def _charts(chart):
    deck = Presentation(io.BytesIO(deck_pptx([chart], native=True)))
    return [s for s in deck.slides[0].shapes if s.has_chart]


def _bars(frame):
    return frame.chart.plots[0].series


def _errors(series, which):
    points = series._element.findall(f"{C}errBars/{C}{which}//{C}pt")
    return {int(p.get("idx")): float(p.find(f"{C}v").text) for p in points}


def _row(chart, segment, answer):
    return segment_rows(chart.rows, segment).loc[answer]


def test_a_scale_is_a_stacked_bar_lower_answers_negative(answer_charts):
    chart = answer_charts["scale"]
    layout = chart.answers
    [frame] = _charts(chart)
    assert frame.chart.chart_type.name == "BAR_STACKED"
    categories = list(frame.chart.plots[0].categories)
    assert categories[0] == "All respondents · n = 2,231"
    assert categories[10] == "SK (J) · n = 107"
    drawn = [*layout.negative, *layout.positive]
    series = {s.name: s for s in _bars(frame)}
    assert list(series)[: len(drawn)] == drawn  # then the NET labels' carriers
    for name, plotted in list(series.items())[: len(drawn)]:
        sign = -1 if name in layout.negative else 1
        expected = [sign * _row(chart, s, name)["estimate"] for s in layout.segments]
        assert list(plotted.values) == pytest.approx(expected, abs=1e-12)


def test_each_side_s_outer_series_carries_its_net_interval(answer_charts):
    chart = answer_charts["scale"]
    series = {s.name: s for s in _bars(_charts(chart)[0])}
    assert not series["notvery"]._element.findall(f"{C}errBars")
    assert not series["somewhat"]._element.findall(f"{C}errBars")
    _assert_side_intervals(chart, series["not"], series["very"])


def _assert_side_intervals(chart, low, high):
    """Each side's outer series carries its NET's interval, point by point."""
    layout = chart.answers
    for outer, net, sign in ((low, layout.low_net, -1), (high, layout.high_net, 1)):
        plus, minus = _errors(outer, "plus"), _errors(outer, "minus")
        for i, segment in enumerate(layout.segments):
            row = _row(chart, segment, net)
            inward = row["estimate"] - row["ci_low"]
            outward = row["ci_high"] - row["estimate"]
            # PowerPoint's plus points right: towards zero on the left side
            expected = (inward, outward) if sign < 0 else (outward, inward)
            assert (plus[i], minus[i]) == pytest.approx(expected, abs=1e-12)


def test_stacked_labels_show_no_sign_and_carry_letters(answer_charts):
    chart = answer_charts["scale"]
    layout = chart.answers
    series = {s.name: s for s in _bars(_charts(chart)[0])}
    labels = series["not"]._element.find(f"{C}dLbls")
    assert labels.find(f"{C}numFmt").get("formatCode") == "0%;0%"
    quebec = layout.segments.index(("region", "QC"))
    letters = _row(chart, ("region", "QC"), "not")["letters"]
    assert letters  # Quebec says "not important" more than most provinces
    [label] = [d for d in labels.findall(f"{C}dLbl") if d[0].get("val") == str(quebec)]
    assert label.find(f"{C}numFmt").get("formatCode") == (
        f'0%" {letters}";0%" {letters}"'
    )


def test_the_middle_answer_is_a_panel_aside(answer_charts):
    chart = answer_charts["neutral"]
    main, aside = _charts(chart)
    assert aside.left > main.left and aside.width < main.width / 3
    assert aside.chart.chart_type.name == "BAR_CLUSTERED"
    [middle] = _bars(aside)
    assert middle.name == "Neither"
    expected = [_row(chart, s, "Neither")["estimate"] for s in chart.answers.segments]
    assert list(middle.values) == pytest.approx(expected, abs=1e-12)
    axis = aside.chart.category_axis._element
    assert axis.find(f"{C}tickLblPos").get("val") == "none"  # named once, at left
    assert [s.name for s in _bars(main)][:4] == [
        "Disagree",
        "Disagree strongly",
        "Agree",
        "Agree strongly",
    ]


def test_single_choice_is_clustered_bars_with_intervals(answer_charts):
    chart = answer_charts["single"]
    layout = chart.answers
    [frame] = _charts(chart)
    assert frame.chart.chart_type.name == "BAR_CLUSTERED"
    assert list(frame.chart.plots[0].categories) == ["No", "Yes"]
    series = _bars(frame)
    assert [s.name for s in series] == [
        "All respondents · n = 2,231",
        "Women (A) · n = 1,244",
        "Men (B) · n = 987",
    ]
    for plotted, segment in zip(series, layout.segments, strict=True):
        rows = [_row(chart, segment, a) for a in ("No", "Yes")]
        plus, minus = _errors(plotted, "plus"), _errors(plotted, "minus")
        for i, row in enumerate(rows):
            assert plotted.values[i] == pytest.approx(row["estimate"], abs=1e-12)
            assert plotted.values[i] + plus[i] == pytest.approx(row["ci_high"])
            assert plotted.values[i] - minus[i] == pytest.approx(row["ci_low"])


def test_the_data_sheet_holds_the_signed_values(answer_charts):
    [frame] = _charts(answer_charts["scale"])
    sheet = openpyxl.load_workbook(
        io.BytesIO(frame.chart_part.chart_workbook.xlsx_part.blob)
    )["Sheet1"]
    for plotted in _bars(frame):
        ref = plotted._element.find(f"{C}val/{C}numRef/{C}f").text
        first, last = ref.split("!")[1].replace("$", "").split(":")
        cells = [c.value for (c,) in sheet[f"{first}:{last}"]]
        assert cells == pytest.approx(list(plotted.values), rel=1e-15)


def test_segments_take_the_palette_from_its_first_colour(answer_charts):
    """As in the picture: the total is grey and does not use up a colour."""
    from analysis.figures.theme import load_theme

    palette = [c.lstrip("#").upper() for c in load_theme().palette]
    [frame] = _charts(answer_charts["single"])
    total, women, men = (str(s.format.fill.fore_color.rgb) for s in _bars(frame))
    assert (women, men) == (palette[0], palette[1])
    assert total not in palette


def _carriers(frame):
    """The series whose labels are texts of their own: the NET labels' carriers."""
    return [s for s in _bars(frame) if s._element.findall(f"{C}dLbls/{C}dLbl/{C}tx")]


def _texts(carrier):
    labels = carrier._element.findall(f"{C}dLbls/{C}dLbl")
    out = {}
    for label in labels:
        runs = label.findall(f".//{A}t")
        if runs:
            out[int(label.find(f"{C}idx").get("val"))] = "".join(r.text for r in runs)
    return out


A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.mark.parametrize("which", ["scale", "seven"])
def test_each_end_is_labelled_with_its_net_past_the_whisker(answer_charts, which):
    chart = answer_charts[which]
    layout = chart.answers
    [frame] = [f for f in _charts(chart) if f.chart.chart_type.name == "BAR_STACKED"]
    left, right = _carriers(frame)
    series = {s.name: s for s in _bars(frame)}
    stacks = {
        -1: [series[a] for a in layout.negative],
        1: [series[a] for a in layout.positive],
    }
    axis = frame.chart.value_axis
    for carrier, net, sign in ((left, layout.low_net, -1), (right, layout.high_net, 1)):
        texts = _texts(carrier)
        outer = stacks[sign][-1]
        plus, minus = _errors(outer, "plus"), _errors(outer, "minus")
        for i, segment in enumerate(layout.segments):
            row = _row(chart, segment, net)
            letters = str(row.get("letters", "") or "")
            want = f"{round(100 * row['estimate'])}%"
            assert texts[i] == (f"{want} {letters}" if letters else want)
            end = sum(abs(s.values[i]) for s in stacks[sign])
            assert end == pytest.approx(row["estimate"], abs=1e-12)
            whisker = (minus if sign < 0 else plus)[i]  # outward: a larger share
            assert whisker == pytest.approx(row["ci_high"] - row["estimate"])
            # the label sits at the carrier's outer end, past the whisker
            room = abs(carrier.values[i])
            assert room > whisker + 0.02
            assert sign * carrier.values[i] > 0
            reach = end + room
            assert reach <= (axis.maximum_scale if sign > 0 else -axis.minimum_scale)
        position = carrier._element.findall(f"{C}dLbls/{C}dLbl/{C}dLblPos")
        assert {p.get("val") for p in position} == {"inEnd"}
        assert carrier._element.find(f"{C}spPr/{A}noFill") is not None


def test_the_carriers_are_off_the_legend(answer_charts):
    [frame] = _charts(answer_charts["scale"])
    count = len(list(_bars(frame)))
    legend = frame.chart.legend._element
    gone = {
        int(e.find(f"{C}idx").get("val")) for e in legend.findall(f"{C}legendEntry")
    }
    # a horizontal bar's legend counts its entries last series first
    assert gone == {0, 1} and count == 6


def test_a_seven_point_scale_has_its_sides_intervals_as_error_bars(answer_charts):
    chart = answer_charts["seven"]
    layout = chart.answers
    assert layout.low_net == "1 + 2 + 3" and layout.high_net == "5 + 6 + 7"
    main, _ = _charts(chart)
    series = {s.name: s for s in _bars(main)}
    _assert_side_intervals(chart, series["1"], series["7"])
