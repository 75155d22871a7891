"""A wave: one fieldwork of one survey, as respondents or as published toplines.

Every route into the store (the demo generator, the toplines reader, the ingest
of survey exports) produces a :class:`Wave`; the store checks its invariants
once, at the boundary, whatever the route.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, Literal

import numpy as np
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.store.questionnaire import Questionnaire

WaveKind = Literal["respondents", "toplines"]
SampleType = Literal["probability", "opt_in", "unknown"]
SAMPLE_TYPES: tuple[SampleType, ...] = ("probability", "opt_in", "unknown")
"""What kind of sample a wave is: it decides whether its intervals are margins
of sampling error (a probability sample) or rest on a model (anything else)."""
SEGMENTS: tuple[str, ...] = ("country", "age_band", "gender")
TOPLINE_COLUMNS: tuple[str, ...] = (
    "metric",
    "segment_var",
    "segment_value",
    "percent",
    "base_n",
    "n_eff",
    "source",
    "checked",
    "note",
)
TOTAL = "total"
"""segment_var and segment_value of a whole-sample row."""


@dataclass(frozen=True)
class Disclosure:
    """The AAPOR disclosure items of a wave that its other fields do not hold.

    Free text, empty when not stated. Fieldwork dates, the sample type and the
    number of rows are the wave's own fields; these say who paid, who fielded,
    whom the sample stands for and how it was drawn, weighted and checked.
    """

    sponsor: str = ""
    organisation: str = ""
    population: str = ""
    mode: str = ""
    recruitment: str = ""
    sample_sizes: str = ""
    weighting: str = ""
    question_wording: str = ""
    quality_checks: str = ""
    limitations: str = ""

    def items(self) -> dict[str, str]:
        """Each item by name, in disclosure order."""
        return {name: str(getattr(self, name)) for name in DISCLOSURE_ITEMS}


DISCLOSURE_ITEMS: tuple[str, ...] = tuple(f.name for f in fields(Disclosure))
"""The :class:`Disclosure` fields, also the ``waves`` table's columns."""


def check_sample_type(value: object) -> SampleType:
    """``value`` as a sample type; an error naming the three allowed ones."""
    for known in SAMPLE_TYPES:
        if value == known:
            return known
    raise SurveyDataError(
        f"sample type {value!r} must be one of {', '.join(SAMPLE_TYPES)}"
    )


@dataclass(frozen=True)
class WaveMeta:
    """What is known about a wave besides its rows.

    ``sample_type`` is "unknown" unless the source says otherwise: only a
    probability sample's intervals may be called margins of error.
    """

    name: str
    kind: WaveKind
    source: str
    file_name: str
    file_sha256: str
    fieldwork_start: date | None = None
    fieldwork_end: date | None = None
    countries: tuple[str, ...] = ()
    synthetic: bool = False
    mapping: Mapping[str, Any] = field(default_factory=dict)
    report: Mapping[str, Any] = field(default_factory=dict)
    sample_type: SampleType = "unknown"
    disclosure: Disclosure = field(default_factory=Disclosure)

    def __post_init__(self) -> None:
        check_sample_type(self.sample_type)


@dataclass(frozen=True)
class Wave:
    """A wave's metadata, its rows (respondents, or toplines) and its questionnaire.

    A respondent wave without a questionnaire answers the codebook's own
    questions (the demo's, older routes'): the store then builds it from the
    codebook questions its columns hold.
    """

    meta: WaveMeta
    data: pd.DataFrame
    questionnaire: Questionnaire | None = None

    def __post_init__(self) -> None:
        check_wave_name(self.meta.name)
        if self.meta.kind == "respondents":
            _check_respondents(self.data, self.meta.name)
            if self.questionnaire is not None:
                _check_columns(self.data, self.questionnaire, self.meta.name)
        elif self.meta.kind == "toplines":
            _check_toplines(self.data, self.meta.name)
        else:
            raise SurveyDataError(
                f"wave kind {self.meta.kind!r} must be 'respondents' or 'toplines'"
            )


@dataclass(frozen=True)
class WaveInfo:
    """A stored wave's metadata, as the store lists it."""

    meta: WaveMeta
    row_count: int
    imported_at: datetime
    deleted_at: datetime | None = None

    @property
    def name(self) -> str:
        """The wave's name."""
        return self.meta.name


def check_wave_name(name: str) -> None:
    """Refuse wave names that would not survive a URL, a file name or a CSV."""
    if not isinstance(name, str) or not name.strip():
        raise SurveyDataError("a wave needs a name (e.g. FR-2025-Q1)")
    if len(name) > 80 or any(c in name for c in ",/\\\"'\n\t") or name != name.strip():
        raise SurveyDataError(
            f"wave name {name!r} must be at most 80 characters, without commas, "
            "slashes, quotes or surrounding spaces"
        )


def sha256_bytes(content: bytes) -> str:
    """The hex SHA-256 of a file's bytes, the identity the store deduplicates on."""
    return hashlib.sha256(content).hexdigest()


def _check_respondents(frame: pd.DataFrame, wave: str) -> None:
    for column in ("respondent_id", "weight"):
        if column not in frame.columns:
            raise SurveyDataError(f"wave {wave}: respondent table has no '{column}'")
    if frame.empty:
        raise SurveyDataError(f"wave {wave}: respondent table has no rows")
    ids = frame["respondent_id"]
    if ids.isna().any() or ids.duplicated().any():
        raise SurveyDataError(f"wave {wave}: respondent_id must be unique and present")
    weights = pd.to_numeric(frame["weight"], errors="coerce").to_numpy(dtype=float)
    if not np.all(np.isfinite(weights) & (weights >= 0)) or not weights.sum() > 0:
        raise SurveyDataError(
            f"wave {wave}: every weight must be a number ≥ 0, and not all 0"
        )


def _check_columns(
    frame: pd.DataFrame, questionnaire: Questionnaire, wave: str
) -> None:
    """Every column the questionnaire names is a column of the rows."""
    design = questionnaire.design
    named = [c for q in questionnaire.questions for c in q.columns]
    named += [*questionnaire.segments]
    named += [
        c for c in (design.weight, design.strata, design.cluster, design.fpc) if c
    ]
    missing = [c for c in dict.fromkeys(named) if c not in frame.columns]
    if missing:
        raise SurveyDataError(
            f"wave {wave}: the questionnaire names column(s) {missing} "
            "that the respondent rows lack"
        )


def _check_toplines(frame: pd.DataFrame, wave: str) -> None:
    missing = [
        c
        for c in ("metric", "segment_var", "segment_value", "percent")
        if c not in frame
    ]
    if missing:
        raise SurveyDataError(f"wave {wave}: toplines lack column(s) {missing}")
    percent = pd.to_numeric(frame["percent"], errors="coerce")
    if percent.isna().any() or ((percent < 0) | (percent > 100)).any():
        raise SurveyDataError(f"wave {wave}: every percent must lie between 0 and 100")
