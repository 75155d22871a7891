"""A wave's own questionnaire: its questions, answers, segments and design columns.

Analysts' surveys are their own: a wave carries the questions its file asked, in
the file's words, with the file's answer codes and labels. The seed's trust
metrics are a library that *links* to a wave's questions when they match; a
question without a link is still a first-class question.

Stored respondent columns follow the questionnaire:

- a ``single`` or ``scale`` question is one text column holding the answer's
  code as the file coded it (``"1"``, ``"Yes"``), missing when not answered;
- a ``multi`` set is one 0/1 column per option (missing when the set was not
  shown), listed in :attr:`Question.columns` in the order of its answers;
- a ``numeric`` question is one floating-point column;
- segments are text columns; the design (weight, strata, PSU, fpc) has its own.

The questionnaire is plain data and round-trips through JSON
(:meth:`Questionnaire.to_dict`, :meth:`Questionnaire.from_dict`), so the store
keeps it beside the wave and the command line prints it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

from analysis.errors import SurveyDataError

QuestionType = Literal["single", "scale", "multi", "numeric", "text"]
"""How a question is answered; ``text`` (open answers) is dropped at import."""

ColumnRole = Literal[
    "question",
    "segment",
    "weight",
    "respondent_id",
    "strata",
    "cluster",
    "fpc",
    "left_out",
    "personal_data",
]
"""What one column of an import is; every column gets exactly one role."""

QUESTION_TYPES: tuple[str, ...] = get_args(QuestionType)
COLUMN_ROLES: tuple[str, ...] = get_args(ColumnRole)


@dataclass(frozen=True)
class Answer:
    """One answer of a closed question: its code as filed, its label, its place.

    ``excluded`` answers ("don't know", "prefer not to say") leave the base.
    ``link_code`` is the library's code for this answer when the question is
    linked: the library's metrics count library codes, and a file may code
    the same answers otherwise (1 = No, 2 = Yes where the library has 1 = Yes).
    """

    code: str
    label: str
    excluded: bool = False
    link_code: int | None = None


@dataclass(frozen=True)
class Question:
    """One question of a wave, in the file's words."""

    id: str
    text: str
    type: QuestionType
    answers: tuple[Answer, ...] = ()
    columns: tuple[str, ...] = ()
    """Stored columns: one, or one per option of a multi-select set."""
    lang: str | None = None
    link: str | None = None
    """The library question this one is: proposed (with ``link_score``) or, once
    the analyst accepts it, confirmed (``link_confirmed``); null when none."""
    link_score: float | None = None
    link_confirmed: bool = False
    tracks: str | None = None
    """The same question's id in earlier waves of a tracker, when it differs."""

    def __post_init__(self) -> None:
        if self.type not in QUESTION_TYPES:
            raise SurveyDataError(
                f"question {self.id!r}: type {self.type!r} must be one of "
                f"{', '.join(QUESTION_TYPES)}"
            )
        codes = [a.code for a in self.answers]
        if len(set(codes)) != len(codes):
            raise SurveyDataError(f"question {self.id!r} repeats an answer code")
        if self.type == "multi" and len(self.columns) != len(self.answers):
            raise SurveyDataError(
                f"multi-select set {self.id!r} needs one column per option"
            )

    @property
    def counted(self) -> tuple[Answer, ...]:
        """The answers that make the base (the excluded ones left out)."""
        return tuple(a for a in self.answers if not a.excluded)

    def answer(self, key: str) -> Answer:
        """The answer with this code or label (case-insensitive)."""
        wanted = str(key).strip().casefold()
        for a in self.answers:
            if a.code.casefold() == wanted or a.label.strip().casefold() == wanted:
                return a
        known = ", ".join(f"{a.code} ({a.label})" for a in self.answers)
        raise SurveyDataError(
            f"question {self.id!r} has no answer {key!r} (answers: {known or 'none'})"
        )

    def nets(self) -> dict[str, tuple[str, ...]]:
        """The NETs' codes of a scale of four or more points, by name.

        The top-2 and bottom-2 boxes, then, on a scale of six points or more,
        each whole side of the middle (a 7-point scale's ``top3`` and
        ``bottom3``): the share a diverging bar's end stands for. On 4- and
        5-point scales the side is the 2-box.
        """
        points = self.counted
        if self.type != "scale" or len(points) < 4:
            return {}
        boxes: dict[str, tuple[str, ...]] = {}
        for k in sorted({2, len(points) // 2}):
            boxes[f"top{k}"] = tuple(a.code for a in points[-k:])
            boxes[f"bottom{k}"] = tuple(a.code for a in points[:k])
        return boxes


@dataclass(frozen=True)
class Column:
    """One column of the imported file and the role it was given."""

    header: str
    role: ColumnRole
    stored_as: str | None = None
    """The stored column's name (None when the column is not stored)."""
    question: str | None = None
    segment: str | None = None
    reason: str = ""
    """Why a column is left out or dropped (personal data, open text, …)."""

    def __post_init__(self) -> None:
        if self.role not in COLUMN_ROLES:
            raise SurveyDataError(
                f"column {self.header!r}: role {self.role!r} must be one of "
                f"{', '.join(COLUMN_ROLES)}"
            )


@dataclass(frozen=True)
class Design:
    """The stored columns that carry the sample design (None when absent)."""

    weight: str | None = None
    strata: str | None = None
    cluster: str | None = None
    fpc: str | None = None

    @property
    def is_complex(self) -> bool:
        """True when strata, clusters or an fpc enter the variance."""
        return any((self.strata, self.cluster, self.fpc))


@dataclass(frozen=True)
class Questionnaire:
    """Everything a wave's columns mean."""

    questions: tuple[Question, ...] = ()
    segments: tuple[str, ...] = ()
    design: Design = field(default_factory=Design)
    columns: tuple[Column, ...] = ()

    def __post_init__(self) -> None:
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise SurveyDataError(f"question id {dup!r} is used twice in the wave")

    def question(self, key: str) -> Question:
        """The question with this id (the error lists the wave's questions)."""
        for q in self.questions:
            if q.id == key:
                return q
        known = ", ".join(q.id for q in self.questions) or "none"
        raise SurveyDataError(f"no question {key!r} in this wave (questions: {known})")

    def linked(self, library_id: str) -> Question | None:
        """The wave's question linked to a library question, if any."""
        return next((q for q in self.questions if q.link == library_id), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Questionnaire:
        """The questionnaire from :meth:`to_dict`'s output."""
        return cls(
            questions=tuple(_question(q) for q in raw.get("questions", ())),
            segments=tuple(raw.get("segments", ())),
            design=Design(**raw.get("design", {})),
            columns=tuple(Column(**c) for c in raw.get("columns", ())),
        )


def _question(raw: Mapping[str, Any]) -> Question:
    data = dict(raw)
    data["answers"] = tuple(Answer(**a) for a in data.get("answers", ()))
    data["columns"] = tuple(data.get("columns", ()))
    return Question(**data)


def answers_json(answers: Sequence[Answer]) -> list[dict[str, str]]:
    """Answers as the command line prints them: a list of {code, label}."""
    return [{"code": a.code, "label": a.label} for a in answers]
