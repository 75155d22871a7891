"""A chart of a wave's own question speaks in that question's words."""

import io
import re
from pathlib import Path

import pandas as pd
import pytest

from analysis.errors import SurveyDataError
from analysis.figures.chart import ChartContext
from analysis.figures.segment import segment_chart
from analysis.ingest.questionnaire import Overrides, detect_questionnaire
from analysis.ingest.readers import read_survey
from analysis.slides.render import find_browser, slide_png
from analysis.store.questionnaire import Answer, Design, Question, Questionnaire
from analysis.table.letters import with_segment_letters
from analysis.table.questions import question_rows

CES = Path(__file__).parents[1] / "data" / "ingest" / "public" / "ces11.sav"
TEXT = "Should abortion be banned?"


@pytest.fixture(scope="module")
def ces_rows(codebook):
    """CES 2011 abortion answers by province (the strata), lettered."""
    opts = Overrides(strata="province", segments=("province",))
    detection = detect_questionnaire(read_survey(CES), codebook, overrides=opts)
    rows = question_rows(
        detection.respondents,
        detection.questionnaire,
        "abortion",
        by="region",
        wave="CES-2011",
    )
    return with_segment_letters(rows)


def _insight_stems(codebook):
    """Each library insight's fixed words (around its {value})."""
    stems = []
    for metric in codebook.metrics.values():
        for text in (metric.insight.en, metric.insight.fr):
            stems += [p.strip() for p in text.split("{value}") if len(p.strip()) > 8]
    return stems


def test_the_ces_chart_is_titled_with_its_own_question(ces_rows, codebook):
    chart = segment_chart(ces_rows, "abortion", answer="yes")
    assert chart.text.title == f"18% answer “Yes” to “{TEXT}”"
    assert TEXT in chart.text.subtitle
    words = chart.text.title + chart.text.subtitle + chart.text.footnote
    assert not [s for s in _insight_stems(codebook) if s in words]
    assert set(chart.rows["answer"]) == {"Yes"}
    assert chart.rows["segment_value"].tolist()[0] == "total"
    assert len(chart.rows) == 11  # the total and ten provinces


def test_french_words_around_the_files_own_question(ces_rows):
    chart = segment_chart(ces_rows, "abortion", ChartContext(lang="fr"), answer="Yes")
    assert chart.text.title.startswith("18\u202f% répondent «\u00a0Yes\u00a0» à «")
    assert TEXT in chart.text.title


def test_a_question_with_several_answers_needs_one_named(ces_rows):
    with pytest.raises(
        SurveyDataError, match=r"choose one answer .*\(answers: No, Yes\)"
    ):
        segment_chart(ces_rows, "abortion")


def test_the_footnote_names_the_answers_left_out_of_the_base():
    q = Question(
        "q",
        "Would you?",
        "single",
        (Answer("1", "Yes"), Answer("2", "No"), Answer("9", "Not sure", excluded=True)),
    )
    data = pd.DataFrame({"q": ["1", "2", "9", "1"] * 30, "weight": 1.0})
    wave = Questionnaire((q,), design=Design(weight="weight"))
    rows = question_rows(data, wave, "q", answers=["Yes"], wave="W")
    chart = segment_chart(rows, "q")
    assert "Left out of the base: “Not sure”" in chart.text.footnote
    assert chart.text.title == "67% answer “Yes” to “Would you?”"


def test_a_mean_is_titled_as_a_score():
    q = Question(
        "s", "How much?", "scale", tuple(Answer(str(i), str(i)) for i in range(1, 6))
    )
    data = pd.DataFrame({"s": ["1", "5", "4", "4"] * 30})
    rows = question_rows(data, Questionnaire((q,)), "s", mean=True, wave="W")
    chart = segment_chart(rows, "s")
    assert chart.text.title == "Mean score 3.5 for “How much?”"
    assert chart.text.subtitle == "How much? — mean score"


@pytest.mark.browser
@pytest.mark.skipif(find_browser() is None, reason="PNG export needs Chromium")
def test_the_ces_slide_renders(ces_rows, tmp_path):
    from PIL import Image, ImageStat

    chart = segment_chart(
        ces_rows, "abortion", ChartContext(size="slide"), answer="Yes"
    )
    png = slide_png(chart)
    image = Image.open(io.BytesIO(png))
    assert image.size == (1920, 1080)
    assert ImageStat.Stat(image.convert("L")).var[0] > 100
    assert re.search(r"abortion", chart.text.filename)
