"""Confiance: consumer-trust survey analytics.

Codebook and data
-----------------
load_codebook, Codebook, Metric, Question -- the questions and metrics
metric_values -- per-respondent metric values (NaN outside the base)
Wave, WaveMeta, WaveInfo -- one fieldwork of one survey, ready to store
WaveStore -- the DuckDB store of waves, with its audit trail
demo_waves -- synthetic demo waves calibrated to the published figures
read_toplines -- published toplines (percent + base) as waves

Statistics
----------
proportion_ci -- Wilson, Clopper–Pearson, Jeffreys, Agresti–Coull intervals
design_proportion_ci -- design-based intervals (wilson-kish, logit, mean, beta)
kish_n_eff, base_flag -- effective bases and small-base flags
SurveyDesign, design_mean, by_segment -- weighted, stratified, clustered estimates
bootstrap_mean_ci -- BCa bootstrap for composite scores
DomainSums -- fast sufficient statistics per segment
compare_segments, wave_difference -- significance between segments and waves
adjust_pvalues, two_proportion_test -- the tests underneath

EstimateTable
-------------
estimate, EstimateOptions -- codebook metrics over stored waves

Errors
------
SurveyDataError -- the root of every error the user can fix
"""

from analysis.codebook import Codebook, Metric, Question, load_codebook
from analysis.compare import (
    SegmentComparison,
    WaveDifference,
    adjust_pvalues,
    compare_segments,
    two_proportion_test,
    wave_difference,
)
from analysis.demo import demo_waves
from analysis.design import (
    DesignEstimate,
    SurveyDesign,
    bootstrap_mean_ci,
    by_segment,
    design_mean,
)
from analysis.domains import DomainEstimates, DomainSums
from analysis.errors import SurveyDataError
from analysis.metrics import EstimateOptions, estimate
from analysis.scoring import metric_values
from analysis.stats import (
    Interval,
    base_flag,
    design_proportion_ci,
    kish_n_eff,
    proportion_ci,
)
from analysis.store import WaveStore
from analysis.toplines import read_toplines
from analysis.wave import Wave, WaveInfo, WaveMeta

__all__ = [
    "Codebook",
    "DesignEstimate",
    "DomainEstimates",
    "DomainSums",
    "EstimateOptions",
    "Interval",
    "Metric",
    "Question",
    "SegmentComparison",
    "SurveyDataError",
    "SurveyDesign",
    "Wave",
    "WaveDifference",
    "WaveInfo",
    "WaveMeta",
    "WaveStore",
    "adjust_pvalues",
    "base_flag",
    "bootstrap_mean_ci",
    "by_segment",
    "compare_segments",
    "demo_waves",
    "design_mean",
    "design_proportion_ci",
    "estimate",
    "kish_n_eff",
    "load_codebook",
    "metric_values",
    "proportion_ci",
    "read_toplines",
    "two_proportion_test",
    "wave_difference",
]
