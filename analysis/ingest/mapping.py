"""Which column is which: the mapping from a file's columns to the codebook.

A mapping says, for each column, whether it is a codebook question (and which
answer label is which code), a segment, the weight, the respondent id, or left
out. :func:`suggest_mapping` proposes one from column names, question texts
and answer labels in English and French; the analyst edits it (as a table on
the upload page) and saves it as a named profile, so that the next wave of the
same survey maps with no edits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Literal, get_args

import pandas as pd

from analysis.errors import IngestError
from analysis.ingest.labels import (
    answer_code,
    is_no_answer,
    normalise,
    normalise_known,
    value_key,
)
from analysis.ingest.model import RawSurvey
from analysis.ingest.privacy import personal_by_name
from analysis.library.codebook import Codebook, Question

Role = Literal[
    "question",
    "segment",
    "weight",
    "respondent_id",
    "strata",
    "cluster",
    "fpc",
    "left_out",
]
ROLES: tuple[str, ...] = get_args(Role)
MAX_LABELS = 60  # more distinct values than this is free text, not a closed answer
_TEXT_MATCH = 0.6

# Column names (normalised) that say a column's role, separated by "|".
_NAMED_ROLES: tuple[tuple[str, str, str], ...] = (
    (
        "respondent_id",
        "",
        "respondent_id|responseid|respondent id|response id|id|"
        "resp_id|respid|identifiant|id repondant|record",
    ),
    ("weight", "", "weight|poids|wt|weighting|pond|ponderation|gewicht"),
    (
        "segment",
        "country",
        "country|pays|land|country_code|pays de residence|country of residence",
    ),
    (
        "segment",
        "age_band",
        "age_band|age|age band|tranche d'age|tranche age|age group|classe d'age",
    ),
    ("segment", "gender", "gender|sexe|genre|sex"),
)
_ROLE_NAMES: Mapping[str, tuple[str, str]] = {
    name: (role, target)
    for role, target, names in _NAMED_ROLES
    for name in names.split("|")
}
# Columns Qualtrics and SurveyMonkey add to every export (normalised names).
_TOOL_METADATA = frozenset(
    re.split(
        r"\|",
        "startdate|enddate|status|progress|duration (in seconds)|finished|"
        "recordeddate|distributionchannel|userlanguage|collector id|start date|"
        "end date",
    )
)
_STOP = frozenset(
    re.findall(
        r"\w+",
        "the a an of to and or for with your you my i is it do are in on that from "
        "le la les de des du et ou pour avec vos votre mes mon je est que qui en un "
        "une vous aupres",
    )
)


@dataclass(frozen=True)
class ColumnMap:
    """One column's role; for a question, its answer labels and their codes."""

    column: str
    role: Role = "left_out"
    target: str = ""
    answers: Mapping[str, int | None] = field(default_factory=dict)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The profile entry of this column (without its name)."""
        entry: dict[str, Any] = {"role": self.role}
        if self.target:
            entry["target"] = self.target
        if self.answers:
            entry["answers"] = dict(self.answers)
        if self.note:
            entry["note"] = self.note
        return entry


@dataclass(frozen=True)
class SurveyMapping:
    """Every column's role, in file order; editable as a DataFrame."""

    columns: tuple[ColumnMap, ...]
    name: str = ""

    def get(self, column: str) -> ColumnMap:
        """A column's entry; a column the mapping does not know is left out."""
        for entry in self.columns:
            if entry.column == column:
                return entry
        return ColumnMap(column=column, note="not in the mapping")

    def by_role(self, role: Role) -> tuple[ColumnMap, ...]:
        """The entries with one role, in file order."""
        return tuple(entry for entry in self.columns if entry.role == role)

    def to_frame(self) -> pd.DataFrame:
        """One row per column (column, role, target, note), for st.data_editor."""
        rows = [
            {"column": e.column, "role": e.role, "target": e.target, "note": e.note}
            for e in self.columns
        ]
        return pd.DataFrame(rows, columns=["column", "role", "target", "note"])

    def answers_frame(self) -> pd.DataFrame:
        """One row per (question column, answer label) with its code."""
        rows = [
            {"column": e.column, "answer": answer, "code": code}
            for e in self.by_role("question")
            for answer, code in e.answers.items()
        ]
        frame = pd.DataFrame(rows, columns=["column", "answer", "code"])
        frame["code"] = frame["code"].astype("Int16")
        return frame

    def with_frame(
        self, roles: pd.DataFrame, answers: pd.DataFrame | None = None
    ) -> SurveyMapping:
        """The mapping with the edits of :meth:`to_frame` (and answers) applied."""
        codes: dict[str, dict[str, int | None]] = {}
        if answers is not None:
            for column, answer, code in answers[["column", "answer", "code"]].to_numpy(
                dtype=object
            ):
                value = None if _blank(code) else int(code)
                codes.setdefault(str(column), {})[str(answer)] = value
        entries = []
        cells = roles[["column", "role", "target", "note"]].to_numpy(dtype=object)
        for column, role, target, note in cells:
            old = self.get(str(column))
            entries.append(
                _entry(
                    str(column),
                    str(role),
                    "" if _blank(target) else str(target),
                    codes.get(str(column), dict(old.answers)),
                    "" if _blank(note) else str(note),
                )
            )
        return SurveyMapping(columns=tuple(entries), name=self.name)

    def to_dict(self) -> dict[str, Any]:
        """The mapping as a profile (and as the wave's stored metadata)."""
        return {
            "name": self.name,
            "columns": {e.column: e.to_dict() for e in self.columns},
        }

    @classmethod
    def from_dict(cls, raw: Any, *, origin: str = "mapping") -> SurveyMapping:
        """A mapping from its profile form; errors name the column and field."""
        if not isinstance(raw, dict) or not isinstance(raw.get("columns"), dict):
            raise IngestError(f"{origin}: a mapping profile needs a 'columns' mapping")
        entries = []
        for column, entry in raw["columns"].items():
            if not isinstance(entry, dict):
                raise IngestError(f"{origin}, column {column!r}: must be a mapping")
            answers = entry.get("answers") or {}
            if not isinstance(answers, dict):
                raise IngestError(f"{origin}, column {column!r}: answers must map")
            entries.append(
                _entry(
                    str(column),
                    str(entry.get("role", "left_out")),
                    str(entry.get("target", "")),
                    {str(k): _code(v, origin, column) for k, v in answers.items()},
                    str(entry.get("note", "")),
                    origin,
                )
            )
        return cls(columns=tuple(entries), name=str(raw.get("name", "")))


