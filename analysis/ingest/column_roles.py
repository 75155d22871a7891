"""Each column's role before its questions are typed: the first pass of detection.

The order says what wins: the analyst's choice; personal data (by name); the
survey tool's own columns; design columns by header (respondent id, weight,
strata, PSU, fpc); personal data by content; dates; segments by header, then
by their answers. Whatever is left is a question, typed later.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from analysis.errors import IngestError
from analysis.ingest.privacy import personal_by_content, personal_by_name
from analysis.ingest.question_types import MAX_CODES, ColumnView
from analysis.ingest.roles import (
    design_role,
    is_second_stage,
    is_tool_metadata,
    segment_by_header,
)
from analysis.ingest.segments import AGE_CUTS, check_cuts, segment_by_values
from analysis.names import check_name
from analysis.store.questionnaire import COLUMN_ROLES, ColumnRole, QuestionType

DESIGN_ROLES: tuple[str, ...] = ("respondent_id", "weight", "strata", "cluster", "fpc")
RETYPES: tuple[str, ...] = ("single", "scale", "numeric")
"""The types an analyst may give a question column (a set is found, not chosen)."""
_DATE = re.compile(
    r"^[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?"
    r"(?:\s*[AP]M)?)?$|^[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?$",
    re.IGNORECASE,
)
_MAX_SEGMENT_VALUES = 60
_NUMBERS = re.compile(r"^-?[0-9]+(?:[.,][0-9]+)?(?:[eE][-+]?[0-9]+)?$")


@dataclass(frozen=True)
class Overrides:
    """The analyst's choices, which win over detection.

    Columns are named by their header as read (two header rows joined by
    ``" | "``). ``links`` maps a question id to a library question id (or None
    for no link); ``roles`` gives any column a role outright; ``types`` a
    question column its type (one of :data:`RETYPES`); ``segment_names`` a
    segment column its name (``country``, ``age_band``, ``gender``,
    ``region`` recode the values as those segments do, any other keeps them).
    """

    weight: str | None = None
    strata: str | None = None
    cluster: str | None = None
    fpc: str | None = None
    respondent_id: str | None = None
    segments: tuple[str, ...] = ()
    roles: Mapping[str, str] = field(default_factory=dict)
    links: Mapping[str, str | None] = field(default_factory=dict)
    age_cuts: tuple[int, ...] = AGE_CUTS
    types: Mapping[str, QuestionType] = field(default_factory=dict)
    segment_names: Mapping[str, str] = field(default_factory=dict)

    def forced(self) -> dict[str, str]:
        """Header → role for every column the analyst named."""
        chosen: dict[str, str] = {}
        for header, role in self._choices():
            if chosen.get(header, role) != role:
                raise IngestError(
                    f"column {header!r} is given two roles: {chosen[header]} and {role}"
                )
            chosen[header] = role
        return chosen

    def design_segments(self) -> dict[str, str]:
        """Strata or PSU columns that are also segments: design role → header.

        A stratum is often a reporting domain too (a province); such a
        column keeps its segment role, and the design names its stored column.
        """
        shared = {getattr(self, r): r for r in ("strata", "cluster")}
        return {role: h for h, role in shared.items() if h and h in self.segments}

    def _choices(self) -> list[tuple[str, str]]:
        shared = set(self.design_segments().values())
        named = [
            (getattr(self, r), r)
            for r in DESIGN_ROLES
            if getattr(self, r) and getattr(self, r) not in shared
        ]
        segments = [(h, "segment") for h in self.segments]
        return [*named, *segments, *self.roles.items()]

    def check(self, columns: tuple[str, ...], library_ids: frozenset[str]) -> None:
        """Every named column exists, every role and library question is known."""
        check_cuts(self.age_cuts)
        known = set(columns)
        for header, role in self.forced().items():
            if header not in known:
                raise IngestError(
                    f"column {header!r} is not in the file (columns: "
                    f"{', '.join(columns[:20])}{' …' if len(columns) > 20 else ''})"
                )
            if role not in COLUMN_ROLES:
                raise IngestError(
                    f"column {header!r}: role {role!r} must be one of "
                    f"{', '.join(COLUMN_ROLES)}"
                )
        self._check_named(known)
        for question, target in self.links.items():
            if target is not None and target not in library_ids:
                raise IngestError(
                    f"question {question!r}: no library question {target!r} "
                    f"(library: {', '.join(sorted(library_ids))})"
                )

    def _check_named(self, known: set[str]) -> None:
        for header, kind in self.types.items():
            if header not in known:
                raise IngestError(f"column {header!r} is not in the file")
            if kind not in RETYPES:
                raise IngestError(
                    f"column {header!r}: type {kind!r} must be one of "
                    f"{', '.join(RETYPES)}"
                )
        for header, name in self.segment_names.items():
            if header not in known:
                raise IngestError(f"column {header!r} is not in the file")
            check_name(name, "segment")


@dataclass(frozen=True)
class FirstRole:
    """A column's role after the first pass (None: a question, typed later)."""

    role: ColumnRole | None
    reason: str = ""
    segment: str | None = None


