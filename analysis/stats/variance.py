"""With-replacement variance of PSU totals, with an fpc and R's lonely-PSU rules.

A linearised variance is Σ_h n_h/(n_h − 1)·(1 − f_h)·Σ_j (t_hj − t̄_h)² over the
PSU totals t_hj of the influence values, as ``survey::svyrecvar`` computes it
stratum by stratum (its ``onestrat``). A stratum with a single PSU has no
within-stratum spread; R's ``options(survey.lonely.psu = …)`` says what to do,
and :class:`StratumVariance` does the same:

* ``fail`` (survey's default): refuse, naming the stratum;
* ``certainty``: the PSU is self-representing and adds no variance;
* ``adjust``: its total is measured from 0 — the grand mean of the influence
  values of a mean — instead of from its own (single) value;
* ``average``: the stratum gets the average variance of the others: the sum
  over the other strata is scaled by (strata)/(strata with a variance).
  R counts the strata of the design the statistic sees: for a domain's
  estimate (``svyby``, ``svymean`` on a subset) those with rows in the
  domain; for a joint covariance (``svyby(covmat = TRUE)``) all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.errors import SurveyDataError
from analysis.methods import LONELY_PSU_RULES, LonelyPSU

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


def sampling_fraction(
    fpc: npt.ArrayLike, strata: IntArray, n_h: FloatArray
) -> FloatArray:
    """Each stratum's sampling fraction n_h/N_h from a per-row fpc, as survey reads it.

    ``fpc`` is either the population size in PSUs N_h, or the fraction itself
    when every value is ≤ 1; it must be constant within a stratum.
    """
    f = np.asarray(fpc, dtype=np.float64)
    if f.shape != strata.shape or not np.all(np.isfinite(f) & (f > 0)):
        raise SurveyDataError("fpc must hold one finite value > 0 per row")
    f_h = np.bincount(strata, f) / np.bincount(strata)
    if not np.allclose(f, f_h[strata], rtol=0, atol=1e-9 * f.max()):
        raise SurveyDataError("fpc must be constant within each stratum")
    fraction: FloatArray = f_h if np.all(f <= 1) else n_h / f_h
    if np.any(fraction > 1):
        raise SurveyDataError(
            "fpc gives a population smaller than the sample in some stratum: "
            "pass population sizes N_h ≥ n_h, or sampling fractions ≤ 1"
        )
    return fraction


@dataclass(frozen=True, eq=False)
class StratumVariance:
    """How each stratum's PSU totals add to a variance.

    ``scale[h]`` multiplies the stratum's sum of squares: n_h/(n_h − 1)·(1 − f_h),
    or (1 − f_h) for a lonely stratum under ``adjust``, 0 when it adds nothing.
    ``centred[h]`` is False for a lonely stratum under ``adjust`` (its total is
    measured from 0). ``averaged[h]`` marks a lonely stratum under
    ``average``: the sum over the others is scaled to stand for it too.
    """

    psu_stratum: IntArray
    n_h: FloatArray
    scale: FloatArray
    centred: npt.NDArray[np.bool_]
    averaged: npt.NDArray[np.bool_]

    @classmethod
    def build(
        cls,
        psu_stratum: IntArray,
        labels: Any,
        fraction: FloatArray | None,
        rule: LonelyPSU,
    ) -> StratumVariance:
        """The rule for each stratum, from each PSU's stratum and the fractions."""
        if rule not in LONELY_PSU_RULES:
            choices = ", ".join(repr(r) for r in LONELY_PSU_RULES)
            raise SurveyDataError(f"lonely_psu ({rule!r}) must be one of {choices}")
        n_h = np.bincount(psu_stratum).astype(np.float64)
        lonely = n_h < 2
        if np.any(lonely) and rule == "fail":
            label = np.asarray(labels)[np.flatnonzero(lonely)[0]]
            raise SurveyDataError(
                f"stratum {_label(label)} has a single PSU, so its variance cannot "
                "be estimated; choose a lonely-PSU rule (lonely_psu, --lonely-psu): "
                "'certainty', 'adjust' or 'average'"
            )
        kept = np.ones_like(n_h) if fraction is None else 1.0 - fraction
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(lonely, 1.0, n_h / (n_h - 1)) * kept
        if rule in ("certainty", "average"):
            scale = np.where(lonely, 0.0, scale)
        centred = ~lonely if rule == "adjust" else np.ones_like(lonely)
        # R: a stratum sampled whole adds 0 and counts as estimated
        averaged = lonely & (kept > 1e-7) & (rule == "average")
        return cls(psu_stratum, n_h, scale, centred, averaged)

    def factor(self, present: npt.NDArray[np.bool_] | None = None) -> FloatArray:
        """``average``'s scale: strata present over those with a variance.

        ``present`` (… × strata) marks the strata the statistic sees; all by
        default.
        """
        seen = np.ones_like(self.averaged) if present is None else present
        total = np.count_nonzero(seen, axis=-1)
        estimated = np.count_nonzero(seen & ~self.averaged, axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            out: FloatArray = np.where(
                estimated > 0, total / np.maximum(estimated, 1), np.nan
            ).astype(np.float64)
        return out

    def covariance(
        self, totals: FloatArray, present: npt.NDArray[np.bool_] | None = None
    ) -> FloatArray:
        """Covariance matrix of several totals from their PSU totals (PSUs × m).

        ``present`` marks the strata the statistic sees (``average``); all
        strata by default, as ``svyby(covmat = TRUE)`` counts them.
        """
        t = np.asarray(totals, dtype=np.float64)
        if t.ndim == 1:
            t = t[:, None]
        h = self.n_h.size
        sums = np.stack(
            [np.bincount(self.psu_stratum, c, minlength=h) for c in t.T], axis=1
        )
        mean = np.where(self.centred[:, None], sums / self.n_h[:, None], 0.0)
        dev = t - mean[self.psu_stratum]
        weighted = dev * self.scale[self.psu_stratum][:, None]
        cov: FloatArray = self.factor(present) * (dev.T @ weighted)
        return cov

    def from_sums(
        self, sum_t2: FloatArray, sum_t: FloatArray, present: npt.NDArray[np.bool_]
    ) -> FloatArray:
        """Variances from per-(domain, stratum) Σt² and Σt of PSU totals (k × H).

        ``present`` (k × H) marks the strata with rows of each domain.
        """
        centre = np.where(self.centred, 1.0 / self.n_h, 0.0)
        ss = sum_t2 - sum_t * sum_t * centre
        var: FloatArray = self.factor(present) * np.sum(self.scale * ss, axis=-1)
        return var


def _label(value: Any) -> str:
    """A stratum's label as the data wrote it: 'North', 3."""
    item = value.item() if isinstance(value, np.generic) else value
    return repr(item)
