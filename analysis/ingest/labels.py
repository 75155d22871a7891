"""Answer labels and segment values as people write them, made comparable.

"Tout à fait d’accord", "tout a fait d'accord " and "TOUT À FAIT D'ACCORD" are
one answer; "Allemagne", "Germany" and "DE" are one country. Matching works on
normalised text so that accents, apostrophes, case and spacing never matter.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.library.codebook import Question

DONT_KNOW = 9
_SPACES = re.compile(r"\s+")
_TRAILING = " .!?:;…"  # stripped, not matched: "[…]+$" is quadratic on long runs
_CODE = re.compile(r"-?\d{1,9}(?:\.0{1,9})?")
# Ways survey tools write "don't know" besides the codebook's own label.
_DONT_KNOW = frozenset(
    {
        "don't know",
        "dont know",
        "do not know",
        "not sure",
        "don't know / not sure",
        "ne sait pas",
        "je ne sais pas",
        "nsp",
        "sans opinion",
    }
)
# Answers that mean "no answer": stored as missing, never as a code.
NO_ANSWER = frozenset(
    {
        "",
        "refused",
        "prefer not to say",
        "prefer not to answer",
        "no answer",
        "je prefere ne pas repondre",
        "ne se prononce pas",
        "refus",
        "nan",
        "-99",
    }
)


def normalise(text: Any) -> str:
    """Casefolded text without accents, typographic apostrophes or extra spaces."""
    value = unicodedata.normalize("NFKD", str(text))
    value = "".join(c for c in value if not unicodedata.combining(c))
    value = value.replace("’", "'").replace("‘", "'").replace("`", "'")
    value = value.replace("–", "-").replace("—", "-")
    return _SPACES.sub(" ", value).strip().casefold().rstrip(_TRAILING)


@functools.lru_cache(maxsize=4096)
def normalise_known(text: str) -> str:
    """:func:`normalise` for the codebook's own texts, done once (they are few)."""
    return normalise(text)


