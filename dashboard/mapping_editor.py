"""The Upload page's editors: which column is which question, and which rows count.

The analyst starts from a suggested mapping or a saved profile and corrects it
in two tables, then says which rows to leave out; both go to ``prepare_wave``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from analysis.i18n import Lang, Words
from analysis.ingest.mapping import ROLES, SurveyMapping, suggest_mapping
from analysis.ingest.model import IngestOptions, RawSurvey
from analysis.ingest.profiles import load_profile, profile_names
from analysis.library.codebook import Codebook
from dashboard import page

_SUGGESTED = "suggested"
_SEGMENTS = ("country", "age_band", "gender")  # the library's segment variables
_WORDS = Words(
    {
        "profile": ("Mapping", "Correspondance"),
        "suggested": ("suggested", "suggérée"),
        "title": ("Mapping", "Correspondance des colonnes"),
        "answers": ("Answer codes", "Codes des réponses"),
        # the editors' columns
        "column": ("Column", "Colonne"),
        "role": ("Role", "Rôle"),
        "target": ("Question or segment", "Question ou segment"),
        "note": ("Note", "Note"),
        "answer": ("Answer", "Réponse"),
        "code": ("Code", "Code"),
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
        # roles
        "question": ("question", "question"),
        "segment": ("segment", "segment"),
        "weight": ("weight", "poids"),
        "respondent_id": ("respondent id", "identifiant du répondant"),
        "left_out": ("left out", "écartée"),
    }
)


def edit_mapping(
    raw: RawSurvey, codebook: Codebook, file_id: str, lang: Lang, picker: Any = st
) -> SurveyMapping:
    """The mapping the analyst settles on; the profile picker is drawn in ``picker``.

    Toplines need no mapping beyond the chosen profile, so no editor is shown.
    """
    profiles = profile_names()
    profile = picker.selectbox(
        _WORDS("profile", lang),
        [_SUGGESTED, *profiles],
        format_func=lambda p: _WORDS(p, lang) if p == _SUGGESTED else p,
    )
    with page.guard():
        mapping = (
            suggest_mapping(raw, codebook)
            if profile == _SUGGESTED
            else load_profile(profile)
        )
    if raw.format == "toplines":
        return mapping
    st.subheader(_WORDS("title", lang))
    targets = ["", *codebook.questions, *_SEGMENTS]
    roles = st.data_editor(
        mapping.to_frame(),
        hide_index=True,
        width="stretch",
        disabled=["column", "note"],
        column_config={
            "column": _WORDS("column", lang),
            "role": st.column_config.SelectboxColumn(
                _WORDS("role", lang),
                options=ROLES,
                required=True,
                format_func=lambda r: _WORDS(str(r), lang),
            ),
            "target": st.column_config.SelectboxColumn(
                _WORDS("target", lang), options=targets
            ),
            "note": _WORDS("note", lang),
        },
        key=f"roles_{file_id}_{profile}",
    )
    with st.expander(_WORDS("answers", lang)):
        answers = st.data_editor(
            mapping.answers_frame(),
            hide_index=True,
            width="stretch",
            disabled=["column", "answer"],
            column_config={
                name: _WORDS(name, lang) for name in ("column", "answer", "code")
            },
            key=f"answers_{file_id}_{profile}",
        )
    return mapping.with_frame(roles, answers)


def ingest_options(file_name: str, lang: Lang) -> IngestOptions:
    """Which rows to leave out, and the wave's source (the file's name by default)."""
    with st.expander(_WORDS("options", lang)):
        return IngestOptions(
            keep_incomplete=st.checkbox(_WORDS("keep_incomplete", lang)),
            exclude_speeders=st.checkbox(_WORDS("speeders", lang)),
            exclude_straightliners=st.checkbox(_WORDS("straightliners", lang)),
            source=st.text_input(_WORDS("source", lang), value=file_name),
        )
