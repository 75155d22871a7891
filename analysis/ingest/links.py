"""Links from a wave's questions to the library's: proposed, scored, never required.

A wave question links to a library question when its wording is close (EN or
FR, any wording: see :func:`analysis.ingest.wording.text_similarity`) *and*
its answers are the library question's answers. The score is the wording's
similarity times how well the answers fit, from 0 to 1; a link is proposed
from :data:`LINK_THRESHOLD` up, and the analyst confirms or changes it.

Answers link by label when the file labels them, so a file coding 1 = No,
2 = Yes links to a library coding 1 = Yes: the codes follow the labels. A
file without labels links by code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from analysis.errors import IngestError
from analysis.ingest.wording import (
    fold,
    is_excluded,
    label_similarity,
    ordinal_position,
    text_similarity,
)
from analysis.library.codebook import Codebook
from analysis.library.codebook import Question as LibraryQuestion
from analysis.store.questionnaire import Answer

LINK_THRESHOLD = 0.7
"""The score from which a link is proposed."""
_SAME_LABEL = 0.9  # label similarity that counts as the same answer
_INTENSITY = frozenset(
    re.findall(
        r"\w+",
        "strongly tend tends somewhat rather fairly very completely totally plutot "
        "tout fait assez tres neither",
    )
)


@dataclass(frozen=True)
class LinkProposal:
    """The best library question for one wave question, and how well it fits."""

    candidate: str | None = None
    score: float = 0.0
    wording: float = 0.0
    answers_fit: float = 0.0
    codes: Mapping[str, int] = field(default_factory=dict)
    """The wave's answer code → the library's code, for the candidate."""
    reason: str = ""

    @property
    def linked(self) -> bool:
        """True when the score reaches the proposal threshold."""
        return self.candidate is not None and self.score >= LINK_THRESHOLD


def answer_codes(
    answers: Sequence[Answer], library: LibraryQuestion, *, labelled: bool
) -> dict[str, int]:
    """Each answer's library code, by label (or by code for unlabelled answers).

    Same labels first; then a scale answer worded differently ("Agree" for
    "Tend to agree") takes the free library answer sharing its word, on the same
    side of the scale, nearest in strength. Two answers never share a code.
    """
    codes: dict[str, int] = {}
    for answer in answers:
        code = _library_code(answer, library, labelled=labelled)
        if code is not None and code not in codes.values():
            codes[answer.code] = code
    if labelled:
        for answer in answers:
            if answer.code not in codes and not answer.excluded:
                code = _nearest_on_scale(answer.label, library, set(codes.values()))
                if code is not None:
                    codes[answer.code] = code
    return codes


def _library_code(
    answer: Answer, library: LibraryQuestion, *, labelled: bool
) -> int | None:
    if not labelled or (answer.label == answer.code and _is_int(answer.code)):
        number = int(answer.code) if _is_int(answer.code) else None
        return number if number in library.labels else None
    best, best_score = None, 0.0
    for code, text in library.labels.items():
        score = max(
            label_similarity(answer.label, text.en),
            label_similarity(answer.label, text.fr),
        )
        if score > best_score:
            best, best_score = code, score
    if best_score >= _SAME_LABEL:
        return best
    if is_excluded(answer.label):
        return _dont_know(library)
    return None


def _nearest_on_scale(
    label: str, library: LibraryQuestion, taken: set[int]
) -> int | None:
    position = ordinal_position(label)
    if position is None or position == 0:
        return None
    words = _scale_words(label)
    best: tuple[float, float, int] | None = None
    for code, text in library.labels.items():
        for wording in (text.en, text.fr):
            there = ordinal_position(wording)
            if code in taken or there is None or there * position <= 0:
                continue
            if words & _scale_words(wording):
                rank = (abs(there - position), abs(there), code)
                best = rank if best is None or rank < best else best
    return None if best is None else best[2]


def _scale_words(label: str) -> set[str]:
    """The words naming what a scale measures ("agree", "ethique"), not how much."""
    return {w for w in fold(label).split() if len(w) >= 4} - _INTENSITY


def _dont_know(library: LibraryQuestion) -> int | None:
    return next((c for c, t in library.labels.items() if is_excluded(t.en)), None)


def _is_int(text: str) -> bool:
    return (
        re.fullmatch(r"-?[0-9]{1,18}", text) is not None
    )  # int() of 5,000 digits fails


def answers_fit(
    answers: Sequence[Answer], codes: Mapping[str, int], library: LibraryQuestion
) -> float:
    """How well answers fit (0–1): the wave's answers found, the library's covered."""
    counted = [a for a in answers if not a.excluded]
    if not counted:
        return 0.0
    found = sum(a.code in codes for a in counted) / len(counted)
    wanted = {c for c, t in library.labels.items() if not is_excluded(t.en)}
    covered = len(wanted & set(codes.values())) / len(wanted) if wanted else 0.0
    return found * (0.5 + 0.5 * covered)


def score_link(
    question_id: str,
    text: str,
    answers: Sequence[Answer],
    candidate: LibraryQuestion,
    *,
    labelled: bool,
) -> LinkProposal:
    """How well a wave question matches one library question, with why."""
    wording = _wording(question_id, text, candidate)
    codes = answer_codes(answers, candidate, labelled=labelled)
    fit = answers_fit(answers, codes, candidate)
    proposal = LinkProposal(candidate.id, round(wording * fit, 4), wording, fit, codes)
    return LinkProposal(
        proposal.candidate,
        proposal.score,
        proposal.wording,
        proposal.answers_fit,
        proposal.codes,
        _reason(proposal),
    )


def propose_link(
    question_id: str,
    text: str,
    answers: Sequence[Answer],
    library: Codebook,
    *,
    labelled: bool,
) -> LinkProposal:
    """The best library question for a wave question (linked or not, with why)."""
    best = LinkProposal(reason="no library question matches")
    for candidate in library.questions.values():
        scored = score_link(question_id, text, answers, candidate, labelled=labelled)
        if (scored.score, scored.wording) > (best.score, best.wording):
            best = scored
    return best


def closest_wording(
    question_id: str, text: str, library: Codebook
) -> tuple[LibraryQuestion | None, float]:
    """The library question worded closest, whatever its answers, and how close."""
    best: tuple[LibraryQuestion | None, float] = (None, 0.0)
    for candidate in library.questions.values():
        wording = _wording(question_id, text, candidate)
        if wording > best[1]:
            best = (candidate, wording)
    return best


def _wording(question_id: str, text: str, candidate: LibraryQuestion) -> float:
    if fold(question_id) == fold(candidate.id):
        return 1.0
    return max(
        text_similarity(text, candidate.text.en),
        text_similarity(text, candidate.text.fr),
    )


def _reason(proposal: LinkProposal) -> str:
    how = (
        f"{proposal.score:.2f}: wording {proposal.wording:.2f}, "
        f"answers {proposal.answers_fit:.2f}"
    )
    if proposal.linked:
        return f"linked to library question {proposal.candidate!r} ({how})"
    return (
        f"below the link threshold; closest library question "
        f"{proposal.candidate!r} ({how})"
    )


def reconcile(
    header: str,
    answers: Sequence[Answer],
    library: LibraryQuestion,
    *,
    labelled: bool,
) -> dict[str, int]:
    """The answer codes of a link the analyst asked for, or a one-line error.

    Every labelled answer must be one of the library question's answers; codes
    follow the labels. Unlabelled codes link by value.
    """
    codes = answer_codes(answers, library, labelled=labelled)
    lost = [
        a
        for a in answers
        if labelled and a.code not in codes and not a.excluded and a.label != a.code
    ]
    if lost or not codes:
        found = ", ".join(f"{a.code} = {a.label}" for a in answers) or "none"
        expected = ", ".join(f"{c} = {t.en}" for c, t in library.labels.items())
        raise IngestError(
            f"column {header!r}: answers ({found}) cannot be reconciled with library "
            f"question {library.id!r}, which expects {expected}"
        )
    return codes


def with_codes(
    answers: Sequence[Answer], codes: Mapping[str, int], library: LibraryQuestion
) -> tuple[Answer, ...]:
    """The answers with their library codes; a "don't know" code is excluded."""
    dont_know = _dont_know(library)
    return tuple(
        Answer(
            a.code,
            a.label,
            a.excluded or (codes.get(a.code) == dont_know and dont_know is not None),
            codes.get(a.code),
        )
        for a in answers
    )
