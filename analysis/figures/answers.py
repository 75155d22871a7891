"""Charts of a question's answers: a diverging bar for a scale, bars for the rest.

Use::

    rows = question_rows(respondents, questionnaire, "q", nets=True, by="gender")
    chart = answer_chart(with_segment_letters(rows), questionnaire.question("q"),
                         ChartContext(lang="fr", waves=[info]))

:func:`answer_chart` takes the EstimateTable rows of one question
(:func:`analysis.table.questions.question_rows`, any ``by``, letters optional)
and that :class:`~analysis.store.questionnaire.Question`, and returns a
:class:`~analysis.figures.chart.Chart` like every other builder: the page
shows ``chart.figure`` (camera button: :func:`analysis.figures.camera.plotly_config`),
and the PNG, PPTX (``native=True``: a stacked or clustered PowerPoint chart
with its data sheet, :mod:`analysis.slides.native_answers`) and PDF exports
take the Chart as it is. ``chart.answers`` says where each answer went.

- A **scale** is a diverging stacked bar per segment (the total first): the
  lower answers left of zero, the higher right, the middle answer of an odd
  scale in its own panel aside; each end carries the share of its whole
  side with its letters and its interval as a whisker: the side's NET
  (bottom-2 / top-2 on 4- and 5-point scales, bottom-3 / top-3 on 7-point
  ones; estimate with ``nets=True``), or its one answer on a 3-point scale.
- A **single-choice** question or a **multi-select** set is bars: one group
  per answer, one bar per segment value after the total, each with its
  interval, its value and the letters of the segments it beats.

The title is the question's own text, never a library metric's insight; the
bases are under each segment's name; the footnote gives the base, the
answers left out of the base ("don't know"), the interval's wording for the
sample type (:mod:`analysis.figures.sampling`), fieldwork and source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from analysis.errors import SurveyDataError
from analysis.figures.answer_bars import bars_figure
from analysis.figures.answer_layout import AnswerLayout, answer_layout
from analysis.figures.chart import Chart, ChartContext
from analysis.figures.diverging import diverging_figure
from analysis.figures.layout import safe_filename
from analysis.figures.parts import finished_chart, only_wave, segment_notes
from analysis.figures.question import question_notes
from analysis.figures.text import SlideText
from analysis.i18n import Words
from analysis.store.questionnaire import Question
from analysis.store.wave import TOTAL
from analysis.table.answers import MEAN

__all__ = ["AnswerLayout", "answer_chart"]

_WORDS = Words(
    {
        "single": ("% giving each answer", "% de réponses pour chaque modalité"),
        "multi": (
            "% ticking each option (base: those asked)",
            "% cochant chaque option (base\u00a0: personnes interrogées)",
        ),
        "scale": (
            "% giving each answer: lower answers left of zero, higher right",
            "% de réponses\u00a0: modalités basses à gauche de zéro, hautes à droite",
        ),
        "by": (", by {var}", ", par {var}"),
        "nets": (
            ". Bar ends: NET {low} and NET {high}",
            ". En bout de barre\u00a0: NET {low} et NET {high}",
        ),
        "quoted": ("“{label}”", "«\u00a0{label}\u00a0»"),
    }
)


def answer_chart(
    rows: pd.DataFrame,
    question: Question,
    context: ChartContext | None = None,
    *,
    wave: str | None = None,
    by: str | Sequence[str] | None = None,
    title: str | None = None,
) -> Chart:
    """A chart of every answer of ``question``, the total and each segment.

    Parameters
    ----------
    rows : pandas.DataFrame
        EstimateTable rows of the question (``question_rows``), possibly with
        ``letter``/``letters`` from ``with_segment_letters``; a mean's rows
        are left out (chart them with ``segment_chart``).
    question : Question
        The wave's question: its type and the order of its answers.
    context : ChartContext, optional
    wave : str, optional
        Needed when the rows hold several waves.
    by : str or sequence of str, optional
        The segment variables to show after the total (default: all).
    title : str, optional
        Replaces the question's text as the title.

    Returns
    -------
    Chart
        With ``answers`` set: the :class:`AnswerLayout` it was drawn from.
    """
    ctx = context or ChartContext()
    wave = only_wave(rows, wave)
    mine = rows[
        (rows["question"].astype(str) == question.id)
        & (rows["wave"].astype(str) == wave)
        & (rows["answer"].astype(str) != MEAN)
    ]
    if by is not None:
        keep = [by] if isinstance(by, str) else list(by)
        mine = mine[mine["segment_var"].isin([TOTAL, *keep])]
    if mine.empty:
        raise SurveyDataError(
            f"the rows hold no answers of question {question.id!r} in wave {wave}"
        )
    mine = mine.reset_index(drop=True)
    layout = answer_layout(mine, question)
    if layout.kind == "diverging":
        drawn = diverging_figure(mine, layout, ctx)
    else:
        drawn = bars_figure(mine, layout, ctx)
    text = SlideText(
        title or question.text,
        _subtitle(mine, question, layout, ctx),
        "",
        safe_filename(question.id, wave, "answers"),
    )
    extra = [*drawn.notes, *segment_notes(mine, ctx), *question_notes(mine, ctx.lang)]
    chart = finished_chart(
        drawn.figure,
        text,
        mine,
        ctx,
        left=drawn.left,
        extra=extra,
        above_plot=drawn.above,
    )
    return replace(chart, answers=layout)


def _subtitle(
    rows: pd.DataFrame, question: Question, layout: AnswerLayout, ctx: ChartContext
) -> str:
    kind = "scale" if layout.kind == "diverging" else question.type
    text = _WORDS(kind if kind in ("multi", "scale") else "single", ctx.lang)
    variables = [v for v in dict.fromkeys(rows["segment_var"].astype(str))]
    named = [ctx.label(v).lower() for v in variables if v != TOTAL]
    if named:
        text += _WORDS("by", ctx.lang, var=", ".join(named))
    if layout.low_net and layout.high_net:
        low, high = (
            _WORDS("quoted", ctx.lang, label=n)
            for n in (layout.low_net, layout.high_net)
        )
        text += _WORDS("nets", ctx.lang, low=low, high=high)
    return text
