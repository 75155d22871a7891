"""A saved mapping profile: each column's role, segment name or library link.

A profile (``data/mappings/*.yaml``, see :mod:`analysis.ingest.profiles`)
names, for each column, its role — a question (and the library question it
links to), a segment (and its name), the weight, the respondent id, a design
column (strata, cluster, fpc) — or leaves it out.
:func:`~analysis.ingest.profile_overrides.profile_overrides` turns it into
the analyst's choices for questionnaire detection;
:func:`~analysis.ingest.profile_overrides.detection_profile` saves a
detection as one. Profiles written before questionnaires (with ``answers``
per question) still load.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from analysis.errors import IngestError

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
    """Every column's role, in file order: a saved mapping profile."""

    columns: tuple[ColumnMap, ...]
    name: str = ""

    def get(self, column: str) -> ColumnMap:
        """A column's entry; a column the mapping does not know is left out."""
        for entry in self.columns:
            if entry.column == column:
                return entry
        return ColumnMap(column=column, note="not in the mapping")

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


__all__ = ["ROLES", "ColumnMap", "SurveyMapping"]
