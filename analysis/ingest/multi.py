"""Multi-select sets: one column per option, or one cell listing the choices.

Tools write a "tick all that apply" question in three ways: one column per
option sharing a stem (Qualtrics ``Q5_1..Q5_n``, SurveyMonkey's
``question | option`` columns, ``reseaux_facebook``), each holding 0/1, the
option's label or a blank; or one cell holding the choices, ``"a;b;c"``. A set
is stored as one 0/1 column per option; a respondent who ticked nothing in a
label-or-blank set did not see it (missing), one who answered 0 everywhere
said "none of these".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from analysis.ingest.labels import value_key
from analysis.ingest.question_types import MAX_ANSWERS, ColumnView
from analysis.ingest.wording import fold, is_excluded, strip_numbering
from analysis.store.questionnaire import Answer

Kind = Literal["01", "label", "ticked"]
_TICKED = frozenset({"selected", "checked", "coche", "cochee", "selectionne", "x"})
_UNTICKED = frozenset(
    {"not selected", "unchecked", "non coche", "non cochee", "non selectionne", "0"}
)
_GENERIC = frozenset({"1", "yes", "oui", "selected", "checked", "true", "coche"})
_DELIMITERS = (";", "|")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_MAX_OPTIONS = 40
_MAX_WORDS = 8  # an option longer than this is a sentence: free text, not a set
_SEPARATORS = " -:|–—"


@dataclass(frozen=True)
class OptionSet:
    """A multi-select set found in a file."""

    id: str
    text: str
    headers: tuple[str, ...]
    """The file columns it comes from: one per option, or the one delimited cell."""
    answers: tuple[Answer, ...]
    kinds: tuple[Kind, ...] = ()
    delimiter: str | None = None


def _kind(view: ColumnView) -> Kind | None:
    keys = {fold(view.label(k)) if k not in {"0", "1"} else k for k in view.keys}
    if not keys:
        return None
    if keys <= {"0", "1"}:
        return "01"
    if keys <= _TICKED | _UNTICKED and keys & _TICKED:
        return "ticked"
    chosen = keys - {"0"}
    if len(chosen) == 1 and not _NUMBER.fullmatch(next(iter(chosen))):
        return "label"
    return None


_LONGEST_OPTION = 200  # and the lazy pattern below stays cheap on what it reads


def _stem(header: str) -> tuple[str, str] | None:
    """The set's stem and the option's suffix of an option column's header."""
    if " | " in header:
        stem, _, option = header.rpartition(" | ")
        return stem, option
    if len(header) > _LONGEST_OPTION:  # a question's wording, not an option's name
        return None
    found = re.fullmatch(r"(.+?)(?:[_.]|r)([0-9]+)", header) or re.fullmatch(
        r"(.+)_([A-Za-z][A-Za-z0-9]*)", header
    )
    return (found.group(1), found.group(2)) if found else None


def column_sets(views: Sequence[ColumnView]) -> list[OptionSet]:
    """The sets of option columns among the columns given (file order)."""
    groups: dict[str, list[tuple[ColumnView, str, Kind]]] = {}
    for view in views:
        stem, kind = _stem(view.header), _kind(view)
        if stem is not None and kind is not None:
            groups.setdefault(stem[0], []).append((view, stem[1], kind))
    return [
        _column_set(stem, members)
        for stem, members in groups.items()
        if len(members) >= 2
    ]


def _column_set(stem: str, members: list[tuple[ColumnView, str, Kind]]) -> OptionSet:
    views = [view for view, _, _ in members]
    prefix = _common_prefix([v.text for v in views])
    answers = []
    for view, suffix, kind in members:
        label = _option_label(view, suffix, kind, prefix)
        answers.append(Answer(suffix, label, is_excluded(label)))
    text = _set_text(prefix, views[0].text) or stem
    return OptionSet(
        id=stem,
        text=text,
        headers=tuple(v.header for v in views),
        answers=tuple(answers),
        kinds=tuple(kind for _, _, kind in members),
    )