def value_key(value: Any) -> str:
    """A raw cell as a dictionary key: 5, 5.0 and "5" are all ``"5"``."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, bool | np.bool_):
        return str(int(value))
    return str(value).strip()


def answer_code(
    key: str, question: Question, labels: Mapping[str, str] | None = None
) -> int | None:
    """The codebook code an answer stands for, or None when it is not known.

    The file's own value label is tried first (SPSS), then the value as a
    label in English or French, then the value as a numeric code.
    """
    candidates = [labels[key]] if labels and key in labels else []
    candidates.append(key)
    for candidate in candidates:
        label = normalise(candidate)
        for code, text in question.labels.items():
            if label in (normalise_known(text.en), normalise_known(text.fr)):
                return code
        if label in _DONT_KNOW and DONT_KNOW in question.labels:
            return DONT_KNOW
    if _CODE.fullmatch(key) and int(float(key)) in question.labels:
        return int(float(key))
    return None


def is_no_answer(key: str, labels: Mapping[str, str] | None = None) -> bool:
    """True for blanks and for labels that mean the respondent gave no answer."""
    label = labels.get(key, key) if labels else key
    return normalise(label) in NO_ANSWER


# -- segment values -------------------------------------------------------------

_COUNTRIES: Mapping[str, str] = {
    **{name: "FR" for name in ("fr", "fra", "france", "frankreich", "francia")},
    **{
        name: "DE"
        for name in ("de", "deu", "ger", "germany", "allemagne", "deutschland")
    },
    **{
        name: "GB"
        for name in (
            "gb",
            "gbr",
            "uk",
            "u.k",
            "united kingdom",
            "royaume-uni",
            "royaume uni",
            "great britain",
            "grande-bretagne",
            "england",
            "angleterre",
            "britain",
        )
    },
    **{
        name: "US"
        for name in (
            "us",
            "usa",
            "u.s",
            "u.s.a",
            "united states",
            "etats-unis",
            "etats unis",
            "united states of america",
            "america",
        )
    },
    **{name: "ES" for name in ("es", "esp", "spain", "espagne", "espana")},
    **{name: "IT" for name in ("it", "ita", "italy", "italie", "italia")},
    **{name: "BE" for name in ("be", "bel", "belgium", "belgique", "belgie")},
    **{name: "NL" for name in ("nl", "nld", "netherlands", "pays-bas", "holland")},
    **{name: "CH" for name in ("ch", "che", "switzerland", "suisse", "schweiz")},
    **{name: "CA" for name in ("ca", "can", "canada")},
    **{name: "IE" for name in ("ie", "irl", "ireland", "irlande")},
    **{name: "PT" for name in ("pt", "prt", "portugal")},
    **{name: "AU" for name in ("au", "aus", "australia", "australie")},
}
_GENDERS: Mapping[str, str] = {
    **{
        name: "female"
        for name in ("f", "female", "woman", "women", "femme", "feminin", "w")
    },
    **{name: "male" for name in ("m", "male", "man", "men", "homme", "masculin", "h")},
    **{
        name: "other"
        for name in (
            "other",
            "autre",
            "non-binary",
            "non binary",
            "nonbinary",
            "non-binaire",
            "non binaire",
            "x",
            "divers",
        )
    },
}
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
_AGE_EDGES = np.array([18, 25, 35, 45, 55, 65])


def country_code(value: str) -> str | None:
    """The ISO-2 code of a country written as a name (EN/FR/DE) or a code."""
    return _COUNTRIES.get(normalise(value).rstrip("."))


def gender_value(value: str) -> str | None:
    """female, male or other; None for what is not a gender (e.g. refused)."""
    return _GENDERS.get(normalise(value))


def age_band(value: str) -> str | None:
    """A band like "25-34" from "25-34", "25 à 34 ans", "65 ans et plus" or 29."""
    text = normalise(value[:80])
    digits = re.findall(r"\d+", text)
    if not digits or max(len(d) for d in digits) > 3:  # not an age, maybe 300 digits
        return None
    numbers = [int(n) for n in digits]
    if len(numbers) == 1 and re.fullmatch(r"\d+(\.0+)?", text):
        return age_to_band(numbers[0])
    if len(numbers) >= 2:
        band = f"{numbers[0]}-{numbers[1]}"
        return band if band in AGE_BANDS else None
    if numbers[0] == 65 and re.search(r"\+|plus|over|more|older", text):
        return "65+"
    return None


def age_to_band(age: float) -> str | None:
    """The band of an age in years; None below 18 or beyond 120."""
    if not 18 <= age <= 120:
        return None
    return AGE_BANDS[int(np.searchsorted(_AGE_EDGES, age, side="right")) - 1]


SEGMENT_RECODERS = {
    "country": country_code,
    "gender": gender_value,
    "age_band": age_band,
}


def recode_segment(
    series: pd.Series, segment: str, labels: Mapping[str, str] | None = None
) -> tuple[pd.Series, list[str]]:
    """A segment column in its stored form, and the values that were not understood.

    Works on the distinct values only, so 200,000 rows cost a few dozen lookups.
    Values not understood are kept as written for segments without a recoder and
    become missing for ``country``, ``gender`` and ``age_band``.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    recoder = SEGMENT_RECODERS.get(segment)
    out: list[str | None] = []
    unknown: list[str] = []
    for value in uniques:
        key = value_key(value)
        key = labels.get(key, key) if labels else key
        if recoder is None:
            out.append(key or None)
            continue
        recoded = recoder(key)
        if recoded is None and not is_no_answer(key):
            unknown.append(key)
        out.append(recoded)
    table = np.array([*out, None], dtype=object)
    values = table[np.where(codes < 0, len(out), codes)]
    return pd.Series(values, index=series.index, dtype="str"), unknown
