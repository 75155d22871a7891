"""The per-respondent values of a banner table's rows, read from a wave.

Each row SPEC (:class:`analysis.table.banner_spec.RowSpec`) becomes one or
more :class:`RowValues`: a question's answers, NETs and mean come from
:func:`analysis.table.answers.answer_values` (which decides every base), a
library metric from :func:`analysis.library.scoring.metric_values` through
the wave's links, an analyst's metric from its question's NET. Nothing is
estimated here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.errors import SurveyDataError
from analysis.library.codebook import Codebook, load_codebook
from analysis.library.scoring import metric_values
from analysis.stats.intervals import FloatArray
from analysis.store.metrics import AnalystMetric
from analysis.store.questionnaire import Question, Questionnaire
from analysis.store.questionnaires import library_coded
from analysis.table.answers import answer_values
from analysis.table.banner_spec import RowSpec
from analysis.table.rows import Scale


@dataclass(frozen=True, eq=False)
class RowValues:
    """One line of a banner table: its SPEC, answer label and each respondent's value.

    ``key`` is unique within the table (the SPEC's position, then the answer).
    """

    key: str
    row: str
    answer: str
    question_text: str
    values: FloatArray
    scale: Scale


def row_values(
    respondents: pd.DataFrame,
    questionnaire: Questionnaire,
    specs: Sequence[RowSpec],
    *,
    codebook: Codebook | None = None,
    analyst_metrics: Sequence[AnalystMetric] = (),
) -> list[RowValues]:
    """Every line of the table, in the order of the SPECs.

    Raises
    ------
    SurveyDataError
        A SPEC names a question or metric this wave does not have (the
        message names it and lists what the wave has).
    """
    out: list[RowValues] = []
    for position, spec in enumerate(specs):
        if spec.kind == "metric":
            lines = _metric_lines(
                respondents, questionnaire, spec, codebook, analyst_metrics
            )
        else:
            lines = _question_lines(respondents, _question(questionnaire, spec), spec)
        out += [
            RowValues(f"{position}|{key}", spec.text, label, text, values, scale)
            for key, label, text, values, scale in lines
        ]
    return out


_Line = tuple[str, str, str, FloatArray, Scale]


def _question(questionnaire: Questionnaire, spec: RowSpec) -> Question:
    found = next((q for q in questionnaire.questions if q.id == spec.target), None)
    if found is None:
        known = ", ".join(q.id for q in questionnaire.questions) or "none"
        raise SurveyDataError(
            f"row {spec.text!r}: no question {spec.target!r} in this wave "
            f"(questions: {known})"
        )
    return found


def _question_lines(
    respondents: pd.DataFrame, question: Question, spec: RowSpec
) -> list[_Line]:
    try:
        if spec.kind == "net":
            values = answer_values(respondents, question, answers=spec.answers)
        elif spec.kind == "mean":
            values = answer_values(respondents, question, mean=True)
        else:
            scale = question.type == "scale"
            values = answer_values(respondents, question, nets=scale)
            if scale:
                values = (*values, *answer_values(respondents, question, mean=True))
    except SurveyDataError as exc:
        raise SurveyDataError(f"row {spec.text!r}: {exc}") from None
    return [(v.key, v.label, question.text, v.values, v.scale) for v in values]


def _metric_lines(
    respondents: pd.DataFrame,
    questionnaire: Questionnaire,
    spec: RowSpec,
    codebook: Codebook | None,
    analyst_metrics: Sequence[AnalystMetric],
) -> list[_Line]:
    own = {m.id: m for m in analyst_metrics}
    if spec.target in own:
        metric = own[spec.target]
        question = _bound(questionnaire, metric)
        net = answer_values(respondents, question, answers=list(metric.answers))[0]
        return [(net.key, metric.label_en, question.text, net.values, "share")]
    book = codebook or load_codebook()
    if spec.target not in book.metrics:
        known = ", ".join([*book.metrics, *own])
        raise SurveyDataError(
            f"row {spec.text!r}: no metric {spec.target!r} (metrics: {known})"
        )
    metric_def = book.metric(spec.target)
    values = _library_values(respondents, questionnaire, book)
    if spec.target not in values:
        raise SurveyDataError(
            f"row {spec.text!r}: this wave has no question linked to the library "
            f"question(s) {list(metric_def.questions)} the metric needs"
        )
    scale: Scale = "index" if metric_def.kind == "index" else "share"
    label = metric_def.label.get("en")
    return [(spec.target, label, label, values[spec.target], scale)]


def _library_values(
    respondents: pd.DataFrame, questionnaire: Questionnaire, book: Codebook
) -> Mapping[str, FloatArray]:
    if library_coded(questionnaire) or not any(q.link for q in questionnaire.questions):
        return {
            m.id: metric_values(respondents, m)
            for m in book.metrics.values()
            if set(m.questions) <= set(respondents.columns)
        }
    from analysis.table.library import library_values  # it imports the estimator

    return library_values(respondents, questionnaire, book)


def _bound(questionnaire: Questionnaire, metric: AnalystMetric) -> Question:
    """The wave's question an analyst's metric counts (same id or same link)."""
    for question in questionnaire.questions:
        if question.id == metric.question or question.tracks == metric.question:
            return question
    raise SurveyDataError(
        f"metric {metric.id!r} counts question {metric.question!r}, which this "
        "wave does not have"
    )


def row_choices(
    questionnaire: Questionnaire,
    columns: Sequence[str],
    *,
    codebook: Codebook | None = None,
    analyst_metrics: Sequence[AnalystMetric] = (),
) -> list[str]:
    """The SPECs a wave offers: its questions, then ``metric:ID`` it can compute."""
    book = codebook or load_codebook()
    questions = [q.id for q in questionnaire.questions if q.type != "text"]
    if library_coded(questionnaire) or not any(q.link for q in questionnaire.questions):
        library = [
            m.id for m in book.metrics.values() if set(m.questions) <= set(columns)
        ]
    else:
        from analysis.table.library import linked_metrics

        library = [m.id for m in linked_metrics(questionnaire, book)]
    own = [m.id for m in analyst_metrics if _answers(questionnaire, m)]
    return [*questions, *(f"metric:{m}" for m in [*library, *own])]


def banner_choices(questionnaire: Questionnaire) -> list[str]:
    """What may be a banner: the segments, then single-choice and scale questions."""
    asked = [q.id for q in questionnaire.questions if q.type in ("single", "scale")]
    return [*questionnaire.segments, *asked]


def _answers(questionnaire: Questionnaire, metric: AnalystMetric) -> bool:
    try:
        _bound(questionnaire, metric)
    except SurveyDataError:
        return False
    return True
