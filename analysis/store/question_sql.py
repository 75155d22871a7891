"""Each answer, NET and mean of a wave's own questions as portable SQL values.

:func:`question_values` writes, for every question of a wave's questionnaire,
the per-respondent values :func:`analysis.table.answers.answer_values` reads
from the rows, as SQL expressions over the wave's table, keyed as the rows
key them (``"q=2"``, ``"q=4+5"``, ``"q:mean"``), so the store's sums scan
(:mod:`analysis.store.sums`) computes them beside the library's metrics:

- a single-choice or scale answer is 1 for that answer, 0 for another
  counted one and NULL otherwise (no answer, a "don't know"-type answer, a
  code the questionnaire does not list), and a scale's top-2 and bottom-2
  boxes likewise;
- a scale's mean scores its codes' numbers (by the answers' order when a
  code is not a number), a numeric question's mean its values;
- a multi-select option is 1 when ticked and 0 when not, among those who saw
  the set, less those whose only ticks are excluded options.

A question whose columns are missing, or of a type the rows would not read
the same way, is left out: its views read the rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from analysis.store.metric_sql import DOUBLE, is_numeric, matches, quoted
from analysis.store.questionnaire import Answer, Question, Questionnaire

MEAN_KEY = "mean"
"""The suffix of a mean's key (``"q:mean"``), as :data:`analysis.table.answers.MEAN`."""


def answer_key(question: Question, codes: Sequence[str]) -> str:
    """The key of one answer or NET of codes, as the rows' route names it."""
    return f"{question.id}={'+'.join(codes)}"


def mean_key(question: Question) -> str:
    """The key of a question's mean score."""
    return f"{question.id}:{MEAN_KEY}"


def question_values(
    questionnaire: Questionnaire, types: Mapping[str, str]
) -> dict[str, str]:
    """Key → SQL value of every answer, NET and mean the wave's questions have.

    ``types`` gives each column of the wave's table its SQL type.
    """
    out: dict[str, str] = {}
    for question in questionnaire.questions:
        columns = question.columns or (question.id,)
        if any(c not in types for c in columns):
            continue
        if question.type in ("single", "scale"):
            out |= _choice_values(question, quoted(columns[0]), types[columns[0]])
        elif question.type == "multi" and all(is_numeric(types[c]) for c in columns):
            out |= _multi_values(question, [quoted(c) for c in columns])
        elif question.type == "numeric" and is_numeric(types[columns[0]]):
            out[mean_key(question)] = f"CAST({quoted(columns[0])} AS {DOUBLE})"
    return out


def _choice_values(question: Question, column: str, kind: str) -> dict[str, str]:
    """Each counted answer, the scale's boxes and its mean, from one code column."""
    tests = {a.code: matches(column, kind.upper(), a.code) for a in question.answers}
    counted = [a for a in question.counted if tests[a.code] is not None]
    if not counted:
        return {}

    def share(codes: Sequence[str]) -> str:
        yes = " OR ".join(str(tests[c]) for c in codes) or "1 = 0"
        base = " OR ".join(str(tests[a.code]) for a in counted)
        return f"CASE WHEN {yes} THEN 1 WHEN {base} THEN 0 END"

    out = {answer_key(question, (a.code,)): share((a.code,)) for a in counted}
    for codes in question.nets().values():
        out[answer_key(question, codes)] = share(codes)
    if question.type == "scale":
        whens = " ".join(
            f"WHEN {tests[a.code]} THEN CAST({score!r} AS {DOUBLE})"
            for a, score in _scores(question.counted).items()
            if tests[a.code] is not None
        )
        out[mean_key(question)] = f"CASE {whens} END"
    return out


def _scores(counted: Sequence[Answer]) -> dict[Answer, float]:
    """A scale's scores: its codes' numbers, else its order from 1."""
    try:
        return {a: float(a.code) for a in counted}
    except ValueError:  # codes that are words
        return {a: float(i) for i, a in enumerate(counted, start=1)}


def _multi_values(question: Question, columns: Sequence[str]) -> dict[str, str]:
    """Each counted option's tick among those who saw the set (see the module)."""
    ticks = [f"CASE WHEN {c} = 1 THEN 1 ELSE 0 END" for c in columns]
    pairs = list(zip(ticks, question.answers, strict=True))
    counted = [t for t, a in pairs if not a.excluded]
    excluded = [t for t, a in pairs if a.excluded]
    seen = " OR ".join(f"{c} IS NOT NULL" for c in columns)
    base = f"({seen})"
    if excluded and counted:
        base += f" AND NOT ({' + '.join(excluded)} > 0 AND {' + '.join(counted)} = 0)"
    elif excluded:
        base += f" AND {' + '.join(excluded)} = 0"
    return {
        answer_key(question, (a.code,)): f"CASE WHEN {base} THEN {tick} END"
        for tick, a in pairs
        if not a.excluded
    }
