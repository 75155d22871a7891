"""What ingest hands back: the file as read, the problems found, and the result.

Every object is immutable and converts to plain dicts, so the upload page can
show it and the store can keep it in the wave's metadata as JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import pandas as pd

from analysis.store.wave import Wave

SurveyFormat = Literal["qualtrics", "surveymonkey", "spss", "excel", "csv", "toplines"]
FORMATS: tuple[str, ...] = (
    "qualtrics",
    "surveymonkey",
    "spss",
    "excel",
    "csv",
    "toplines",
)
Severity = Literal["error", "warning", "info"]
Progress = Callable[[float, str], None]
"""A progress callback: (share done in 0–1, what is happening)."""

MAX_EXAMPLES = 5


@dataclass(frozen=True)
class RawSurvey:
    """A survey export as read, before any mapping: columns, texts and labels.

    ``data`` holds one column per file column, values as the file wrote them
    (strings for text files, numbers for SPSS), indexed 0..n-1 in file order.
    """

    file_name: str
    sha256: str
    format: SurveyFormat
    data: pd.DataFrame
    question_texts: Mapping[str, str] = field(default_factory=dict)
    value_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    missing_codes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    first_data_row: int = 2
    row_numbers: tuple[int, ...] = ()
    """The sheet row of each data row, when blank rows were skipped."""
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    variant: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        """The file's column names, in file order."""
        return tuple(str(c) for c in self.data.columns)

    def file_rows(self, positions: Any) -> list[int]:
        """Row numbers as a spreadsheet shows them (header rows counted)."""
        if self.row_numbers:
            return [self.row_numbers[int(p)] for p in positions]
        return [int(p) + self.first_data_row for p in positions]

    def summary(self) -> pd.DataFrame:
        """One row per column: its question text and a few example values."""
        rows = []
        for column in self.columns:
            values = self.data[column].dropna().unique()[:3]
            rows.append(
                {
                    "column": column,
                    "question_text": self.question_texts.get(column, ""),
                    "examples": " | ".join(str(v) for v in values),
                }
            )
        return pd.DataFrame(rows, columns=["column", "question_text", "examples"])


@dataclass(frozen=True)
class Problem:
    """One finding of validation, with where to look in the file."""

    severity: Severity
    check: str
    message: str
    column: str | None = None
    count: int = 0
    rows: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict."""
        return {
            "severity": self.severity,
            "check": self.check,
            "column": self.column,
            "count": self.count,
            "rows": list(self.rows),
            "message": self.message,
        }

    def line(self) -> str:
        """The problem as one readable line."""
        where = f"column {self.column!r}: " if self.column else ""
        rows = f" (rows {', '.join(map(str, self.rows))})" if self.rows else ""
        return f"{self.severity}: {where}{self.message}{rows}"


@dataclass(frozen=True)
class ValidationReport:
    """Everything found before storing: problems, rows left out, columns dropped."""

    file_name: str
    format: str
    rows_read: int
    rows_kept: int
    problems: tuple[Problem, ...] = ()
    left_out: Mapping[str, int] = field(default_factory=dict)
    dropped_personal: Mapping[str, str] = field(default_factory=dict)
    unmapped: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        raw: RawSurvey,
        problems: Sequence[Problem],
        left_out: Mapping[str, int],
        dropped: Mapping[str, str],
        unmapped: Sequence[str],
        kept: int,
    ) -> ValidationReport:
        """The report of one read file, whichever route mapped it."""
        return cls(
            file_name=raw.file_name,
            format=raw.format + (f" ({raw.variant})" if raw.variant else ""),
            rows_read=len(raw.data),
            rows_kept=kept,
            problems=tuple(problems),
            left_out=left_out,
            dropped_personal=dropped,
            unmapped=tuple(unmapped),
        )

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Problems that block the import."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Problems worth a look that do not block the import."""
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import."""
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict, as stored in the wave's metadata."""
        return {
            "file_name": self.file_name,
            "format": self.format,
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "left_out": dict(self.left_out),
            "dropped_personal": dict(self.dropped_personal),
            "unmapped": list(self.unmapped),
            "problems": [p.to_dict() for p in self.problems],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per problem, for a table on the upload page."""
        columns = ["severity", "check", "column", "count", "rows", "message"]
        return pd.DataFrame([p.to_dict() for p in self.problems], columns=columns)

    def to_text(self) -> str:
        """The report as lines of text, errors first."""
        lines = [
            f"{self.file_name} ({self.format}): {self.rows_read} rows read, "
            f"{self.rows_kept} kept"
        ]
        for reason, count in self.left_out.items():
            lines.append(f"  left out: {count} row(s), {reason}")
        for column, why in self.dropped_personal.items():
            lines.append(f"  dropped for privacy: {column!r} ({why})")
        if self.unmapped:
            lines.append(f"  left out (not mapped): {', '.join(self.unmapped)}")
        order = {"error": 0, "warning": 1, "info": 2}
        for problem in sorted(self.problems, key=lambda p: order[p.severity]):
            lines.append("  " + problem.line())
        return "\n".join(lines)


@dataclass(frozen=True)
class IngestOptions:
    """Choices the analyst makes about rows; the defaults suit most waves."""

    keep_incomplete: bool = False
    exclude_speeders: bool = False
    exclude_straightliners: bool = False
    source: str = ""
    fieldwork_start: date | None = None
    fieldwork_end: date | None = None
    speeder_ratio: float = 1 / 3
    min_grid: int = 3


@dataclass(frozen=True)
class IngestResult:
    """The prepared wave (None when errors block it) and its report."""

    wave: Wave | None
    report: ValidationReport
    mapping: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the wave may be stored."""
        return self.wave is not None and self.report.ok
