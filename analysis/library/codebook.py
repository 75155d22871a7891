"""The codebook: survey questions and the metrics drawn from them.

Loading validates everything a later step relies on, so that a typo in
``data/codebook.yaml`` fails at start-up with the metric and the field named,
instead of as a wrong number on a chart.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from analysis import config
from analysis.errors import CodebookError
from analysis.i18n import Lang
from analysis.library.bases import BaseRule, parse_base
from analysis.library.published import Published, parse_published

Family = Literal["trust", "churn", "personalisation", "privacy", "security"]
MetricKind = Literal["proportion", "index", "any", "all"]
Polarity = Literal["higher_is_better", "higher_is_worse", "neutral"]
"""Which way is good news: a rise in trust is, a rise in password reuse is not."""
Tone = Literal["good", "bad", "neutral"]

FAMILIES: tuple[str, ...] = get_args(Family)
KINDS: tuple[str, ...] = get_args(MetricKind)
POLARITIES: tuple[str, ...] = get_args(Polarity)


@dataclass(frozen=True)
class Text:
    """A text in English and French."""

    en: str
    fr: str

    def get(self, lang: Lang) -> str:
        """The text in ``lang`` (English for any language but French)."""
        return {"fr": self.fr}.get(lang, self.en)


@dataclass(frozen=True)
class Question:
    """A question as asked, with the label of every answer code."""

    id: str
    type: str
    text: Text
    labels: Mapping[int, Text]

    @property
    def codes(self) -> frozenset[int]:
        """Every code an answer may hold."""
        return frozenset(self.labels)


@dataclass(frozen=True)
class Item:
    """One question's part in a composite metric."""

    question: str
    yes: frozenset[int] = frozenset()
    exclude: frozenset[int] = frozenset()
    scores: Mapping[int, float] | None = None


@dataclass(frozen=True)
class Metric:
    """A share (or a 0–100 index) computed from one or several questions."""

    id: str
    family: Family
    kind: MetricKind
    label: Text
    insight: Text
    items: tuple[Item, ...]
    base_rule: BaseRule
    published: tuple[Published, ...] = ()
    description: Text | None = None
    polarity: Polarity = "neutral"

    @property
    def question(self) -> str | None:
        """The single question of a plain proportion metric."""
        return self.items[0].question if self.kind == "proportion" else None

    @property
    def questions(self) -> tuple[str, ...]:
        """Every question the metric reads."""
        return tuple(item.question for item in self.items)

    def tone(self, diff: float) -> Tone:
        """Whether a change of ``diff`` is good or bad news, by its polarity."""
        if self.polarity == "neutral" or not diff:
            return "neutral"
        rising = diff > 0
        return "good" if rising == (self.polarity == "higher_is_better") else "bad"

    def published_for(self, geography: str, year: int) -> Published | None:
        """The published figure for a geography and year, if there is one."""
        for figure in self.published:
            if figure.geography == geography and figure.year == year:
                return figure
        return None


@dataclass(frozen=True)
class Codebook:
    """All questions and metrics, keyed by id, in file order."""

    questions: Mapping[str, Question]
    metrics: Mapping[str, Metric]

    def metric(self, metric_id: str) -> Metric:
        """One metric, or an error that lists the known ids."""
        try:
            return self.metrics[metric_id]
        except KeyError:
            known = ", ".join(self.metrics)
            raise CodebookError(
                f"unknown metric '{metric_id}'; known metrics: {known}"
            ) from None

    def by_family(self, family: str) -> tuple[Metric, ...]:
        """The metrics of one family, in codebook order."""
        return tuple(m for m in self.metrics.values() if m.family == family)


def load_codebook(path: Path | str | None = None) -> Codebook:
    """Read and validate a codebook YAML file (default ``data/codebook.yaml``).

    Parsed once per version of the file: every chart asks for it.
    """
    source = Path(path) if path is not None else config.CODEBOOK
    try:
        stamp = source.stat().st_mtime_ns
    except OSError as exc:
        raise CodebookError(f"cannot read codebook {source}: {exc.strerror}") from None
    return _load_codebook(source, stamp)


