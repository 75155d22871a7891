"""A wave's own question from the store's per-cell sums, without respondent rows.

:func:`question_rows_from_sums` answers what
:func:`analysis.table.questions.question_rows` answers — every answer's
share, a NET, a scale's boxes, a mean, by any of the wave's segment
variables within filters on them — from the sums the store keeps of each
answer (:mod:`analysis.store.question_sql`), through the same interval and
flag rules; :func:`question_table_from_sums` is
:func:`analysis.table.wave_questions.question_table`'s. The numbers equal
the rows' to rounding (tests/table/test_question_sums.py).

They return None — read the rows — when the wave has no sums ready, when a
segment or filter is not one the sums cover (a question used as a segment),
when the sums' design is not the questionnaire's (a wave in the library's
codes with a stored design), when an answer or NET has no sums (a NET of a
multi-select set), or when the rows would refuse the question or design
(their error says why).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.methods import LonelyPSU
from analysis.store.dialect import StoreConnection
from analysis.store.question_sql import answer_key
from analysis.store.questionnaire import Question, Questionnaire
from analysis.store.sums import StoredSums, read_sums
from analysis.store.sums_sql import SumsDesign
from analysis.store.wave_store import WaveStore
from analysis.table.answers import AnswerValues, answer_values, stored_columns
from analysis.table.questions import labelled_rows
from analysis.table.rows import EstimateOptions
from analysis.table.sums_view import scaled_table
from analysis.table.wave_questions import joined_parts, table_parts

_ADDED = ("sum_wy", "sum_wy2", "sum_w2y", "sum_w2y2", "sum_y", "sum_y2")
"""The sums of y: a NET of one-answer questions' answers adds them."""
_BASES = {
    "sum_wy": "sum_w",
    "sum_wy2": "sum_w",
    "sum_w2y": "sum_w2",
    "sum_w2y2": "sum_w2",
    "sum_y": "n",
    "sum_y2": "n",
}
"""Each sum of y, and what it is when everyone in the base has y = 1."""


def question_table_from_sums(
    store: WaveStore,
    wave: str,
    questionnaire: Questionnaire,
    question_id: str,
    *,
    by: Sequence[str] = (),
    filters: Mapping[str, Sequence[str]] | None = None,
    options: EstimateOptions | None = None,
    answers: Sequence[str] | None = None,
) -> pd.DataFrame | None:
    """The page's table of one question (or the NET of ``answers``), from sums."""
    with store.reading() as con:
        if not _live(con, wave):
            return None
        if answers is not None:
            asks: Sequence[Mapping[str, object]] = [{"answers": answers}]
        else:
            question = _question(questionnaire, question_id)
            if question is None:
                return None
            asks = table_parts(question)
        parts = []
        for ask in asks:
            part = question_rows_from_sums(
                con,
                wave,
                questionnaire,
                question_id,
                by=by,
                filters=filters,
                options=options,
                **ask,  # type: ignore[arg-type]
            )
            if part is None:
                return None
            parts.append(part)
    return parts[0] if answers is not None else joined_parts(parts)


def question_rows_from_sums(
    con: StoreConnection,
    wave: str,
    questionnaire: Questionnaire,
    question_id: str,
    *,
    answers: Sequence[str] | None = None,
    mean: bool = False,
    nets: bool = False,
    by: str | Sequence[str] | None = None,
    options: EstimateOptions | None = None,
    lonely_psu: LonelyPSU = "fail",
    filters: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame | None:
    """:func:`~analysis.table.questions.question_rows` of a stored wave, from sums.

    Same parameters, less the rows (``wave`` names the stored wave and is
    written in the ``wave`` column); None: read the rows.
    """
    question = _question(questionnaire, question_id)
    if question is None:
        return None
    blank = pd.DataFrame({c: [] for c in stored_columns(question)})
    try:
        values = answer_values(blank, question, answers=answers, mean=mean, nets=nets)
    except SurveyDataError:
        return None  # the rows' route words it
    shown = [by] if isinstance(by, str) else list(by or [])
    chosen = {var: v for var, v in (filters or {}).items() if v}
    if not _live(con, wave):
        return None
    stored = _stored(con, wave, questionnaire, question, values, [*shown, *chosen])
    if stored is None:
        return None
    stored = replace(stored, design=replace(stored.design, lonely_psu=lonely_psu))
    table = scaled_table(
        stored, {v.key: v.scale for v in values}, shown, chosen, options, wave=wave
    )
    if table is None:
        return None
    return labelled_rows(table, question, values, shown)


def _question(questionnaire: Questionnaire, question_id: str) -> Question | None:
    try:
        return questionnaire.question(question_id)
    except SurveyDataError:
        return None


def _live(con: StoreConnection, wave: str) -> bool:
    """Whether the wave is a stored, not deleted, respondent wave."""
    row = con.execute(
        "SELECT kind FROM waves WHERE wave = ? AND deleted_at IS NULL", [wave]
    ).fetchone()
    return row is not None and row[0] == "respondents"


def _stored(
    con: StoreConnection,
    wave: str,
    questionnaire: Questionnaire,
    question: Question,
    values: Sequence[AnswerValues],
    segments: Sequence[str],
) -> StoredSums | None:
    """The sums of every value (None: a value or segment has none, or design differs).

    A NET of a one-answer question missing from the sums is made of its answers'.
    """
    keys = [v.key for v in values]
    addable = question.type in ("single", "scale")
    every = [answer_key(question, (a.code,)) for a in question.counted]
    stored = read_sums(
        con, wave, sorted({*keys, *(every if addable else [])}), segments
    )
    if stored is None or not _same_design(stored.design, questionnaire):
        return None
    frame = stored.frame
    held = set(frame["metric"])
    made = []
    for value in values:
        if value.key in held:
            continue
        if not addable or not set(every) <= held:
            return None
        chosen = {answer_key(question, (c,)) for c in value.codes}
        made.append(_net(frame, value.key, every, chosen))
    return replace(stored, frame=pd.concat([frame, *made], ignore_index=True))


def _net(
    frame: pd.DataFrame, key: str, every: Sequence[str], chosen: set[str]
) -> pd.DataFrame:
    """A NET's sums from its answers' (one answer each: y² = y, the y's add).

    Every value has a row for every group, in the same order (one scan, one
    ``ORDER BY``), and one base, so the n's are any answer's. Where no one
    gave another counted answer, the NET is everyone in the base, exactly
    (added sums would miss Σw by a rounding, and a share of 1 takes the
    exact interval).
    """
    rows = {a: frame[frame["metric"] == a].reset_index(drop=True) for a in every}
    net = rows[every[0]].copy()
    others = np.zeros(len(net), dtype=bool)
    for answer in every:
        if answer not in chosen:
            others |= rows[answer]["sum_y"].to_numpy() > 0
    for field in _ADDED:
        net[field] = np.sum([rows[a][field].to_numpy() for a in chosen], axis=0)
    for field, base in _BASES.items():
        net[field] = np.where(others, net[field], net[base])
    net["metric"] = key
    return net


def _same_design(design: SumsDesign, questionnaire: Questionnaire) -> bool:
    """Whether the sums are split and weighted as the questionnaire's design."""
    d = questionnaire.design
    return (design.weight, design.strata, design.cluster, design.fpc) == (
        d.weight,
        d.strata,
        d.cluster,
        d.fpc,
    )
