"""Figures published elsewhere, with the caveats they were published with.

A figure keeps the geography its report gives: a country, the report's whole
sample (and which countries that sample covers), or "not stated" — with the
geography the article's context suggests, which is a guess and never a basis
for comparison. Notes (a figure attributed to two reports, a different figure
in press coverage) travel with the figure to every page that shows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from analysis.errors import CodebookError
from analysis.i18n import Lang, Words

ALL = "ALL"
"""A report's whole sample (its ``countries`` say which)."""
NOT_STATED = "not stated"
"""A figure quoted without its geography."""

_COUNTRY = re.compile(r"[A-Z]{2}")
_WORDS = Words(
    {
        "not_stated": ("not stated", "non précisée"),
        "probable": (
            "not stated (probably {where})",
            "non précisée (sans doute {where})",
        ),
        "all": ("whole sample: {countries}", "échantillon entier : {countries}"),
    }
)


@dataclass(frozen=True)
class Note:
    """A caveat in English and French (empty when there is none)."""

    en: str = ""
    fr: str = ""

    def get(self, lang: Lang) -> str:
        """The note in ``lang`` (English for any language but French)."""
        return {"fr": self.fr}.get(lang, self.en)


@dataclass(frozen=True)
class Published:
    """A figure published elsewhere, with where it comes from and its caveats.

    ``geography`` is a country code, :data:`ALL` (the report's whole sample,
    whose ``countries`` are listed) or :data:`NOT_STATED` (``probable`` then
    names the geography the context suggests, if any).
    """

    value: float
    geography: str
    year: int
    source: str
    checked: str = ""
    base_n: int | None = None
    note: Note = Note()
    countries: tuple[str, ...] = ()
    probable: str | None = None

    @property
    def stated(self) -> bool:
        """Whether the report says where the figure was measured."""
        return self.geography != NOT_STATED

    def geography_text(self, lang: Lang = "en") -> str:
        """The geography as published: "FR", "whole sample: FR, DE", "not stated"."""
        if self.geography == ALL:
            return _WORDS("all", lang, countries=", ".join(self.countries))
        if self.stated:
            return self.geography
        if self.probable:
            return _WORDS("probable", lang, where=self.probable)
        return _WORDS("not_stated", lang)


def parse_published(raw: Any, where: str) -> tuple[Published, ...]:
    """The ``published`` list of a metric; errors name the metric and the field."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise CodebookError(f"{where}, field 'published': must be a list")
    return tuple(_figure(entry, where) for entry in raw)


def _figure(entry: Any, where: str) -> Published:
    try:
        figure = Published(
            value=float(entry["value"]),
            geography=str(entry["geography"]),
            year=int(entry["year"]),
            source=str(entry["source"]),
            checked=str(entry.get("checked", "")),
            base_n=None if entry.get("base_n") is None else int(entry["base_n"]),
            note=_note(entry.get("note"), where),
            countries=tuple(str(c) for c in entry.get("countries") or ()),
            probable=None if entry.get("probable") is None else str(entry["probable"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CodebookError(
            f"{where}, field 'published': each figure needs value, geography, "
            f"year and source ({exc!r})"
        ) from None
    if not 0 <= figure.value <= 1:
        raise CodebookError(
            f"{where}, field 'published': value {figure.value} "
            "is not a share between 0 and 1"
        )
    _check_geography(figure, where)
    return figure


def _note(raw: Any, where: str) -> Note:
    if raw is None:
        return Note()
    if isinstance(raw, str):
        return Note(en=raw, fr=raw)
    if isinstance(raw, dict) and isinstance(raw.get("en"), str):
        return Note(en=raw["en"], fr=str(raw.get("fr") or raw["en"]))
    raise CodebookError(f"{where}, field 'note': a text or {{en: …, fr: …}}")


def _check_geography(figure: Published, where: str) -> None:
    field = f"{where}, published figure {figure.value} ({figure.year})"
    if figure.geography == ALL:
        if not figure.countries or not all(
            _COUNTRY.fullmatch(c) for c in figure.countries
        ):
            raise CodebookError(
                f"{field}: a whole-sample figure lists the sample's countries "
                "(e.g. countries: [FR, DE])"
            )
    elif figure.geography != NOT_STATED and not _COUNTRY.fullmatch(figure.geography):
        raise CodebookError(
            f"{field}: geography {figure.geography!r} must be a two-letter country "
            f"code, {ALL!r} or {NOT_STATED!r}"
        )
    if figure.probable is not None and figure.stated:
        raise CodebookError(
            f"{field}: 'probable' is only for a geography that is {NOT_STATED!r}"
        )
    if figure.countries and figure.geography != ALL:
        raise CodebookError(f"{field}: 'countries' is only for geography {ALL!r}")
