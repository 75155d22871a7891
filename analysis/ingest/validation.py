"""Checks that run before anything is stored, each giving a :class:`Problem`.

A problem names the column, how many rows it concerns and up to five of them
as a spreadsheet numbers them, so the analyst can find them in the file.
Errors block the import; warnings and notes do not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.formulas import is_formula
from analysis.ingest.model import MAX_EXAMPLES, Problem, RawSurvey, Severity
from analysis.ingest.privacy import redact


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
