"""What a chart's intervals may be called, given the kind of sample behind them.

Only a probability sample has a margin of sampling error. An opt-in panel's
interval rests on a model: that the weighted sample represents the
population. A wave whose sample type nobody stated gets the same caution.
None of these intervals is Bayesian, and no footnote gives them a Bayesian
name (AAPOR's statement on opt-in samples).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from analysis.formatting import number, percent
from analysis.i18n import Lang, Words
from analysis.store.wave import TOTAL, SampleType, WaveInfo

_METHODS = Words(
    {
        "wilson-kish": (
            "Wilson on the Kish effective base",
            "Wilson sur la base effective de Kish",
        ),
        "wilson": ("Wilson score", "score de Wilson"),
        "clopper-pearson-kish": (
            "Clopper–Pearson on the Kish effective base",
            "Clopper–Pearson sur la base effective de Kish",
        ),
        "clopper-pearson": ("Clopper–Pearson", "Clopper–Pearson"),
        "jeffreys-kish": (
            "Jeffreys on the Kish effective base",
            "Jeffreys sur la base effective de Kish",
        ),
        "jeffreys": ("Jeffreys", "Jeffreys"),
        "agresti-coull-kish": (
            "Agresti–Coull on the Kish effective base",
            "Agresti–Coull sur la base effective de Kish",
        ),
        "agresti-coull": ("Agresti–Coull", "Agresti–Coull"),
        "logit": ("logit, linearised design-based", "logit, linéarisé selon le plan"),
        "mean": ("linearised design-based", "linéarisé selon le plan"),
        "beta": ("Korn–Graubard beta", "bêta de Korn–Graubard"),
        "mean-t": (
            "mean ± t × linearised standard error",
            "moyenne ± t × erreur type linéarisée",
        ),
    }
)
"""How the footnote names each interval method of the EstimateTable."""
_BINOMIAL = ("wilson", "clopper-pearson", "jeffreys", "agresti-coull")
"""Methods that stand on n* when the rows are weighted (n on unweighted data)."""

_WORDS = Words(
    {
        "probability": (
            "Probability sample: {level} margin of error up to ±{points} "
            "for the total ({methods})",
            "Échantillon probabiliste\u00a0: marge d'erreur à {level} jusqu'à "
            "±{points} pour l'ensemble ({methods})",
        ),
        # English says "1 pt", "1.5 pts"; French "1,5 point", "2 points"
        "one_point": ("{x} pt", "{x}\u00a0point"),
        "points": ("{x} pts", "{x}\u00a0points"),
        "wider": ("; wider for segments", "\u00a0; plus large pour les segments"),
        "opt_in": (
            "Opt-in panel: the {level} intervals ({methods}) assume the "
            "{weighted}sample represents the population; they are not a margin "
            "of sampling error",
            "Panel à adhésion volontaire\u00a0: les intervalles à {level} "
            "({methods}) supposent que l'échantillon {weighted}représente la "
            "population\u00a0; ce ne sont pas des marges d'erreur d'échantillonnage",
        ),
        "unknown": (
            "Sample type not stated: the {level} intervals ({methods}) assume the "
            "{weighted}sample represents the population; they are not a margin "
            "of sampling error",
            "Type d'échantillon non précisé\u00a0: les intervalles à {level} "
            "({methods}) supposent que l'échantillon {weighted}représente la "
            "population\u00a0; ce ne sont pas des marges d'erreur d'échantillonnage",
        ),
        "weighted": ("weighted ", "pondéré "),
        "on_design": (
            " on the design-based effective base",
            " sur la base effective selon le plan",
        ),
        "list": ("; ", "\u00a0; "),
        "on_mean": ("{x} on the mean score", "{x} sur le score moyen"),
        "and": (" and ±", " et ±"),
    }
)


_SINGULAR: dict[Lang, Callable[[float], bool]] = {
    "en": lambda x: x == 1,  # 1 pt, 0.5 pts
    "fr": lambda x: x < 2,  # 0,5 point, 1,5 point, 2 points
}


def sample_type_of(waves: Sequence[WaveInfo]) -> SampleType:
    """The claim the waves together allow: probability only if every one is.

    Mixing a probability sample with an opt-in panel gives the panel's
    caution; any wave of unstated type (or no wave record at all) gives
    "unknown".
    """
    kinds = {w.meta.sample_type for w in waves}
    if kinds == {"probability"}:
        return "probability"
    if kinds and kinds <= {"probability", "opt_in"}:
        return "opt_in"
    return "unknown"


def margin_points(rows: pd.DataFrame) -> float | None:
    """The larger half-width of the total's interval, in points of the 0–100 axis.

    Over every total share or index row shown (one per metric and wave), the
    larger of ``estimate − ci_low`` and ``ci_high − estimate``; shares count
    ×100, indices as they are. A mean score's margin is in its own units, not
    in points: it is left out here (:func:`mean_margin`). Rows without a
    total use every row instead. Low, hidden and degenerate bases are left
    out, as they are from headlines. None when no row has an interval.
    """
    use = _margin_rows(rows)
    use = use[use["scale"].astype(str) != "mean"]
    factor = np.where(use["scale"].astype(str) == "index", 1.0, 100.0)
    return _largest_half(use, factor)


def mean_margin(rows: pd.DataFrame) -> float | None:
    """The larger half-width of the total's mean scores, in the mean's own units.

    The same rows as :func:`margin_points` but the means: a mean of a 1–4
    scale at 2.5 ± 0.1 has a margin of 0.1, never "10 points".
    """
    use = _margin_rows(rows)
    use = use[use["scale"].astype(str) == "mean"]
    return _largest_half(use, np.ones(len(use)))


def _margin_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows a margin is read from: the total's when shown, every row else."""
    shown = rows[~rows["flag"].isin(["low_base", "suppressed", "degenerate"])]
    totals = shown[shown["segment_var"] == TOTAL]
    return totals if len(totals) else shown