def _common_prefix(texts: list[str]) -> str:
    """The words all texts start with (cut at a word boundary)."""
    first, last = min(texts), max(texts)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    common = first[:size]
    if size < len(first) and common and not common[-1].isspace():
        common = common[: max(common.rfind(" "), 0)] if " " in common else ""
    return common


def _set_text(prefix: str, first: str) -> str:
    text = re.sub(
        r"\s{0,8}-\s{0,8}selected choice\s{0,8}$",
        "",
        prefix.strip(_SEPARATORS),
        flags=re.I,
    )
    if not text and " - " in first:
        text = first.rpartition(" - ")[0]
    return strip_numbering(text.strip(_SEPARATORS))


def _option_label(view: ColumnView, suffix: str, kind: Kind, prefix: str) -> str:
    if kind == "label":
        chosen = [k for k in view.keys if k != "0"]
        return view.label(chosen[0]).strip()
    label = view.labels.get("1", "")
    if label and fold(label) not in _GENERIC:
        return label.strip()
    own = view.text[len(prefix) :].strip(_SEPARATORS) if prefix else ""
    if not own and " - " in view.text:
        own = view.text.rpartition(" - ")[2]
    return own.strip() or suffix


def delimited_set(view: ColumnView) -> OptionSet | None:
    """A set whose choices share one cell ("a;b;c"), if the column is one."""
    for delimiter in _DELIMITERS:
        if not any(delimiter in k for k in view.keys):
            continue
        spelling: dict[str, str] = {}
        mentions = 0
        for key in view.keys:
            for part in _split(key, delimiter):
                spelling.setdefault(fold(part), part)
                mentions += 1
        short = all(len(p.split()) <= _MAX_WORDS for p in spelling.values())
        if (
            short
            and 2 <= len(spelling) <= _MAX_OPTIONS
            and mentions >= 1.5 * len(spelling)
        ):
            options = sorted(spelling.items())
            answers = tuple(Answer(p, p, is_excluded(p)) for _, p in options)
            return OptionSet(
                view.header, view.text, (view.header,), answers, delimiter=delimiter
            )
    return None


def _split(cell: str, delimiter: str) -> list[str]:
    return [part.strip() for part in cell.split(delimiter) if part.strip()][
        :MAX_ANSWERS
    ]


def recode_set(data: pd.DataFrame, option_set: OptionSet) -> list[pd.Series]:
    """One 0/1 float column per option (missing when the set was not answered)."""
    if option_set.delimiter is not None:
        return _recode_delimited(data[option_set.headers[0]], option_set)
    columns = [
        _ticked(data[header], kind)
        for header, kind in zip(option_set.headers, option_set.kinds, strict=True)
    ]
    if "label" in option_set.kinds or "ticked" in option_set.kinds:
        frame = pd.concat(columns, axis=1)
        seen = frame.notna().any(axis=1)
        columns = [c.fillna(0.0).where(seen) for c in columns]
    return columns


def _ticked(series: pd.Series, kind: Kind) -> pd.Series:
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    table = np.array([*(_tick(value_key(v), kind) for v in uniques), np.nan])
    return pd.Series(
        table[np.where(codes < 0, len(uniques), codes)], index=series.index
    )


def _tick(key: str, kind: Kind) -> float:
    text = fold(key)
    if not text or text == "nan":
        return np.nan
    if key == "0" or text in _UNTICKED:
        return 0.0
    if kind == "01":
        return 1.0 if key == "1" else np.nan
    return 1.0


def _recode_delimited(series: pd.Series, option_set: OptionSet) -> list[pd.Series]:
    delimiter = option_set.delimiter or ";"
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    wanted = [fold(a.code) for a in option_set.answers]
    table = np.full((len(uniques) + 1, len(wanted)), np.nan)
    for row, value in enumerate(uniques):
        chosen = {fold(p) for p in _split(value_key(value), delimiter)}
        if chosen:
            table[row] = [float(w in chosen) for w in wanted]
    picked = table[np.where(codes < 0, len(uniques), codes)]
    return [pd.Series(picked[:, i], index=series.index) for i in range(len(wanted))]
