"""The closed sets of choices the library accepts, each defined once.

Every option that picks a method reads its ``Literal`` here, and every check of
a user's choice reads the matching tuple, so a value added here is added
everywhere (command line, dashboard, EstimateOptions) at once.
"""

from __future__ import annotations

from typing import Literal, get_args

BinomialMethod = Literal["wilson", "clopper-pearson", "jeffreys", "agresti-coull"]
"""Intervals from a count and a base: n unweighted, the design-based n* weighted."""

IntervalMethod = Literal[BinomialMethod, "wilson-kish", "logit", "mean", "beta"]
"""Intervals a user can choose: the binomial ones, Wilson on Kish's effective
base (the default before issue 12), and svyciprop's t-based forms."""

DesignMethod = Literal[IntervalMethod, "normal"]
"""Intervals from an estimate and its SE: the chosen ones, and estimate ± z·SE."""

AdjustMethod = Literal["holm", "bh", "none"]
"""Multiplicity adjustments: Holm (family-wise error), Benjamini–Hochberg (FDR)."""

LonelyPSU = Literal["fail", "adjust", "certainty", "average"]
"""Rules for a stratum with one PSU, as R's ``options(survey.lonely.psu=)``: raise
(survey's default), centre it at the grand mean, give it no variance, or give it
the average variance of the other strata."""

BootstrapMethod = Literal["BCa", "percentile", "basic"]
"""Bootstrap intervals, as :func:`scipy.stats.bootstrap` names them."""

BINOMIAL_METHODS: tuple[BinomialMethod, ...] = get_args(BinomialMethod)
INTERVAL_METHODS: tuple[IntervalMethod, ...] = get_args(IntervalMethod)
DESIGN_METHODS: tuple[DesignMethod, ...] = get_args(DesignMethod)
ADJUST_METHODS: tuple[AdjustMethod, ...] = get_args(AdjustMethod)
LONELY_PSU_RULES: tuple[LonelyPSU, ...] = get_args(LonelyPSU)
BOOTSTRAP_METHODS: tuple[BootstrapMethod, ...] = get_args(BootstrapMethod)


def as_binomial(method: str) -> BinomialMethod | None:
    """``method`` if it is a binomial method, else None (a narrowing for mypy)."""
    return next((m for m in BINOMIAL_METHODS if m == method), None)