def _blank(value: Any) -> bool:
    return value is None or value == "" or bool(pd.isna(value))


def _entry(
    column: str,
    role: str,
    target: str,
    answers: Mapping[str, int | None],
    note: str,
    origin: str = "mapping",
) -> ColumnMap:
    if role not in ROLES:
        raise IngestError(
            f"{origin}, column {column!r}: role {role!r} is not one of "
            f"{', '.join(ROLES)}"
        )
    return ColumnMap(column, role, target, answers, note)  # type: ignore[arg-type]


def _code(value: Any, origin: str, column: str) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise IngestError(
        f"{origin}, column {column!r}: answer code {value!r} must be an integer or null"
    )


# -- suggestion -------------------------------------------------------------------


def suggest_mapping(
    raw: RawSurvey, codebook: Codebook, *, name: str = ""
) -> SurveyMapping:
    """A first mapping, from column names, question texts and answer labels."""
    entries: list[ColumnMap] = []
    taken: set[tuple[str, str]] = set()
    for column in raw.columns:
        entry = _suggest_column(raw, column, codebook)
        key = (entry.role, entry.target)
        if entry.role != "left_out" and key in taken:
            entry = ColumnMap(column, note=f"another column is already {_what(entry)}")
        taken.add(key)
        entries.append(entry)
    return SurveyMapping(columns=tuple(entries), name=name)


