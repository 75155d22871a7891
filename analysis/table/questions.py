"""Any question of a wave as EstimateTable rows: its answers, NETs or mean, by segment.

:func:`question_rows` is R's ``svyby(~answer, ~segment, design, svymean)``
for a question of the wave's own questionnaire: the per-respondent values of
:mod:`analysis.table.answers` go through the one builder,
:func:`analysis.table.rows.estimate_rows`, on the design the questionnaire
stores (weight, strata, PSU, fpc), so a stratified wave gets its stratified
standard errors. The rows carry the usual EstimateTable columns plus
``question``, ``answer`` and ``question_text`` (the question in the file's
words, for a chart's title); ``metric`` names each answer uniquely
(``"q=2"``, ``"q=4+5"``, ``"q:mean"``) so letters and covariances stay per
answer. :func:`question_records` gives the command line's exact rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.methods import LonelyPSU
from analysis.stats.weighting import Weighting
from analysis.store.questionnaire import Question, Questionnaire
from analysis.store.wave import TOTAL
from analysis.table.answers import (
    AnswerValues,
    answer_values,
    excluded_labels,
    segment_labels,
)
from analysis.table.rows import DesignColumns, EstimateOptions, estimate_rows

QUESTION_KEYS = (
    "wave",
    "question",
    "answer",
    "segment_var",
    "segment",
    "n",
    "n_eff",
    "deff",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "method",
    "level",
    "flag",
    "weighting",
)
"""The keys of each row ``estimate --wave W --question Q`` prints, in order."""
EXCLUDED = "excluded_answers"
"""The ``attrs`` key of question id → labels of the answers left out of the base."""


def design_columns(
    questionnaire: Questionnaire, lonely_psu: LonelyPSU = "fail"
) -> DesignColumns:
    """The questionnaire's stored design as :class:`DesignColumns` (None: absent)."""
    d = questionnaire.design
    return DesignColumns(d.weight, d.strata, d.cluster, d.fpc, lonely_psu)


def question_rows(
    respondents: pd.DataFrame,
    questionnaire: Questionnaire,
    question_id: str,
    *,
    answers: Sequence[str] | None = None,
    mean: bool = False,
    nets: bool = False,
    by: str | Sequence[str] | None = None,
    options: EstimateOptions | None = None,
    wave: str = "",
    lonely_psu: LonelyPSU = "fail",
    filters: Mapping[str, Sequence[str]] | None = None,
    calibration: Weighting | None = None,
) -> pd.DataFrame:
    """EstimateTable rows of one question: the total first, then each segment.

    Parameters
    ----------
    respondents : pandas.DataFrame
        The wave's stored respondent rows (design, segment and question columns).
    questionnaire : Questionnaire
        The wave's questionnaire; its ``design`` names the design columns.
    question_id : str
    answers : sequence of str, optional
        Labels or codes (case-insensitive), or ``top2``/``bottom2``: one NET
        row per segment, ``answer`` = the labels joined by ``" + "``.
        Default: one row per counted answer, ``answer`` = its label (its code
        when unlabelled).
    mean : bool
        The mean score of a scale (its codes' numbers) or numeric question,
        ``answer`` = ``"mean"``, ``scale`` = ``"mean"``. A numeric question
        always gives its mean.
    nets : bool
        Add a scale's top-2 and bottom-2 boxes after its answers.
    by : str or sequence of str, optional
        Segment names, or single-choice/scale question ids used as segments.
    options : EstimateOptions, optional
        Interval method and level, weighting, base thresholds.
    wave : str
        Written in the ``wave`` column.
    lonely_psu : {"fail", "adjust", "certainty", "average"}
        R's rule for a stratum with one PSU.
    filters : mapping, optional
        Keep respondents whose segment is among the values given, e.g.
        ``{"region": ["QC"]}``; the others stay in the design, in no domain
        (R's ``subset``), so the standard errors are domain ones.
    calibration : Weighting, optional
        A stored weighting's weights and calibration variables
        (:func:`analysis.table.weighted.chosen_weighting`): calibration SEs.

    Returns
    -------
    pandas.DataFrame
        The EstimateTable columns plus ``question``, ``answer`` and
        ``question_text``; the total rows (``segment_var`` = ``"total"``)
        first, one per answer, then for each segment value its answers.
        "Don't know"-type answers leave the base and get no row; their
        labels are in ``attrs["excluded_answers"][question_id]``. Shares are
        those of the base (for a multi-select set: those who saw it).

    Examples
    --------
    >>> from analysis.store.questionnaire import Answer, Question
    >>> q = Question("q", "Agree?", "single", (Answer("1", "Yes"), Answer("2", "No")))
    >>> wave = Questionnaire((q,))
    >>> rows = pd.DataFrame({"q": ["1", "1", "2", None]})
    >>> opts = EstimateOptions(thresholds=(0, 0, 0))
    >>> question_rows(rows, wave, "q", options=opts)[["answer", "estimate"]].values
    array([['Yes', 0.6666666666666666],
           ['No', 0.3333333333333333]], dtype=object)
    """
    opts = options or EstimateOptions()
    question = questionnaire.question(question_id)
    values = answer_values(respondents, question, answers=answers, mean=mean, nets=nets)
    shown = [by] if isinstance(by, str) else list(by or [])
    segments = {var: segment_labels(respondents, questionnaire, var) for var in shown}
    design = design_columns(questionnaire, lonely_psu).design(
        respondents, weighted=opts.weighted
    )
    table = estimate_rows(
        design,
        {v.key: v.values for v in values},
        segments,
        opts,
        scales={v.key: v.scale for v in values},
        within=_within(respondents, filters or {}),
        wave=wave,
        calibration=calibration,
    )
    return labelled_rows(table, question, values, shown)


