"""From a read file and a mapping to a wave that may be stored, with its report.

Only what the mapping names is kept (respondent id, weight, segments, codebook
questions), so anything else a survey export carries stays out by
construction; personal data is also recognised by name and content and
reported. Nothing here touches the store: the caller stores ``result.wave``
only when ``result.report.ok``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.errors import IngestError
from analysis.formulas import is_formula
from analysis.ingest.labels import DONT_KNOW, recode_segment
from analysis.ingest.mapping import SurveyMapping
from analysis.ingest.model import (
    IngestOptions,
    IngestResult,
    Problem,
    Progress,
    RawSurvey,
    ValidationReport,
)
from analysis.ingest.privacy import personal_by_content, personal_by_name
from analysis.ingest.quality import durations, incomplete, speeders, straightliners
from analysis.ingest.recode import parse_numbers, recode_answers, respondent_ids
from analysis.ingest.toplines import prepare_toplines
from analysis.ingest.validation import (
    check_answered,
    check_formulas,
    check_ids,
    check_mapping,
    check_segment,
    check_weights,
    problem,
    unknown_answers,
)
from analysis.library.codebook import Codebook
from analysis.names import check_name
from analysis.store.wave import Wave, WaveMeta

_INCOMPLETE = "incomplete (Finished = 0 or Progress < 100)"
_SPEEDER = "speeders (under a third of the median duration)"
_STRAIGHT = "straight-liners (one answer across a grid)"


def prepare_wave(
    raw: RawSurvey,
    mapping: SurveyMapping,
    codebook: Codebook,
    wave_name: str,
    options: IngestOptions | None = None,
    *,
    progress: Progress | None = None,
) -> IngestResult:
    """Apply a mapping, validate, and build the wave (None when errors block it).

    Parameters
    ----------
    raw
        The file as :func:`read_survey` read it.
    mapping
        Each column's role, from :func:`suggest_mapping` or a saved profile.
    codebook
        The questions answers are coded against.
    wave_name
        The new wave's name (e.g. ``FR-2025-Q1``).
    options
        Which rows to leave out, and the wave's source and fieldwork dates.
    progress
        Called with (share done, step) as the work advances.

    Returns
    -------
    IngestResult
        ``wave`` (None when the report holds errors) and the ``report``.
    """
    wave_name = check_name(wave_name, "wave")
    opts = options or IngestOptions()
    if is_formula(opts.source):
        raise IngestError(
            f"source {opts.source[:40]!r} starts like a spreadsheet formula; "
            "start it with a letter or a digit"
        )
    step = progress or (lambda share, what: None)
    if raw.format == "toplines":
        return prepare_toplines(raw, wave_name, codebook, opts)
    step(0.05, "checking the mapping")
    problems = check_mapping(raw, mapping, codebook)
    if any(p.severity == "error" for p in problems):
        return IngestResult(
            None, _report(raw, problems, {}, {}, mapping, 0), mapping.to_dict()
        )
    builder = _Builder(raw, mapping, codebook, problems)
    step(0.15, "recoding answers")
    frame = builder.build()
    step(0.6, "checking response quality")
    keep, left_out = _quality(raw, frame, builder, opts)
    step(0.75, "validating the rows kept")
    kept = frame.loc[keep]
    builder.validate(kept)
    step(0.85, "looking for personal data")
    kept, dropped = _privacy(raw, kept, builder)
    report = _report(raw, problems, left_out, dropped, mapping, len(kept))
    step(0.95, "building the wave")
    wave = None if not report.ok else _wave(raw, kept, wave_name, opts, mapping, report)
    step(1.0, "done")
    return IngestResult(wave=wave, report=report, mapping=mapping.to_dict())


class _Builder:
    """Builds the respondent columns and collects the problems on the way."""

    def __init__(
        self,
        raw: RawSurvey,
        mapping: SurveyMapping,
        codebook: Codebook,
        problems: list[Problem],
    ) -> None:
        self.raw, self.mapping, self.codebook = raw, mapping, codebook
        self.problems = problems
        self.questions: dict[str, str] = {}  # question id -> file column
        self.segments: dict[str, str] = {}  # segment -> file column
        self.unknown_segments: dict[str, list[str]] = {}

    def build(self) -> pd.DataFrame:
        data = self.raw.data
        columns: dict[str, pd.Series] = {}
        ids = self.mapping.by_role("respondent_id")
        if ids:
            columns["respondent_id"] = respondent_ids(data[ids[0].column])
        else:
            rows = self.raw.file_rows(range(len(data)))
            columns["respondent_id"] = pd.Series(
                [f"row-{r}" for r in rows], index=data.index, dtype="str"
            )
            self.problems.append(
                problem(
                    self.raw,
                    "info",
                    "generated_id",
                    "no respondent id column: ids are the file's row numbers",
                )
            )
        weights = self.mapping.by_role("weight")
        columns["weight"] = (
            parse_numbers(data[weights[0].column])
            if weights
            else pd.Series(1.0, index=data.index)
        )
        for entry in self.mapping.by_role("segment"):
            values, unknown = recode_segment(
                data[entry.column],
                entry.target,
                self.raw.value_labels.get(entry.column),
            )
            columns[entry.target] = values
            self.segments[entry.target] = entry.column
            self.unknown_segments[entry.target] = unknown
        for entry in self.mapping.by_role("question"):
            columns[entry.target] = self._answers(
                entry.column, entry.target, entry.answers
            )
        return pd.DataFrame(columns, index=data.index)

    def _answers(
        self, column: str, target: str, answers: Mapping[str, int | None]
    ) -> pd.Series:
        question = self.codebook.questions[target]
        recoded = recode_answers(
            self.raw.data[column],
            question,
            answers,
            self.raw.value_labels.get(column, {}),
            self.raw.missing_codes.get(column, frozenset()),
        )
        self.questions[target] = column
        if len(recoded.unknown):
            self.problems.append(
                unknown_answers(
                    self.raw,
                    column,
                    target,
                    recoded.unknown,
                    recoded.unknown_values,
                    sorted(question.codes),
                )
            )
        return recoded.values

    def validate(self, kept: pd.DataFrame) -> None:
        ids = self.mapping.by_role("respondent_id")
        weights = self.mapping.by_role("weight")
        id_column = ids[0].column if ids else None
        self.problems.extend(check_ids(self.raw, kept["respondent_id"], id_column))
        self.problems.extend(
            check_formulas(self.raw, kept["respondent_id"], id_column, "respondent id")
        )
        self.problems.extend(
            check_weights(
                self.raw, kept["weight"], weights[0].column if weights else None
            )
        )
        for target, column in self.segments.items():
            self.problems.extend(check_formulas(self.raw, kept[target], column, target))
            self.problems.extend(
                check_segment(
                    self.raw,
                    kept[target],
                    column,
                    target,
                    self.unknown_segments[target],
                )
            )
        for target, column in self.questions.items():
            self.problems.extend(check_answered(self.raw, kept[target], column, target))

    def grids(self) -> dict[str, list[str]]:
        """Mapped questions grouped by answer scale: the Likert grids."""
        grids: dict[str, list[str]] = {}
        for target in self.questions:
            question = self.codebook.questions[target]
            if len(question.codes - {DONT_KNOW}) >= 3:  # ordered scales, not yes/no
                grids.setdefault(question.type, []).append(target)
        return grids


def _quality(
    raw: RawSurvey, frame: pd.DataFrame, builder: _Builder, opts: IngestOptions
) -> tuple[np.ndarray, dict[str, int]]:
    keep = np.ones(len(frame), dtype=bool)
    left_out: dict[str, int] = {}
    partial = incomplete(raw.data)
    if partial.any() and not opts.keep_incomplete:
        keep &= ~partial
        left_out[_INCOMPLETE] = int(partial.sum())
    elif partial.any():
        builder.problems.append(
            problem(
                raw,
                "warning",
                "incomplete",
                "incomplete responses kept as asked",
                None,
                np.flatnonzero(partial),
            )
        )
    seconds = durations(raw.data)
    if seconds is not None:
        fast = speeders(seconds, keep, opts.speeder_ratio) & keep
        keep = _flag(
            raw,
            builder,
            keep,
            fast,
            opts.exclude_speeders,
            left_out,
            _SPEEDER,
            "speeder",
            "--exclude-speeders",
        )
    codes = {q: frame[q] for q in builder.questions}
    flat = np.zeros(len(frame), dtype=bool)
    for grid, rows in straightliners(codes, builder.grids(), opts.min_grid).items():
        flat |= rows & keep
        if (rows & keep).any():
            builder.problems.append(
                problem(
                    raw,
                    "warning",
                    "straightliner",
                    f"the same answer to every {grid} question"
                    + (
                        ""
                        if opts.exclude_straightliners
                        else " (kept; --exclude-straightliners leaves them out)"
                    ),
                    None,
                    np.flatnonzero(rows & keep),
                )
            )
    if opts.exclude_straightliners and flat.any():
        keep &= ~flat
        left_out[_STRAIGHT] = int(flat.sum())
    return keep, left_out


def _flag(
    raw: RawSurvey,
    builder: _Builder,
    keep: np.ndarray,
    rows: np.ndarray,
    exclude: bool,
    left_out: dict[str, int],
    reason: str,
    check: str,
    flag: str,
) -> np.ndarray:
    if not rows.any():
        return keep
    note = "" if exclude else f" (kept; {flag} leaves them out)"
    builder.problems.append(
        problem(raw, "warning", check, reason + note, None, np.flatnonzero(rows))
    )
    if exclude:
        left_out[reason] = int(rows.sum())
        kept: np.ndarray = keep & ~rows
        return kept
    return keep


def _privacy(
    raw: RawSurvey, kept: pd.DataFrame, builder: _Builder
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Drop kept columns that hold personal data; list every personal column."""
    dropped: dict[str, str] = {}
    for column in raw.columns:
        kind = personal_by_name(column)
        if kind:
            dropped[column] = kind
    for target, column in list(builder.segments.items()):
        kind = dropped.get(column) or personal_by_content(kept[target])
        if kind:
            dropped[column] = kind
            kept = kept.drop(columns=[target])
            del builder.segments[target]
    ids = builder.mapping.by_role("respondent_id")
    if ids:
        kind = dropped.get(ids[0].column) or personal_by_content(kept["respondent_id"])
        if kind:
            dropped[ids[0].column] = kind
            rows = raw.file_rows(kept.index)
            kept = kept.assign(respondent_id=[f"row-{r}" for r in rows])
    mapped = set(builder.segments.values()) | set(builder.questions.values())
    for column in raw.columns:
        if column in dropped or column in mapped:
            continue
        kind = personal_by_content(raw.data[column])
        if kind:
            dropped[column] = f"{kind} in the answers"
    return kept, dropped


