"""Numbers, percentages and dates as each language writes them.

French typography puts a narrow no-break space (U+202F) before ``%`` and
between thousands, and a decimal comma: "58 %", "1 234", "4,5". Every chart,
slide and footnote formats through here so the two languages never mix.
"""

from __future__ import annotations

import math
from datetime import date

from analysis.i18n import Lang, Words

NNBSP = "\u202f"
"""Narrow no-break space: French thousands separator and space before %."""

_MONTHS: dict[Lang, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
}
_WORDS = Words(
    {
        # French puts a narrow no-break space (NNBSP) before the unit
        "percent": ("{digits}%", "{digits}\u202f%"),
        "points": ("{digits} pts", "{digits}\u202fpts"),
    }
)
MISSING = "–"
"""What a missing number is written as."""


def number(value: float, lang: Lang = "en", decimals: int = 0) -> str:
    """A number with the language's thousands separator and decimal mark.

    Examples
    --------
    >>> number(1234.5, "en", 1), number(1234.5, "fr", 1) == "1\u202f234,5"
    ('1,234.5', True)
    """
    if value is None or not math.isfinite(value):
        return MISSING
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text.replace("-", "−")


def percent(share: float, lang: Lang = "en", decimals: int = 0) -> str:
    """A 0–1 share as a percentage: "58%" in English, "58 %" in French."""
    if share is None or not math.isfinite(share):
        return MISSING
    return _WORDS("percent", lang, digits=number(100 * share, lang, decimals))


def estimate_text(value: float, scale: str, lang: Lang = "en") -> str:
    """An estimate as charts show it: a percentage, an index out of 100, a mean."""
    if scale == "share":
        return percent(value, lang)
    return number(value, lang, 1 if scale == "mean" else 0)


def interval_text(low: float, high: float, scale: str, lang: Lang = "en") -> str:
    """An interval as "55–62%" (English) or "55–62 %" (French)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return MISSING
    if scale != "share":
        places = 1 if scale == "mean" else 0
        return f"{number(low, lang, places)}–{number(high, lang, places)}"
    digits = f"{number(100 * low, lang)}–{number(100 * high, lang)}"
    return _WORDS("percent", lang, digits=digits)


def points(diff: float, scale: str, lang: Lang = "en") -> str:
    """A signed change: "+7 pts" for shares, "+2.5" for an index, "±0 pts" for none.

    A change that rounds to zero is written "±0", never "−0" or "+0".
    """
    if not math.isfinite(diff):
        return MISSING
    decimals = 1 if scale != "share" else 0
    value = diff if scale != "share" else 100 * diff
    if round(value, decimals) == 0:
        value = 0.0
    text = number(value, lang, decimals)
    if scale == "share":
        text = _WORDS("points", lang, digits=text)
    sign = "±" if value == 0 else "" if text.startswith("−") else "+"
    return sign + text


def day_range(start: date | None, end: date | None, lang: Lang = "en") -> str:
    """Fieldwork dates: "3–17 March 2025" / "3–17 mars 2025"; empty if unknown."""
    if start is None and end is None:
        return ""
    first, last = start or end, end or start
    assert first is not None and last is not None  # one of them is set
    months = _MONTHS[lang]
    tail = f"{last.day} {months[last.month - 1]} {last.year}"
    if first == last:
        return tail
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{tail}"
    if first.year == last.year:
        return f"{first.day} {months[first.month - 1]} – {tail}"
    return f"{first.day} {months[first.month - 1]} {first.year} – {tail}"
