"""A wave's own questions as the pages show them: every answer, its NETs, its mean.

:func:`question_table` is what a page asks of one question: the shares of its
counted answers (a multi-select set: of its options), a scale's top-2 and
bottom-2 boxes and its mean score, a numeric question's mean — all from
:func:`analysis.table.questions.question_rows`, so the page shows exactly
what ``estimate --wave W --question Q`` prints. :func:`aligned_rows` puts an
earlier wave's rows of a tracked question under the current question's keys,
so a trend reads one line per answer across waves.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import pandas as pd

from analysis.ingest.wording import fold
from analysis.library.codebook import Codebook, load_codebook
from analysis.stats.weighting import Weighting
from analysis.store.questionnaire import Question, Questionnaire
from analysis.store.questionnaires import library_coded
from analysis.table.answers import MEAN
from analysis.table.library import linked_metrics
from analysis.table.questions import EXCLUDED, question_rows
from analysis.table.rows import EstimateOptions

CHARTABLE = ("single", "scale", "multi", "numeric")
"""Question types a page can chart (open text is never stored)."""


def chartable(questionnaire: Questionnaire) -> tuple[Question, ...]:
    """The questions a page may offer, in the questionnaire's order."""
    return tuple(q for q in questionnaire.questions if q.type in CHARTABLE)


def question_table(
    respondents: pd.DataFrame,
    questionnaire: Questionnaire,
    question_id: str,
    *,
    by: Sequence[str] = (),
    filters: Mapping[str, Sequence[str]] | None = None,
    options: EstimateOptions | None = None,
    wave: str = "",
    calibration: Weighting | None = None,
) -> pd.DataFrame:
    """Every row a page shows of one question: answers, NETs, then the mean.

    A scale gets its answers, its top-2 and bottom-2 boxes (four points or
    more) and its mean score; a numeric question its mean; a single-choice
    question or a multi-select set the share of each answer or option.
    "Don't know"-type answers leave the base, named in
    ``attrs["excluded_answers"]``. ``calibration``: a stored weighting's
    (:func:`analysis.table.weighted.chosen_weighting`), for calibration SEs.
    """
    question = questionnaire.question(question_id)
    common = {
        "by": list(by),
        "filters": filters,
        "options": options,
        "wave": wave,
        "calibration": calibration,
    }
    parts = [
        question_rows(
            respondents,
            questionnaire,
            question_id,
            **ask,  # type: ignore[arg-type]
            **common,  # type: ignore[arg-type]
        )
        for ask in table_parts(question)
    ]
    return joined_parts(parts)


def table_parts(question: Question) -> list[dict[str, bool]]:
    """What :func:`question_table` asks of ``question_rows``, part by part.

    The answers (a scale's with its boxes), then a scale's or numeric
    question's mean.
    """
    parts = []
    if question.type != "numeric":
        parts.append({"nets": question.type == "scale"})
    if question.type in ("scale", "numeric"):
        parts.append({"mean": True})
    return parts


def joined_parts(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """The parts' rows one after the other, their attrs merged."""
    table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    table.attrs = _merged_attrs(parts)
    return table


def _merged_attrs(parts: Sequence[pd.DataFrame]) -> dict[Hashable, Any]:
    """The parts' attrs together (their dicts — covariances, exclusions — merged)."""
    merged: dict[Hashable, Any] = {}
    for part in parts:
        for key, value in part.attrs.items():
            before = merged.get(key)
            if isinstance(before, dict) and isinstance(value, dict):
                merged[key] = {**before, **value}
            else:
                merged[key] = value
    return merged


def library_metrics(
    questionnaire: Questionnaire, codebook: Codebook | None = None
) -> tuple[str, ...]:
    """The library metrics a wave answers: in the library's codes, or by links."""
    book = codebook or load_codebook()
    if library_coded(questionnaire) or not questionnaire.questions:
        held = {q.id for q in questionnaire.questions}
        return tuple(m.id for m in book.metrics.values() if set(m.questions) <= held)
    return tuple(m.id for m in linked_metrics(questionnaire, book))


def answers_shown(table: pd.DataFrame) -> list[str]:
    """The answers (NETs, mean) of a question table, in the table's order."""
    return list(dict.fromkeys(table["answer"].astype(str)))


def aligned_rows(
    earlier: pd.DataFrame, current: pd.DataFrame, question: Question
) -> pd.DataFrame:
    """An earlier wave's rows of a tracked question, keyed as ``current``'s.

    An answer is the same when its folded label is (a NET: all its labels;
    the mean: the mean); an answer the current question no longer has is
    left out, and the trend flags the change of answers.
    """
    keys = {
        fold(answer): metric
        for answer, metric in zip(current["answer"], current["metric"], strict=True)
    }
    mapped = earlier["answer"].astype(str).map(lambda a: keys.get(fold(a)))
    rows = earlier[mapped.notna()].assign(
        metric=mapped[mapped.notna()],
        question=question.id,
        question_text=question.text,
    )
    rows.attrs = dict(earlier.attrs)
    return rows


def is_mean(answer: str) -> bool:
    """Whether a question table's answer is its mean score."""
    return answer == MEAN


def excluded(table: pd.DataFrame) -> tuple[str, ...]:
    """The labels of the answers left out of the base, for the footnote."""
    found: dict[str, tuple[str, ...]] = table.attrs.get(EXCLUDED, {})
    return tuple(label for labels in found.values() for label in labels)
