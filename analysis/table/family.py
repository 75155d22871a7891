"""One family per page: the Overview's wave changes, adjusted together.

A page that marks changes with ✱ makes one claim per card. Tested one by one
at α = 5 %, nineteen unchanged metrics give at least one false ✱ about 62 % of
the time (1 − 0.95¹⁹); adjusted together (Holm) the page's false-✱ rate stays
at α. The tests themselves are those of :func:`analysis.table.trends.trend_table`,
whose raw ``p_value`` is read here and never recomputed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

import numpy as np
import pandas as pd

from analysis.errors import SurveyDataError
from analysis.formatting import number, percent
from analysis.i18n import Lang, Words
from analysis.methods import AdjustMethod
from analysis.stats.comparisons import adjust_pvalues
from analysis.stats.intervals import check_level, check_method
from analysis.store.wave import WaveMeta

_WORDS = Words(
    {
        "caption": (
            "✱ significant change against {previous} at the {alpha} level: {tests}; "
            "{correction}.",
            "✱ évolution significative face à {previous} au seuil de {alpha} : "
            "{tests} ; {correction}.",
        ),
        "synthetic": (
            "No change shown against {previous}: one wave is synthetic data and "
            "the other real.",
            "Aucune évolution face à {previous} : l'une des vagues est synthétique, "
            "l'autre réelle.",
        ),
        "countries": (
            "No change shown against {previous}: it covers {before}, this wave "
            "{after}.",
            "Aucune évolution face à {previous} : elle couvre {before}, cette vague "
            "{after}.",
        ),
        "none_tested": (
            "No change against {previous} could be tested (low or missing bases).",
            "Aucune évolution face à {previous} n'a pu être testée (bases faibles ou "
            "absentes).",
        ),
        "holm": (
            "Holm correction across the {size} changes tested on this page",
            "correction de Holm sur les {size} évolutions testées de cette page",
        ),
        "bh": (
            "Benjamini–Hochberg correction (false discovery rate) across the {size} "
            "changes tested on this page",
            "correction de Benjamini–Hochberg (taux de fausses découvertes) sur les "
            "{size} évolutions testées de cette page",
        ),
        "none": (
            "no correction for the {size} changes tested on this page",
            "sans correction pour les {size} évolutions testées de cette page",
        ),
        # the tests trend_table runs, by its ``method`` code
        "newcombe-wilson": (
            "pooled two-proportion z-test on effective bases (shares)",
            "test z de deux proportions à variance commune sur bases effectives "
            "(parts)",
        ),
        "welch-z": (
            "z-test on design-based standard errors (indices)",
            "test z sur les erreurs types du plan de sondage (indices)",
        ),
        "wald-z": (
            "Wald z-test on the design-based standard errors",
            "test z de Wald sur les erreurs types du plan de sondage",
        ),
    }
)
_NEEDED = ("metric", "p_value", "tested", "method")


@dataclass(frozen=True)
class ChangeFamily:
    """A page's changes with their family-adjusted p-values and ✱ marks.

    ``rows`` holds the changes passed in, re-indexed by metric, with
    ``p_adjusted`` and ``significant`` recomputed over the whole family.
    """

    rows: pd.DataFrame
    adjust: AdjustMethod
    level: float

    @property
    def size(self) -> int:
        """How many changes were tested (the family's size)."""
        return int(self.rows["p_value"].notna().sum())

    @property
    def alpha(self) -> float:
        """The family's error rate: 1 − the user's level."""
        return 1.0 - self.level

    def marked(self, metric: str) -> bool:
        """Whether the card of ``metric`` gets a ✱."""
        if metric not in self.rows.index:
            return False
        return bool(self.rows.loc[metric, "significant"])

    def tests(self) -> tuple[str, ...]:
        """The tests behind the family, as ``trend_table`` names them."""
        tested = self.rows[self.rows["p_value"].notna()]
        column = "test" if "test" in tested.columns else "method"
        return tuple(dict.fromkeys(str(t) for t in tested[column]))

    def caption(self, previous: str, lang: Lang = "en") -> str:
        """The footnote that names the test, the correction and the level."""
        if self.size == 0:
            return _WORDS("none_tested", lang, previous=previous)
        tests = ", ".join(_WORDS(t, lang) if t in _WORDS else t for t in self.tests())
        return _WORDS(
            "caption",
            lang,
            previous=previous,
            alpha=percent(self.alpha, lang, 0 if _whole(100 * self.alpha) else 1),
            tests=tests,
            correction=_WORDS(self.adjust, lang, size=number(self.size, lang)),
        )


def wave_mismatch(before: WaveMeta, after: WaveMeta, lang: Lang = "en") -> str | None:
    """Why two waves' totals are not comparable (None when they are).

    Synthetic demo data is never set against real respondents, nor a wave
    against one that covers other countries.
    """
    if before.synthetic != after.synthetic:
        return _WORDS("synthetic", lang, previous=before.name)
    if set(before.countries) != set(after.countries):
        return _WORDS(
            "countries",
            lang,
            previous=before.name,
            before=", ".join(before.countries) or "?",
            after=", ".join(after.countries) or "?",
        )
    return None


def _whole(value: float) -> bool:
    return abs(value - round(value)) < 1e-9


def change_family(
    changes: pd.DataFrame, *, adjust: AdjustMethod = "holm", level: float = 0.95
) -> ChangeFamily:
    """Adjust one page's changes as one family and mark those significant.

    Parameters
    ----------
    changes : pandas.DataFrame
        One row per card: rows of :func:`analysis.table.trends.trend_table`
        (at least ``metric``, ``p_value``, ``tested`` and ``method``). Untested
        rows (NaN ``p_value``) stay out of the family.
    adjust : {"holm", "bh", "none"}
        Holm controls the chance of any false ✱ on the page; Benjamini–Hochberg
        the expected share of false ✱ among the marked.
    level : float
        The user's confidence level; a change is marked when its adjusted
        p-value is below 1 − level.

    Returns
    -------
    ChangeFamily

    Examples
    --------
    >>> rows = pd.DataFrame({"metric": ["a", "b", "c"], "tested": True,
    ...     "method": "newcombe-wilson", "p_value": [0.01, 0.04, 0.03]})
    >>> family = change_family(rows)
    >>> family.rows["p_adjusted"].round(2).tolist(), family.marked("a")
    ([0.03, 0.06, 0.06], True)

    References
    ----------
    S. Holm (1979), Scandinavian Journal of Statistics 6:65–70.
    """
    check_method(adjust, get_args(AdjustMethod))
    level = check_level(level)
    missing = [c for c in _NEEDED if c not in changes.columns]
    if missing:
        raise SurveyDataError(f"the changes lack column(s) {missing}")
    if changes["metric"].duplicated().any():
        raise SurveyDataError(
            "a page family holds one change per card; metrics "
            f"{sorted(set(changes.loc[changes['metric'].duplicated(), 'metric']))} "
            "appear twice"
        )
    rows = changes.set_index("metric", drop=False)
    raw = pd.to_numeric(rows["p_value"]).to_numpy(dtype=np.float64, na_value=np.nan)
    raw = np.where(rows["tested"].astype(bool).to_numpy(), raw, np.nan)
    adjusted = adjust_pvalues(raw, adjust)
    with np.errstate(invalid="ignore"):
        significant = adjusted < 1.0 - level
    rows = rows.assign(p_value=raw, p_adjusted=adjusted, significant=significant)
    return ChangeFamily(rows=rows, adjust=adjust, level=level)
