"""A mean score keeps its own scale in a native chart: 3.4 on a 1–5 scale, not 340."""

import io

import pandas as pd
import pytest
from pptx import Presentation

from analysis.figures.chart import ChartContext
from analysis.figures.segment import segment_chart
from analysis.slides.deck import deck_pptx
from analysis.store.questionnaire import Answer, Question, Questionnaire
from analysis.table.questions import question_rows
from analysis.table.rows import EstimateOptions

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


@pytest.fixture(scope="module")
def mean_chart():
    """The mean of a 1–5 scale by gender: 3.5 for women, 2.75 for men."""
    q = Question(
        "s", "How much?", "scale", tuple(Answer(str(i), str(i)) for i in range(1, 6))
    )
    data = pd.DataFrame(
        {
            "s": ["1", "5", "4", "4", "2", "3", "3", "3"] * 15,
            "g": ["F", "F", "F", "F", "M", "M", "M", "M"] * 15,
        }
    )
    rows = question_rows(
        data,
        Questionnaire((q,), segments=("g",)),
        "s",
        mean=True,
        by="g",
        wave="W",
        options=EstimateOptions(thresholds=(0, 0, 0)),
    )
    return segment_chart(rows, "s", ChartContext(size="slide"))


def test_mean_values_and_intervals_keep_their_own_scale(mean_chart):
    rows = mean_chart.rows.reset_index(drop=True)
    assert rows["estimate"].tolist() == pytest.approx([3.125, 3.5, 2.75])
    deck = Presentation(io.BytesIO(deck_pptx([mean_chart], native=True)))
    [frame] = [s for s in deck.slides[0].shapes if s.has_chart]
    chart = frame.chart
    [series] = chart.plots[0].series
    assert list(series.values) == pytest.approx(rows["estimate"].tolist())
    plus = [float(v.text) for v in series._element.findall(f"{C}errBars/{C}plus//{C}v")]
    assert plus == pytest.approx((rows["ci_high"] - rows["estimate"]).tolist())
    axis = chart.value_axis
    assert axis.maximum_scale == 4.0  # the next whole score above every interval
    assert axis.axis_title.text_frame.text == "Mean score"
    assert axis.tick_labels.number_format == "0.0"
    labels = series._element.find(f"{C}dLbls/{C}numFmt")
    assert labels.get("formatCode") == "0.0"  # not a percentage
