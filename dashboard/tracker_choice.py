"""The analyst's say on a tracker: which earlier wave's question this question is.

A question is followed into earlier waves by its id, library link or wording
(:func:`analysis.table.trackers.same_question`); when that guess is wrong or
missing, an analyst picks the earlier question here, among those of the same
type in the comparable earlier waves, and the store records the choice with
the audit trail (:meth:`analysis.access.store.UserStore.choose_tracked`,
which checks the role again). Other roles see nothing.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from analysis.i18n import Words
from analysis.store.questionnaire import Question
from analysis.table.trackers import fieldwork, mismatch
from dashboard import data, page
from dashboard.view import View

_AUTOMATIC = ""
_WORDS = Words(
    {
        "title": ("Tracker link (analysts)", "Lien de suivi (analystes)"),
        "earlier": (
            "The same question in an earlier wave",
            "La même question dans une vague antérieure",
        ),
        "automatic": (
            "Found automatically (id, library link or wording)",
            "Trouvée automatiquement (identifiant, lien ou formulation)",
        ),
        "save": ("Save the link", "Enregistrer le lien"),
        "saved": (
            "Tracker link saved (recorded in the audit trail).",
            "Lien de suivi enregistré (inscrit au journal d'audit).",
        ),
        "none": (
            "No comparable earlier wave has a question of this type.",
            "Aucune vague antérieure comparable n'a de question de ce type.",
        ),
    }
)


def candidates(view: View, question: Question) -> dict[str, tuple[str, Question]]:
    """The earlier questions it may track, keyed ``wave:id``, latest wave first."""
    now = view.info.meta
    earlier = sorted(
        (w.meta for w in view.waves if mismatch(w.meta, now) is None),
        key=lambda meta: fieldwork(meta) or date.min,
        reverse=True,
    )
    found = {}
    for meta in earlier:
        for q in data.questionnaire(meta.name).questions:
            if q.type == question.type:
                found[f"{meta.name}:{q.id}"] = (meta.name, q)
    return found


def control(view: View, question: Question) -> None:
    """The analyst's form to choose or clear the tracker link of ``question``.

    Drawn before the trend is read: a saved link changes the store's version,
    so the same run follows the new link.
    """
    if not page.access().can("upload"):
        return
    lang = view.lang
    options = candidates(view, question)
    with st.expander(_WORDS("title", lang)):
        if not options:
            st.caption(_WORDS("none", lang))
            return
        keys = [_AUTOMATIC, *options]
        current = next(
            (k for k, (_, q) in options.items() if q.id == question.tracks),
            _AUTOMATIC,
        )
        with st.form(f"tracker_form_{question.id}"):
            chosen = st.selectbox(
                _WORDS("earlier", lang),
                keys,
                index=keys.index(current),
                format_func=lambda k: (
                    _WORDS("automatic", lang)
                    if k == _AUTOMATIC
                    else f"{options[k][0]} · {options[k][1].text or options[k][1].id}"
                ),
                key=f"tracker_choice_{question.id}",
            )
            if st.form_submit_button(_WORDS("save", lang)):
                earlier = None if chosen == _AUTOMATIC else options[chosen]
                with page.guard(stop=False):
                    data.store().choose_tracked(
                        view.wave,
                        question.id,
                        None if earlier is None else (earlier[0], earlier[1].id),
                    )
                    st.success(_WORDS("saved", lang))
