"""``estimate --wave W``: the store's side of the command.

Three kinds of request on a stored wave:

- ``--question Q`` (with ``--answer``, ``--mean``, ``--by``): any question of
  the wave's own questionnaire, by :func:`analysis.table.questions.question_rows`;
- ``--metric ID`` naming an analyst's stored metric: its question's NET share;
- ``--metric M`` naming library metrics: :func:`analysis.table.estimate.estimate`,
  which reads a wave in its own codes through its questions' links.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

import pandas as pd

from analysis.cli.options import weighting_choice
from analysis.cli.output import emit_rows
from analysis.errors import SurveyDataError
from analysis.store.metrics import AnalystMetric
from analysis.store.questionnaire import Question, Questionnaire
from analysis.store.wave_store import WaveStore
from analysis.table.questions import (
    QUESTION_KEYS,
    design_columns,
    question_records,
    question_rows,
)
from analysis.table.rows import EstimateOptions
from analysis.table.weighted import chosen_weighting


def options(args: argparse.Namespace) -> EstimateOptions:
    """The interval method, level and weighting the command line asks for."""
    weighted, weighting = weighting_choice(args)
    return EstimateOptions(
        method=args.ci, level=args.level, weighted=weighted, weighting=weighting
    )


def run_question(store: WaveStore, args: argparse.Namespace) -> int:
    """``--question Q``: the answers, a NET or the mean, total first then ``--by``."""
    if args.metric:
        raise SurveyDataError("give --question or --metric, not both")
    if len(args.by) > 1:
        raise SurveyDataError("with --question, --by takes one variable")
    rows = weighted_question_rows(
        store,
        args.wave,
        args.question,
        options(args),
        answers=args.answer or None,
        mean=args.mean,
        by=args.by[0] if args.by else None,
    )
    emit_rows(question_records(rows), QUESTION_KEYS, args.format)
    return 0


def analyst_metrics(store: WaveStore, asked: Sequence[str]) -> list[AnalystMetric]:
    """The asked ids that are analysts' stored metrics (the rest: the library's)."""
    stored = {m.id: m for m in store.metrics()}
    return [stored[m] for m in asked if m in stored]


def run_metric(
    store: WaveStore, args: argparse.Namespace, metric: AnalystMetric
) -> int:
    """An analyst's metric on a wave: its answers' NET share of its question."""
    if args.answer or args.mean:
        raise SurveyDataError("--answer and --mean apply to --question, not --metric")
    questionnaire = store.questionnaire(args.wave)
    source = store.questionnaire(metric.wave).question(metric.question)
    question = bound_question(questionnaire, source, metric, args.wave)
    rows = weighted_question_rows(
        store,
        args.wave,
        question.id,
        options(args),
        answers=list(metric.answers),
        by=args.by[0] if args.by else None,
    )
    emit_rows(question_records(rows), QUESTION_KEYS, args.format)
    return 0


def weighted_question_rows(
    store: WaveStore, wave: str, question: str, opts: EstimateOptions, **asked: Any
) -> pd.DataFrame:
    """:func:`question_rows` of a stored wave under the weighting ``opts`` asks for.

    The stored weighting (:func:`chosen_weighting`, as the dashboard's
    question view picks it) gives the weights and calibration SEs; each row's
    ``weighting`` names it. ``asked``: ``question_rows``' answers, mean, nets, by.
    """
    respondents = store.load_respondents([wave])
    questionnaire = store.questionnaire(wave)
    columns = design_columns(questionnaire)
    chosen = chosen_weighting(store, wave, respondents, columns, opts)
    rows = question_rows(
        respondents,
        questionnaire,
        question,
        options=opts,
        wave=wave,
        calibration=chosen.calibration,
        **asked,
    )
    return chosen.mark(rows)


def bound_question(
    questionnaire: Questionnaire, source: Question, metric: AnalystMetric, wave: str
) -> Question:
    """The wave's question a metric counts: its own, or one linked to it."""
    for question in questionnaire.questions:
        same_link = source.link is not None and question.link == source.link
        if question.id == source.id or same_link or question.tracks == source.id:
            return question
    raise SurveyDataError(
        f"metric {metric.id!r} counts question {source.id!r} of wave "
        f"{metric.wave}; wave {wave} has no question linked to it"
    )
