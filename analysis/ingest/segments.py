"""Segment values as files write them: countries, genders and ages made comparable.

Countries are recognised by name or ISO code in English and French (every
country ``pycountry`` knows, its French names from pycountry's own gettext
catalogue) and stored as ISO-2 codes; a value that is not a known country is
kept as written, never made missing. Ages in years become bands with cut
points the analyst may change; the age itself is never stored.
"""

from __future__ import annotations

import functools
import gettext
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import pycountry
from unidecode import unidecode

from analysis.errors import IngestError
from analysis.ingest.labels import gender_value, value_key
from analysis.ingest.wording import fold, is_excluded

AGE_CUTS: tuple[int, ...] = (18, 25, 35, 45, 55, 65)
"""Default age band cut points: 18-24, 25-34, 35-44, 45-54, 55-64, 65+."""
MAX_AGE = 120
_BAND = re.compile(
    r"^[0-9]+\s*(?:(?:-|a|to)\s*[0-9]+|\+|(?:ans?|years?)?\s*(?:et plus|and over|"
    r"or (?:more|older)|plus))"
)
_SHARE = 0.8  # share of distinct values that must be recognised to name a segment

# Names pycountry does not carry (or carries only in an official form).
_ALIASES: Mapping[str, str] = {
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "grande bretagne": "GB",
    "england": "GB",
    "angleterre": "GB",
    "scotland": "GB",
    "ecosse": "GB",
    "wales": "GB",
    "pays de galles": "GB",
    "usa": "US",
    "u s": "US",
    "u s a": "US",
    "america": "US",
    "etats unis d amerique": "US",
    "holland": "NL",
    "deutschland": "DE",
    "espana": "ES",
    "italia": "IT",
    "schweiz": "CH",
    "svizzera": "CH",
    "belgie": "BE",
    "osterreich": "AT",
    "nederland": "NL",
    "russia": "RU",
    "russie": "RU",
    "south korea": "KR",
    "coree du sud": "KR",
    "north korea": "KP",
    "coree du nord": "KP",
    "iran": "IR",
    "vietnam": "VN",
    "syria": "SY",
    "syrie": "SY",
    "bolivia": "BO",
    "bolivie": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "tanzanie": "TZ",
    "taiwan": "TW",
    "laos": "LA",
    "moldova": "MD",
    "moldavie": "MD",
    "ivory coast": "CI",
    "cote d ivoire": "CI",
    "czech republic": "CZ",
    "republique tcheque": "CZ",
    "tchequie": "CZ",
    "turkey": "TR",
    "the netherlands": "NL",
}


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Folded names (EN, FR, official, common) → ISO-2 code."""
    catalogue: gettext.NullTranslations
    try:
        catalogue = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=["fr"]
        )
    except OSError:  # a pycountry without its translations: English names only
        catalogue = gettext.NullTranslations()
    french = catalogue.gettext
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = str(country.alpha_2)
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                names.setdefault(fold(name), code)
                names.setdefault(fold(french(str(name))), code)
    names.update(_ALIASES)
    return names


@functools.lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    """ISO-2 and ISO-3 codes (upper case) → ISO-2 code."""
    codes: dict[str, str] = {}
    for country in pycountry.countries:
        codes[str(country.alpha_2)] = str(country.alpha_2)
        codes[str(country.alpha_3)] = str(country.alpha_2)
    codes["UK"] = "GB"
    return codes


def country_code(value: str, *, codes_any_case: bool = True) -> str | None:
    """The ISO-2 code of a country written as a name (EN/FR) or an ISO code.

    With ``codes_any_case=False`` a code counts only in capitals: "no" and
    "it" are words before they are Norway and Italy.
    """
    text = str(value).strip()
    code = _country_codes().get(text.upper() if codes_any_case else text)
    if code is not None:
        return code
    return _country_names().get(fold(text).removeprefix("the "))


def band_labels(cuts: Sequence[int] = AGE_CUTS) -> tuple[str, ...]:
    """The bands' names: "18-24", …, "65+" for the default cuts."""
    check_cuts(cuts)
    inner = [f"{lo}-{hi - 1}" for lo, hi in itertools.pairwise(cuts)]
    return (*inner, f"{cuts[-1]}+")


def check_cuts(cuts: Sequence[int]) -> None:
    """Age cut points must be whole years, increasing, between 0 and 120."""
    values = list(cuts)
    ordered = all(a < b for a, b in itertools.pairwise(values))
    whole = all(isinstance(c, int | np.integer) and 0 <= c <= MAX_AGE for c in values)
    if not values or not ordered or not whole:
        raise IngestError(
            f"age cut points {values!r} must be increasing whole years between 0 "
            f"and {MAX_AGE}, e.g. {list(AGE_CUTS)}"
        )


