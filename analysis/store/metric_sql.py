"""A metric's per-respondent value written as portable SQL.

:func:`metric_sql` gives the SQL expression of a library metric over a
wave's table, by the same rules as :func:`analysis.library.scoring.metric_values`:
an item is 1 for an answer that counts, 0 for another, NULL out of the
base; a composite counts the items answered against its base rule; an index
is the mean score of the answered items. A wave in the library's codes reads
its question columns as they are; a wave in its own codes reads each linked
question through its answers' library codes (:func:`linked_columns`), as
:func:`analysis.table.library.library_frame` recodes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from analysis.library.codebook import Codebook, Item, Metric
from analysis.store.questionnaire import Question, Questionnaire

DOUBLE = "DOUBLE PRECISION"
_NUMERIC = (
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "TINYINT",
    "HUGEINT",
    "DOUBLE",
    "FLOAT",
    "REAL",
    "DECIMAL",
    "NUMERIC",
    "UBIGINT",
    "UINTEGER",
    "USMALLINT",
    "UTINYINT",
)
_TEXT = ("VARCHAR", "TEXT", "CHARACTER VARYING", "STRING")


def quoted(name: str) -> str:
    """A quoted identifier (doubled quotes inside, as SQL says)."""
    return '"' + name.replace('"', '""') + '"'


def _literal(code: float) -> str:
    """A code as a SQL number: ``3`` for a whole code, ``2.5`` otherwise."""
    value = float(code)
    return str(int(value)) if value.is_integer() else repr(value)


def _in(column: str, codes: Sequence[float]) -> str:
    return f"{column} IN ({', '.join(_literal(c) for c in sorted(codes))})"


def _item_sql(item: Item, column: str) -> str:
    """1/0 for a yes/no answer, NULL out of the item's base (no answer, excluded)."""
    out = f"{column} IS NULL"
    if item.exclude:
        out += f" OR {_in(column, tuple(item.exclude))}"
    yes = _in(column, tuple(item.yes)) if item.yes else "1 = 0"
    return f"CASE WHEN {out} THEN NULL WHEN {yes} THEN 1 ELSE 0 END"


def _score_sql(item: Item, column: str) -> str:
    assert item.scores is not None  # guaranteed by the codebook loader
    whens = " ".join(
        f"WHEN {_literal(code)} THEN CAST({float(score)!r} AS {DOUBLE})"
        for code, score in item.scores.items()
    )
    return f"CASE {column} {whens} END"


def metric_sql(metric: Metric, columns: Mapping[str, str] | None = None) -> str:
    """The metric's per-respondent value as a SQL expression (NULL: not in base).

    The same rules as :func:`analysis.library.scoring.metric_values`: a
    composite counts the items answered against its base rule; ``any`` is 1
    when an answered item is a yes, ``all`` when every answered one is; an
    index is the mean score of the answered items. ``columns`` gives each
    library question's SQL (default: its column, quoted).
    """
    given = columns or {}
    minimum = metric.base_rule.minimum
    parts = [
        (_score_sql if metric.kind == "index" else _item_sql)(
            i, given.get(i.question, quoted(i.question))
        )
        for i in metric.items
    ]
    answered = " + ".join(f"CASE WHEN {p} IS NULL THEN 0 ELSE 1 END" for p in parts)
    if metric.kind == "index":
        total = " + ".join(f"COALESCE({p}, 0)" for p in parts)
        value = f"({total}) / ({answered})"
    elif metric.kind == "proportion":
        value = parts[0]
    elif metric.kind == "any":
        value = f"CASE WHEN {' OR '.join(f'{p} = 1' for p in parts)} THEN 1 ELSE 0 END"
    else:  # "all"
        yes = " + ".join(f"CASE WHEN {p} = 1 THEN 1 ELSE 0 END" for p in parts)
        value = f"CASE WHEN {yes} = {answered} THEN 1 ELSE 0 END"
    return f"CASE WHEN {answered} >= {minimum} THEN {value} END"


def linked_columns(
    questionnaire: Questionnaire, types: Mapping[str, str]
) -> dict[str, str]:
    """Library question → SQL of its library code, for a wave in its own codes.

    The first question linking each library question is used, as
    :func:`analysis.table.library.library_frame` does; an answer is read by
    its code as stored (``5``, ``5.0`` and ``" 5"`` are one code); an answer
    without a library code is missing. A column of another type is skipped.
    """
    out: dict[str, str] = {}
    for question in questionnaire.questions:
        if not _codable(question) or question.link in out:
            continue
        assert question.link is not None  # _codable checked it
        column = (question.columns or (question.id,))[0]
        kind = types.get(column, "").upper()
        whens = [
            f"WHEN {match} THEN {a.link_code}"
            for a in question.answers
            if a.link_code is not None
            and (match := matches(quoted(column), kind, a.code)) is not None
        ]
        if whens:
            out[question.link] = f"CASE {' '.join(whens)} END"
    return out


def _library_codes(question: str, kind: str, book: Codebook) -> str:
    """A library question's column as its codes: as stored, or read from text.

    A file's codes may be stored as text ("1", " 1", "1.0"); the rows' route
    reads them as numbers (``pd.to_numeric``). PostgreSQL compares text with
    a number only after a cast that fails on other text, so each of the
    question's codes is matched as text; other text is no code (missing).
    """
    column = quoted(question)
    if not kind.upper().startswith(_TEXT):
        return column
    whens = " ".join(
        f"WHEN TRIM({column}) IN ('{c}', '{c}.0') THEN {c}"
        for c in sorted(book.questions[question].codes)
    )
    return f"(CASE {whens} END)"


def is_numeric(kind: str) -> bool:
    """Whether a column of this SQL type holds numbers."""
    return kind.upper().startswith(_NUMERIC)


def _codable(question: Question) -> bool:
    return (
        question.link is not None
        and question.type in ("single", "scale")
        and len(question.columns or (question.id,)) == 1
        and any(a.link_code is not None for a in question.answers)
    )


def matches(column: str, kind: str, code: str) -> str | None:
    """The SQL test that a stored value is this answer code (None: it never is)."""
    if kind.startswith(_TEXT):
        return f"TRIM({column}) = '{code.replace(chr(39), chr(39) * 2)}'"
    if not kind.startswith(_NUMERIC):
        return None
    try:
        number = float(code)
    except ValueError:
        return None
    if _literal(number) != code:
        return None  # "05" is never how a stored number reads
    return f"{column} = {_literal(number)}"


def wave_metrics(
    book: Codebook,
    types: Mapping[str, str],
    linked: Mapping[str, str] | None,
) -> dict[str, str]:
    """Metric id → value SQL, for each metric the wave can answer.

    ``types`` gives each column of the wave's table its SQL type.
    """
    if linked is None:  # the library's codes: the metric's questions are columns
        held = set(types)
        read = {
            q: _library_codes(q, types[q], book) for q in held & set(book.questions)
        }
        return {
            m.id: metric_sql(m, read)
            for m in book.metrics.values()
            if set(m.questions) <= held
        }
    return {
        m.id: metric_sql(m, linked)
        for m in book.metrics.values()
        if set(m.questions) <= set(linked)
    }
