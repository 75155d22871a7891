"""Reading, detecting and validating a file to import, all in the sandboxed worker.

:func:`prepare_untrusted` is the one route of the Upload page and the
``ingest`` command: the worker reads the file, applies a saved profile's
choices and the analyst's, detects the questionnaire, validates the rows and
builds the wave, under the limits of :mod:`analysis.ingest.sandbox`. Only the
result crosses back: the wave (when a name was given and nothing blocks it),
its report, the per-column proposals the mapping editor shows, and the
detection as a profile to save. A crash, a hang or a limit anywhere on the
way is one sentence, and the caller's process never runs detection itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.config import IngestLimits
from analysis.ingest.column_roles import Overrides
from analysis.ingest.from_file import prepare_file_wave
from analysis.ingest.mapping import SurveyMapping
from analysis.ingest.model import IngestOptions, IngestResult, RawSurvey
from analysis.ingest.profile_overrides import detection_profile, profile_overrides
from analysis.ingest.proposals import proposal_rows
from analysis.ingest.questionnaire import Detection, detect_questionnaire
from analysis.ingest.sandbox import in_sandbox
from analysis.library.codebook import Codebook


@dataclass(frozen=True)
class FileSummary:
    """What was read: the file's name, format, rows and columns."""

    file_name: str
    format: str
    rows: int
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Prepared:
    """A file prepared in the worker: what the page and the command line show.

    ``result`` is None when no wave name was given (detection only);
    ``proposals`` has one row per column (see
    :func:`~analysis.ingest.proposals.proposal_rows`), empty for toplines;
    ``profile`` is the detection as a mapping profile, ready to save.
    """

    file: FileSummary
    result: IngestResult | None
    proposals: pd.DataFrame
    overrides: Overrides | None = None
    """The choices detection ran with (a profile's and the analyst's)."""
    profile: SurveyMapping | None = None


@dataclass(frozen=True)
class _Prepare:
    """The worker's task once the file is read (picklable, so it can travel)."""

    codebook: Codebook
    wave_name: str | None
    options: IngestOptions
    overrides: Overrides = field(default_factory=Overrides)
    profile: SurveyMapping | None = None

    def __call__(self, raw: RawSurvey) -> Prepared:
        summary = FileSummary(raw.file_name, raw.format, len(raw.data), raw.columns)
        if raw.format == "toplines":
            result = self._wave(raw, None, None)
            return Prepared(summary, result, proposal_rows(None))
        chosen = self.overrides
        if self.profile is not None:
            first = detect_questionnaire(raw, self.codebook, overrides=chosen)
            asked = {p.header: p.question for p in first.proposals if p.question}
            chosen = profile_overrides(self.profile, raw.columns, asked, chosen)
        detection = detect_questionnaire(raw, self.codebook, overrides=chosen)
        return Prepared(
            file=summary,
            result=self._wave(raw, chosen, detection),
            proposals=proposal_rows(detection),
            overrides=chosen,
            profile=detection_profile(detection),
        )

    def _wave(
        self, raw: RawSurvey, overrides: Overrides | None, detection: Detection | None
    ) -> IngestResult | None:
        if self.wave_name is None:
            return None
        return prepare_file_wave(
            raw,
            self.codebook,
            self.wave_name,
            self.options,
            overrides=overrides,
            detection=detection,
        )


def prepare_untrusted(
    path: Path | str,
    codebook: Codebook,
    *,
    wave_name: str | None = None,
    options: IngestOptions | None = None,
    overrides: Overrides | None = None,
    profile: SurveyMapping | None = None,
    format: str | None = None,
    sheet: str | None = None,
    content: bytes | None = None,
    limits: IngestLimits | None = None,
) -> Prepared:
    """Read, detect and validate a file in the sandboxed worker.

    Parameters
    ----------
    path
        The file (only its name is used when ``content`` is given).
    codebook
        The library a question may link to.
    wave_name
        The new wave's name; None to detect only (the mapping editor's first look).
    options
        Which rows to leave out; the wave's source and fieldwork dates.
    overrides
        The analyst's choices; they win over the profile's and detection's.
    profile
        A saved mapping profile whose choices apply to this file.
    format, sheet, content, limits
        As :func:`~analysis.ingest.sandbox.read_untrusted` takes them.

    Returns
    -------
    Prepared
        The file's summary, the result, the proposals and the detection as a
        profile; any failure is an :class:`~analysis.errors.IngestError`.
    """
    task = _Prepare(
        codebook,
        wave_name,
        options or IngestOptions(),
        overrides or Overrides(),
        profile,
    )
    prepared: Prepared = in_sandbox(
        path, task, format=format, sheet=sheet, content=content, limits=limits
    )
    return prepared
