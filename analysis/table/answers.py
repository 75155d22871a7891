"""Per-respondent values of a wave's question: one 0/1 column per answer, NET or mean.

What :func:`analysis.table.rows.estimate_rows` takes as ``values``, read from
stored respondent columns as :mod:`analysis.store.questionnaire` lays them
out. The base of every value is decided here, once:

- a single-choice or scale question counts the respondents whose answer is a
  counted one: no answer, a "don't know"-type (``excluded``) answer or a code
  the questionnaire does not list leaves the base (NaN);
- a multi-select set counts those who saw it (any option not missing); an
  unticked option in a seen set is a 0, and a respondent whose only ticks are
  excluded options ("don't know") leaves the base;
- a mean scores a scale by its codes' numbers (by the answers' order, 1 to k,
  when a code is not a number) and a numeric question by its values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.stats.intervals import FloatArray
from analysis.store.questionnaire import Answer, Question, Questionnaire
from analysis.table.rows import Scale

MEAN = "mean"
"""The ``answer`` of a mean score's rows."""
NET_SEPARATOR = " + "
"""Joins the labels of a NET's answers in its ``answer``."""
NAMED_NETS = ("top2", "bottom2")
"""NETs an analyst may name instead of answers (a scale's top and bottom boxes)."""

Objects = npt.NDArray[np.object_]


@dataclass(frozen=True, eq=False)
class AnswerValues:
    """One answer, NET or mean of a question, and each respondent's value of it.

    ``key`` names it in the EstimateTable's ``metric`` column (unique within
    the wave: ``"q=2"``, ``"q=4+5"``, ``"q:mean"``); ``label`` is its
    ``answer``; ``values`` are 0/1 (shares) or scores (means), NaN outside
    the base.
    """

    key: str
    label: str
    codes: tuple[str, ...]
    values: FloatArray
    scale: Scale


def answer_label(answer: Answer) -> str:
    """How an answer is shown: its label, or its code when it has none."""
    return answer.label.strip() or answer.code


def stored_columns(question: Question) -> tuple[str, ...]:
    """The question's stored columns (its id when the questionnaire names none)."""
    return question.columns or (question.id,)


def excluded_labels(question: Question) -> tuple[str, ...]:
    """The labels of the answers left out of the base ("don't know", …)."""
    return tuple(answer_label(a) for a in question.answers if a.excluded)


def answer_values(
    respondents: pd.DataFrame,
    question: Question,
    *,
    answers: Sequence[str] | None = None,
    mean: bool = False,
    nets: bool = False,
) -> tuple[AnswerValues, ...]:
    """The values to estimate for one question (see the module docstring).

    Parameters
    ----------
    respondents : pandas.DataFrame
        Stored respondent rows holding the question's columns.
    question : Question
    answers : sequence of str, optional
        Labels or codes (case-insensitive), or a named NET (``top2``,
        ``bottom2``): one NET of all of them. Default: every counted answer.
    mean : bool
        The mean score of a scale or numeric question instead of shares.
    nets : bool
        Also the top-2 and bottom-2 boxes of a scale (after its answers).
    """
    missing = [c for c in stored_columns(question) if c not in respondents.columns]
    if missing:
        raise SurveyDataError(
            f"question {question.id!r}: no stored column(s) {missing} in this wave"
        )
    if question.type == "text":
        raise SurveyDataError(
            f"question {question.id!r} is open text: it has no answers to count"
        )
    if answers and question.type == "numeric":
        raise SurveyDataError(
            f"question {question.id!r} is numeric: it has a mean, no answers to count"
        )
    if mean or question.type == "numeric":
        if answers:
            raise SurveyDataError(
                f"question {question.id!r}: choose answers or the mean, not both"
            )
        return (_mean(respondents, question),)
    ticks = _Ticks.read(respondents, question)
    if answers:
        return (ticks.net(_chosen(question, answers)),)
    single = [ticks.net((a,)) for a in question.counted]
    boxes = question.nets() if nets else {}
    extra = [ticks.net(_chosen(question, [name])) for name in boxes]
    return (*single, *extra)


def _chosen(question: Question, keys: Sequence[str]) -> tuple[Answer, ...]:
    """The answers named by label, code or NET name, in the question's order."""
    named: set[str] = set()
    for key in keys:
        box = question.nets().get(str(key).strip().casefold())
        try:
            found = [question.answer(key)]
        except SurveyDataError:
            if box is None:
                raise
            found = [question.answer(code) for code in box]
        for answer in found:
            if answer.excluded:
                raise SurveyDataError(
                    f"question {question.id!r}: answer {answer_label(answer)!r} is "
                    "left out of the base (don't know-type), so it has no share"
                )
            named.add(answer.code)
    return tuple(a for a in question.answers if a.code in named)