def _what(entry: ColumnMap) -> str:
    return f"{entry.role} {entry.target}".strip()


def _suggest_column(raw: RawSurvey, column: str, codebook: Codebook) -> ColumnMap:
    personal = personal_by_name(column)
    if personal:
        return ColumnMap(column, note=f"personal data ({personal}), never stored")
    key = normalise(column)
    if key in _TOOL_METADATA:
        return ColumnMap(column, note="survey tool metadata")
    if key in _ROLE_NAMES:
        role, target = _ROLE_NAMES[key]
        return _entry(column, role, target, {}, "column name")
    named = codebook.questions.get(column) or codebook.questions.get(key)
    if named is not None:
        return _question_entry(raw, column, named, "column name")
    labels = _distinct_keys(raw, column)
    if labels is None:
        return ColumnMap(column, note="free text or numbers, not a closed question")
    best, score = _best_question(raw, column, labels, codebook)
    if best is None:
        return ColumnMap(column, note="no codebook question matches")
    return _question_entry(raw, column, best, f"question text ({score:.2f})")


def _distinct_keys(raw: RawSurvey, column: str) -> list[str] | None:
    uniques = raw.data[column].dropna().unique()
    if len(uniques) > MAX_LABELS:
        return None
    return [value_key(v) for v in uniques]


def _question_entry(
    raw: RawSurvey, column: str, question: Question, why: str
) -> ColumnMap:
    labels = raw.value_labels.get(column, {})
    missing = raw.missing_codes.get(column, frozenset())
    keys = list(dict.fromkeys([*labels, *(_distinct_keys(raw, column) or [])]))
    answers: dict[str, int | None] = {}
    for key in keys:
        code = answer_code(key, question, labels)
        if code is not None:
            answers[key] = code
        elif key in missing or is_no_answer(key, labels):
            answers[key] = None
    ordered = dict(sorted(answers.items(), key=lambda kv: (kv[1] is None, kv[1] or 0)))
    return ColumnMap(column, "question", question.id, ordered, why)


def _best_question(
    raw: RawSurvey, column: str, keys: list[str], codebook: Codebook
) -> tuple[Question | None, float]:
    """The question whose text is closest, among those whose labels fit."""
    text = raw.question_texts.get(column) or column
    labels = raw.value_labels.get(column, {})
    best: Question | None = None
    best_score = 0.0
    for question in codebook.questions.values():
        if not _labels_fit(keys, question, labels):
            continue
        score = max(
            _similarity(text, question.text.en), _similarity(text, question.text.fr)
        )
        if score > best_score:
            best, best_score = question, score
    return (best, best_score) if best_score >= _TEXT_MATCH else (None, best_score)


def _labels_fit(
    keys: Iterable[str], question: Question, labels: Mapping[str, str]
) -> bool:
    known = [answer_code(k, question, labels) is not None for k in keys if k]
    return not known or sum(known) >= 0.5 * len(known)


_COMPARED = 400  # characters of a file's question text worth comparing


def _similarity(found: str, wanted: str) -> float:
    """Close wording, or every telling word of the codebook text present."""
    a, b = normalise(_strip_number(found[:_COMPARED])), normalise_known(wanted)
    ratio = SequenceMatcher(None, a, b).ratio()
    words_b = _words(b)
    cover = len(words_b & _words(a)) / len(words_b) if words_b else 0.0
    return max(ratio, cover * 0.95)


def _strip_number(text: str) -> str:
    """Qualtrics prefixes texts with the block and number ("Q3 - …")."""
    return re.sub(r"^\s*q?\d+[a-z]?\s*[-.:)]\s*", "", text, flags=re.IGNORECASE)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{3,}", text) if w not in _STOP}


__all__ = ["ROLES", "ColumnMap", "SurveyMapping", "suggest_mapping"]
