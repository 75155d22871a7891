"""How one column is answered: single choice, scale, numeric or open text.

A column is judged on its distinct values, its value labels (SPSS) and its
wording. Answers keep the file's codes: an SPSS code ``"1"`` with its label,
a text answer as written ("Plutôt d'accord", one spelling per answer). A scale's
answers run from the most negative to the most positive, so the top two boxes
are the last two, whatever order the file coded them in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.ingest.labels import value_key
from analysis.ingest.model import RawSurvey
from analysis.ingest.recode import parse_numbers
from analysis.ingest.wording import (
    fold,
    is_excluded,
    leading_number,
    ordinal_position,
    strip_numbering,
)
from analysis.store.questionnaire import Answer, QuestionType

MAX_ANSWERS = 60  # more distinct values than this is free text, not a closed answer
MAX_CODES = 11  # unlabelled whole numbers: 0–10 is a scale, more is a number
_SENTINELS = frozenset({"-99", "-999", "-98", "-97", "-9", "-8", "-1"})
_OPEN = re.compile(
    r"\b(?:comments?|commentaires?|remarks?|remarques?|suggestions?|feedback|"
    r"verbatim|explain|expliquez|describe|decrivez|why|pourquoi|specify|"
    r"preciser|precisez|open|ouverte?|text|texte|free text)\b"
)
_COMPANION = re.compile(
    r"\b(?:other|others|autre|autres)\b.*\b(?:specify|precise[rz]?|precision|text|"
    r"texte|write|ecrire|please|veuillez)\b|\btext$|(?:^| )(?:other|autre|oth)$"
)
_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")


@dataclass(frozen=True)
class ColumnView:
    """One column's distinct answers, counted, with its wording and labels."""

    header: str
    text: str
    keys: tuple[str, ...]
    """Distinct non-blank values as keys (5, 5.0 and "5" are "5"), file order."""
    counts: Mapping[str, int]
    labels: Mapping[str, str] = field(default_factory=dict)
    missing: frozenset[str] = frozenset()
    numeric_dtype: bool = False

    @property
    def answered(self) -> int:
        """How many rows hold an answer."""
        return sum(self.counts.values())

    def label(self, key: str) -> str:
        """The value label of a key (the key itself when unlabelled)."""
        return self.labels.get(key, key)

    @property
    def all_numbers(self) -> bool:
        """True when every value is a number."""
        return bool(self.keys) and all(_NUMBER.fullmatch(k) for k in self.keys)


def view_column(raw: RawSurvey, header: str) -> ColumnView:
    """The :class:`ColumnView` of one column of a file as read."""
    series = raw.data[header]
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    tally = np.bincount(codes[codes >= 0], minlength=len(uniques))
    counts: dict[str, int] = {}
    for value, count in zip(uniques, tally, strict=True):
        key = value_key(value)
        if key and key.casefold() != "nan":
            counts[key] = counts.get(key, 0) + int(count)
    text = raw.question_texts.get(header) or header
    return ColumnView(
        header=header,
        text=_own_text(header, str(text)),
        keys=tuple(counts),
        counts=counts,
        labels=dict(raw.value_labels.get(header, {})),
        missing=frozenset(raw.missing_codes.get(header, frozenset())),
        numeric_dtype=series.dtype.kind in "biuf",
    )


def _own_text(header: str, text: str) -> str:
    """The question text without the tool's "Q3 - " numbering."""
    if text.startswith(f"{header} - "):
        text = text[len(header) + 3 :]
    return strip_numbering(text) or text.strip() or header


@dataclass(frozen=True)
class Typed:
    """A column's question type, its answers and how each value is coded."""

    type: QuestionType
    answers: tuple[Answer, ...] = ()
    codes: Mapping[str, str] = field(default_factory=dict)
    """Value key → answer code; keys not listed are stored as missing."""
    labelled: bool = False
    """True when the answers carry the file's labels (value labels or text)."""
    reason: str = ""


def is_companion(view: ColumnView) -> bool:
    """True for the "other — please specify" text beside a closed question."""
    # cut first: ".*" between two words is quadratic on a long text
    return any(_COMPANION.search(fold(t[:400])) for t in (view.header, view.text))


def classify(view: ColumnView) -> Typed:
    """The question type of one column (``text`` for open answers)."""
    if view.labels:
        return _labelled(view)
    if view.all_numbers:
        return _numbers(view)
    return _texts(view)


def _labelled(view: ColumnView) -> Typed:
    unlabelled = [k for k in view.keys if k not in view.labels]
    if len(unlabelled) > MAX_CODES and all(_NUMBER.fullmatch(k) for k in unlabelled):
        return Typed("numeric", reason="numbers, a few of them labelled")
    keys = list(dict.fromkeys([*view.labels, *view.keys]))
    keys.sort(key=_numeric_order)
    answers = [_answer(view, k, view.label(k)) for k in keys]
    return _closed(answers, {k: k for k in keys}, labelled=True)


