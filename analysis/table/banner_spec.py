"""What a banner table asks for: its rows, its banners, nesting and arrows.

A row SPEC is one of

- ``Q``: every counted answer of question ``Q``; a scale adds its top-2 and
  bottom-2 NETs and its mean; a numeric question gives its mean;
- ``Q:net=A+B``: the NET of answers ``A`` and ``B`` (labels or codes);
- ``Q:mean``: the mean score of a scale or numeric question;
- ``metric:ID``: a library metric, or an analyst's stored metric.

A :class:`TableSpec` is what a saved table keeps: rows, banners, nested pairs,
whether the Total column is shown and whether arrows are drawn. It names
questions, not a wave, so it applies to any wave sharing them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from analysis.errors import SurveyDataError

RowKind = Literal["question", "net", "mean", "metric"]
METRIC_PREFIX = "metric:"
NEST_SEPARATOR = " × "
"""Joins two variables' names in a nested banner's name (``country × gender``)."""
NESTED_VALUE = " · "
"""Joins two values in a nested banner's column (``FR · Women``)."""


@dataclass(frozen=True)
class RowSpec:
    """One row SPEC of a banner table, parsed (``text`` as the analyst wrote it)."""

    text: str
    kind: RowKind
    target: str
    answers: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> RowSpec:
        """Read ``Q``, ``Q:net=A+B``, ``Q:mean`` or ``metric:ID``.

        Examples
        --------
        >>> RowSpec.parse("q3:net=4+5")
        RowSpec(text='q3:net=4+5', kind='net', target='q3', answers=('4', '5'))
        """
        spec = text.strip()
        if not spec:
            raise SurveyDataError("a row SPEC is empty (give Q, Q:net=A+B, Q:mean …)")
        if spec.startswith(METRIC_PREFIX):
            metric = spec[len(METRIC_PREFIX) :].strip()
            if not metric:
                raise SurveyDataError(f"row SPEC {spec!r} names no metric")
            return cls(spec, "metric", metric)
        question, _, rest = spec.partition(":")
        question = question.strip()
        if not rest:
            return cls(spec, "question", question)
        if rest.strip() == "mean":
            return cls(spec, "mean", question)
        if rest.startswith("net="):
            answers = tuple(a.strip() for a in rest[4:].split("+") if a.strip())
            if answers:
                return cls(spec, "net", question, answers)
        raise SurveyDataError(
            f"row SPEC {spec!r} is not one of Q, Q:net=A+B, Q:mean, metric:ID"
        )


@dataclass(frozen=True)
class TableSpec:
    """A banner table's layout: rows, banners, nested pairs, Total and arrows."""

    rows: tuple[str, ...]
    banners: tuple[str, ...] = ()
    nest: tuple[tuple[str, str], ...] = ()
    total: bool = True
    arrows: bool = False

    def __post_init__(self) -> None:
        if not self.rows:
            raise SurveyDataError("a banner table needs at least one row SPEC")
        for text in self.rows:
            RowSpec.parse(text)
        if len(set(self.banners)) != len(self.banners):
            raise SurveyDataError(f"a banner is given twice in {list(self.banners)}")
        for pair in self.nest:
            if len(pair) != 2 or pair[0] == pair[1]:
                raise SurveyDataError(
                    f"--nest {':'.join(pair)} must name two different variables"
                )
        if not self.total and not self.banners and not self.nest:
            raise SurveyDataError("with --no-total, give at least one --banner")

    @property
    def row_specs(self) -> tuple[RowSpec, ...]:
        """The rows, parsed."""
        return tuple(RowSpec.parse(t) for t in self.rows)

    @property
    def banner_names(self) -> tuple[str, ...]:
        """Every banner's name: the variables, then each nested pair's."""
        return (*self.banners, *(NEST_SEPARATOR.join(p) for p in self.nest))

    def record(self) -> dict[str, object]:
        """JSON-ready fields (what the store keeps)."""
        return {
            "rows": list(self.rows),
            "banners": list(self.banners),
            "nest": [list(p) for p in self.nest],
            "total": self.total,
            "arrows": self.arrows,
        }

    @classmethod
    def from_record(cls, record: dict[str, object]) -> TableSpec:
        """The spec :meth:`record` wrote."""

        def texts(key: str) -> tuple[str, ...]:
            value = record.get(key) or []
            assert isinstance(value, list)  # written by record()
            return tuple(str(v) for v in value)

        nest = record.get("nest") or []
        assert isinstance(nest, list)
        return cls(
            rows=texts("rows"),
            banners=texts("banners"),
            nest=tuple((str(a), str(b)) for a, b in nest),
            total=bool(record.get("total", True)),
            arrows=bool(record.get("arrows", False)),
        )


def split_list(values: Sequence[str]) -> tuple[str, ...]:
    """Comma-separated option values (``--rows a,b --rows c``) as one list."""
    return tuple(
        part.strip() for value in values for part in value.split(",") if part.strip()
    )


def parse_nest(values: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``A:B`` pairs of ``--nest``; anything else is refused, naming it."""
    pairs = []
    for value in values:
        a, sep, b = value.partition(":")
        if not sep or not a.strip() or not b.strip() or ":" in b:
            raise SurveyDataError(f"--nest {value!r} must be VAR:VAR")
        pairs.append((a.strip(), b.strip()))
    return tuple(pairs)
