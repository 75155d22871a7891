"""Personal data recognised by what a column holds, beyond plain patterns.

:mod:`analysis.ingest.privacy` keeps the public functions; this module holds
the wider net: obfuscated e-mails ("name (at) domain [dot] fr"), IPv6, GPS
coordinates, phone numbers in national formats (the ``phonenumbers`` library
judges candidates that a bounded pattern cuts out first), postcodes and
people's names in an id column. Patterns only start where a run of their
characters starts and repeat a bounded number of times, so they stay linear.
Postcodes and names are judged on a whole column, with share and
distinct-value thresholds, because one "75011" is just as likely an answer code.
"""

from __future__ import annotations

import ipaddress
import itertools
import re
from collections.abc import Iterable, Iterator

import pandas as pd
from phonenumbers import Leniency, PhoneNumberMatcher

from analysis.ingest.labels import normalise

_AT = (
    r"(?:\s{0,3}[(\[{<]\s{0,3}(?:at|@|arobase)\s{0,3}[)\]}>]\s{0,3}"
    r"|\s{1,3}(?:at|arobase)\s{1,3})"
)
_DOT = (
    r"(?:\s{0,3}[(\[{<]\s{0,3}(?:dot|point)\s{0,3}[)\]}>]\s{0,3}"
    r"|\s{1,3}(?:dot|point)\s{1,3})"
)
OBFUSCATED_EMAIL = re.compile(
    # bracketed "at": any dot; plain " at ": a dotted local part or an obfuscated dot
    rf"(?<![\w.+-])[\w.+-]{{1,64}}\s{{0,3}}[(\[{{<]\s{{0,3}}(?:at|@|arobase)\s{{0,3}}"
    rf"[)\]}}>]\s{{0,3}}[\w-]{{1,63}}(?:(?:{_DOT}|\.)[\w-]{{1,63}}){{1,4}}"
    rf"|(?<![\w.+-])[\w+-]{{1,32}}[._][\w.+-]{{1,32}}{_AT}[\w-]{{1,63}}"
    rf"(?:(?:{_DOT}|\.)[\w-]{{1,63}}){{1,4}}"
    rf"|(?<![\w.+-])[\w.+-]{{1,64}}{_AT}[\w-]{{1,63}}{_DOT}[a-z]{{2,24}}",
    re.IGNORECASE,
)
_IPV6_CANDIDATE = re.compile(
    r"(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?"
    r"(?![\w:])",
    re.IGNORECASE,
)
GPS = re.compile(
    # a decimal-degrees pair (4+ decimals each) or a degrees-minutes-seconds value
    r"(?<![\w.])-?\d{1,2}\.\d{4,10}\s{0,3}[,;/ ]\s{0,3}-?\d{1,3}\.\d{4,10}(?![\w.])"
    r"|(?<!\w)\d{1,3}\s?°\s?\d{1,2}\s?['′]\s?\d{1,2}(?:[.,]\d{1,6})?\s?(?:\"|″|'')?"
    r"\s?[NSEWO]\b"
)
_PHONE_CANDIDATE = re.compile(r"(?<![\w+(])[+(]?\d[\d .()/-]{5,22}\d(?!\w)")
_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
_REGIONS = ("FR", "DE", "GB", "US")
_MAX_CANDIDATES = 20
"""Phone candidates judged per value: enough for any real cell, bounded work."""