def labelled_rows(
    table: pd.DataFrame,
    question: Question,
    values: Sequence[AnswerValues],
    shown: Sequence[str],
) -> pd.DataFrame:
    """A question's EstimateTable rows named by answer, the total rows first.

    ``table`` holds the rows of ``values`` (keyed by ``metric``) by the
    segment variables ``shown``; the result is :func:`question_rows`'.
    """
    labels = {v.key: v.label for v in values}
    table["question"] = question.id
    table["answer"] = table["metric"].map(labels)
    table["question_text"] = question.text
    attrs = dict(table.attrs)
    ordered = _total_first(table, [v.key for v in values], shown)
    ordered.attrs = {**attrs, EXCLUDED: {question.id: excluded_labels(question)}}
    return ordered


def _within(
    respondents: pd.DataFrame, filters: Mapping[str, Sequence[str]]
) -> npt.NDArray[np.bool_] | None:
    """The rows the filters keep (None: no filter)."""
    chosen = {var: values for var, values in filters.items() if values}
    if not chosen:
        return None
    missing = [var for var in chosen if var not in respondents.columns]
    if missing:
        raise SurveyDataError(f"no segment variable(s) {missing} to filter on")
    keep = np.ones(len(respondents), dtype=bool)
    for var, values in chosen.items():
        keep &= respondents[var].astype(str).isin([str(v) for v in values]).to_numpy()
    return keep


def _total_first(
    table: pd.DataFrame, keys: Sequence[str], variables: Sequence[str]
) -> pd.DataFrame:
    """Rows by segment variable (total first), segment value, then answer."""
    # estimate_rows gives one block per answer, each listing the same segments
    # in the same order; the position within a block is the segment's order
    rank = pd.DataFrame(
        {
            "var": table["segment_var"].map(
                {TOTAL: -1, **{v: i for i, v in enumerate(variables)}}
            ),
            "value": table.groupby(["metric", "segment_var"], sort=False).cumcount(),
            "answer": table["metric"].map({k: i for i, k in enumerate(keys)}),
        }
    )
    order = rank.sort_values(["var", "value", "answer"], kind="stable").index
    return table.loc[order].reset_index(drop=True)


def question_records(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """The command line's rows: exactly :data:`QUESTION_KEYS`, JSON-ready.

    The total row has ``segment_var`` and ``segment`` None; numbers are
    Python numbers (``n`` an int), NaN is None.
    """
    total = rows["segment_var"].astype(str) == TOTAL
    shaped = rows.assign(
        segment_var=rows["segment_var"].where(~total, None),
        segment=rows["segment_value"].where(~total, None),
    )
    out = []
    for row in shaped.reindex(columns=list(QUESTION_KEYS)).itertuples(index=False):
        record = {k: _plain(v) for k, v in zip(QUESTION_KEYS, row, strict=True)}
        if record["n"] is not None:
            record["n"] = int(record["n"])
        out.append(record)
    return out


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
