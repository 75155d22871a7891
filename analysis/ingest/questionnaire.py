"""From a file as read to its own questionnaire: every column's role, every question.

:func:`detect_questionnaire` is the one entry point::

    detection = detect_questionnaire(read_survey(path), load_codebook())
    detection.questionnaire       # questions in the file's words, segments, design
    detection.proposals           # per column: role, reason, link and its score
    detection.respondents         # the columns to store, recoded
    detection.mapping()           # the same, as the command line prints it

Nothing is stored and nothing is gated: a question no library question
matches is a question like any other, and every proposal can be changed by
passing :class:`Overrides` (which win) and detecting again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from analysis.errors import IngestError
from analysis.ingest.column_roles import DESIGN_ROLES, FirstRole, Overrides, first_role
from analysis.ingest.drafts import Draft, draft_questions
from analysis.ingest.frame import respondent_frame
from analysis.ingest.model import RawSurvey
from analysis.ingest.question_types import view_column
from analysis.ingest.wording import guess_language
from analysis.library.codebook import Codebook
from analysis.store.questionnaire import (
    Column,
    ColumnRole,
    Design,
    Question,
    Questionnaire,
    QuestionType,
    answers_json,
)

__all__ = ["Detection", "Overrides", "Proposal", "detect_questionnaire"]


@dataclass(frozen=True)
class Proposal:
    """What detection proposes for one column of the file, and why."""

    header: str
    role: ColumnRole
    reason: str = ""
    stored_as: str | None = None
    question: str | None = None
    type: QuestionType | None = None
    segment: str | None = None
    link: str | None = None
    link_score: float | None = None
    """The closest library question's score, also when below the threshold."""
    candidate: str | None = None
    """The closest library question, linked or not."""


@dataclass(frozen=True)
class Detection:
    """A file's questionnaire, the per-column proposals and the recoded rows.

    ``respondents`` holds the stored columns only, indexed as the file's rows:
    design columns (``respondent_id``, ``weight``, ``strata``, ``cluster``,
    ``fpc``), segments as text, and each question's columns as the
    questionnaire's model says (codes as text, 0/1 floats, floats).
    """

    questionnaire: Questionnaire
    proposals: tuple[Proposal, ...]
    respondents: pd.DataFrame

    def proposal(self, header: str) -> Proposal:
        """The proposal for one column (by its header as read)."""
        for proposal in self.proposals:
            if proposal.header == header:
                return proposal
        raise IngestError(f"no column {header!r} in this file")

    def mapping(self) -> dict[str, Any]:
        """The proposals as the command line prints them (``mapping.columns``)."""
        questions = {q.id: q for q in self.questionnaire.questions}
        return {"columns": {p.header: _entry(p, questions) for p in self.proposals}}


def _entry(proposal: Proposal, questions: Mapping[str, Question]) -> dict[str, Any]:
    entry: dict[str, Any] = {"role": proposal.role, "reason": proposal.reason}
    if proposal.role == "segment":
        entry["segment"] = proposal.segment
    question = questions.get(proposal.question or "")
    if proposal.role == "question" and question is not None:
        entry.update(
            text=question.text,
            type=question.type,
            answers=answers_json(question.answers),
            link=proposal.link,
            link_score=proposal.link_score,
        )
        if question.type == "multi":
            entry["set"] = question.id
    return entry


def detect_questionnaire(
    raw: RawSurvey, library: Codebook, *, overrides: Overrides | None = None
) -> Detection:
    """A file's questionnaire, each column's proposed role, and the rows to store.

    Parameters
    ----------
    raw
        The file as :func:`analysis.ingest.readers.read_survey` read it.
    library
        The library questions a wave question may link to (the codebook).
    overrides
        The analyst's choices (design columns, segments, roles, links, age
        cut points); they win over detection.

    Returns
    -------
    Detection
        The questionnaire, one proposal per column in file order, and the
        recoded respondent frame.
    """
    if raw.format == "toplines":
        raise IngestError(
            f"{raw.file_name} holds published toplines, not respondents: "
            "it has no questionnaire to detect"
        )
    opts = overrides or Overrides()
    opts.check(raw.columns, frozenset(library.questions))
    views = {header: view_column(raw, header) for header in raw.columns}
    forced = opts.forced()
    first = {h: first_role(views[h], raw.data[h], forced.get(h)) for h in raw.columns}
    first = _one_per_design_role(first, forced, opts.design_segments())
    first = _named_segments(first, opts.segment_names)
    drafts, dropped = draft_questions(raw, views, first, library, opts)
    for header, reason in dropped.items():
        first[header] = FirstRole("left_out", reason)
    return _assemble(raw, first, drafts, opts)


