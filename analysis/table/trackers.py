"""Trackers: the same question across waves, and which earlier wave is comparable.

A question of a new wave is the same as a question of an earlier wave when
(in this order) the analyst said so (:attr:`Question.tracks` names the
earlier id), they share their id, they link to the same library question, or
their wordings are close (:func:`analysis.ingest.wording.text_similarity` of
at least :data:`SAME_TEXT`). Earlier waves are followed one by one, so a
question renamed twice is still followed.

"Change since the previous wave" compares a wave with its previous
*comparable* wave (:func:`previous_comparable`): one whose fieldwork began
earlier, that covers the same countries (and, when both say it, the same
population), and that is synthetic exactly when this one is — never simply
the wave uploaded last. :func:`wording_changes` says in which waves a
tracked question's wording or answers changed, so a trend can flag it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Literal

from analysis.ingest.wording import fold, text_similarity
from analysis.store.questionnaire import Question, Questionnaire
from analysis.store.wave import WaveMeta

SAME_TEXT = 0.9
"""The wording similarity from which two questions are taken as the same."""

How = Literal["choice", "id", "link", "text"]
"""How a question was found in an earlier wave: the analyst's choice, its id,
its library link or its wording."""
Mismatch = Literal["synthetic", "countries", "population", "no_date", "not_earlier"]
"""Why an earlier wave is not comparable with a later one."""
Change = Literal["wording", "answers"]


@dataclass(frozen=True)
class Tracked:
    """One wave's question of a tracker, and how it was matched."""

    wave: str
    question: Question
    how: How | Literal["self"]


def same_question(earlier: Questionnaire, question: Question) -> Tracked | None:
    """The question of ``earlier`` that ``question`` tracks, if any (wave left blank).

    Examples
    --------
    >>> from analysis.store.questionnaire import Question, Questionnaire
    >>> old = Questionnaire((Question("q7", "Do you trust brands?", "single"),))
    >>> new = Question("q1", "Do you trust brands?", "single")
    >>> same_question(old, new).how, same_question(old, new).question.id
    ('text', 'q7')
    """
    questions = [q for q in earlier.questions if q.type == question.type]
    rules: tuple[tuple[How, object], ...] = (
        ("choice", lambda q: question.tracks is not None and q.id == question.tracks),
        ("id", lambda q: q.id == question.id),
        ("link", lambda q: question.link is not None and q.link == question.link),
    )
    for how, rule in rules:
        found = [q for q in questions if rule(q)]  # type: ignore[operator]
        if found:
            return Tracked("", found[0], how)
    scored = [(text_similarity(question.text, q.text), q) for q in questions]
    close = [(s, q) for s, q in scored if s >= SAME_TEXT]
    if close:
        best = max(close, key=lambda pair: pair[0])[1]
        return Tracked("", best, "text")
    return None


def fieldwork(meta: WaveMeta) -> date | None:
    """When a wave's fieldwork began (its end when only that is known)."""
    return meta.fieldwork_start or meta.fieldwork_end


def mismatch(before: WaveMeta, after: WaveMeta) -> Mismatch | None:
    """Why ``before`` cannot be the previous wave of ``after`` (None: it can)."""
    if before.synthetic != after.synthetic:
        return "synthetic"
    if set(before.countries) != set(after.countries):
        return "countries"
    populations = (before.disclosure.population, after.disclosure.population)
    if all(populations) and fold(populations[0]) != fold(populations[1]):
        return "population"
    start, end = fieldwork(before), fieldwork(after)
    if start is None or end is None:
        return "no_date"
    if not start < end:
        return "not_earlier"
    return None


def previous_comparable(after: WaveMeta, waves: Sequence[WaveMeta]) -> WaveMeta | None:
    """The comparable wave whose fieldwork is latest before ``after``'s, if any."""
    comparable = [
        w for w in waves if w.name != after.name and mismatch(w, after) is None
    ]
    return max(comparable, key=lambda w: fieldwork(w) or date.min, default=None)


def tracker(
    current: str,
    question_id: str,
    waves: Sequence[tuple[WaveMeta, Questionnaire]],
) -> tuple[Tracked, ...]:
    """The question through the comparable waves before ``current``, oldest first.

    ``waves`` holds each wave's record and questionnaire (any order, ``current``
    among them). Going back from ``current``, each wave comparable with it
    (:func:`mismatch`) that holds the question — matched against the last
    wave where it was found — joins the series.
    """
    known = {meta.name: (meta, questionnaire) for meta, questionnaire in waves}
    now, questionnaire = known[current]
    question = questionnaire.question(question_id)
    series = [Tracked(current, question, "self")]
    earlier = sorted(
        (meta for meta, _ in waves if mismatch(meta, now) is None),
        key=lambda m: fieldwork(m) or date.min,
        reverse=True,
    )
    for meta in earlier:
        found = same_question(known[meta.name][1], series[-1].question)
        if found is not None:
            series.append(Tracked(meta.name, found.question, found.how))
    return tuple(reversed(series))


def wording_changes(series: Sequence[Tracked]) -> tuple[tuple[str, Change], ...]:
    """The waves of a series whose question's wording or answers changed.

    Each wave is compared with the one before it in the series: the wording
    by its folded text, the answers by their folded labels in order.
    """
    changes: list[tuple[str, Change]] = []
    for before, after in pairwise(series):
        if fold(before.question.text) != fold(after.question.text):
            changes.append((after.wave, "wording"))
        if _answers(before.question) != _answers(after.question):
            changes.append((after.wave, "answers"))
    return tuple(changes)


def _answers(question: Question) -> tuple[str, ...]:
    return tuple(fold(a.label) or a.code for a in question.answers)
