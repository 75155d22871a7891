"""Standard errors under calibrated weights (raking, post-stratification).

Weights fitted to population margins are no longer fixed: an estimate's
variance must account for the calibration, or raking to a margin that explains
the answer would leave its interval as wide as before.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from analysis.stats.design import DesignEstimate, SurveyDesign, design_mean
from analysis.stats.weighting import Weighting


def calibrated_mean(
    design: SurveyDesign,
    weighting: Weighting,
    y: npt.ArrayLike,
    *,
    domain: npt.ArrayLike | None = None,
) -> DesignEstimate:
    """The weighted mean under ``weighting``, with its calibration (GREG) SE.

    The influence values of the mean are regressed on the calibration variables
    with the design weights; the residuals, times the final weights, go through
    the design's variance. Raking to a margin correlated with the answer
    narrows the interval, as it should.

    References
    ----------
    J.-C. Deville and C.-E. Särndal (1992), Calibration estimators in survey
    sampling, *JASA* 87, 376–382. T. Lumley, ``survey::calibrate``.
    """
    weighted = SurveyDesign(
        weighting.weights,
        strata=design.strata,
        clusters=design.clusters,
        fpc=design.fpc,
        lonely_psu=design.lonely_psu,
    )
    plain = design_mean(weighted, y, domain=domain)
    if plain.n == 0:
        return plain
    values = np.asarray(y, dtype=np.float64)
    mask = ~np.isnan(values)
    if domain is not None:
        mask &= np.asarray(domain, dtype=bool)
    z = np.where(mask, values - plain.estimate, 0.0) / plain.sum_w
    m = weighting.calibration
    d = weighting.base_weights
    root = np.sqrt(d)
    beta = np.linalg.lstsq(m * root[:, None], z * root, rcond=None)[0]
    influence = weighting.weights * (z - m @ beta)
    var = design.variance(influence)
    return DesignEstimate(
        estimate=plain.estimate,
        se=float(np.sqrt(var)),
        n=plain.n,
        sum_w=plain.sum_w,
        n_eff=plain.n_eff,
        degf=plain.degf,
        deff=plain.deff * var / plain.se**2 if plain.se > 0 else np.nan,
        n_rows=plain.n_rows,
    )