def _largest_half(use: pd.DataFrame, factor: np.ndarray) -> float | None:
    if use.empty:
        return None
    est, low, high = (
        pd.to_numeric(use[c], errors="coerce").to_numpy(dtype=float)
        for c in ("estimate", "ci_low", "ci_high")
    )
    half = np.fmax(est - low, high - est) * factor
    half = half[np.isfinite(half)]
    return float(half.max()) if half.size else None


def points_text(value: float, lang: Lang) -> str:
    """A margin as said: "3 pts", rounded half up; under ½ point, one decimal."""
    whole = math.floor(value + 0.5)
    shown, decimals = (float(whole), 0) if whole >= 1 else (_tenths(value), 1)
    key = "one_point" if _SINGULAR[lang](shown) else "points"
    return _WORDS(key, lang, x=number(shown, lang, decimals))


def _tenths(value: float) -> float:
    return math.floor(value * 10 + 0.5) / 10


def interval_sentence(rows: pd.DataFrame, waves: Sequence[WaveInfo], lang: Lang) -> str:
    """The footnote's sentence on the intervals, worded by the waves' sample type.

    A probability sample's says "margin of error up to ±x pts" (x from
    :func:`margin_points`); any other says what the interval assumes and that
    it is not a margin of sampling error. Empty when no method is known.
    """
    n = pd.to_numeric(rows["n"], errors="coerce")
    n_eff = pd.to_numeric(rows["n_eff"], errors="coerce")
    weighted = bool(((n - n_eff) > 0.5).any())
    known = _method_names(rows, weighted, lang)
    if not known:
        return ""
    level = level_text(float(rows["level"].dropna().iloc[0]), lang)
    named = _WORDS("list", lang).join(known)
    kind = sample_type_of(waves)
    margin = _margin_text(rows, lang)
    if kind == "probability" and margin:
        text = _WORDS("probability", lang, level=level, points=margin, methods=named)
        if (rows["segment_var"] != TOTAL).any() and (
            rows["segment_var"] == TOTAL
        ).any():
            text += _WORDS("wider", lang)
        return text
    key = "unknown" if kind == "unknown" else "opt_in"
    return _WORDS(
        key,
        lang,
        level=level,
        methods=named,
        weighted=_WORDS("weighted", lang) if weighted else "",
    )


def _margin_text(rows: pd.DataFrame, lang: Lang) -> str:
    """The margin as said: "3 pts", "0.12 on the mean score", both, or ""."""
    points, mean = margin_points(rows), mean_margin(rows)
    said = [] if points is None else [points_text(points, lang)]
    if mean is not None:
        said.append(_WORDS("on_mean", lang, x=number(mean, lang, 2)))
    return _WORDS("and", lang).join(said)


def _method_names(rows: pd.DataFrame, weighted: bool, lang: Lang) -> list[str]:
    """The rows' interval methods as named, n* said for weighted binomial ones."""
    names = []
    for method in (str(m) for m in pd.unique(rows["method"].dropna())):
        if method not in _METHODS:
            continue
        name = _METHODS(method, lang)
        if weighted and method in _BINOMIAL:
            name += _WORDS("on_design", lang)
        names.append(name)
    return names


def level_text(level: float, lang: Lang) -> str:
    """A confidence or significance level as a percentage: "95%", "99.5%"."""
    decimals = 0 if float(round(100 * level, 6)).is_integer() else 1
    return percent(level, lang, decimals)