def _named_segments(
    first: dict[str, FirstRole], names: Mapping[str, str]
) -> dict[str, FirstRole]:
    """The analyst's segment names (columns that are segments only)."""
    out = dict(first)
    for header, name in names.items():
        if first[header].role == "segment":
            out[header] = FirstRole("segment", "named by the analyst", name.strip())
    return out


def _one_per_design_role(
    first: dict[str, FirstRole], forced: Mapping[str, str], shared: Mapping[str, str]
) -> dict[str, FirstRole]:
    """Keep one column per design role: the analyst's, else the first found."""
    out = dict(first)
    for role in DESIGN_ROLES:
        holders = [h for h, f in first.items() if f.role == role]
        chosen = shared.get(role)  # a segment the analyst also made the strata
        chosen = chosen or next((h for h in holders if forced.get(h) == role), None)
        chosen = chosen or (holders[0] if holders else None)
        for header in holders:
            if header != chosen:
                out[header] = FirstRole(
                    "left_out", f"another {role} column: {chosen!r} is the {role}"
                )
    return out


def _assemble(
    raw: RawSurvey,
    first: Mapping[str, FirstRole],
    drafts: list[Draft],
    opts: Overrides,
) -> Detection:
    names = _Names()
    stored: dict[str, str] = {}
    segments: dict[str, str] = {}
    for role in DESIGN_ROLES:
        for header, found in first.items():
            if found.role == role:
                stored[header] = names.take(role)
    for header, found in first.items():
        if found.role == "segment":
            wanted = found.segment if found.segment not in (None, "own") else header
            name = names.take(str(wanted) if not names.has(str(wanted)) else header)
            stored[header], segments[header] = name, name
    questions = [_question(draft, names) for draft in drafts]
    frame = respondent_frame(raw, first, stored, segments, drafts, questions, opts)
    proposals = _proposals(raw, first, stored, segments, drafts, questions)
    roles: dict[str, str] = {
        str(f.role): stored[h] for h, f in first.items() if f.role in DESIGN_ROLES
    }
    roles |= {role: stored[h] for role, h in opts.design_segments().items()}
    design = Design(
        **{r: roles[r] for r in ("weight", "strata", "cluster", "fpc") if r in roles}
    )
    questionnaire = Questionnaire(
        questions=tuple(questions),
        segments=tuple(segments.values()),
        design=design,
        columns=tuple(_column(p) for p in proposals),
    )
    return Detection(questionnaire, tuple(proposals), frame)


class _Names:
    """Stored column names, each given once (a clash gets " (2)")."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def has(self, name: str) -> bool:
        return name.casefold() in self._taken

    def take(self, name: str) -> str:
        candidate, n = name, 1
        while self.has(candidate):
            n += 1
            candidate = f"{name} ({n})"
        self._taken.add(candidate.casefold())
        return candidate


def _question(draft: Draft, names: _Names) -> Question:
    qid = names.take(draft.id)
    if draft.type == "multi":
        columns = tuple(names.take(c) for c in draft.option_columns(qid))
    else:
        columns = (qid,)
    proposal = draft.proposal
    return Question(
        id=qid,
        text=draft.text,
        type=draft.type,
        answers=draft.answers,
        columns=columns,
        lang=guess_language(draft.text),
        link=draft.link,
        link_score=proposal.score if draft.link else None,
        link_confirmed=draft.confirmed,
    )


def _proposals(
    raw: RawSurvey,
    first: Mapping[str, FirstRole],
    stored: Mapping[str, str],
    segments: Mapping[str, str],
    drafts: list[Draft],
    questions: list[Question],
) -> list[Proposal]:
    by_header: dict[str, Proposal] = {}
    for draft, question in zip(drafts, questions, strict=True):
        for i, header in enumerate(draft.headers):
            by_header[header] = Proposal(
                header=header,
                role="question",
                reason=draft.reason,
                stored_as=_stored_as(draft, question, i),
                question=question.id,
                type=question.type,
                link=question.link,
                link_score=draft.proposal.score if draft.proposal.candidate else None,
                candidate=draft.proposal.candidate,
            )
    out = []
    for header in raw.columns:
        found = first[header]
        out.append(
            by_header.get(header)
            or Proposal(
                header=header,
                role=found.role or "left_out",
                reason=found.reason,
                stored_as=stored.get(header),
                segment=segments.get(header),
            )
        )
    return out


def _stored_as(draft: Draft, question: Question, index: int) -> str | None:
    if draft.type != "multi":
        return question.columns[0]
    if draft.option_set is not None and draft.option_set.delimiter is not None:
        return None
    return question.columns[index]


def _column(proposal: Proposal) -> Column:
    return Column(
        header=proposal.header,
        role=proposal.role,
        stored_as=proposal.stored_as,
        question=proposal.question,
        segment=proposal.segment,
        reason=proposal.reason,
    )
