"""The names people give to what they create: waves and mapping profiles.

A name travels into URLs, file names, CSV cells, slide titles and page text,
so a new one is held to one rule: Unicode letters (``Vague été`` is fine),
digits, spaces and ``-_.``, at most 80 characters, starting with a letter or
a digit — so never with a formula prefix (``= + - @``, their full-width
forms, invisible characters) nor with ``.`` or ``-`` as a path or an option
would. Names stored before the rule existed are kept as they are: only new
names are checked, and every name is shown through :func:`markdown_safe`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from analysis.errors import NameRuleError
from analysis.formulas import formula_prefix

MAX_LENGTH = 80
NameKind = Literal[
    "wave", "mapping profile", "metric", "weighting", "segment", "table spec"
]
_PUNCTUATION = frozenset(" -_.")
# CommonMark's escapable punctuation, with Streamlit's ":" (emoji, colours, icons)
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def check_name(name: str, kind: NameKind = "wave") -> str:
    """The name in its canonical (NFC) form, or :class:`NameRuleError`.

    Examples
    --------
    >>> check_name("Vague été 2025")
    'Vague été 2025'
    """
    if not isinstance(name, str) or not name.strip():
        raise NameRuleError(f"a {kind} needs a name (e.g. FR-2025-Q1)")
    text = unicodedata.normalize("NFC", name)
    if len(text) > MAX_LENGTH:
        raise NameRuleError(
            f"{kind} name {text[:20]!r}… has {len(text)} characters; at most "
            f"{MAX_LENGTH} are allowed"
        )
    if formula_prefix(text):
        raise NameRuleError(
            f"{kind} name {text!r} starts like a spreadsheet formula; start it "
            "with a letter or a digit"
        )
    bad = sorted({c for c in text if not _allowed(c)})
    if bad:
        shown = " ".join(repr(c) for c in bad[:5])
        raise NameRuleError(
            f"{kind} name {text!r} holds {shown}; use letters, digits, spaces "
            "and - _ . only"
        )
    if not _starts_well(text[0]) or text != text.rstrip():
        raise NameRuleError(
            f"{kind} name {text!r} must start with a letter or a digit and not "
            "end with a space"
        )
    return text


def _allowed(char: str) -> bool:
    category = unicodedata.category(char)
    return (
        char in _PUNCTUATION or category[0] in "LM" or category == "Nd"
    ) and char.isprintable()


def _starts_well(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] == "L" or category == "Nd"


def markdown_safe(text: str) -> str:
    r"""A name shown literally where Streamlit reads markdown (titles, labels).

    Every markdown character is escaped, so a stored name such as
    ``[click](http://x)`` or ``**x**`` shows as typed, never as a link,
    emphasis, an image, a colour or an icon.

    Examples
    --------
    >>> markdown_safe("**x** :red[y]")
    '\\*\\*x\\*\\* \\:red\\[y\\]'
    """
    return _MARKDOWN.sub(r"\\\1", text)
