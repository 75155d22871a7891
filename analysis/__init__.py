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
design_proportion_ci -- design-based intervals (binomial on n*, logit, mean, beta)
kish_n_eff, base_flag -- effective bases and small-base flags
SurveyDesign, design_mean, by_segment -- weighted, stratified, clustered estimates
bootstrap_mean_ci -- BCa bootstrap for composite scores
DomainSums -- fast sufficient statistics per segment
compare_segments, wave_difference -- significance between segments and waves
adjust_pvalues, two_proportion_test -- the tests underneath
effective_base -- the design-based effective base n* the default interval uses
domain_covariance, wald_test -- segments' joint covariance and the test of a difference
segment_test -- Rao–Scott test of a share across a segment variable
rake, poststratify, trim_weights, Weighting -- weights fitted to population targets
rake_by_group -- each country raked to its own population
fit_targets -- weights fitted to a targets file (margins, joint table, per country)
calibrated_mean -- the GREG-residual SE under calibrated weights

Ingest
------
read_untrusted -- a survey export read in a sandboxed worker (limits, no crash)
detect_questionnaire, Questionnaire -- the file's own questions, segments, design
prepare_file_wave -- a detected file as a wave, ready to store
prepare_untrusted -- read, detect and validate in the worker: the app's and CLI's route
read_survey -- the in-process reader the worker runs
read_targets -- population targets for weighting (JSON, YAML, CSV)

EstimateTable
-------------
estimate_rows, DesignColumns -- the one builder: a design, values, segments
estimate, EstimateOptions -- library and analysts' metrics over stored waves
question_rows -- any question of a wave: answers, NETs, means, by segment
library_rows -- the library's trust metrics through a wave's links
weigh_wave -- a stored wave weighted to targets, stored as a named weighting
change_family -- the Overview's changes as one family of tests
with_segment_letters, trend_table -- significance between segments and waves
banner_table -- the crosstab as market research prints it
reference_comparison -- published figures beside a wave's estimates

Figures and slides
------------------
segment_chart, trend_chart, tension_chart, heatmap -- charts finished as slides
answer_chart -- a question's answers: a diverging bar for a scale, bars otherwise
Chart, ChartContext -- what a chart builder returns, and what it is told
slide_png, deck_pptx, deck_zip -- 1920×1080 PNG slides and decks
report_pdf -- a PDF report of a view: charts, their numbers, footnotes

Errors
------
SurveyDataError -- the root of every error the user can fix
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.errors import SurveyDataError
    from analysis.figures.answers import answer_chart
    from analysis.figures.chart import Chart, ChartContext
    from analysis.figures.heatmap import heatmap
    from analysis.figures.segment import segment_chart
    from analysis.figures.tension import tension_chart
    from analysis.figures.trend import trend_chart
    from analysis.ingest.demo import demo_waves
    from analysis.ingest.from_file import prepare_file_wave
    from analysis.ingest.prepared import prepare_untrusted
    from analysis.ingest.questionnaire import detect_questionnaire
    from analysis.ingest.readers import read_survey
    from analysis.ingest.sandbox import read_untrusted
    from analysis.ingest.targets import read_targets
    from analysis.ingest.toplines import read_toplines
    from analysis.library.codebook import Codebook, Metric, Question, load_codebook
    from analysis.library.scoring import metric_values
    from analysis.slides.deck import deck_pptx, deck_zip
    from analysis.slides.pdf import report_pdf
    from analysis.slides.render import slide_png
    from analysis.stats.bootstrap import bootstrap_mean_ci
    from analysis.stats.calibration import calibrated_mean
    from analysis.stats.comparisons import (
        SegmentComparison,
        WaveDifference,
        adjust_pvalues,
        compare_segments,
        two_proportion_test,
        wave_difference,
    )
    from analysis.stats.contrasts import domain_covariance, wald_test
    from analysis.stats.design import (
        DesignEstimate,
        SurveyDesign,
        by_segment,
        design_mean,
    )
    from analysis.stats.design_ci import design_proportion_ci, effective_base
    from analysis.stats.domains import DomainEstimates, DomainSums
    from analysis.stats.fitting import fit_targets
    from analysis.stats.group_weighting import rake_by_group
    from analysis.stats.intervals import (
        Interval,
        base_flag,
        kish_n_eff,
        proportion_ci,
    )
    from analysis.stats.raoscott import segment_test
    from analysis.stats.weighting import Weighting, poststratify, rake, trim_weights
    from analysis.store.questionnaire import Questionnaire
    from analysis.store.wave import Wave, WaveInfo, WaveMeta
    from analysis.store.wave_store import WaveStore
    from analysis.table.crosstab import banner_table
    from analysis.table.estimate import estimate
    from analysis.table.family import change_family
    from analysis.table.letters import with_segment_letters
    from analysis.table.library import library_rows
    from analysis.table.questions import question_rows
    from analysis.table.reference import reference_comparison
    from analysis.table.rows import DesignColumns, EstimateOptions, estimate_rows
    from analysis.table.trends import trend_table
    from analysis.table.weighted import weigh_wave

