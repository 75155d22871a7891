"""A chart of a wave's own question: its rows, and the words that go around it.

Rows from :func:`analysis.table.questions.question_rows` carry the question's
id, the answer (or NET, or "mean") and the question's own text. A chart of
them is titled with that text — "18% answer “Yes” to “Should abortion be
banned?”" — never with a library metric's insight, which speaks of another
question. The footnote says which "don't know"-type answers left the base.
"""

from __future__ import annotations

import pandas as pd

from analysis.errors import SurveyDataError
from analysis.figures.text import SlideText
from analysis.formatting import estimate_text
from analysis.i18n import Lang, Words
from analysis.store.wave import TOTAL
from analysis.table.answers import MEAN
from analysis.table.questions import EXCLUDED

_WORDS = Words(
    {
        "share_title": (
            "{value} answer “{answer}” to “{question}”",
            "{value} répondent «\u00a0{answer}\u00a0» à «\u00a0{question}\u00a0»",
        ),
        "mean_title": (
            "Mean score {value} for “{question}”",
            "Score moyen de {value} pour «\u00a0{question}\u00a0»",
        ),
        "share_subtitle": (
            "{question} — % answering “{answer}”",
            "{question} — % de réponses «\u00a0{answer}\u00a0»",
        ),
        "mean_subtitle": ("{question} — mean score", "{question} — score moyen"),
        "excluded": (
            "Left out of the base: {answers}",
            "Exclus de la base\u00a0: {answers}",
        ),
        "quoted": ("“{label}”", "«\u00a0{label}\u00a0»"),
        "and": (", ", ", "),
    }
)


def is_question_rows(rows: pd.DataFrame) -> bool:
    """True when the rows are a question's (they name it), not a library metric's."""
    return "question" in rows.columns and bool(rows["question"].notna().any())


def question_chart_rows(
    table: pd.DataFrame, question: str, answer: str | None, wave: str
) -> pd.DataFrame:
    """One answer's rows of a question (the only answer when ``answer`` is None)."""
    rows = table[(table["question"] == question) & (table["wave"] == wave)]
    if rows.empty:
        raise SurveyDataError(
            f"the table has no rows for question {question!r} in wave {wave}"
        )
    shown = list(dict.fromkeys(rows["answer"].astype(str)))
    if answer is None and len(shown) == 1:
        return rows
    wanted = (answer or "").strip().casefold()
    picked = rows[rows["answer"].astype(str).str.casefold() == wanted]
    if picked.empty:
        raise SurveyDataError(
            f"choose one answer of question {question!r} to chart with answer= "
            f"(answers: {', '.join(shown)})"
        )
    return picked


def question_slide_text(
    rows: pd.DataFrame, lang: Lang, filename: str, title: str | None
) -> SlideText:
    """Title and subtitle in the question's own words (the title quotes the total)."""
    first = rows.iloc[0]
    question, answer = str(first["question_text"]), str(first["answer"])
    mean = answer == MEAN
    subtitle = _WORDS(
        "mean_subtitle" if mean else "share_subtitle",
        lang,
        question=question,
        answer=answer,
    )
    return SlideText(
        title=title or _title(rows, question, answer, lang),
        subtitle=subtitle,
        footnote="",
        filename=filename,
    )


def _title(rows: pd.DataFrame, question: str, answer: str, lang: Lang) -> str:
    """The total's value with the question; a low or hidden base quotes no number."""
    total = rows[rows["segment_var"] == TOTAL]
    flags = total["flag"].astype(str)
    shown = total[total["estimate"].notna() & ~flags.isin(["low_base", "suppressed"])]
    if shown.empty:
        return question
    row = shown.iloc[-1]
    value = estimate_text(float(row["estimate"]), str(row["scale"]), lang)
    key = "mean_title" if answer == MEAN else "share_title"
    text = _WORDS(key, lang, value=value, answer=answer, question=question)
    return text[0].upper() + text[1:]


def question_notes(rows: pd.DataFrame, lang: Lang) -> list[str]:
    """The footnote's line naming the answers left out of the base, if any."""
    if not is_question_rows(rows):
        return []
    excluded = rows.attrs.get(EXCLUDED, {})
    labels = [
        label
        for qid in dict.fromkeys(rows["question"].astype(str))
        for label in excluded.get(qid, ())
    ]
    if not labels:
        return []
    quoted = [_WORDS("quoted", lang, label=label) for label in labels]
    return [_WORDS("excluded", lang, answers=_WORDS("and", lang).join(quoted))]