def first_role(view: ColumnView, series: pd.Series, forced: str | None) -> FirstRole:
    """The role a column's header, values and the analyst's choice give it."""
    if forced is not None:
        return _forced(view, forced)
    personal = personal_by_name(view.header)
    if personal:
        return FirstRole("personal_data", f"personal data ({personal}), never stored")
    if is_tool_metadata(view.header):
        return FirstRole("left_out", "survey tool metadata")
    design = _design(view)
    if design is not None:
        return design
    if is_second_stage(view.header):
        return FirstRole(
            "left_out",
            "second-stage unit: only the first stage (PSU) enters the variance",
        )
    personal = personal_by_content(series)
    if personal:
        return FirstRole("personal_data", f"{personal} in the answers, never stored")
    if _mostly(view, _DATE):
        return FirstRole("left_out", "dates or times")
    return _segment(view) or FirstRole(None)


def _forced(view: ColumnView, role: str) -> FirstRole:
    if role == "segment":
        name = _segment_name(view) or "own"
        return FirstRole("segment", "chosen by the analyst", name)
    if role == "question":
        return FirstRole(None, "chosen by the analyst")
    return FirstRole(role, "chosen by the analyst")  # type: ignore[arg-type]


def _design(view: ColumnView) -> FirstRole | None:
    role = design_role(view.header)
    if role is None:
        return None
    if role in ("weight", "fpc") and not _mostly(view, _NUMBERS, share=0.9):
        return None
    return FirstRole(role, f"the header names the {_DESIGN_WORDS[role]}")


_DESIGN_WORDS = {
    "respondent_id": "respondent id",
    "weight": "weight",
    "strata": "strata",
    "cluster": "PSU (cluster)",
    "fpc": "finite population correction",
}


def _segment(view: ColumnView) -> FirstRole | None:
    by_header = segment_by_header(view.header, view.text)
    if by_header in ("region", "own") and not _categorical(view):
        by_header = None  # an income in euros is a number, not a segment
    if by_header is not None:
        return FirstRole("segment", "the header names a segment", by_header)
    by_values = segment_by_values([view.label(k) for k in view.keys])
    if by_values is not None:
        return FirstRole("segment", f"the answers are {by_values} values", by_values)
    return None


def _categorical(view: ColumnView) -> bool:
    if len(view.keys) > _MAX_SEGMENT_VALUES:
        return False
    return not (view.all_numbers and len(view.keys) > MAX_CODES)


def _segment_name(view: ColumnView) -> str | None:
    return segment_by_header(view.header, view.text) or segment_by_values(
        [view.label(k) for k in view.keys]
    )


def _mostly(view: ColumnView, pattern: re.Pattern[str], share: float = 0.8) -> bool:
    if not view.keys:
        return False
    found = sum(bool(pattern.match(k)) for k in view.keys)
    return found >= share * len(view.keys)
