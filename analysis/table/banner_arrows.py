"""Arrows of a banner table: each column against the rest of the sample.

A column is part of the Total, so testing it against the Total tests it partly
against itself. Instead each column (domain *s*) is compared with everyone
else (the complement, respondents outside *s*, including those with no value
of the banner): both are domains of the one design, estimated by
:func:`analysis.table.rows.estimate_rows`, and their difference is tested by
the Wald test on design-based variances with their covariance (non-zero with
strata or clusters), :func:`analysis.stats.contrasts.wald_test`. The p-values
of one line and one banner form a family, corrected as the letters are.
Untestable cells (low base, suppressed, degenerate, on either side) get no
arrow.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.methods import AdjustMethod
from analysis.stats.comparisons import adjust_pvalues
from analysis.stats.contrasts import wald_test
from analysis.stats.design import SurveyDesign
from analysis.stats.intervals import FloatArray
from analysis.table.rows import COVARIANCE, EstimateOptions, Scale, estimate_rows
from analysis.table.testable import may_test, numeric_column

UP = "up"
DOWN = "down"
ARROW_KEYS = ("metric", "segment_var", "segment_value", "arrow", "arrow_p")
_VS = "vs_rest"


def segment_arrows(
    design: SurveyDesign,
    values: Mapping[str, FloatArray],
    segments: Mapping[str, pd.Series],
    options: EstimateOptions,
    *,
    scales: Mapping[str, Scale] | None = None,
    adjust: AdjustMethod = "holm",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """``up``/``down`` where a column differs from the rest of the sample.

    Returns
    -------
    pandas.DataFrame
        :data:`ARROW_KEYS`: one row per line (``metric``), banner and column;
        ``arrow`` is ``"up"``, ``"down"``, ``""`` (tested, not significant)
        or None (not tested); ``arrow_p`` the adjusted p-value.
    """
    frames = []
    for banner, labels in segments.items():
        codes, levels = pd.factorize(labels)
        tests = [
            _against_rest(design, values, codes == i, options, scales)
            for i in range(len(levels))
        ]
        for key in values:
            p = np.array([t[key][2] for t in tests])
            p_adj = adjust_pvalues(p, adjust)
            diff = np.array([t[key][1] for t in tests])
            frames.append(
                pd.DataFrame(
                    {
                        "metric": key,
                        "segment_var": banner,
                        "segment_value": [str(v) for v in levels],
                        "arrow": list(map(_arrow, diff, p_adj, [alpha] * len(diff))),
                        "arrow_p": p_adj,
                    }
                )
            )
    if not frames:
        return pd.DataFrame(columns=list(ARROW_KEYS))
    return pd.concat(frames, ignore_index=True)


def _arrow(diff: float, p_adjusted: float, alpha: float) -> str | None:
    if not np.isfinite(p_adjusted):
        return None
    if p_adjusted >= alpha:
        return ""
    return UP if diff > 0 else DOWN


def _against_rest(
    design: SurveyDesign,
    values: Mapping[str, FloatArray],
    inside: np.ndarray,
    options: EstimateOptions,
    scales: Mapping[str, Scale] | None,
) -> dict[str, tuple[bool, float, float]]:
    """Per line: (tested, column − rest, raw p-value) for one column."""
    split = np.where(inside, "in", "rest")
    table = estimate_rows(design, values, {_VS: split}, options, scales=scales)
    pairs = table[table["segment_var"] == _VS].set_index(["metric", "segment_value"])
    covariances = table.attrs.get(COVARIANCE, {})
    out: dict[str, tuple[bool, float, float]] = {}
    for key in values:
        if (key, "in") not in pairs.index or (key, "rest") not in pairs.index:
            out[key] = (False, np.nan, np.nan)
            continue
        both = pairs.loc[[(key, "in"), (key, "rest")]]
        if not may_test(both).all():
            out[key] = (False, np.nan, np.nan)
            continue
        est = numeric_column(both, "estimate")
        se = numeric_column(both, "se")
        cov = covariances.get(("", key, _VS, "in", "rest"), 0.0)
        test = wald_test(est[0], est[1], se[0] ** 2, se[1] ** 2, cov)
        out[key] = (True, float(test.diff), float(test.p_value))
    return out
