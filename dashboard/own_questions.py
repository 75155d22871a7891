"""A wave's own questions on a page: the picker, the answer cards, the footnote.

Every page can show any question of the chosen wave, titled in the file's own
words; the numbers come from :func:`dashboard.data.question_estimates` (that
is, :func:`analysis.table.questions.question_rows`), never recomputed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import pandas as pd
import streamlit as st

from analysis.errors import SurveyDataError
from analysis.figures.sampling import interval_sentence
from analysis.formatting import estimate_text, interval_text, number, percent, points
from analysis.i18n import Lang, Words
from analysis.store.questionnaire import Question
from analysis.store.wave import TOTAL
from analysis.table.trackers import Tracked, tracker, wording_changes
from analysis.table.trends import paired_trend_table
from analysis.table.wave_questions import aligned_rows, chartable, excluded
from dashboard import data, page
from dashboard.view import View

WORDS = Words(
    {
        "question": ("Question", "Question"),
        "questions": ("This wave's questions", "Les questions de cette vague"),
        "no_question": (
            "This wave has no question that can be charted.",
            "Cette vague n'a aucune question à représenter.",
        ),
        "no_segment": (
            "This wave has no segment variable: the figures are for the whole sample.",
            "Cette vague n'a aucune variable de segmentation : les chiffres portent "
            "sur tout l'échantillon.",
        ),
        "no_library": (
            "No library metric is linked to this wave's questions; its own "
            "questions are below.",
            "Aucun indicateur de la bibliothèque n'est relié aux questions de cette "
            "vague ; ses propres questions sont ci-dessous.",
        ),
        "mean": ("Mean score", "Score moyen"),
        "card": (
            "Interval {level} {interval} · base n = {n}",
            "Intervalle {level} {interval} · base n = {n}",
        ),
        "hidden": (
            "Hidden: fewer than {hidden} respondents.",
            "Masqué : moins de {hidden} répondants.",
        ),
        "excluded": (
            "Left out of the base: {answers}.",
            "Exclus de la base : {answers}.",
        ),
        "change": ("{moved}{mark} vs {previous}", "{moved}{mark} vs {previous}"),
        "analyst_metrics": ("Analysts' metrics", "Indicateurs des analystes"),
        "wording": ("wording changed in {wave}", "formulation modifiée en {wave}"),
        "answers": ("answers changed in {wave}", "réponses modifiées en {wave}"),
    }
)


def pick(
    view: View, *, key: str, where: Any = st, quiet: bool = False
) -> Question | None:
    """The question chosen among the wave's own (``?question=``), or None.

    ``quiet`` leaves out the library's own questions held in its codes (the
    demo's), whose metrics a page already shows, and says nothing when no
    other question is left.
    """
    questions = chartable(data.questionnaire(view.wave))
    if quiet:
        questions = tuple(q for q in questions if q.link != q.id)
    if not questions:
        if not quiet:
            where.info(WORDS("no_question", view.lang))
        return None
    by_id = {q.id: q for q in questions}
    chosen = page.url_selectbox(
        WORDS("question", view.lang),
        list(by_id),
        "question",
        format_func=lambda q: _short(text(by_id[q], view.lang)),
        key=key,
        where=where,
    )
    return by_id[chosen]


def text(question: Question, lang: Lang) -> str:
    """A question's words: the file's own (a library question's: in ``lang``).

    A wave in the library's codes (the demo's) holds library questions, whose
    words the codebook has in English and French.
    """
    library = data.codebook().questions.get(question.id)
    if library is not None and question.link == question.id:
        return library.text.get(lang)
    return question.text or question.id


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def answer_label(answer: str, lang: Lang) -> str:
    """How an answer is named on a card (the mean in the reader's language)."""
    return WORDS("mean", lang) if answer == "mean" else answer


def cards(view: View, table: pd.DataFrame, changes: pd.DataFrame | None) -> None:
    """One card per answer (NET, mean) of the total, with its change if tested."""
    total = table[table["segment_var"] == TOTAL]
    columns = st.columns(3)
    for i, row in enumerate(total.to_dict("records")):
        with columns[i % 3].container(border=True):
            _card(view, row, _change(changes, str(row["metric"])))


def _change(changes: pd.DataFrame | None, metric: str) -> dict[str, Any] | None:
    if changes is None:
        return None
    mine = changes[(changes["metric"] == metric) & (changes["segment_var"] == TOTAL)]
    return None if mine.empty else dict(mine.iloc[-1])


def _card(view: View, row: dict[str, Any], change: dict[str, Any] | None) -> None:
    lang = view.lang
    label = answer_label(str(row["answer"]), lang)
    hidden = row["flag"] == "suppressed"
    delta, arrow = None, "off"
    if change is not None and not hidden:
        moved = points(change["diff"], change["scale"], lang)
        mark = " ✱" if bool(change["significant"]) else ""
        delta = WORDS(
            "change", lang, moved=moved, mark=mark, previous=change["wave_from"]
        )
        arrow = {"+": "up", "−": "down"}.get(moved[:1], "off")
    st.markdown(label)
    st.metric(
        label,
        "–" if hidden else estimate_text(row["estimate"], row["scale"], lang),
        delta,
        delta_color="off",
        delta_arrow=arrow,
        label_visibility="collapsed",
    )
    if hidden:
        st.caption(WORDS("hidden", lang, hidden=view.thresholds[2]))
        return
    st.caption(
        WORDS(
            "card",
            lang,
            level=percent(view.level, lang),
            interval=interval_text(row["ci_low"], row["ci_high"], row["scale"], lang),
            n=number(row["n"], lang),
        )
    )


def footnote(view: View, table: pd.DataFrame, infos: Sequence[Any] = ()) -> None:
    """The answers left out of the base, and what the intervals assume."""
    parts = []
    left_out = excluded(table)
    if left_out:
        quoted = ", ".join(f"« {label} »" for label in left_out)
        parts.append(WORDS("excluded", view.lang, answers=quoted))
    sentence = interval_sentence(table, list(infos) or [view.info], view.lang)
    if sentence:
        parts.append(sentence + ".")
    if parts:
        st.caption(" ".join(parts))


def tracked(
    view: View, question: Question, by: Sequence[str] = ()
) -> tuple[pd.DataFrame, tuple[Tracked, ...]]:
    """The question's rows in this wave and the comparable earlier waves tracking it.

    Earlier rows are keyed as this wave's (:func:`aligned_rows`); a wave
    lacking a chosen segment variable or filter leaves the series.
    """
    known = [(w.meta, data.questionnaire(w.name)) for w in view.waves]
    series = tracker(view.wave, question.id, known)
    current = data.question_estimates(
        view.wave, question.id, by, view.filters, view.options
    )
    frames, kept = [], []
    for step in series[:-1]:
        try:
            rows = data.question_estimates(
                step.wave, step.question.id, by, view.filters, view.options
            )
        except SurveyDataError:
            continue  # that wave has no such segment or filter: not comparable
        frames.append(aligned_rows(rows, current, question))
        kept.append(step)
    table = pd.concat([*frames, current], ignore_index=True)
    table.attrs = dict(current.attrs)
    return table, (*kept, series[-1])


def changes(view: View, table: pd.DataFrame, series: Sequence[Tracked]) -> pd.DataFrame:
    """Each wave of a series against the one before it (its previous comparable)."""
    waves = [step.wave for step in series]
    return paired_trend_table(
        table, list(pairwise(waves)), adjust=view.adjust, level=view.level
    )


def wording_note(series: Sequence[Tracked], lang: Lang) -> str:
    """The trend's flag: "wording changed in W", "answers changed in W", or ""."""
    return "; ".join(
        WORDS(what, lang, wave=wave) for wave, what in wording_changes(series)
    )
