"""The library's metrics on a wave through its questions' links.

A wave keeps its answers in the file's codes; a question linked to a library
question carries, on each answer, the library's code for it
(:attr:`~analysis.store.questionnaire.Answer.link_code`: a file coding
1 = No, 2 = Yes maps to the library's 1 = Yes, 2 = No). :func:`library_frame`
recodes the linked questions into library-coded columns, named by the
library question, so :func:`analysis.library.scoring.metric_values` — the one
place base rules live — scores them exactly as it scores a wave mapped onto
the codebook. A metric whose questions are not all linked is not computed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.library.codebook import Codebook, Metric, load_codebook
from analysis.library.scoring import metric_values
from analysis.methods import LonelyPSU
from analysis.stats.intervals import FloatArray
from analysis.store.questionnaire import Question, Questionnaire
from analysis.table.answers import stored_codes, stored_columns
from analysis.table.estimate import respondent_table
from analysis.table.questions import design_columns
from analysis.table.rows import EstimateOptions


def library_frame(
    respondents: pd.DataFrame, questionnaire: Questionnaire
) -> pd.DataFrame:
    """One column per linked library question, holding library codes (floats).

    An answer without a library code (a code the library does not have) is
    missing, as an unanswered question is. When two questions link to the
    same library question, the first one in the questionnaire is used.
    """
    columns: dict[str, FloatArray] = {}
    for question in questionnaire.questions:
        if _codable(question) and question.link not in columns:
            assert question.link is not None  # _codable checked it
            columns[question.link] = _library_codes(respondents, question)
    return pd.DataFrame(columns, index=respondents.index)


def _codable(question: Question) -> bool:
    """Linked, one stored column, and answers that carry library codes."""
    return (
        question.link is not None
        and question.type in ("single", "scale")
        and len(stored_columns(question)) == 1
        and any(a.link_code is not None for a in question.answers)
    )


def _library_codes(respondents: pd.DataFrame, question: Question) -> FloatArray:
    lookup = {
        a.code: float(a.link_code) for a in question.answers if a.link_code is not None
    }
    codes = stored_codes(respondents[stored_columns(question)[0]])
    return np.array([lookup.get(c, np.nan) for c in codes], dtype=np.float64)


def linked_metrics(
    questionnaire: Questionnaire, codebook: Codebook | None = None
) -> tuple[Metric, ...]:
    """The library metrics every question of which a question of the wave links."""
    book = codebook or load_codebook()
    linked = {q.link for q in questionnaire.questions if _codable(q)}
    return tuple(m for m in book.metrics.values() if set(m.questions) <= linked)


def library_values(
    respondents: pd.DataFrame,
    questionnaire: Questionnaire,
    codebook: Codebook | None = None,
) -> dict[str, FloatArray]:
    """Metric id → each respondent's value, for every metric the links allow."""
    frame = library_frame(respondents, questionnaire)
    return {
        m.id: metric_values(frame, m) for m in linked_metrics(questionnaire, codebook)
    }


def library_rows(
    respondents: pd.DataFrame,
    questionnaire: Questionnaire,
    metrics: Sequence[str] | None = None,
    *,
    by: Sequence[str] = (),
    options: EstimateOptions | None = None,
    codebook: Codebook | None = None,
    wave: str = "",
    lonely_psu: LonelyPSU = "fail",
) -> pd.DataFrame:
    """EstimateTable rows of library metrics on a wave, on the wave's design.

    ``metrics`` defaults to every metric the links allow; naming one whose
    questions are not all linked is an error that says which are missing.
    ``by`` names segment columns of ``respondents``.
    """
    book = codebook or load_codebook()
    usable = {m.id: m for m in linked_metrics(questionnaire, book)}
    wanted = list(metrics) if metrics is not None else list(usable)
    for metric_id in wanted:
        if metric_id not in usable:
            metric = book.metric(metric_id)
            linked = {q.link for q in questionnaire.questions if _codable(q)}
            absent = [q for q in metric.questions if q not in linked]
            raise SurveyDataError(
                f"metric {metric_id!r} needs library question(s) {absent}, "
                "which no question of this wave links to"
            )
    if not wanted:
        raise SurveyDataError(
            "no library metric can be computed: no question of this wave is "
            "linked to the library questions a metric needs"
        )
    chosen = [usable[m] for m in wanted]
    frame = library_frame(respondents, questionnaire)
    return respondent_table(
        respondents,
        chosen,
        by,
        options=options,
        wave=wave,
        values={m.id: metric_values(frame, m) for m in chosen},
        design=design_columns(questionnaire, lonely_psu),
    )