@dataclass(frozen=True, eq=False)
class _Ticks:
    """Who chose which answer (one column per answer) and who is in the base."""

    question: Question
    chosen: npt.NDArray[np.bool_]
    base: npt.NDArray[np.bool_]

    @classmethod
    def read(cls, respondents: pd.DataFrame, question: Question) -> _Ticks:
        n = len(respondents)
        counted = np.array([not a.excluded for a in question.answers], dtype=bool)
        if question.type == "multi":
            matrix = np.column_stack(
                [_numbers(respondents[c]) for c in stored_columns(question)]
            )
            chosen = matrix == 1.0
            seen = np.isfinite(matrix).any(axis=1)
            # ticks on "don't know" alone take a respondent out of the base
            ticked_counted = chosen[:, counted].any(axis=1)
            only_excluded = chosen[:, ~counted].any(axis=1) & ~ticked_counted
            return cls(question, chosen, np.asarray(seen & ~only_excluded))
        # compare each distinct stored value once, then spread by position
        positions, uniques = pd.factorize(
            respondents[stored_columns(question)[0]], use_na_sentinel=True
        )
        keys = np.array([_code_key(u) for u in uniques], dtype=object)
        chosen = np.zeros((n, len(question.answers)), dtype=bool)
        for i, answer in enumerate(question.answers):
            # one flag per distinct value, plus False for a missing one (-1)
            flags = np.append(keys == answer.code, False).astype(bool)
            chosen[:, i] = flags[positions]
        return cls(question, chosen, np.asarray(chosen[:, counted].any(axis=1)))

    def net(self, answers: Sequence[Answer]) -> AnswerValues:
        codes = tuple(a.code for a in answers)
        columns = [i for i, a in enumerate(self.question.answers) if a.code in codes]
        yes = self.chosen[:, columns].any(axis=1).astype(np.float64)
        return AnswerValues(
            key=f"{self.question.id}={'+'.join(codes)}",
            label=NET_SEPARATOR.join(answer_label(a) for a in answers),
            codes=codes,
            values=np.where(self.base, yes, np.nan),
            scale="share",
        )


def _mean(respondents: pd.DataFrame, question: Question) -> AnswerValues:
    if question.type == "numeric":
        values = _numbers(respondents[stored_columns(question)[0]])
    elif question.type == "scale":
        counted = question.counted
        try:
            scores = {a.code: float(a.code) for a in counted}
        except ValueError:  # codes that are words: score by the scale's order
            scores = {a.code: float(i) for i, a in enumerate(counted, start=1)}
        codes = stored_codes(respondents[stored_columns(question)[0]])
        values = np.array([scores.get(c, np.nan) for c in codes], dtype=np.float64)
    else:
        raise SurveyDataError(
            f"question {question.id!r} is {question.type}: only a scale or a "
            "numeric question has a mean score"
        )
    return AnswerValues(f"{question.id}:{MEAN}", MEAN, (), values, "mean")


def stored_codes(series: pd.Series) -> Objects:
    """Answer codes as text (``5``, ``5.0`` and ``"5"`` all ``"5"``); None: missing."""
    positions, uniques = pd.factorize(series, use_na_sentinel=True)
    keys = [_code_key(u) for u in uniques]
    table = np.array([*keys, None], dtype=object)
    codes: Objects = table[np.where(positions < 0, len(keys), positions)]
    return codes


def _code_key(value: object) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _numbers(series: pd.Series) -> FloatArray:
    values: FloatArray = pd.to_numeric(series, errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    return values


def segment_labels(
    respondents: pd.DataFrame, questionnaire: Questionnaire, by: str
) -> pd.Series:
    """The segment each respondent is in: a segment column, or a question's answer.

    A single-choice or scale question used as a segment gives its answers'
    labels, in the question's order (a "don't know" answer is a segment too).
    """
    if by in questionnaire.segments or (
        by in respondents.columns
        and not any(q.id == by for q in questionnaire.questions)
    ):
        if by not in respondents.columns:
            raise SurveyDataError(f"segment {by!r} has no stored column in this wave")
        return respondents[by]
    question = next((q for q in questionnaire.questions if q.id == by), None)
    if question is None:
        choices = [*questionnaire.segments, *(q.id for q in questionnaire.questions)]
        raise SurveyDataError(
            f"no segment or question {by!r} in this wave "
            f"(choose one of: {', '.join(choices) or 'none'})"
        )
    if question.type not in ("single", "scale"):
        raise SurveyDataError(
            f"question {by!r} is {question.type}: only a single-choice or scale "
            "question can split the sample into segments"
        )
    labels = _unique_labels(question.answers)
    codes = stored_codes(respondents[stored_columns(question)[0]])
    shown = [labels.get(c) if c is not None else None for c in codes]
    order = list(dict.fromkeys(labels.values()))
    return pd.Series(
        pd.Categorical(shown, categories=order), index=respondents.index, name=by
    )


def _unique_labels(answers: Sequence[Answer]) -> dict[str, str]:
    """Code → label, a repeated label told apart by its code."""
    seen = [answer_label(a).casefold() for a in answers]
    return {
        a.code: answer_label(a)
        if seen.count(answer_label(a).casefold()) == 1
        else f"{answer_label(a)} ({a.code})"
        for a in answers
    }
