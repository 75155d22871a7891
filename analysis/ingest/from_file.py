"""From a read file to a wave that carries the file's own questionnaire.

:func:`prepare_file_wave` detects the questionnaire
(:func:`analysis.ingest.questionnaire.detect_questionnaire`), leaves out the
rows the analyst asked to (incomplete, speeders, straight-liners), validates
what is kept (ids, weights, design columns, spreadsheet formulas) and builds
the :class:`~analysis.store.wave.Wave`. Nothing is gated on the library: a
file answering none of its questions imports like any other. Personal data
never reaches the wave: detection drops the columns it recognises, and a kept
segment or id whose values look personal is dropped here. Every problem names
the file's column and rows. The caller stores ``result.wave`` only when
``result.report.ok``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from analysis.errors import IngestError
from analysis.formulas import is_formula
from analysis.ingest.column_roles import Overrides
from analysis.ingest.model import (
    IngestOptions,
    IngestResult,
    Problem,
    Progress,
    RawSurvey,
    ValidationReport,
)
from analysis.ingest.privacy import personal_by_content, personal_by_name, with_rows
from analysis.ingest.quality import durations, incomplete, speeders, straightliners
from analysis.ingest.questionnaire import Detection, detect_questionnaire
from analysis.ingest.toplines import prepare_toplines
from analysis.ingest.validation import (
    check_answered,
    check_formulas,
    check_ids,
    check_weights,
    problem,
)
from analysis.library.codebook import Codebook
from analysis.names import check_name
from analysis.store.origin import upload_source
from analysis.store.wave import Wave, WaveMeta

_INCOMPLETE = "incomplete (Finished = 0 or Progress < 100)"
_SPEEDER = "speeders (under a third of the median duration)"
_STRAIGHT = "straight-liners (one answer across a grid)"


def prepare_file_wave(
    raw: RawSurvey,
    codebook: Codebook,
    wave_name: str,
    options: IngestOptions | None = None,
    *,
    overrides: Overrides | None = None,
    progress: Progress | None = None,
    detection: Detection | None = None,
) -> IngestResult:
    """Detect the file's questionnaire, validate its rows and build the wave.

    Parameters
    ----------
    raw
        The file as :func:`analysis.ingest.readers.read_survey` read it.
    codebook
        The library a question may link to (never a gate).
    wave_name
        The new wave's name.
    options
        Which rows to leave out; the wave's source and fieldwork dates.
    overrides
        The analyst's design, segment, role and link choices (they win).
    progress
        Called with (share done, step) as the work advances.
    detection
        The file's detection with these ``overrides``, when the caller has
        it already (it is not made again).

    Returns
    -------
    IngestResult
        ``wave`` (None when the report holds errors), the ``report``, and
        ``mapping``: the per-column roles as the command line prints them.
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
    step(0.1, "detecting the questionnaire")
    if detection is None:
        detection = detect_questionnaire(raw, codebook, overrides=overrides)
    problems: list[Problem] = []
    frame = _with_ids(raw, detection, problems)
    step(0.6, "checking response quality")
    keep, left_out = _quality(raw, frame, detection, opts, problems)
    kept = frame.loc[keep]
    step(0.75, "validating the rows kept")
    _validate(raw, kept, detection, problems)
    step(0.85, "looking for personal data")
    kept, dropped = _privacy(raw, kept, detection)
    report = _report(raw, detection, problems, left_out, dropped, len(kept))
    wave = _wave(raw, kept, wave_name, opts, detection, report) if report.ok else None
    step(1.0, "done")
    return IngestResult(wave=wave, report=report, mapping=detection.mapping())


def _header(detection: Detection, stored: str) -> str | None:
    """The file's header of a stored column."""
    return next(
        (c.header for c in detection.questionnaire.columns if c.stored_as == stored),
        None,
    )


def _with_ids(
    raw: RawSurvey, detection: Detection, problems: list[Problem]
) -> pd.DataFrame:
    frame = detection.respondents.copy()
    if "respondent_id" not in frame:
        rows = raw.file_rows(range(len(frame)))
        frame.insert(0, "respondent_id", [f"row-{r}" for r in rows])
        problems.append(
            problem(
                raw,
                "info",
                "generated_id",
                "no respondent id column: ids are the file's row numbers",
            )
        )
    if "weight" not in frame:
        frame.insert(1, "weight", 1.0)  # unweighted: the design names no weight
    return frame


