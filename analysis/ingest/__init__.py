"""Ingest: survey exports as analysts have them, mapped, validated, made private.

The upload page and the ``ingest`` command call the same four steps::

    raw = read_survey(path)                      # detect and read the file
    mapping = suggest_mapping(raw, codebook)     # or load_profile("my-survey")
    result = prepare_wave(raw, mapping, codebook, "FR-2025-Q1")
    if result.report.ok:
        WaveStore().add_wave(result.wave)

Modules: ``detection`` (format, encoding, delimiter), ``safety`` (hostile
files), ``readers`` and ``excel`` (reading), ``labels`` and ``recode``
(answer labels, segment values), ``mapping`` (suggestions), ``profiles``
(saved mappings), ``validation`` and ``quality`` (checks), ``privacy``
(personal data), ``prepare`` (the wave and its report).
"""

from analysis.ingest.mapping import ROLES, ColumnMap, SurveyMapping, suggest_mapping
from analysis.ingest.model import (
    FORMATS,
    IngestOptions,
    IngestResult,
    Problem,
    RawSurvey,
    ValidationReport,
)
from analysis.ingest.prepare import prepare_wave
from analysis.ingest.profiles import load_profile, save_profile
from analysis.ingest.readers import read_survey

__all__ = [
    "FORMATS",
    "ROLES",
    "ColumnMap",
    "IngestOptions",
    "IngestResult",
    "Problem",
    "RawSurvey",
    "SurveyMapping",
    "ValidationReport",
    "load_profile",
    "prepare_wave",
    "read_survey",
    "save_profile",
    "suggest_mapping",
]
