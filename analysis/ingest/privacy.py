"""Recognising personal data, so that it never reaches the store.

Two nets: the column names survey tools give to contact and location fields,
and content (e-mail addresses, plain or obfuscated, phone numbers, IPv4 and
IPv6 addresses, GPS coordinates, postcodes, people's names in an id column) for
the columns whose names say nothing, such as free-text answers or "Custom Data
1"; :mod:`analysis.ingest.privacy_content` holds the wider part of that net.
Headers are checked too: a header carrying an address or a number is replaced
before it reaches a report or a mapping. Only distinct values are scanned for
patterns, so the cost stays small on large files.
Every pattern is linear-time: a match may only start where a run of its first
characters starts, its repeats are bounded, and values are cut before they
are matched (a 1 MB cell once took minutes with a naive e-mail pattern).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.ingest.labels import normalise
from analysis.ingest.privacy_content import column_kind, mask, text_kind

# Exact export column names (Qualtrics, SurveyMonkey), normalised.
_KNOWN = {
    "ipaddress": "IP address",
    "ip address": "IP address",
    "recipientlastname": "name",
    "recipientfirstname": "name",
    "recipientemail": "e-mail address",
    "externalreference": "external reference",
    "externaldatareference": "external reference",
    "locationlatitude": "geolocation",
    "locationlongitude": "geolocation",
    "email address": "e-mail address",
    "first name": "name",
    "last name": "name",
    "custom data 1": "custom data, often a contact field",
}
# Words that, inside a column name, mean a contact or location field.
_NAME_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"e-?mail|courriel|\bmail\b"), "e-mail address"),
    (re.compile(r"\bip\b|ip ?address|adresse ip"), "IP address"),
    (re.compile(r"latitude|longitude|\bgps\b|geoloc"), "geolocation"),
    (re.compile(r"phone|telephone|\btel\b|mobile|portable"), "phone number"),
    (
        re.compile(r"first ?name|last ?name|full ?name|surname|\bprenom\b|\bnom\b"),
        "name",
    ),
    (
        re.compile(r"street|postal address|adresse postale|\baddress\b|\badresse\b"),
        "postal address",
    ),
    (re.compile(r"recipient|external ?ref"), "recipient reference"),
    (
        re.compile(r"post ?code|postal ?code|code postal|\bzip\b|\bplz\b|postleitzahl"),
        "postcode",
    ),
    (re.compile(r"\blat\b|\blng\b|\blon\b|coordinates|coordonnees gps"), "geolocation"),
)
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{1,253}")
PHONE = re.compile(
    r"(?:\+|\b00)\d[\d .()-]{7,24}\d|\b0\d(?:[ .-]?\d{2}){4}\b"
    r"|\(\d{3}\) ?\d{3}-\d{4}"
)
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_CONTENT = ((EMAIL, "e-mail address"), (PHONE, "phone number"), (IPV4, "IP address"))
SCAN = 65536
"""Characters of a value that are scanned (the default cell cap)."""


def personal_by_name(column: str) -> str | None:
    """What personal data a column's name announces, if any."""
    key = normalise(column)
    if key in _KNOWN:
        return _KNOWN[key]
    for pattern, kind in _NAME_PATTERNS:
        if pattern.search(key):
            return kind
    return None


def personal_by_content(series: pd.Series) -> str | None:
    """What personal data a text column holds, judged on its distinct values."""
    if series.dtype.kind in "biufcmM":
        return None
    cells = series.dropna()
    values = cells.unique()
    if len(values) == 0:
        return None
    text = pd.Series(values, dtype="str").str.slice(0, SCAN)
    for pattern, kind in _CONTENT:
        if text.str.contains(pattern.pattern, regex=True).any():
            return kind
    shape = column_kind(cells.astype("str").str.slice(0, 80), str(series.name or ""))
    if shape:
        return shape
    for value in text:
        found = text_kind(value)
        if found:
            return found
    return None


def redact(text: str, keep: int = SCAN) -> str:
    """The first ``keep`` characters of a text, personal data masked."""
    text = mask(text[:keep])
    for pattern, _ in _CONTENT:
        text = pattern.sub("[redacted]", text)
    return text


def header_kind(header: str) -> str | None:
    """What personal data a column header itself carries (not what it announces)."""
    text = header[:SCAN]
    for pattern, kind in _CONTENT:
        if pattern.search(text):
            return kind
    return text_kind(text)


def hide_personal_headers(
    columns: Sequence[str], texts: Mapping[str, str]
) -> tuple[list[str], dict[str, str]]:
    """Headers with personal data replaced by ``column N (redacted: kind)``.

    A header such as "jean.dupont@example.com" would otherwise be kept in the
    import report and the mapping, which every viewer sees. The question texts
    follow the new names and are masked as well.
    """
    renamed: list[str] = []
    shown: dict[str, str] = {}
    for position, column in enumerate(columns, start=1):
        kind = header_kind(column)
        name = f"column {position} (redacted: {kind})" if kind else column
        renamed.append(name)
        text = texts.get(column, column)
        shown[name] = name if kind or header_kind(text) else text
    return renamed, shown


def with_rows(data: pd.DataFrame, dropped: Mapping[str, str]) -> dict[str, str]:
    """Each drop with the rows it affects (cells that held a value), never a value."""
    described = {}
    for column, kind in dropped.items():
        rows = int(data[column].notna().sum()) if column in data else 0
        described[column] = f"{kind}; {rows} row{'s' if rows != 1 else ''}"
    return described
