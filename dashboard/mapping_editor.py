"""The Upload page's editors: what each column is, and which rows count.

The mapping editor shows detection's proposal for every column — the
question text, the answers with their counts, the role, segment name,
question type and library link with its score — in one table inside a form:
the analyst edits any rows, then applies them at once (no rerun per cell).
Nothing changed means the proposals are accepted as they are.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analysis.i18n import Lang, Words
from analysis.ingest.mapping import SurveyMapping
from analysis.ingest.model import IngestOptions
from analysis.ingest.profiles import load_profile, profile_names
from analysis.library.codebook import Codebook
from analysis.store.questionnaire import COLUMN_ROLES, QUESTION_TYPES
from dashboard import page

_SUGGESTED = "suggested"
_WORDS = Words(
    {
        "profile": ("Mapping", "Correspondance"),
        "suggested": ("detected", "détectée"),
        "title": ("Columns", "Colonnes"),
        "how": (
            "Each column's proposed role, question type and library link. The "
            "proposals are used as they are; to change some, edit the rows, "
            "then apply.",
            "Le rôle, le type de question et le lien à la bibliothèque proposés "
            "pour chaque colonne. Les propositions sont reprises telles quelles ; "
            "pour en changer, modifiez les lignes, puis appliquez.",
        ),
        "apply": ("Apply changes", "Appliquer les modifications"),
        "reset": ("Back to the proposals", "Revenir aux propositions"),
        "changed": (
            "{count} change(s) applied.",
            "{count} modification(s) appliquée(s).",
        ),
        # the editor's columns
        "column": ("Column", "Colonne"),
        "text": ("Question text", "Texte de la question"),
        "answers": ("Answers (count)", "Réponses (effectif)"),
        "role": ("Role", "Rôle"),
        "segment": ("Segment name", "Nom du segment"),
        "type": ("Type", "Type"),
        "link": ("Library link", "Lien à la bibliothèque"),
        "score": ("Score", "Score"),
        "reason": ("Why", "Pourquoi"),
        # roles
        "question": ("question", "question"),
        "segment_role": ("segment", "segment"),
        "weight": ("weight", "poids"),
        "respondent_id": ("respondent id", "identifiant du répondant"),
        "strata": ("strata", "strates"),
        "cluster": ("cluster (PSU)", "grappe (UPE)"),
        "fpc": ("fpc", "correction de population finie"),
        "left_out": ("left out", "écartée"),
        "personal_data": ("personal data (dropped)", "données personnelles (écartées)"),
        # types
        "single": ("single choice", "choix unique"),
        "scale": ("scale", "échelle"),
        "multi": ("multi-select", "choix multiples"),
        "numeric": ("numeric", "numérique"),
        "open": ("open text", "texte libre"),
        # row filters
        "options": (
            "Rows to leave out and wave details",
            "Lignes à écarter et détails",
        ),
        "keep_incomplete": (
            "Keep incomplete responses",
            "Garder les réponses incomplètes",
        ),
        "speeders": ("Leave out speeders", "Écarter les répondants trop rapides"),
        "straightliners": (
            "Leave out straight-liners",
            "Écarter les réponses en ligne droite",
        ),
        "source": ("Source", "Source"),
    }
)


_ORDER = ("column", "text", "answers", "role", "type", "link", "score", "segment")
_ORDER += ("reason",)  # the question id a link is keyed by is not shown


def pick_profile(lang: Lang, picker: Any = st) -> SurveyMapping | None:
    """A saved mapping profile to start from, or None for detection's proposals."""
    chosen = picker.selectbox(
        _WORDS("profile", lang),
        [_SUGGESTED, *profile_names()],
        format_func=lambda p: _WORDS(p, lang) if p == _SUGGESTED else p,
    )
    if chosen == _SUGGESTED:
        return None
    with page.guard():
        return load_profile(chosen)


def edit_proposals(
    proposals: pd.DataFrame, codebook: Codebook, key: str, lang: Lang
) -> pd.DataFrame | None:
    """The table of proposals in a form: the edited rows once applied, else None."""
    st.subheader(_WORDS("title", lang))
    st.caption(_WORDS("how", lang))
    with st.form(f"mapping_{key}", border=False):
        edited = st.data_editor(
            proposals,
            hide_index=True,
            width="stretch",
            disabled=["column", "text", "answers", "score", "reason"],
            column_order=_ORDER,
            height=min(36 * (len(proposals) + 1) + 3, 640),
            column_config=_columns(codebook, lang),
            key=f"proposals_{key}",
        )
        left, right = st.columns(2)
        apply = left.form_submit_button(_WORDS("apply", lang), type="primary")
        reset = right.form_submit_button(_WORDS("reset", lang))
    if reset:
        return proposals.iloc[0:0]
    return edited if apply else None


def _columns(codebook: Codebook, lang: Lang) -> dict[str, Any]:
    def word(value: object) -> str:
        text = str(value or "")
        return _WORDS("open" if text == "text" else text, lang) if text else "—"

    return {
        "column": _WORDS("column", lang),
        "text": st.column_config.TextColumn(_WORDS("text", lang), width="medium"),
        "answers": st.column_config.TextColumn(_WORDS("answers", lang), width="medium"),
        "role": st.column_config.SelectboxColumn(
            _WORDS("role", lang),
            options=list(COLUMN_ROLES),
            required=True,
            format_func=lambda r: _WORDS("segment_role" if r == "segment" else r, lang),
        ),
        "segment": _WORDS("segment", lang),
        "type": st.column_config.SelectboxColumn(
            _WORDS("type", lang), options=["", *QUESTION_TYPES], format_func=word
        ),
        "link": st.column_config.SelectboxColumn(
            _WORDS("link", lang),
            options=["", *codebook.questions],
            format_func=lambda link: link or "—",
        ),
        "score": st.column_config.NumberColumn(_WORDS("score", lang), format="%.2f"),
        "reason": st.column_config.TextColumn(_WORDS("reason", lang), width="medium"),
    }


def ingest_options(file_name: str, lang: Lang) -> IngestOptions:
    """Which rows to leave out, and the wave's source (the file's name by default)."""
    with st.expander(_WORDS("options", lang)):
        return IngestOptions(
            keep_incomplete=st.checkbox(_WORDS("keep_incomplete", lang)),
            exclude_speeders=st.checkbox(_WORDS("speeders", lang)),
            exclude_straightliners=st.checkbox(_WORDS("straightliners", lang)),
            source=st.text_input(_WORDS("source", lang), value=file_name),
        )