@functools.lru_cache(maxsize=8)
def _load_codebook(source: Path, stamp: int) -> Codebook:
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CodebookError(f"cannot read codebook {source}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise CodebookError(f"codebook {source} is not valid YAML: {exc}") from None
    return parse_codebook(raw, origin=str(source))


def parse_codebook(raw: Any, *, origin: str = "codebook") -> Codebook:
    """Build a :class:`Codebook` from parsed YAML; errors name entry and field."""
    if not isinstance(raw, dict):
        raise CodebookError(f"{origin}: the top level must be a mapping")
    scales = _scales(raw.get("scales") or {}, origin)
    questions: dict[str, Question] = {}
    for entry in _list(raw, "questions", origin):
        question = _question(entry, scales, origin)
        if question.id in questions:
            raise CodebookError(f"{origin}: question '{question.id}' is defined twice")
        questions[question.id] = question
    metrics: dict[str, Metric] = {}
    for entry in _list(raw, "metrics", origin):
        metric = _metric(entry, questions, origin)
        if metric.id in metrics:
            raise CodebookError(f"{origin}: metric '{metric.id}' is defined twice")
        metrics[metric.id] = metric
    return Codebook(questions=questions, metrics=metrics)


def _list(raw: Mapping[str, Any], key: str, origin: str) -> list[Any]:
    value = raw.get(key)
    if not isinstance(value, list) or not value:
        raise CodebookError(f"{origin}: '{key}' must be a non-empty list")
    return value


def _text(value: Any, where: str) -> Text:
    if isinstance(value, dict):
        en, fr = value.get("en"), value.get("fr")
        if isinstance(en, str) and isinstance(fr, str) and en.strip() and fr.strip():
            return Text(en=en, fr=fr)
    raise CodebookError(f"{where} needs an English and a French text ('en' and 'fr')")


def _scales(raw: Any, origin: str) -> dict[str, dict[int, Text]]:
    if not isinstance(raw, dict):
        raise CodebookError(f"{origin}: 'scales' must be a mapping")
    scales: dict[str, dict[int, Text]] = {}
    for name, labels in raw.items():
        if not isinstance(labels, dict) or not labels:
            raise CodebookError(f"{origin}: scale '{name}' must map codes to labels")
        scales[str(name)] = {
            _code(code, f"{origin}: scale '{name}'"): _text(
                text, f"{origin}: scale '{name}', code {code}"
            )
            for code, text in labels.items()
        }
    return scales


def _code(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CodebookError(f"{where}: answer code {value!r} must be an integer")
    return value


def _question(
    entry: Any, scales: Mapping[str, dict[int, Text]], origin: str
) -> Question:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise CodebookError(f"{origin}: every question needs a string 'id'")
    qid = entry["id"]
    where = f"{origin}: question '{qid}'"
    qtype = str(entry.get("type"))
    labels = entry.get("labels")
    if labels is None:
        if qtype not in scales:
            known = ", ".join(scales)
            raise CodebookError(
                f"{where}, field 'type': {qtype!r} is not a scale ({known})"
            )
        parsed = scales[qtype]
    else:
        parsed = _scales({qid: labels}, origin)[qid]
    return Question(
        id=qid, type=str(qtype), text=_text(entry.get("text"), where), labels=parsed
    )


def _codes(value: Any, question: Question, where: str, field: str) -> frozenset[int]:
    if not isinstance(value, list):
        raise CodebookError(f"{where}, field '{field}': must be a list of codes")
    codes = frozenset(_code(code, f"{where}, field '{field}'") for code in value)
    unknown = sorted(codes - question.codes)
    if unknown:
        raise CodebookError(
            f"{where}, field '{field}': codes {unknown} are not answers of question "
            f"'{question.id}' ({sorted(question.codes)})"
        )
    return codes


def _item(raw: Any, questions: Mapping[str, Question], kind: str, where: str) -> Item:
    if not isinstance(raw, dict):
        raise CodebookError(f"{where}: every item must be a mapping")
    qid = str(raw.get("question"))
    if qid not in questions:
        raise CodebookError(f"{where}, field 'question': unknown question {qid!r}")
    question = questions[qid]
    if kind == "index":
        scores = raw.get("scores")
        if not isinstance(scores, dict) or not scores:
            raise CodebookError(f"{where}, field 'scores': an index item needs scores")
        codes = _codes(list(scores), question, where, "scores")
        values = {code: scores[code] for code in codes}
        if not all(
            isinstance(v, int | float) and 0 <= v <= 100 for v in values.values()
        ):
            raise CodebookError(f"{where}, field 'scores': scores must lie in 0–100")
        return Item(question=qid, scores={c: float(v) for c, v in values.items()})
    yes = _codes(raw.get("yes_codes"), question, where, "yes_codes")
    if not yes:
        raise CodebookError(
            f"{where}, field 'yes_codes': at least one code must count as yes"
        )
    exclude = _codes(raw.get("exclude_codes", []), question, where, "exclude_codes")
    if yes & exclude:
        raise CodebookError(
            f"{where}, field 'exclude_codes': codes {sorted(yes & exclude)} "
            "are also yes codes"
        )
    return Item(question=qid, yes=yes, exclude=exclude)


def _metric(entry: Any, questions: Mapping[str, Question], origin: str) -> Metric:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise CodebookError(f"{origin}: every metric needs a string 'id'")
    mid = entry["id"]
    where = f"{origin}: metric '{mid}'"
    kind = entry.get("kind", "proportion")
    if kind not in KINDS:
        raise CodebookError(f"{where}, field 'kind': {kind!r} is not one of {KINDS}")
    family = entry.get("family")
    if family not in FAMILIES:
        raise CodebookError(
            f"{where}, field 'family': {family!r} is not one of {FAMILIES}"
        )
    if kind == "proportion":
        raw_items: Any = [
            {
                "question": entry.get("question"),
                "yes_codes": entry.get("yes_codes"),
                "exclude_codes": entry.get("exclude_codes", []),
            }
        ]
    else:
        raw_items = entry.get("items")
        if not isinstance(raw_items, list) or len(raw_items) < 2:
            raise CodebookError(
                f"{where}, field 'items': a composite needs two items or more"
            )
    items = tuple(_item(raw, questions, kind, where) for raw in raw_items)
    description = entry.get("description")
    polarity = entry.get("polarity", "neutral")
    if polarity not in POLARITIES:
        raise CodebookError(
            f"{where}, field 'polarity': {polarity!r} is not one of {POLARITIES}"
        )
    return Metric(
        id=mid,
        family=family,
        kind=kind,
        label=_text(entry.get("label"), f"{where}, field 'label'"),
        insight=_insight(entry.get("insight"), where),
        items=items,
        base_rule=parse_base(entry.get("base"), len(items), where),
        published=parse_published(entry.get("published"), where),
        description=None
        if description is None
        else _text(description, f"{where}, field 'description'"),
        polarity=polarity,
    )


def _insight(raw: Any, where: str) -> Text:
    text = _text(raw, f"{where}, field 'insight'")
    if "{value}" not in text.en or "{value}" not in text.fr:
        raise CodebookError(
            f"{where}, field 'insight': both texts need a {{value}} slot"
        )
    return text
