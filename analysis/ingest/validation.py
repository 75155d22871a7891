"""Checks that run before anything is stored, each giving a :class:`Problem`.

A problem names the column, how many rows it concerns and up to five of them
as a spreadsheet numbers them, so the analyst can find them in the file.
Errors block the import; warnings and notes do not.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from analysis.formulas import is_formula
from analysis.ingest.mapping import SurveyMapping
from analysis.ingest.model import MAX_EXAMPLES, Problem, RawSurvey, Severity
from analysis.ingest.privacy import redact
from analysis.library.codebook import Codebook

_SEGMENT_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
RESERVED = frozenset({"respondent_id", "weight", "wave"})


def problem(
    raw: RawSurvey,
    severity: Severity,
    check: str,
    message: str,
    column: str | None = None,
    positions: np.ndarray | pd.Index | None = None,
) -> Problem:
    """A problem with its count and its first rows in the file's numbering."""
    where = np.asarray(positions if positions is not None else [], dtype=np.int64)
    return Problem(
        severity=severity,
        check=check,
        message=message,
        column=column,
        count=len(where),
        rows=tuple(raw.file_rows(where[:MAX_EXAMPLES])),
    )


def check_mapping(
    raw: RawSurvey, mapping: SurveyMapping, codebook: Codebook
) -> list[Problem]:
    """A mapping that cannot be applied: unknown targets, lost columns, clashes."""
    problems: list[Problem] = []
    present = set(raw.columns)
    targets: Counter[tuple[str, str]] = Counter()
    for entry in mapping.columns:
        if entry.role == "left_out":
            continue
        targets[(entry.role, entry.target)] += 1
        if entry.column not in present:
            problems.append(
                problem(
                    raw,
                    "error",
                    "missing_column",
                    f"the mapping expects this column as {entry.role} "
                    f"{entry.target}, but the file has no such column".rstrip(),
                    entry.column,
                )
            )
        problems.extend(
            _check_target(raw, entry.column, entry.role, entry.target, codebook)
        )
    for (role, target), count in targets.items():
        if count > 1:
            problems.append(
                problem(
                    raw,
                    "error",
                    "mapping",
                    f"{count} columns are mapped to {role} {target}".rstrip()
                    + "; keep one",
                )
            )
    if not mapping.by_role("question"):
        problems.append(
            problem(
                raw, "error", "mapping", "no column is mapped to a codebook question"
            )
        )
    return problems


def _check_target(
    raw: RawSurvey, column: str, role: str, target: str, codebook: Codebook
) -> list[Problem]:
    if role == "question" and target not in codebook.questions:
        known = ", ".join(codebook.questions)
        return [
            problem(
                raw,
                "error",
                "mapping",
                f"{target!r} is not a codebook question ({known})",
                column,
            )
        ]
    if role == "segment" and (
        not _SEGMENT_NAME.fullmatch(target)
        or target in RESERVED
        or target in codebook.questions
    ):
        return [
            problem(
                raw,
                "error",
                "mapping",
                f"segment name {target!r} must be lower-case letters, digits "
                "or '_' and not a question, respondent_id or weight",
                column,
            )
        ]
    return []


def unknown_answers(
    raw: RawSurvey,
    column: str,
    target: str,
    positions: np.ndarray,
    values: tuple[str, ...],
    codes: list[int],
) -> Problem:
    """Answers the codebook does not know, with a few of the values seen."""
    shown = ", ".join(repr(redact(v, 200)[:40]) for v in values[:MAX_EXAMPLES])
    return problem(
        raw,
        "error",
        "unknown_answer",
        f"{len(positions)} answer(s) are not codes of question {target} "
        f"({codes}): {shown}; map them in the mapping's answers",
        column,
        positions,
    )


