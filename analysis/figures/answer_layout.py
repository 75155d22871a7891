"""Where each answer of a question goes on its chart: sides of a scale, or bars.

An :class:`AnswerLayout` is read once from a question and the EstimateTable
rows of its answers (:func:`analysis.table.questions.question_rows`); the
picture (:mod:`analysis.figures.answers`) and the native PowerPoint chart
(:mod:`analysis.slides.native_answers`) both draw from it, so they put the
same answer on the same side.

- A scale is a **diverging** bar: its lower half left of zero (the answer
  next to the middle nearest zero), its upper half right, the middle answer
  of an odd scale aside in its own panel. Each end carries the share of its
  whole side — the side's NET (:meth:`Question.nets
  <analysis.store.questionnaire.Question.nets>`: bottom-2 / top-2 on 4- and
  5-point scales, bottom-3 / top-3 on 7-point ones…) or its one answer —
  and that share's interval, when the rows hold it.
- A single-choice question or a multi-select set is **bars**: one group per
  answer, one bar per segment value after the total — or, past
  :data:`MAX_SERIES` segments (a colour each would be a rainbow), one group
  per segment, one bar per answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from analysis.errors import SurveyDataError
from analysis.store.questionnaire import Question
from analysis.store.wave import TOTAL
from analysis.table.answers import MEAN, NET_SEPARATOR, answer_label

AnswerKind = Literal["diverging", "bars"]
MAX_SERIES = 4
"""The most segments (total included) drawn as coloured bars within an answer."""
Segment = tuple[str, str]
"""A segment as ``(segment_var, segment_value)``; the total is ``("total", …)``."""


@dataclass(frozen=True)
class AnswerLayout:
    """What goes where on a chart of one question's answers.

    ``negative`` lists a scale's lower answers from the middle outwards (the
    order they stack away from zero), ``positive`` its upper answers likewise;
    ``low_end`` / ``high_end`` are the ``answer`` of the row that is that
    whole side, whose value and interval the bar's end carries (None when the
    rows hold no such row); ``low_net`` / ``high_net`` the same when it is a
    NET of several answers (None on a 3-point scale or without NETs).
    """

    question: str
    kind: AnswerKind
    answers: tuple[str, ...]
    segments: tuple[Segment, ...]
    negative: tuple[str, ...] = ()
    neutral: str | None = None
    positive: tuple[str, ...] = ()
    low_end: str | None = None
    high_end: str | None = None
    low_net: str | None = None
    high_net: str | None = None

    @property
    def by_answer(self) -> bool:
        """Bars grouped by answer (a colour per segment), else by segment."""
        return self.kind == "bars" and len(self.segments) <= MAX_SERIES


def answer_layout(rows: pd.DataFrame, question: Question) -> AnswerLayout:
    """The layout of ``rows`` (one question, one wave) for ``question``.

    A scale needs a row for each of its counted answers; a mean's rows are
    left to the segment chart.
    """
    shown = rows[rows["answer"].astype(str) != MEAN]
    present = list(dict.fromkeys(shown["answer"].astype(str)))
    segments = tuple(
        dict.fromkeys(
            zip(
                shown["segment_var"].astype(str),
                shown["segment_value"].astype(str),
                strict=True,
            )
        )
    )
    if question.type != "scale":
        return AnswerLayout(question.id, "bars", tuple(present), segments)
    points = [answer_label(a) for a in question.counted]
    missing = [p for p in points if p not in present]
    if missing:
        raise SurveyDataError(
            f"question {question.id!r}: a scale's chart needs every answer; the "
            f"rows lack {', '.join(missing)} (estimate the question without "
            "answers=, with nets=True for its NETs)"
        )
    half = len(points) // 2
    low, high = points[:half], points[len(points) - half :]
    low_end, high_end = _side_row(low, present), _side_row(high, present)
    return AnswerLayout(
        question.id,
        "diverging",
        tuple(points),
        segments,
        negative=tuple(reversed(low)),
        neutral=points[half] if len(points) % 2 else None,
        positive=tuple(high),
        low_end=low_end,
        high_end=high_end,
        low_net=low_end if half > 1 else None,
        high_net=high_end if half > 1 else None,
    )


def _side_row(side: Sequence[str], present: Sequence[str]) -> str | None:
    """The answer (one, or a NET) that is exactly this side, if the rows hold it."""
    name = NET_SEPARATOR.join(side)
    return name if name in present else None


def segment_rows(rows: pd.DataFrame, segment: Segment) -> pd.DataFrame:
    """The rows of one segment, indexed by answer."""
    var, value = segment
    mine = rows[
        (rows["segment_var"].astype(str) == var)
        & (rows["segment_value"].astype(str) == value)
    ]
    return mine.set_index(mine["answer"].astype(str))


def is_total(segment: Segment) -> bool:
    """Whether the segment is the total column."""
    return segment[0] == TOTAL


def answer_row(table: pd.DataFrame, answer: str | None) -> pd.Series | None:
    """The row of ``answer`` in a :func:`segment_rows` table; None when absent."""
    if answer is None or answer not in table.index:
        return None
    found = table.loc[[answer]]
    return found.iloc[0]