def _quality(
    raw: RawSurvey,
    frame: pd.DataFrame,
    detection: Detection,
    opts: IngestOptions,
    problems: list[Problem],
) -> tuple[np.ndarray, dict[str, int]]:
    keep = np.ones(len(frame), dtype=bool)
    left_out: dict[str, int] = {}
    partial = incomplete(raw.data)
    if partial.any() and not opts.keep_incomplete:
        keep &= ~partial
        left_out[_INCOMPLETE] = int(partial.sum())
    elif partial.any():
        problems.append(
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
    flagged: list[tuple[np.ndarray, bool, str, str, str]] = []
    if seconds is not None:
        fast = speeders(seconds, keep, opts.speeder_ratio) & keep
        flagged.append(
            (fast, opts.exclude_speeders, _SPEEDER, "speeder", "--exclude-speeders")
        )
    flat = np.zeros(len(frame), dtype=bool)
    for rows in straightliners(*_grids(frame, detection), opts.min_grid).values():
        flat |= rows & keep
    flagged.append(
        (
            flat,
            opts.exclude_straightliners,
            _STRAIGHT,
            "straightliner",
            "--exclude-straightliners",
        )
    )
    for rows, exclude, reason, check, flag in flagged:
        if not rows.any():
            continue
        note = "" if exclude else f" (kept; {flag} leaves them out)"
        problems.append(
            problem(raw, "warning", check, reason + note, None, np.flatnonzero(rows))
        )
        if exclude:
            left_out[reason] = int(rows.sum())
            keep = keep & ~rows
    return keep, left_out


def _grids(
    frame: pd.DataFrame, detection: Detection
) -> tuple[dict[str, pd.Series], dict[str, list[str]]]:
    """Scale questions sharing one set of answer codes: the Likert grids."""
    codes: dict[str, pd.Series] = {}
    grids: dict[str, list[str]] = {}
    for question in detection.questionnaire.questions:
        if question.type != "scale" or len(question.columns) != 1:
            continue
        column = question.columns[0]
        # a scale's place of each answer: codes may be text ("Plutôt d'accord")
        place = {a.code: float(i) for i, a in enumerate(question.counted)}
        codes[column] = frame[column].map(place).astype("float64")
        key = "/".join(a.code for a in question.counted)
        grids.setdefault(key, []).append(column)
    return codes, grids


def _validate(
    raw: RawSurvey, kept: pd.DataFrame, detection: Detection, problems: list[Problem]
) -> None:
    quest = detection.questionnaire
    id_column = _header(detection, "respondent_id")
    problems.extend(check_ids(raw, kept["respondent_id"], id_column))
    problems.extend(
        check_formulas(raw, kept["respondent_id"], id_column, "respondent id")
    )
    if quest.design.weight:
        weights = pd.to_numeric(kept[quest.design.weight], errors="coerce")
        problems.extend(check_weights(raw, weights, _header(detection, "weight")))
    for role in ("strata", "cluster", "fpc"):
        column = getattr(quest.design, role)
        if column is None:
            continue
        values = kept[column]
        empty = values.index[values.isna().to_numpy()]
        if len(empty):
            problems.append(
                problem(
                    raw,
                    "error",
                    f"missing_{role}",
                    f"{role} is missing",
                    _header(detection, column),
                    empty,
                )
            )
    for segment in quest.segments:
        problems.extend(
            check_formulas(raw, kept[segment], _header(detection, segment), segment)
        )
    for question in quest.questions:
        if question.type == "numeric":
            problems.extend(_out_of_range(raw, kept, question.columns[0], detection))
        if len(question.columns) == 1:
            column = question.columns[0]
            problems.extend(
                check_answered(
                    raw, kept[column], _header(detection, column) or column, question.id
                )
            )


def _out_of_range(
    raw: RawSurvey, kept: pd.DataFrame, column: str, detection: Detection
) -> list[Problem]:
    """A filled cell whose number cannot be computed with blocks the import."""
    values = pd.to_numeric(kept[column], errors="coerce").to_numpy(dtype=float)
    header = _header(detection, column)
    given = raw.data[header].loc[kept.index] if header in raw.data else None
    filled = (
        given.notna() & (given.astype(str).str.strip() != "")
        if given is not None
        else pd.Series(False, index=kept.index)
    ).to_numpy(dtype=bool)
    bad = kept.index[~np.isfinite(values) & filled]
    if not len(bad):
        return []
    return [
        problem(
            raw,
            "error",
            "number_out_of_range",
            f"question {column}: a number too large to compute with",
            header,
            bad,
        )
    ]


def _privacy(
    raw: RawSurvey, kept: pd.DataFrame, detection: Detection
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Personal columns detection dropped, and kept values that look personal."""
    dropped = {
        p.header: personal_by_name(p.header)
        or p.reason.removesuffix(", never stored")
        or "personal data"
        for p in detection.proposals
        if p.role == "personal_data"
    }
    for segment in detection.questionnaire.segments:
        kind = personal_by_content(kept[segment])
        if kind:
            dropped[_header(detection, segment) or segment] = kind
            kept = kept.drop(columns=[segment])
    id_column = _header(detection, "respondent_id")
    kind = personal_by_content(kept["respondent_id"])
    if id_column and kind:
        dropped[id_column] = kind
        kept = kept.assign(
            respondent_id=[f"row-{r}" for r in raw.file_rows(kept.index)]
        )
    return kept, dropped


def _report(
    raw: RawSurvey,
    detection: Detection,
    problems: list[Problem],
    left_out: dict[str, int],
    dropped: dict[str, str],
    kept: int,
) -> ValidationReport:
    unmapped = tuple(
        p.header
        for p in detection.proposals
        if p.role == "left_out" and p.header not in dropped
    )
    described = with_rows(raw.data, dropped)
    return ValidationReport.of(raw, problems, left_out, described, unmapped, kept)


def _wave(
    raw: RawSurvey,
    kept: pd.DataFrame,
    name: str,
    opts: IngestOptions,
    detection: Detection,
    report: ValidationReport,
) -> Wave:
    data = kept.reset_index(drop=True)
    quest = detection.questionnaire
    segments = tuple(s for s in quest.segments if s in data)
    questionnaire = dataclasses.replace(quest, segments=segments)
    countries: tuple[str, ...] = ()
    if "country" in segments:
        countries = tuple(sorted(str(c) for c in data["country"].dropna().unique()))
    meta = WaveMeta(
        name=name,
        kind="respondents",
        source=opts.source or upload_source(raw.file_name),
        file_name=raw.file_name,
        file_sha256=raw.sha256,
        fieldwork_start=opts.fieldwork_start,
        fieldwork_end=opts.fieldwork_end,
        countries=countries,
        mapping=detection.mapping(),
        report=report.to_dict(),
    )
    return Wave(meta=meta, data=data, questionnaire=questionnaire)
