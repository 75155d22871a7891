"""Confiance: consumer-trust survey analytics.

Codebook and data
-----------------
load_codebook, Codebook, Metric, Question -- the questions and metrics
metric_values -- per-respondent metric values (NaN outside the base)
Wave, WaveMeta -- one fieldwork of one survey, ready to store
WaveStore, WaveInfo -- the DuckDB store of waves, with its audit trail

Errors
------
SurveyDataError -- the root of every error the user can fix
"""

from analysis.codebook import Codebook, Metric, Question, load_codebook
from analysis.errors import SurveyDataError
from analysis.scoring import metric_values

__all__ = [
    "Codebook",
    "Metric",
    "Question",
    "SurveyDataError",
    "load_codebook",
    "metric_values",
]