def check_ids(raw: RawSurvey, ids: pd.Series, column: str | None) -> list[Problem]:
    """Respondent ids must be present and unique among the rows kept."""
    problems = []
    missing = np.flatnonzero((ids.isna() | (ids == "")).to_numpy())
    if len(missing):
        problems.append(
            problem(
                raw,
                "error",
                "missing_id",
                "respondent id is missing",
                column,
                ids.index[missing],
            )
        )
    repeated = ids.duplicated(keep=False) & ids.notna()
    if repeated.any():
        where = ids.index[repeated.to_numpy()]
        distinct = ids[repeated].nunique()
        problems.append(
            problem(
                raw,
                "error",
                "duplicate_id",
                f"{distinct} respondent id(s) appear more than once",
                column,
                where,
            )
        )
    return problems


def check_weights(
    raw: RawSurvey, weights: pd.Series, column: str | None
) -> list[Problem]:
    """Weights must be numbers ≥ 0, not all zero (R's survey accepts zeros)."""
    values = weights.to_numpy(dtype=float)
    problems = []
    missing = weights.index[~np.isfinite(values)]
    if len(missing):
        problems.append(
            problem(
                raw,
                "error",
                "missing_weight",
                "weight is missing or not a number",
                column,
                missing,
            )
        )
    bad = weights.index[np.isfinite(values) & (values < 0)]
    if len(bad):
        problems.append(
            problem(
                raw,
                "error",
                "negative_weight",
                "weight is negative",
                column,
                bad,
            )
        )
    zero = weights.index[values == 0]
    if len(zero) and len(zero) == len(values):
        problems.append(
            problem(raw, "error", "zero_weights", "every weight is zero", column, zero)
        )
    elif len(zero):
        # as R's survey keeps them: in the base n and the design, out of estimates
        problems.append(
            problem(
                raw,
                "warning",
                "zero_weight",
                "weight is zero: the respondent counts in n but not in estimates",
                column,
                zero,
            )
        )
    return problems


def check_segment(
    raw: RawSurvey,
    values: pd.Series,
    column: str,
    target: str,
    unknown: list[str],
) -> list[Problem]:
    """Segment values missing, or not understood (kept out of that segment)."""
    problems = []
    missing = values.index[values.isna().to_numpy()]
    if unknown:
        shown = ", ".join(repr(redact(v, 200)[:40]) for v in unknown[:MAX_EXAMPLES])
        problems.append(
            problem(
                raw,
                "warning",
                "unknown_segment_value",
                f"{len(unknown)} value(s) not understood as {target}: {shown} "
                "(stored as missing)",
                column,
            )
        )
    if len(missing):
        problems.append(
            problem(
                raw,
                "warning",
                "missing_segment",
                f"{target} is missing",
                column,
                missing,
            )
        )
    return problems


def check_answered(
    raw: RawSurvey, codes: pd.Series, column: str, target: str
) -> list[Problem]:
    """A mapped question nobody answered is probably mapped to the wrong column."""
    if codes.notna().any():
        return []
    return [
        problem(
            raw,
            "warning",
            "no_answers",
            f"question {target} has no answers in the rows kept",
            column,
        )
    ]


def check_formulas(
    raw: RawSurvey, values: pd.Series, column: str | None, target: str
) -> list[Problem]:
    """Kept text that a spreadsheet would run as a formula blocks the import.

    Only values that are kept meet the rule (:func:`analysis.formulas.
    is_formula`): a formula in a column left out never reaches an export.
    """
    if values.dtype.kind in "biufcmM":
        return []
    distinct = values.dropna().unique()
    bad = [v for v in distinct if is_formula(v)]
    if not bad:
        return []
    where = values.index[values.isin(bad).to_numpy(dtype=bool)]
    shown = ", ".join(repr(redact(str(v), 200)[:40]) for v in bad[:MAX_EXAMPLES])
    return [
        problem(
            raw,
            "error",
            "formula",
            f"{len(where)} value(s) of {target} start like a spreadsheet formula "
            f"({shown}); Confiance keeps no such value",
            column,
            where,
        )
    ]