def _numbers(view: ColumnView) -> Typed:
    keys = [k for k in view.keys if k not in _SENTINELS]
    whole = all(re.fullmatch(r"-?[0-9]{1,18}", k) for k in keys)  # no int() of 5,000
    if not keys or not whole or len(keys) > MAX_CODES:
        return Typed("numeric", reason="numbers")
    values = sorted({int(k) for k in keys})
    if values[0] < 0 or values[-1] > 99:
        return Typed("numeric", reason="numbers")
    keys.sort(key=_numeric_order)
    answers = [_answer(view, k, k) for k in keys]
    return _closed(answers, {k: k for k in keys}, labelled=False)


def _texts(view: ColumnView) -> Typed:
    distinct, answered = len(view.keys), view.answered
    mean_length = sum(len(k) for k in view.keys) / max(distinct, 1)
    if (
        distinct > MAX_ANSWERS
        or (distinct >= 12 and distinct > 0.5 * answered)
        or (mean_length > 40 and distinct >= 3 and distinct > 0.3 * answered)
        or _open_wording(view)
    ):
        return Typed("text", reason="open text")
    spelling: dict[str, str] = {}
    for key in sorted(view.keys, key=lambda k: -view.counts[k]):
        spelling.setdefault(fold(key) or key, key)
    codes = {key: spelling[fold(key) or key] for key in view.keys}
    ordered = sorted(spelling.values(), key=lambda k: fold(k))
    answers = [_answer(view, k, k) for k in ordered]
    return _closed(answers, codes, labelled=True)


def _open_wording(view: ColumnView) -> bool:
    """A header, or a short question text, that asks for comments."""
    text = fold(view.text)
    short = len(text.split()) <= 6
    return bool(_OPEN.search(fold(view.header)) or (short and _OPEN.search(text)))


def _answer(view: ColumnView, code: str, label: str) -> Answer:
    return Answer(code, label, is_excluded(label) or code in view.missing)


def _numeric_order(key: str) -> tuple[float, str]:
    try:
        return (float(key), key)
    except ValueError:
        return (float("inf"), key)


def _closed(answers: list[Answer], codes: dict[str, str], *, labelled: bool) -> Typed:
    """Single choice, or a scale ordered negative to positive."""
    counted = [a for a in answers if not a.excluded]
    order = _scale_order(counted, labelled=labelled)
    if order is None:
        return Typed("single", tuple(answers), codes, labelled, "closed answers")
    ranked = sorted(counted, key=lambda a: order[a.code])
    rest = [a for a in answers if a.excluded]
    return Typed("scale", (*ranked, *rest), codes, labelled, "ordered answers")


def _scale_order(counted: list[Answer], *, labelled: bool) -> dict[str, float] | None:
    """Each answer's place on the scale, or None when the answers are not a scale."""
    if len(counted) < 3:
        return None
    positions = {a.code: ordinal_position(a.label) for a in counted}
    found = [p for p in positions.values() if p is not None]
    if len(found) == len(counted) and len(set(found)) == len(found):
        return {code: float(p) for code, p in positions.items() if p is not None}
    leading = {a.code: leading_number(a.label) for a in counted}
    numbers = {code: n for code, n in leading.items() if n is not None}
    if len(numbers) == len(counted) and _run(numbers.values()):
        return {code: float(n) for code, n in numbers.items()}
    if not labelled and _unlabelled_scale([int(a.code) for a in counted]):
        return {a.code: float(a.code) for a in counted}
    return None


def _unlabelled_scale(codes: list[int]) -> bool:
    """Codes 1–5 (say) in a row, or a 0–10 score with gaps in a small sample."""
    core = sorted(codes)
    while len(core) > 1 and core[-1] - core[-2] > 1:  # 9, 99: "don't know" codes
        core.pop()
    zero_to_ten = min(codes) in (0, 1) and max(codes) == 10 and len(set(codes)) >= 6
    return _run(core) or zero_to_ten


def _run(values: Iterable[int]) -> bool:
    """Consecutive whole numbers from 0 or 1, four points or more."""
    numbers = sorted(set(values))
    return (
        len(numbers) >= 4
        and numbers[0] in (0, 1)
        and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    )


def recode_closed(series: pd.Series, typed: Typed) -> pd.Series:
    """Answer codes as text, missing for blanks and values outside the answers."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    out = [typed.codes.get(value_key(v)) for v in uniques]
    table = np.array([*out, None], dtype=object)
    values = table[np.where(codes < 0, len(out), codes)]
    return pd.Series(values, index=series.index, dtype="str")


def recode_numeric(series: pd.Series, missing: frozenset[str]) -> pd.Series:
    """Floats; declared missing codes and sentinels (-99, …) are missing."""
    values = parse_numbers(series)
    dropped = [float(k) for k in missing | _SENTINELS if _NUMBER.fullmatch(k)]
    values = values.where(~values.isin(dropped))
    return values.where(np.isfinite(values.to_numpy(dtype="float64", na_value=np.nan)))
