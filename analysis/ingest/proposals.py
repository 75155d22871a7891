"""Each column's proposal as people read it: the mapping editor's rows.

One row per column of the file: its question text, its answers with how many
respondents gave each, the proposed role, segment name, question type and
library link with its score, and the reason for the role. Values of left-out
and personal columns are never shown (they may hold personal data); nothing
here is stored.
:func:`edited_overrides` turns the analyst's edits of these rows into the
choices detection runs with next.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import cast

import pandas as pd

from analysis.errors import IngestError
from analysis.ingest.column_roles import RETYPES, Overrides
from analysis.ingest.questionnaire import Detection, Proposal
from analysis.store.questionnaire import Question, QuestionType

PROPOSAL_COLUMNS: tuple[str, ...] = (
    "column",
    "text",
    "answers",
    "role",
    "segment",
    "type",
    "link",
    "score",
    "reason",
    "question",
)
"""The editor's columns; ``question`` is the question id a link is keyed by."""

_SHOWN = 8  # answers listed per column; the rest are counted as "… N more"


def proposal_rows(detection: Detection | None) -> pd.DataFrame:
    """One row per column, in file order (no rows without a detection).

    ``answers`` reads ``"Agree (12) · Disagree (5)"``; a numeric question
    reads ``"numbers: 28 answered, 18 to 74"``; ``score`` is the proposed
    library link's (None when no library question came close).
    """
    if detection is None:
        return pd.DataFrame(columns=list(PROPOSAL_COLUMNS))
    questions = {q.id: q for q in detection.questionnaire.questions}
    rows = [
        _row(p, questions.get(p.question or ""), detection.respondents)
        for p in detection.proposals
    ]
    return pd.DataFrame(rows, columns=list(PROPOSAL_COLUMNS))


def _row(
    proposal: Proposal, question: Question | None, respondents: pd.DataFrame
) -> dict[str, object]:
    stored = proposal.stored_as
    values = respondents[stored] if stored and stored in respondents else None
    answers = ""
    if values is not None and proposal.role == "question" and question is not None:
        answers = _question_answers(question, stored or "", values)
    elif values is not None and proposal.role == "segment":
        counts = values.dropna().astype(str).value_counts()
        answers = _listed({str(k): int(n) for k, n in counts.items()})
    score = proposal.link_score
    return {
        "column": proposal.header,
        "text": question.text if question is not None else "",
        "answers": answers,
        "role": proposal.role,
        "segment": proposal.segment or "",
        "type": proposal.type or "",
        "link": proposal.link or "",
        "score": round(score, 2) if score is not None else None,
        "reason": proposal.reason,
        "question": proposal.question or "",
    }


def _question_answers(question: Question, stored: str, values: pd.Series) -> str:
    if question.type == "multi":
        chosen = int((pd.to_numeric(values, errors="coerce") == 1).sum())
        index = question.columns.index(stored) if stored in question.columns else -1
        label = question.answers[index].label if index >= 0 else stored
        return f"{label} ({chosen})"
    if question.type in ("numeric", "text"):
        numbers = pd.to_numeric(values, errors="coerce").dropna()
        if question.type == "text" or numbers.empty:
            return f"{int(values.notna().sum())} answered"
        return (
            f"numbers: {len(numbers)} answered, {numbers.min():g} to {numbers.max():g}"
        )
    counts = values.dropna().astype(str).value_counts().to_dict()
    labelled = {a.label: int(counts.get(a.code, 0)) for a in question.answers}
    return _listed(labelled)


def _listed(counts: Mapping[str, int]) -> str:
    items = list(counts.items())
    shown = " · ".join(f"{label} ({n})" for label, n in items[:_SHOWN])
    more = len(items) - _SHOWN
    return shown + (f" · … {more} more" if more > 0 else "")


def edited_overrides(
    shown: pd.DataFrame, edited: pd.DataFrame, base: Overrides
) -> Overrides:
    """The analyst's changes to the editor's rows, added to the choices made before.

    Only cells that changed become choices, so every other column keeps its
    proposal (and its reason). A column proposed as personal data stays
    dropped whatever the row says: its values are never stored.
    """
    roles, types = dict(base.roles), dict(base.types)
    links, names = dict(base.links), dict(base.segment_names)
    before = shown.set_index("column")
    for row in edited.to_dict("records"):
        header = str(row["column"])
        old = before.loc[header]
        if old["role"] == "personal_data":
            continue
        role = str(row["role"] or old["role"])
        if role != old["role"]:
            roles[header] = role
        if role == "segment" and _text(row["segment"]) != _text(old["segment"]):
            names[header] = _text(row["segment"])
        if role != "question" or old["role"] != "question":
            continue
        if _text(row["type"]) != _text(old["type"]):
            types[header] = _question_type(header, _text(row["type"]))
        if _text(row["link"]) != _text(old["link"]) and old["question"]:
            links[str(old["question"])] = _text(row["link"]) or None
    return dataclasses.replace(
        base, roles=roles, types=types, links=links, segment_names=names
    )


def _text(value: object) -> str:
    return "" if value is None or value != value else str(value).strip()


def _question_type(header: str, chosen: str) -> QuestionType:
    if chosen not in RETYPES:
        raise IngestError(
            f"column {header!r}: type {chosen or '(none)'!r} cannot be chosen "
            f"(choose {', '.join(RETYPES)})"
        )
    return cast(QuestionType, chosen)
