"""Analysts' own metrics on the Overview: their cards, and the form that defines one.

A metric is a question + the answers that count + EN/FR labels + polarity
(:class:`analysis.store.metrics.AnalystMetric`); it is stored with the audit
trail by the store acting for the signed-in analyst, which checks the role
again. Its card is the NET share of its answers in the chosen wave's question
(its own, or the one linked or tracking it), as ``estimate --metric`` gives.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.cli.question_estimate import bound_question
from analysis.errors import SurveyDataError
from analysis.formatting import estimate_text, interval_text, number, percent
from analysis.i18n import Words
from analysis.names import markdown_safe
from analysis.store.metrics import POLARITIES, AnalystMetric
from analysis.store.questionnaire import Question
from analysis.store.wave import TOTAL
from analysis.table.answers import answer_label
from dashboard import data, page
from dashboard.view import View

_WORDS = Words(
    {
        "metrics": ("Analysts' metrics", "Indicateurs des analystes"),
        "define": (
            "Define a metric from this question",
            "Définir un indicateur à partir de cette question",
        ),
        "name": (
            "Metric id (letters, digits, _)",
            "Identifiant (lettres, chiffres, _)",
        ),
        "answers": ("Answers that count", "Réponses comptées"),
        "label_en": ("Label in English", "Libellé en anglais"),
        "label_fr": ("Label in French", "Libellé en français"),
        "polarity": ("Polarity", "Polarité"),
        "up": ("Higher is better", "Plus haut, c'est mieux"),
        "down": ("Higher is worse", "Plus haut, c'est pire"),
        "save": ("Save metric", "Enregistrer l'indicateur"),
        "saved": (
            "Metric {id} saved (recorded in the audit trail).",
            "Indicateur {id} enregistré (inscrit au journal d'audit).",
        ),
        "card": (
            "{question} · interval {level} {interval} · base n = {n}",
            "{question} · intervalle {level} {interval} · base n = {n}",
        ),
        "choose": ("Choose an answer", "Choisissez une réponse"),
    }
)


def cards(view: View) -> None:
    """A card per stored metric that this wave's questions can answer."""
    questionnaire = data.questionnaire(view.wave)
    shown = []
    for metric in data.metrics():
        try:
            source = data.questionnaire(metric.wave).question(metric.question)
            question = bound_question(questionnaire, source, metric, view.wave)
        except SurveyDataError:
            continue  # a metric of another questionnaire
        shown.append((metric, question))
    if not shown:
        return
    st.subheader(_WORDS("metrics", view.lang))
    columns = st.columns(3)
    for i, (metric, question) in enumerate(shown):
        with columns[i % 3].container(border=True), page.guard(stop=False):
            rows = data.question_estimates(
                view.wave,
                question.id,
                (),
                view.filters,
                view.options,
                answers=metric.answers,
            )
            _card(view, metric, question, rows[rows["segment_var"] == TOTAL].iloc[0])


def _card(
    view: View, metric: AnalystMetric, question: Question, row: pd.Series
) -> None:
    lang = view.lang
    label = {"en": metric.label_en, "fr": metric.label_fr}[lang] or metric.label_en
    st.markdown(markdown_safe(label or metric.id))
    hidden = row["flag"] == "suppressed"
    st.metric(
        label or metric.id,
        "–" if hidden else estimate_text(row["estimate"], "share", lang),
        label_visibility="collapsed",
    )
    st.caption(
        _WORDS(
            "card",
            lang,
            question=markdown_safe(question.text or question.id),
            level=percent(view.level, lang),
            interval=interval_text(row["ci_low"], row["ci_high"], "share", lang),
            n=number(row["n"], lang),
        )
    )


def form(view: View, question: Question) -> None:
    """The analyst's form for a metric of ``question`` (nothing for other roles)."""
    if not page.access().can("define_metric") or question.type == "numeric":
        return
    lang = view.lang
    counted = {a.code: answer_label(a) for a in question.counted}
    with (
        st.expander(_WORDS("define", lang)),
        st.form(f"metric_form_{question.id}", clear_on_submit=False),
    ):
        name = st.text_input(_WORDS("name", lang), key="metric_name")
        answers = st.multiselect(
            _WORDS("answers", lang),
            list(counted),
            format_func=counted.__getitem__,
            placeholder=_WORDS("choose", lang),
            key="metric_answers",
        )
        label_en = st.text_input(_WORDS("label_en", lang), key="metric_label_en")
        label_fr = st.text_input(_WORDS("label_fr", lang), key="metric_label_fr")
        polarity = st.radio(
            _WORDS("polarity", lang),
            POLARITIES,
            format_func=lambda p: _WORDS(p, lang),
            horizontal=True,
            key="metric_polarity",
        )
        if st.form_submit_button(_WORDS("save", lang)):
            with page.guard(stop=False):
                added = data.store().add_metric(
                    AnalystMetric(
                        id=name.strip(),
                        wave=view.wave,
                        question=question.id,
                        answers=tuple(answers),
                        label_en=label_en.strip(),
                        label_fr=label_fr.strip(),
                        polarity="down" if polarity == "down" else "up",
                    )
                )
                st.success(_WORDS("saved", lang, id=added.id))
