"""Who counts in a metric's base, and how a footnote says it.

A composite reads several questions, and a respondent may answer some and not
others ("don't know" counts as no answer). Where the base stops moves the
headline by several standard errors, so the codebook states the rule for each
composite and every footnote repeats it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from analysis.errors import CodebookError
from analysis.i18n import Lang, Words

_WORDS = Words(
    {
        "one": (
            "Base: respondents who answered (“don't know” left out).",
            "Base : répondants ayant répondu (« je ne sais pas » exclu).",
        ),
        "all": (
            "Base: respondents who answered all {items} items "
            "(“don't know” counts as no answer).",
            "Base : répondants ayant répondu aux {items} items "
            "(« je ne sais pas » compte comme une non-réponse).",
        ),
        "at_least": (
            "Base: respondents who answered at least {minimum} of the {items} items "
            "(“don't know” counts as no answer).",
            "Base : répondants ayant répondu à au moins {minimum} des {items} items "
            "(« je ne sais pas » compte comme une non-réponse).",
        ),
    }
)


@dataclass(frozen=True)
class BaseRule:
    """A respondent is in the base when they answered ``minimum`` of ``items``.

    Examples
    --------
    >>> BaseRule(items=3, minimum=3).describe("en")
    'Base: respondents who answered all 3 items (“don't know” counts as no answer).'
    """

    items: int
    minimum: int

    def __post_init__(self) -> None:
        if not 1 <= self.minimum <= self.items:
            raise CodebookError(
                f"a base of at least {self.minimum} answered item(s) out of "
                f"{self.items} is impossible; use 1 to {self.items}"
            )

    @property
    def kind(self) -> str:
        """``"one"`` (a single question), ``"all"`` or ``"at_least"``."""
        if self.items == 1:
            return "one"
        return "all" if self.minimum == self.items else "at_least"

    def admits(self, answered: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.bool_]:
        """Which respondents are in the base, from their count of answered items."""
        return np.asarray(answered >= self.minimum)

    def describe(self, lang: Lang = "en") -> str:
        """The footnote sentence that says who the base is."""
        return _WORDS(self.kind, lang, items=self.items, minimum=self.minimum)


def parse_base(raw: Any, items: int, where: str) -> BaseRule:
    """The ``base`` field of a metric: ``all`` or ``{at_least: k}``.

    A plain proportion (one item) needs none; a composite must state it.
    """
    if items == 1 and raw is None:
        return BaseRule(items=1, minimum=1)
    if raw == "all":
        return BaseRule(items=items, minimum=items)
    if isinstance(raw, dict) and set(raw) == {"at_least"}:
        k = raw["at_least"]
        if isinstance(k, int) and not isinstance(k, bool) and 1 <= k <= items:
            return BaseRule(items=items, minimum=k)
        raise CodebookError(
            f"{where}, field 'base': at_least must be a whole number from 1 to "
            f"{items} (the metric's items); got {k!r}"
        )
    raise CodebookError(
        f"{where}, field 'base': a composite states its base as 'all' or "
        f"{{at_least: k}}; got {raw!r}"
    )
