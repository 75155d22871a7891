"""Standard errors under calibrated weights (raking, post-stratification).

Weights fitted to population margins are no longer fixed: an estimate's
variance must account for the calibration, or raking to a margin that explains
the answer would leave its interval as wide as before.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from analysis.errors import WeightingError
from analysis.stats.design import DesignEstimate, SurveyDesign, design_mean
from analysis.stats.domains import DomainEstimates, IntArray, domain_estimates
from analysis.stats.intervals import FloatArray
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


@dataclass(frozen=True, eq=False)
class CalibratedDomains:
    """Domain estimates under calibrated weights, with their joint covariance.

    ``estimates.se`` and ``estimates.deff`` are calibration-based; ``covariance``
    (domains × domains) is that of the residualised influence values — domains
    of a calibrated design covary even without strata or PSUs.
    """

    estimates: DomainEstimates
    covariance: FloatArray


def calibrated_design(design: SurveyDesign, weighting: Weighting) -> SurveyDesign:
    """``design`` with the weighting's final weights (same strata, PSUs, fpc)."""
    if weighting.n != design.n:
        raise WeightingError(
            f"the weighting has {weighting.n} respondents but the design {design.n}"
        )
    return SurveyDesign(
        weighting.weights,
        strata=design.strata,
        clusters=design.clusters,
        fpc=design.fpc,
        lonely_psu=design.lonely_psu,
    )


def calibrated_domains(
    design: SurveyDesign,
    weighting: Weighting,
    y: FloatArray,
    codes: IntArray,
    labels: npt.ArrayLike,
) -> CalibratedDomains:
    """Every domain's mean under ``weighting``, with calibration (GREG) SEs.

    As R's ``svyby(~y, ~segment, calibrated, svymean)``: each domain's
    influence values (zero outside it) are regressed on the calibration
    variables of the whole sample, so the residuals reach outside the domain.
    Codes outside 0 .. len(labels) − 1 put a row in no domain. ``design``
    gives the strata, PSUs and fpc (its weights may be the base or the final).
    """
    same = np.array_equal(design.weights, weighting.weights)
    final = design if same else calibrated_design(design, weighting)
    plain = domain_estimates(final, y, codes, labels)
    k = plain.estimate.size
    inside = (codes >= 0) & (codes < k) & ~np.isnan(y)
    d = np.where(inside, codes, 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z_row = np.where(inside, (y - plain.estimate[d]) / plain.sum_w[d], 0.0)
    z = np.zeros((y.size, k))
    z[np.flatnonzero(inside), d[inside]] = z_row[inside]
    z = np.nan_to_num(z)  # an empty domain has no influence
    residual = _residuals(weighting, z)
    cov = final.covariance(weighting.weights[:, None] * residual)
    var = np.diag(cov).copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = var / plain.se**2
    estimates = replace(
        plain,
        se=np.where(plain.sum_w > 0, np.sqrt(np.maximum(var, 0.0)), np.nan),
        deff=np.where(plain.se > 0, plain.deff * ratio, np.nan),
    )
    return CalibratedDomains(estimates, cov)


def _residuals(weighting: Weighting, z: FloatArray) -> FloatArray:
    """Residuals of ``z`` (n × k) regressed on the calibration variables.

    Weighted by the design (pre-calibration) weights, as ``survey``'s
    ``qr.resid(qr(mm·√d), x/√d)`` does.
    """
    m = weighting.calibration
    root = np.sqrt(weighting.base_weights)
    beta = np.linalg.lstsq(m * root[:, None], z * root[:, None], rcond=None)[0]
    out: FloatArray = z - m @ beta
    return out
