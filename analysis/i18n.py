"""Words in English and French: one mechanism for the library and the pages.

A module keeps its own words in a :class:`Words` catalogue, each entry a pair
``(english, french)`` with optional ``{placeholders}``; code asks for a key in
a language and never writes ``"…" if lang == "en" else "…"`` inline. Metric and
question texts come from the codebook, numbers from :mod:`analysis.formatting`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, get_args

from analysis.errors import SurveyDataError

Lang = Literal["en", "fr"]
"""The languages Confiance speaks."""

LANGS: tuple[Lang, ...] = get_args(Lang)


def as_lang(value: object) -> Lang:
    """``value`` as a language, French only when it says so (else English)."""
    return "fr" if str(value).lower().startswith("fr") else "en"


class Words:
    """A catalogue of ``key -> (english, french)`` texts."""

    def __init__(self, entries: Mapping[str, tuple[str, str]]) -> None:
        self._entries = dict(entries)

    def __call__(self, key: str, lang: Lang, /, **values: object) -> str:
        """The text for ``key`` in ``lang``, with ``{placeholders}`` filled."""
        try:
            en, fr = self._entries[key]
        except KeyError:
            raise SurveyDataError(f"no text {key!r} in this catalogue") from None
        text = fr if lang == "fr" else en
        return text.format(**values) if values else text

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def keys(self) -> list[str]:
        """Every key of the catalogue, for tests that check both languages."""
        return list(self._entries)

    def pair(self, key: str) -> tuple[str, str]:
        """The English and French texts of ``key``."""
        return self._entries[key]