# Names load on first use, so `python -m analysis` starts fast and a notebook
# that needs the store does not pay for scipy and plotly.
_WHERE: dict[str, str] = {
    "Questionnaire": "analysis.store.questionnaire",
    "Weighting": "analysis.stats.weighting",
    "calibrated_mean": "analysis.stats.calibration",
    "change_family": "analysis.table.family",
    "detect_questionnaire": "analysis.ingest.questionnaire",
    "library_rows": "analysis.table.library",
    "poststratify": "analysis.stats.weighting",
    "prepare_file_wave": "analysis.ingest.from_file",
    "question_rows": "analysis.table.questions",
    "rake": "analysis.stats.weighting",
    "rake_by_group": "analysis.stats.group_weighting",
    "fit_targets": "analysis.stats.fitting",
    "weigh_wave": "analysis.table.weighted",
    "read_targets": "analysis.ingest.targets",
    "read_untrusted": "analysis.ingest.sandbox",
    "report_pdf": "analysis.slides.pdf",
    "trim_weights": "analysis.stats.weighting",
    "banner_table": "analysis.table.crosstab",
    "deck_pptx": "analysis.slides.deck",
    "deck_zip": "analysis.slides.deck",
    "heatmap": "analysis.figures.heatmap",
    "prepare_untrusted": "analysis.ingest.prepared",
    "answer_chart": "analysis.figures.answers",
    "read_survey": "analysis.ingest.readers",
    "reference_comparison": "analysis.table.reference",
    "segment_chart": "analysis.figures.segment",
    "slide_png": "analysis.slides.render",
    "tension_chart": "analysis.figures.tension",
    "trend_chart": "analysis.figures.trend",
    "trend_table": "analysis.table.trends",
    "with_segment_letters": "analysis.table.letters",
    "Chart": "analysis.figures.chart",
    "ChartContext": "analysis.figures.chart",
    "Codebook": "analysis.library.codebook",
    "DesignEstimate": "analysis.stats.design",
    "DomainEstimates": "analysis.stats.domains",
    "DomainSums": "analysis.stats.domains",
    "DesignColumns": "analysis.table.rows",
    "EstimateOptions": "analysis.table.rows",
    "Interval": "analysis.stats.intervals",
    "Metric": "analysis.library.codebook",
    "Question": "analysis.library.codebook",
    "SegmentComparison": "analysis.stats.comparisons",
    "SurveyDataError": "analysis.errors",
    "SurveyDesign": "analysis.stats.design",
    "Wave": "analysis.store.wave",
    "WaveDifference": "analysis.stats.comparisons",
    "WaveInfo": "analysis.store.wave",
    "WaveMeta": "analysis.store.wave",
    "WaveStore": "analysis.store.wave_store",
    "adjust_pvalues": "analysis.stats.comparisons",
    "base_flag": "analysis.stats.intervals",
    "bootstrap_mean_ci": "analysis.stats.bootstrap",
    "by_segment": "analysis.stats.design",
    "compare_segments": "analysis.stats.comparisons",
    "demo_waves": "analysis.ingest.demo",
    "design_mean": "analysis.stats.design",
    "design_proportion_ci": "analysis.stats.design_ci",
    "domain_covariance": "analysis.stats.contrasts",
    "effective_base": "analysis.stats.design_ci",
    "segment_test": "analysis.stats.raoscott",
    "wald_test": "analysis.stats.contrasts",
    "estimate": "analysis.table.estimate",
    "estimate_rows": "analysis.table.rows",
    "kish_n_eff": "analysis.stats.intervals",
    "load_codebook": "analysis.library.codebook",
    "metric_values": "analysis.library.scoring",
    "proportion_ci": "analysis.stats.intervals",
    "read_toplines": "analysis.ingest.toplines",
    "two_proportion_test": "analysis.stats.comparisons",
    "wave_difference": "analysis.stats.comparisons",
}

__all__ = [
    "Chart",
    "ChartContext",
    "Codebook",
    "DesignColumns",
    "DesignEstimate",
    "DomainEstimates",
    "DomainSums",
    "EstimateOptions",
    "Interval",
    "Metric",
    "Question",
    "Questionnaire",
    "SegmentComparison",
    "SurveyDataError",
    "SurveyDesign",
    "Wave",
    "WaveDifference",
    "WaveInfo",
    "WaveMeta",
    "WaveStore",
    "Weighting",
    "adjust_pvalues",
    "answer_chart",
    "banner_table",
    "base_flag",
    "bootstrap_mean_ci",
    "by_segment",
    "calibrated_mean",
    "change_family",
    "compare_segments",
    "deck_pptx",
    "deck_zip",
    "demo_waves",
    "design_mean",
    "design_proportion_ci",
    "detect_questionnaire",
    "domain_covariance",
    "effective_base",
    "estimate",
    "estimate_rows",
    "fit_targets",
    "heatmap",
    "kish_n_eff",
    "library_rows",
    "load_codebook",
    "metric_values",
    "poststratify",
    "prepare_file_wave",
    "prepare_untrusted",
    "proportion_ci",
    "question_rows",
    "rake",
    "rake_by_group",
    "read_survey",
    "read_targets",
    "read_toplines",
    "read_untrusted",
    "reference_comparison",
    "report_pdf",
    "segment_chart",
    "segment_test",
    "slide_png",
    "tension_chart",
    "trend_chart",
    "trend_table",
    "trim_weights",
    "two_proportion_test",
    "wald_test",
    "wave_difference",
    "weigh_wave",
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