def _report(
    raw: RawSurvey,
    problems: list[Problem],
    left_out: dict[str, int],
    dropped: dict[str, str],
    mapping: SurveyMapping,
    kept: int,
) -> ValidationReport:
    used = {e.column for e in mapping.columns if e.role != "left_out"}
    unmapped = tuple(c for c in raw.columns if c not in used and c not in dropped)
    return ValidationReport.of(raw, problems, left_out, dropped, unmapped, kept)


def _wave(
    raw: RawSurvey,
    kept: pd.DataFrame,
    name: str,
    opts: IngestOptions,
    mapping: SurveyMapping,
    report: ValidationReport,
) -> Wave | None:
    data = kept.reset_index(drop=True)
    countries: tuple[str, ...] = ()
    if "country" in data:
        countries = tuple(sorted(str(c) for c in data["country"].dropna().unique()))
    meta = WaveMeta(
        name=name,
        kind="respondents",
        source=opts.source or f"upload of {raw.file_name}",
        file_name=raw.file_name,
        file_sha256=raw.sha256,
        fieldwork_start=opts.fieldwork_start,
        fieldwork_end=opts.fieldwork_end,
        countries=countries,
        mapping=mapping.to_dict(),
        report=report.to_dict(),
    )
    return Wave(meta=meta, data=data)
