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

import pandas as pd

from analysis.cli.output import emit_rows
from analysis.errors import SurveyDataError
from analysis.stats.weighting import Weighting
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
    if args.unweighted and args.weights is not None:
        raise SurveyDataError("give --weights NAME or --unweighted, not both")
    return EstimateOptions(
        method=args.ci,
        level=args.level,
        weighted=not args.unweighted,
        weighting=args.weights,
    )


def run_question(store: WaveStore, args: argparse.Namespace) -> int:
    """``--question Q``: the answers, a NET or the mean, total first then ``--by``."""
    if args.metric:
        raise SurveyDataError("give --question or --metric, not both")
    if len(args.by) > 1:
        raise SurveyDataError("with --question, --by takes one variable")
    respondents = store.load_respondents([args.wave])
    questionnaire = store.questionnaire(args.wave)
    opts = options(args)
    rows = question_rows(
        respondents,
        questionnaire,
        args.question,
        answers=args.answer or None,
        mean=args.mean,
        by=args.by[0] if args.by else None,
        options=opts,
        wave=args.wave,
        calibration=_calibration(store, args.wave, respondents, questionnaire, opts),
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
    respondents = store.load_respondents([args.wave])
    opts = options(args)
    rows = question_rows(
        respondents,
        questionnaire,
        question.id,
        answers=list(metric.answers),
        by=args.by[0] if args.by else None,
        options=opts,
        wave=args.wave,
        calibration=_calibration(store, args.wave, respondents, questionnaire, opts),
    )
    emit_rows(question_records(rows), QUESTION_KEYS, args.format)
    return 0


def _calibration(
    store: WaveStore,
    wave: str,
    respondents: pd.DataFrame,
    questionnaire: Questionnaire,
    opts: EstimateOptions,
) -> Weighting | None:
    """The stored weighting asked for (``--weights``; the default), for its SEs."""
    columns = design_columns(questionnaire)
    return chosen_weighting(store, wave, respondents, columns, opts).calibration


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
