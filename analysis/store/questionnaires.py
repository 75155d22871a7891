"""Questionnaires for waves that did not bring one: codebook-coded waves and toplines.

Waves stored before schema 5 (and the demo's, which answer the library's own
questions) hold one integer-coded column per codebook question. Their
questionnaire is the codebook's questions they answer, each linked to itself
with ``link_code`` equal to its code, so the library's metrics score them
exactly as before and any of their questions can be estimated like a file's
own. A toplines wave lists its published items as questions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from analysis.library.codebook import Codebook, load_codebook
from analysis.store.questionnaire import Answer, Design, Question, Questionnaire

DONT_KNOW = 9
"""The codebook's "don't know" code, which leaves the base."""
_ORDERED = frozenset({"agree5", "ethics3"})
"""Codebook answer scales that are ordinal (the others are plain choices)."""
_NOT_SEGMENTS = frozenset({"respondent_id", "weight"})


def codebook_questionnaire(
    columns: Mapping[str, str], codebook: Codebook | None = None
) -> Questionnaire:
    """The questionnaire of a codebook-coded wave from its stored columns.

    ``columns`` maps each stored column to its SQL or pandas type name; text
    columns that are not codebook questions are the wave's segments.
    """
    book = codebook or load_codebook()
    questions = tuple(
        _library_question(book, column)
        for column in columns
        if column in book.questions
    )
    segments = tuple(
        c
        for c, kind in columns.items()
        if c not in book.questions and c not in _NOT_SEGMENTS and _is_text(kind)
    )
    design = Design(weight="weight" if "weight" in columns else None)
    return Questionnaire(questions=questions, segments=segments, design=design)


def _is_text(kind: str) -> bool:
    return kind.upper() in ("VARCHAR", "OBJECT", "STRING", "STR", "CATEGORY")


def _library_question(book: Codebook, qid: str) -> Question:
    source = book.questions[qid]
    answers = tuple(
        Answer(
            code=str(code),
            label=label.en,
            excluded=code == DONT_KNOW,
            link_code=code,
        )
        for code, label in sorted(source.labels.items())
    )
    return Question(
        id=qid,
        text=source.text.en,
        type="scale" if source.type in _ORDERED else "single",
        answers=answers,
        columns=(qid,),
        lang="en",
        link=qid,
        link_score=1.0,
        link_confirmed=True,
    )


def toplines_questionnaire(
    metrics: Iterable[str], codebook: Codebook | None = None
) -> Questionnaire:
    """A toplines wave's published items, each listed as a question of its own."""
    book = codebook or load_codebook()
    questions = []
    for metric_id in dict.fromkeys(metrics):
        metric = book.metrics.get(metric_id)
        text = metric.label.en if metric is not None else metric_id
        link = metric.question if metric is not None else None
        questions.append(
            Question(
                id=metric_id,
                text=text,
                type="single",
                answers=(Answer(code="1", label=text),),
                columns=(metric_id,),
                lang="en",
                link=link,
            )
        )
    return Questionnaire(questions=tuple(questions))


def library_coded(questionnaire: Questionnaire) -> bool:
    """True when the wave holds the library's questions under their ids and codes.

    Such a wave (the demo's, one stored before questionnaires) is scored
    straight from its columns; any other goes through its questions' links.
    """
    linked = [q for q in questionnaire.questions if q.link]
    return bool(linked) and all(
        q.id == q.link
        and all(
            a.link_code is not None and str(a.link_code) == a.code for a in q.answers
        )
        for q in linked
    )
