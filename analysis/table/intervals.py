"""What each EstimateTable row shows: its interval, method, flag and bases.

:func:`table_rows` turns domain estimates into rows under one rule for every
route (respondents on any design, published toplines):

* shares: the chosen interval — with weights or a design, a binomial method
  stands on the design-based effective base n* (``method`` = ``"wilson"`` by
  default), ``wilson-kish`` on Kish's base, ``logit``/``mean``/``beta`` are
  svyciprop's; unweighted data without a design get the plain binomial
  interval on n; a published figure the binomial one on its published base;
* indices (0–100 means) and means: estimate ± t·SE on the design's degrees
  of freedom;
* degenerate cells — SE 0, no degrees of freedom (a domain inside one PSU),
  all-0 or all-1 — are flagged ``degenerate`` and get no design-based
  interval: a 0 % or 100 % cell gets the Clopper–Pearson interval on Kish's
  effective base, any other share Wilson on Kish's base, an index none;
* bounds outside the scale (``mean`` can pass 100 %) are clipped to it (a
  mean's scale has no bounds) and
  the row says so in ``clipped``; the unclipped bounds are what
  :func:`analysis.stats.design_ci.design_proportion_ci` returns and what R
  is compared with.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.methods import as_binomial
from analysis.stats.design_ci import degenerate, effective_base
from analysis.stats.domains import DomainEstimates
from analysis.stats.intervals import FloatArray, base_flag, proportion_ci

if TYPE_CHECKING:
    from analysis.table.rows import EstimateOptions

Basis = Literal["plain", "design", "published"]
"""What a binomial interval stands on: n, the design-based n*, a published base."""

NO_BASE = "published (no base: no interval)"
Strings = npt.NDArray[np.str_]


def table_rows(
    est: DomainEstimates,
    segment_var: Strings,
    metric: Strings,
    scale: Strings,
    options: EstimateOptions,
    basis: Basis,
) -> pd.DataFrame:
    """EstimateTable rows (without ``wave`` and ``source_kind``) from estimates.

    Rows whose base is under the suppression threshold keep n and n_eff but
    show no estimate; a published row without a base keeps its estimate and
    gets no interval and no flag. See the module docstring for the rules.
    """
    index = scale != "share"
    se, low, high, method = _intervals(est, index, options, basis)
    has_base = np.isfinite(est.n)
    flags = np.where(
        has_base, base_flag(np.nan_to_num(est.n), options.thresholds), "ok"
    )
    stuck = has_base & degenerate(est.estimate, se, est.degf)
    if np.any(stuck):
        flags = np.where(
            stuck & np.isin(flags, ["ok", "small_base"]), "degenerate", flags
        )
        low, high, method = _degenerate_intervals(
            est, index, stuck, (low, high, method), options.level, basis
        )
    top = np.where(scale == "share", 1.0, np.where(scale == "index", 100.0, np.inf))
    bottom = np.where(scale == "mean", -np.inf, 0.0)
    clipped = (low < bottom) | (high > top)
    hidden = flags == "suppressed"
    return pd.DataFrame(
        {
            "metric": metric,
            "segment_var": segment_var,
            "segment_value": est.labels.astype(str),
            "n": est.n,
            "n_eff": est.n_eff,
            "n_star": _n_star(est, index, options.level, basis),
            "deff": est.deff,
            "estimate": np.where(hidden, np.nan, est.estimate),
            "se": np.where(hidden, np.nan, se),
            "ci_low": np.where(hidden, np.nan, np.clip(low, bottom, top)),
            "ci_high": np.where(hidden, np.nan, np.clip(high, bottom, top)),
            "level": options.level,
            "method": method,
            "flag": flags,
            "clipped": clipped & ~hidden,
            "scale": scale,
        }
    )


def _n_star(
    est: DomainEstimates, index: npt.NDArray[np.bool_], level: float, basis: Basis
) -> FloatArray:
    """The base a share's binomial interval stands on (NaN for indices)."""
    if basis == "plain":
        base = est.n
    elif basis == "published":
        base = est.n_eff
    else:
        base = effective_base(
            est.estimate, est.se, n=est.n, nrow=est.n_rows, df=est.degf, level=level
        )
    return np.where(index, np.nan, base)


def _intervals(
    est: DomainEstimates,
    index: npt.NDArray[np.bool_],
    opts: EstimateOptions,
    basis: Basis,
) -> tuple[FloatArray, FloatArray, FloatArray, Strings]:
    """SE, bounds and method label of each row; index rows get mean ± t·SE."""
    # share intervals see a neutral 0.5 on index rows, replaced below
    share = replace(est, estimate=np.where(index, 0.5, est.estimate))
    se, low, high, label = _share_interval(share, opts, basis)
    if np.any(index):
        mean = est.ci(opts.level, "mean")
        low, high = np.where(index, mean.low, low), np.where(index, mean.high, high)
        se = np.where(index, est.se, se)
    return se, low, high, np.where(index, "mean-t", label)


def _share_interval(
    est: DomainEstimates, opts: EstimateOptions, basis: Basis
) -> tuple[FloatArray, FloatArray, FloatArray, Strings]:
    """The chosen interval: svyciprop's forms need an SE, so toplines get Wilson."""
    binomial = as_binomial(opts.method)
    design_form = binomial is None and opts.method != "wilson-kish"
    if basis == "design" or (basis == "plain" and design_form):
        ci = est.ci(opts.level, opts.method)
        return est.se, ci.low, ci.high, np.full(est.n.size, opts.method)
    # counts: n when unweighted (where Kish's base is n), a published base
    method = binomial or "wilson"
    base = est.n if basis == "plain" else est.n_eff
    with np.errstate(divide="ignore", invalid="ignore"):
        # no base (n = 0, or a published figure without one): NaN bounds
        low, high = proportion_ci(
            np.nan_to_num(est.estimate * base),
            np.nan_to_num(base),
            method=method,
            level=opts.level,
        )
        binomial_se = np.sqrt(est.estimate * (1 - est.estimate) / base)
    label = np.where(np.isfinite(base), method, NO_BASE)
    return binomial_se, low, high, label


def _degenerate_intervals(
    est: DomainEstimates,
    index: npt.NDArray[np.bool_],
    stuck: npt.NDArray[np.bool_],
    shown: tuple[FloatArray, FloatArray, Strings],
    level: float,
    basis: Basis,
) -> tuple[FloatArray, FloatArray, Strings]:
    """No design-based interval where the variance says nothing.

    A 0 % or 100 % share: Clopper–Pearson on Kish's effective base; another
    share: Wilson on it; an index: none.
    """
    low, high, method = shown
    share = stuck & ~index
    p = np.where(share, est.estimate, 0.5)
    base = np.nan_to_num(est.n if basis == "plain" else est.n_eff)
    suffix = "" if basis == "plain" else "-kish"
    edge = (p <= 0) | (p >= 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cp = proportion_ci(
            np.nan_to_num(p * base), base, method="clopper-pearson", level=level
        )
        wilson = proportion_ci(np.nan_to_num(p * base), base, level=level)
    exact, score = share & edge, share & ~edge
    low = np.where(exact, cp[0], np.where(score, wilson[0], low))
    high = np.where(exact, cp[1], np.where(score, wilson[1], high))
    low = np.where(stuck & index, np.nan, low)
    high = np.where(stuck & index, np.nan, high)
    method = np.where(exact, f"clopper-pearson{suffix}", method)
    method = np.where(score, f"wilson{suffix}", method)
    return low, high, method
