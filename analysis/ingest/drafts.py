"""The questions of a file before they are named and stored: typed and linked.

Columns the first pass left as questions are grouped into multi-select sets,
typed one by one, and linked to the library; open text is left out with the
reason, unless it is the "other — please specify" beside a closed question.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from analysis.errors import IngestError
from analysis.ingest.column_roles import FirstRole, Overrides
from analysis.ingest.links import (
    LINK_THRESHOLD,
    LinkProposal,
    closest_wording,
    propose_link,
    reconcile,
    score_link,
    with_codes,
)
from analysis.ingest.model import RawSurvey
from analysis.ingest.multi import OptionSet, column_sets, delimited_set
from analysis.ingest.question_types import ColumnView, Typed, classify, is_companion
from analysis.library.codebook import Codebook
from analysis.store.questionnaire import Answer, QuestionType


@dataclass(frozen=True)
class Draft:
    """A question found in the file, before its id is made unique."""

    id: str
    text: str
    type: QuestionType
    headers: tuple[str, ...]
    answers: tuple[Answer, ...] = ()
    typed: Typed | None = None
    option_set: OptionSet | None = None
    proposal: LinkProposal = field(default_factory=LinkProposal)
    link: str | None = None
    confirmed: bool = False
    reason: str = ""

    def option_columns(self, question_id: str) -> list[str]:
        """The stored columns of a multi-select set, one per option."""
        if self.option_set is None:
            return [question_id]
        if self.option_set.delimiter is not None:
            return [f"{question_id} | {a.code}" for a in self.answers]
        return list(self.option_set.headers)


def draft_questions(
    raw: RawSurvey,
    views: Mapping[str, ColumnView],
    first: Mapping[str, FirstRole],
    library: Codebook,
    opts: Overrides,
) -> tuple[list[Draft], dict[str, str]]:
    """The questions (file order) and the columns left out, with the reason."""
    candidates = [views[h] for h in raw.columns if first[h].role is None]
    sets = column_sets(candidates)
    in_sets = {h for s in sets for h in s.headers}
    drafts = [_set_draft(s, "options in columns sharing a stem") for s in sets]
    dropped: dict[str, str] = {}
    for view in candidates:
        if view.header in in_sets:
            continue
        found = _draft(view, opts.types.get(view.header))
        if isinstance(found, str):
            dropped[view.header] = found
        else:
            drafts.append(found)
    position = {h: i for i, h in enumerate(raw.columns)}
    drafts.sort(key=lambda d: position[d.headers[0]])
    return _link_all(drafts, library, opts), dropped


def _set_draft(option_set: OptionSet, why: str) -> Draft:
    return Draft(
        id=option_set.id,
        text=option_set.text,
        type="multi",
        headers=option_set.headers,
        answers=option_set.answers,
        option_set=option_set,
        reason=f"multi-select set ({why})",
    )


def _draft(view: ColumnView, chosen: QuestionType | None = None) -> Draft | str:
    """One column's question (of the ``chosen`` type), or why it is left out."""
    if not view.keys:
        return "no answers in the file"
    if not view.labels and not view.all_numbers:
        found = delimited_set(view)
        if found is not None:
            return _set_draft(
                found, f"choices in one cell, split on {found.delimiter!r}"
            )
    typed = classify(view)
    if chosen is not None:
        typed = _retyped(view, typed, chosen)
    if typed.type == "text" and not is_companion(view):
        return "open text: not stored (free answers may hold personal data)"
    reason = (
        "the text of an 'other — please specify' answer (contact details masked)"
        if typed.type == "text"
        else typed.reason
    )
    return Draft(
        id=view.header,
        text=view.text,
        type=typed.type,
        headers=(view.header,),
        answers=typed.answers,
        typed=typed,
        reason=reason,
    )


def _retyped(view: ColumnView, typed: Typed, chosen: QuestionType) -> Typed:
    """The analyst's type: a closed question's scale or choice, or numbers."""
    if chosen == typed.type:
        return typed
    if chosen in ("single", "scale") and typed.type in ("single", "scale"):
        return replace(typed, type=chosen, reason="type chosen by the analyst")
    if chosen == "numeric" and view.all_numbers:
        return Typed("numeric", reason="type chosen by the analyst")
    raise IngestError(
        f"column {view.header!r}: its answers cannot be read as {chosen} "
        f"(they read as {typed.type})"
    )


def _link_all(drafts: list[Draft], library: Codebook, opts: Overrides) -> list[Draft]:
    linked = [_link(d, library, opts) for d in drafts]
    return _one_per_library_question(linked, library)


def _link(draft: Draft, library: Codebook, opts: Overrides) -> Draft:
    if draft.type not in ("single", "scale") or draft.typed is None:
        return draft
    labelled = draft.typed.labelled
    if draft.id in opts.links:
        return _chosen_link(draft, opts.links[draft.id], library)
    proposal = propose_link(
        draft.id, draft.text, draft.answers, library, labelled=labelled
    )
    reason = proposal.reason
    if not proposal.linked and labelled:
        reason = _refusal(draft, library) or reason
    return replace(
        draft,
        proposal=proposal,
        link=proposal.candidate if proposal.linked else None,
        reason=f"{draft.reason}; {reason}",
    )


def _refusal(draft: Draft, library: Codebook) -> str | None:
    """Why the answers of a question worded as a library one do not fit it."""
    question, wording = closest_wording(draft.id, draft.text, library)
    if question is None or wording < LINK_THRESHOLD:
        return None
    try:
        reconcile(draft.headers[0], draft.answers, question, labelled=True)
    except IngestError as refused:
        return str(refused)
    return None


def _chosen_link(draft: Draft, target: str | None, library: Codebook) -> Draft:
    """The analyst's link (or none): answers must be reconciled, or one error."""
    assert draft.typed is not None  # single and scale drafts carry their typing
    labelled = draft.typed.labelled
    if target is None:
        proposal = propose_link(
            draft.id, draft.text, draft.answers, library, labelled=labelled
        )
        return replace(
            draft,
            proposal=proposal,
            confirmed=True,
            reason=f"{draft.reason}; no link (the analyst's choice)",
        )
    question = library.questions[target]
    reconcile(draft.headers[0], draft.answers, question, labelled=labelled)
    proposal = score_link(
        draft.id, draft.text, draft.answers, question, labelled=labelled
    )
    return replace(
        draft,
        proposal=proposal,
        link=target,
        confirmed=True,
        reason=f"{draft.reason}; linked to {target!r} (the analyst's choice)",
    )


def _one_per_library_question(drafts: list[Draft], library: Codebook) -> list[Draft]:
    """A library question links once: to the analyst's choice, else the best score."""
    winners: dict[str, Draft] = {}
    for draft in drafts:
        if draft.link is None:
            continue
        held = winners.get(draft.link)
        if held is None or _rank(draft) > _rank(held):
            winners[draft.link] = draft
    out = []
    for draft in drafts:
        if draft.link is None:
            out.append(draft)
        elif winners[draft.link] is not draft:
            winner = winners[draft.link].id
            out.append(
                replace(
                    draft,
                    link=None,
                    reason=f"{draft.reason}; {draft.link!r} links better to {winner!r}",
                )
            )
        else:
            question = library.questions[draft.link]
            answers = with_codes(draft.answers, draft.proposal.codes, question)
            out.append(replace(draft, answers=answers))
    return out


def _rank(draft: Draft) -> tuple[bool, float]:
    return (draft.confirmed, draft.proposal.score)
