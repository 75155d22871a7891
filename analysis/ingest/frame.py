"""The respondent rows to store, recoded as the questionnaire says.

Only columns with a stored name reach the frame: design columns, segments
(countries as ISO codes, ages as bands), and questions. Raw ages, personal
data, tool metadata and open text never do; the one free text kept, an
"other — please specify" answer, has its contact details masked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.ingest.column_roles import FirstRole, Overrides
from analysis.ingest.drafts import Draft
from analysis.ingest.labels import value_key
from analysis.ingest.model import RawSurvey
from analysis.ingest.multi import recode_set
from analysis.ingest.privacy import redact
from analysis.ingest.question_types import recode_closed, recode_numeric
from analysis.ingest.recode import parse_numbers, respondent_ids
from analysis.ingest.segments import recode_segment
from analysis.store.questionnaire import Question


def respondent_frame(
    raw: RawSurvey,
    first: Mapping[str, FirstRole],
    stored: Mapping[str, str],
    segments: Mapping[str, str],
    drafts: Sequence[Draft],
    questions: Sequence[Question],
    opts: Overrides,
) -> pd.DataFrame:
    """One row per file row, one column per stored name, in a stable order."""
    data = raw.data
    columns: dict[str, pd.Series] = {}
    for header, name in stored.items():
        role = first[header].role
        if role == "segment":
            segment = first[header].segment or ""
            columns[name] = recode_segment(
                data[header],
                segment,
                raw.value_labels.get(header),
                opts.age_cuts,
            )
        else:
            columns[name] = _design(data[header], str(role))
    for draft, question in zip(drafts, questions, strict=True):
        columns.update(_question_columns(raw, draft, question))
    return pd.DataFrame(columns, index=data.index)


def _design(series: pd.Series, role: str) -> pd.Series:
    if role == "respondent_id":
        return respondent_ids(series)
    if role in ("weight", "fpc"):
        return parse_numbers(series)
    keys = [None if pd.isna(v) else value_key(v) for v in series]
    return pd.Series(keys, index=series.index, dtype="str")


def _question_columns(
    raw: RawSurvey, draft: Draft, question: Question
) -> dict[str, pd.Series]:
    data = raw.data
    header = draft.headers[0]
    if draft.option_set is not None:
        values = recode_set(data, draft.option_set)
        return dict(zip(question.columns, values, strict=True))
    if draft.type in ("single", "scale") and draft.typed is not None:
        return {question.id: recode_closed(data[header], draft.typed)}
    if draft.type == "numeric":
        missing = frozenset(raw.missing_codes.get(header, frozenset()))
        labelled = frozenset(raw.value_labels.get(header, {}))
        return {question.id: recode_numeric(data[header], missing | labelled)}
    text = [_masked(v) for v in data[header]]
    return {question.id: pd.Series(text, index=data.index, dtype="str")}


def _masked(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return redact(text) if text else None