def age_band_of(age: float, cuts: Sequence[int] = AGE_CUTS) -> str | None:
    """The band of an age in years ("<18" below the first cut); None if implausible."""
    if not np.isfinite(age) or not 0 <= age <= MAX_AGE:
        return None
    if age < cuts[0]:
        return f"<{cuts[0]}"
    return band_labels(cuts)[int(np.searchsorted(cuts, age, side="right")) - 1]


def band_of_text(value: str, cuts: Sequence[int] = AGE_CUTS) -> str:
    """A band as written ("25 à 34 ans", "65 ans et plus") in the "25-34" form.

    A band that is not in the standard form and does not read as one is kept as
    written: the analyst's own bands stay theirs.
    """
    text = fold(str(value)[:80])  # cut first: no age band is longer
    digits = re.findall(r"[0-9]+", text)
    if any(len(n) > 3 for n in digits):  # not an age (and int() of 5,000 digits fails)
        return str(value).strip()
    numbers = [int(n) for n in digits]
    if len(numbers) == 1 and re.fullmatch(r"[0-9]+(?: 0+)?", text):
        return age_band_of(float(numbers[0]), cuts) or str(value).strip()
    if len(numbers) == 2 and numbers[0] < numbers[1]:
        return f"{numbers[0]}-{numbers[1]}"
    if len(numbers) == 1 and re.search(r"\+|plus|over|more|older|et \+", str(value)):
        return f"{numbers[0]}+"
    return str(value).strip()


def looks_like_age_bands(values: Iterable[str]) -> bool:
    """True when most values read as age bands ("18-24", "65+", "25 à 34 ans")."""
    found = [v for v in values if str(v).strip()]
    if len(found) < 2:
        return False
    banded = sum(bool(_BAND.match(unidecode(v).casefold().strip())) for v in found)
    return banded >= _SHARE * len(found)


def segment_by_values(values: Sequence[str]) -> str | None:
    """``gender``, ``country``, ``age_band`` or ``region`` when the answers say so."""
    found = [v for v in values if str(v).strip() and not is_excluded(v)]
    if len(found) < 2:
        return None
    genders = {gender_value(v) for v in found} - {None}
    if len(found) <= 6 and {"female", "male"} <= genders:
        known = sum(gender_value(v) is not None for v in found)
        if known >= _SHARE * len(found):
            return "gender"
    countries = [country_code(v, codes_any_case=False) for v in found]
    known_countries = {c for c in countries if c is not None}
    if len(known_countries) >= 2 and len([c for c in countries if c]) >= _SHARE * len(
        found
    ):
        return "country"
    if looks_like_age_bands(found):
        return "age_band"
    regions = _region_names()
    if len(found) >= 3 and sum(fold(v) in regions for v in found) >= _SHARE * len(
        found
    ):
        return "region"
    return None


@functools.lru_cache(maxsize=1)
def _region_names() -> frozenset[str]:
    """Folded names of every country's regions, provinces and states (ISO 3166-2)."""
    return frozenset(fold(s.name) for s in pycountry.subdivisions)


def recode_segment(
    series: pd.Series,
    name: str,
    labels: Mapping[str, str] | None = None,
    cuts: Sequence[int] = AGE_CUTS,
) -> pd.Series:
    """A segment column as stored: text, recognised values normalised.

    Works on distinct values. Countries become ISO-2 codes, genders
    female/male/other, ages bands; values not recognised are kept as written.
    Blank and "prefer not to say" answers are missing.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    out = [_segment_value(value, name, labels or {}, cuts) for value in uniques]
    table = np.array([*out, None], dtype=object)
    values = table[np.where(codes < 0, len(out), codes)]
    return pd.Series(values, index=series.index, dtype="str")


def _segment_value(
    value: object, name: str, labels: Mapping[str, str], cuts: Sequence[int]
) -> str | None:
    key = value_key(value)
    text = labels.get(key, key)
    if not text.strip() or is_excluded(text):
        return None
    if name == "age_band":
        return _age_value(value, text, cuts)
    if name == "country":
        return country_code(text) or text.strip()
    if name == "gender":
        return gender_value(text) or text.strip()
    return text.strip()


def _age_value(value: object, text: str, cuts: Sequence[int]) -> str | None:
    number = _number(value if text == value_key(value) else text)
    if number is not None:
        return age_band_of(number, cuts)
    return band_of_text(text, cuts)


def _number(value: object) -> float | None:
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    text = str(value).strip().replace(",", ".")
    try:
        return float(text) if re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", text) else None
    except ValueError:
        return None


__all__ = [
    "AGE_CUTS",
    "age_band_of",
    "band_labels",
    "band_of_text",
    "check_cuts",
    "country_code",
    "looks_like_age_bands",
    "recode_segment",
    "segment_by_values",
]