_FIVE = re.compile(r"\d{5}")
_ZIP4 = re.compile(r"\d{5}-\d{4}")
_GB = re.compile(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", re.IGNORECASE)
_NOT_A_PLACE = re.compile(
    r"\b(?:id|ident\w*|score|durations?|duree|seconds?|secondes|income|revenus?"
    r"|salary|salaire|amount|montant|price|prix|count|nombre|number|numero|year"
    r"|annee|weight|poids|respondent\w*|repondant|response\w*)\b"
)
_ID_HEADER = re.compile(
    r"\b(?:id|ids|identifiant|identifier|respondent\w*|repondant|responseid"
    r"|participant|panel(?:ist)?)\b|(?:^|[\W_])id(?:$|[\W_])"
)
_NAME_TOKEN = re.compile(r"[^\W\d_]{1,30}(?:[-'’][^\W\d_]{1,30}){0,3}\.?")
_PARTICLES = frozenset({"de", "du", "des", "van", "von", "der", "den", "le", "la"})
POSTCODE_SHARE = 0.8
"""Share of a column's values that must look like postcodes."""
POSTCODE_DISTINCT = 5
"""Distinct values a postcode column needs (answer codes take a handful)."""
NAME_SHARE = 0.5
"""Share of an id column's values that must look like a person's name."""


def ipv6_addresses(text: str) -> Iterator[str]:
    """IPv6 addresses in a text (candidates a real address parser accepts)."""
    for match in _IPV6_CANDIDATE.finditer(text):
        value = match.group()
        groups = [g for g in value.split(":") if g]
        if len(groups) < 2 or ("::" not in value and len(groups) < 8):
            continue
        try:
            ipaddress.IPv6Address(value)
        except ValueError:
            continue
        yield value


def phone_numbers(text: str) -> Iterator[tuple[int, int]]:
    """Spans of phone numbers, national or international, in a text.

    A bounded pattern cuts candidates out (so the library never sees a long
    text); a run of bare digits must start with ``+`` or ``0`` to count, so
    that ids and amounts are not taken for numbers.
    """
    for count, match in enumerate(_PHONE_CANDIDATE.finditer(text)):
        if count >= _MAX_CANDIDATES:
            return
        candidate = match.group()
        digits = sum(c.isdigit() for c in candidate)
        if not 7 <= digits <= 15:
            continue
        if candidate.isdigit() and not candidate.startswith("0"):
            continue
        if _DATE.search(candidate):
            continue
        if any(_is_phone(candidate, region) for region in _REGIONS):
            yield match.span()


def _is_phone(candidate: str, region: str) -> bool:
    return any(
        True for _ in PhoneNumberMatcher(candidate, region, leniency=Leniency.VALID)
    )


def text_kind(text: str) -> str | None:
    """The personal data the wider net finds in one text, if any."""
    if OBFUSCATED_EMAIL.search(text):
        return "e-mail address"
    if any(True for _ in ipv6_addresses(text)):
        return "IP address"
    if GPS.search(text):
        return "geolocation"
    if any(True for _ in phone_numbers(text)):
        return "phone number"
    return None


def mask(text: str, label: str = "[redacted]") -> str:
    """The text with the wider net's finds replaced by ``label``."""
    text = OBFUSCATED_EMAIL.sub(label, text)
    text = GPS.sub(label, text)
    for value in list(ipv6_addresses(text)):
        text = text.replace(value, label)
    spans = list(phone_numbers(text))
    for start, end in reversed(spans):
        text = text[:start] + label + text[end:]
    return text


def column_kind(values: pd.Series, header: str) -> str | None:
    """Personal data a whole column shows: postcodes, or names in an id column.

    ``values`` are the column's non-empty cells as text (cut short), one per
    row, so that shares count respondents.
    """
    key = normalise(header)
    if _looks_like_names(values, key):
        return "name"
    if _looks_like_postcodes(values, key):
        return "postcode"
    return None


def _looks_like_postcodes(values: pd.Series, header: str) -> bool:
    if len(values) == 0 or _NOT_A_PLACE.search(header):
        return False
    # match each distinct value once; the counts keep shares per respondent
    counts = values.str.strip().value_counts()
    text = counts.index.to_series()
    for shape in (_FIVE, _ZIP4, _GB):
        matched = text.str.fullmatch(shape.pattern, case=shape is not _GB).to_numpy()
        if counts[matched].sum() < POSTCODE_SHARE * counts.sum():
            continue
        distinct = text[matched].unique()
        if len(distinct) < POSTCODE_DISTINCT:
            continue
        if shape is _FIVE and _look_like_numbers(distinct):
            continue
        return True
    return False


def _look_like_numbers(codes: Iterable[str]) -> bool:
    """Amounts (mostly round) or ids (mostly consecutive) rather than places."""
    ordered = sorted({int(c) for c in codes})
    round_share = sum(c % 100 == 0 for c in ordered) / len(ordered)
    steps = [b - a for a, b in itertools.pairwise(ordered)]
    consecutive = sum(s == 1 for s in steps) / max(len(steps), 1)
    return round_share > 0.5 or consecutive > 0.5


def _looks_like_names(values: pd.Series, header: str) -> bool:
    if len(values) == 0 or not _ID_HEADER.search(header):
        return False
    distinct = values.unique()
    names = sum(_is_name(str(v)[:80]) for v in distinct)
    return names >= NAME_SHARE * len(distinct)


def _is_name(value: str) -> bool:
    """Two to four words of letters, the first and last capitalised."""
    words = value.split()
    if not 2 <= len(words) <= 4:
        return False
    if not all(_NAME_TOKEN.fullmatch(w) for w in words):
        return False
    inner = words[1:-1]
    capitals = words[0][0].isupper() and words[-1][0].isupper()
    return capitals and all(w[0].isupper() or w.lower() in _PARTICLES for w in inner)
