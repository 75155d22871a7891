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

Ingest
------
read_survey, suggest_mapping, prepare_wave -- survey exports to a validated wave

EstimateTable
-------------
estimate, EstimateOptions -- codebook metrics over stored waves
with_segment_letters, trend_table -- significance between segments and waves
banner_table -- the crosstab as market research prints it
reference_comparison -- published figures beside a wave's estimates

Figures and slides
------------------
segment_chart, trend_chart, tension_chart, heatmap -- charts finished as slides
slide_png, deck_pptx, deck_zip -- 1920×1080 PNG slides and decks

Errors
------
SurveyDataError -- the root of every error the user can fix
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.codebook import Codebook, Metric, Question, load_codebook
    from analysis.compare import (
        SegmentComparison,
        WaveDifference,
        adjust_pvalues,
        compare_segments,
        two_proportion_test,
        wave_difference,
    )
    from analysis.crosstab import banner_table
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
    from analysis.export import deck_pptx, deck_zip, slide_png
    from analysis.figures import heatmap, segment_chart, tension_chart, trend_chart
    from analysis.ingest import prepare_wave, read_survey, suggest_mapping
    from analysis.metrics import EstimateOptions, estimate
    from analysis.reference import reference_comparison
    from analysis.scoring import metric_values
    from analysis.significance import trend_table, with_segment_letters
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

# Names load on first use, so `python -m analysis` starts fast and a notebook
# that needs the store does not pay for scipy and plotly.
_WHERE: dict[str, str] = {
    "banner_table": "analysis.crosstab",
    "deck_pptx": "analysis.export",
    "deck_zip": "analysis.export",
    "heatmap": "analysis.figures",
    "prepare_wave": "analysis.ingest",
    "read_survey": "analysis.ingest",
    "reference_comparison": "analysis.reference",
    "segment_chart": "analysis.figures",
    "slide_png": "analysis.export",
    "suggest_mapping": "analysis.ingest",
    "tension_chart": "analysis.figures",
    "trend_chart": "analysis.figures",
    "trend_table": "analysis.significance",
    "with_segment_letters": "analysis.significance",
    "Codebook": "analysis.codebook",
    "DesignEstimate": "analysis.design",
    "DomainEstimates": "analysis.domains",
    "DomainSums": "analysis.domains",
    "EstimateOptions": "analysis.metrics",
    "Interval": "analysis.stats",
    "Metric": "analysis.codebook",
    "Question": "analysis.codebook",
    "SegmentComparison": "analysis.compare",
    "SurveyDataError": "analysis.errors",
    "SurveyDesign": "analysis.design",
    "Wave": "analysis.wave",
    "WaveDifference": "analysis.compare",
    "WaveInfo": "analysis.wave",
    "WaveMeta": "analysis.wave",
    "WaveStore": "analysis.store",
    "adjust_pvalues": "analysis.compare",
    "base_flag": "analysis.stats",
    "bootstrap_mean_ci": "analysis.design",
    "by_segment": "analysis.design",
    "compare_segments": "analysis.compare",
    "demo_waves": "analysis.demo",
    "design_mean": "analysis.design",
    "design_proportion_ci": "analysis.stats",
    "estimate": "analysis.metrics",
    "kish_n_eff": "analysis.stats",
    "load_codebook": "analysis.codebook",
    "metric_values": "analysis.scoring",
    "proportion_ci": "analysis.stats",
    "read_toplines": "analysis.toplines",
    "two_proportion_test": "analysis.compare",
    "wave_difference": "analysis.compare",
}

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
    "banner_table",
    "base_flag",
    "bootstrap_mean_ci",
    "by_segment",
    "compare_segments",
    "deck_pptx",
    "deck_zip",
    "demo_waves",
    "design_mean",
    "design_proportion_ci",
    "estimate",
    "heatmap",
    "kish_n_eff",
    "load_codebook",
    "metric_values",
    "prepare_wave",
    "proportion_ci",
    "read_survey",
    "read_toplines",
    "reference_comparison",
    "segment_chart",
    "slide_png",
    "suggest_mapping",
    "tension_chart",
    "trend_chart",
    "trend_table",
    "two_proportion_test",
    "wave_difference",
    "with_segment_letters",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    if name not in _WHERE:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})
