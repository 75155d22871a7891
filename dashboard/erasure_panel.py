"""Erasure on the Waves page: purge a deleted wave, erase one respondent.

Both are for good, so each sits in a form that asks for the wave's name or
the respondent's id a second time before the button acts; both call
:mod:`analysis.store.erasure` through the store, audited with the session's
actor, and show the library's result in one line. The id typed is never
echoed back.
"""

import streamlit as st

from analysis.i18n import Lang, Words
from analysis.names import markdown_safe
from analysis.store.erasure import Erasure
from analysis.store.wave import WaveInfo
from dashboard import data, page
from dashboard.sidebar import actor

_WORDS = Words(
    {
        "title": ("Erase for good", "Effacer définitivement"),
        "purge_head": ("Purge a deleted wave", "Purger une vague supprimée"),
        "no_deleted": (
            "No deleted wave: delete a wave above before purging it.",
            "Aucune vague supprimée : supprimez-en une ci-dessus avant de la purger.",
        ),
        "wave": ("Deleted wave", "Vague supprimée"),
        "type_wave": (
            "Type the wave's name to confirm",
            "Tapez le nom de la vague pour confirmer",
        ),
        "purge": ("Purge for good", "Purger définitivement"),
        "wave_mismatch": (
            "The name typed is not {wave}; nothing was purged.",
            "Le nom tapé n'est pas {wave} ; rien n'a été purgé.",
        ),
        "purged": (
            "{wave} purged: {rows} rows erased and the store file rewritten; "
            "the name and the file's fingerprint are free again.",
            "{wave} purgée : {rows} lignes effacées et le fichier de stockage "
            "réécrit ; le nom et l'empreinte du fichier sont de nouveau libres.",
        ),
        "erase_head": (
            "Erase one respondent (right to erasure)",
            "Effacer un répondant (droit à l'effacement)",
        ),
        "erase_help": (
            "The id the survey tool gave them; it is searched in every wave, "
            "deleted ones included, and never stored or shown.",
            "L'identifiant donné par l'outil d'enquête ; il est cherché dans "
            "toutes les vagues, supprimées comprises, jamais stocké ni affiché.",
        ),
        "given_id": ("Respondent id", "Identifiant du répondant"),
        "type_id": ("Type the id again to confirm", "Retapez l'identifiant"),
        "erase": ("Erase this respondent", "Effacer ce répondant"),
        "id_mismatch": (
            "The two ids differ (or are empty); nothing was erased.",
            "Les deux identifiants diffèrent (ou sont vides) ; rien n'a été effacé.",
        ),
        "nobody": (
            "No respondent with that id in any of the {waves} respondent waves; "
            "nothing was erased.",
            "Aucun répondant avec cet identifiant dans les {waves} vagues de "
            "répondants ; rien n'a été effacé.",
        ),
        "erased": (
            "Erased {rows} row(s) from {where}; the store file was rewritten.",
            "{rows} ligne(s) effacée(s) de {where} ; le fichier de stockage a "
            "été réécrit.",
        ),
    }
)
_RESULT = "erasure_result"


def may_erase() -> bool:
    """Who may purge and erase: the one place to decide it.

    Admins (issue 15's roles); the store acting for the person checks again.
    """
    return page.access().can("erase")


def erasure_panel(infos: list[WaveInfo], lang: Lang) -> None:
    """The purge and erase forms, for those who may use them; nothing otherwise."""
    if not may_erase():
        return
    result = st.session_state.pop(_RESULT, None)
    if result:
        st.success(markdown_safe(result))
    with st.expander(_WORDS("title", lang)):
        with page.guard(stop=False):
            _purge([i for i in infos if i.deleted_at is not None], lang)
        st.divider()
        with page.guard(stop=False):
            _erase(lang)


def _purge(deleted: list[WaveInfo], lang: Lang) -> None:
    st.subheader(_WORDS("purge_head", lang))
    if not deleted:
        st.caption(_WORDS("no_deleted", lang))
        return
    with st.form("purge_form", clear_on_submit=True):
        name = st.selectbox(
            _WORDS("wave", lang), [i.name for i in deleted], key="purge_wave"
        )
        typed = st.text_input(_WORDS("type_wave", lang), key="purge_confirm")
        if not st.form_submit_button(_WORDS("purge", lang)):
            return
    if name is None or typed.strip() != name:
        st.error(markdown_safe(_WORDS("wave_mismatch", lang, wave=name)))
        return
    info = data.store().purge_wave(name, actor=actor())
    st.session_state[_RESULT] = _WORDS(
        "purged", lang, wave=info.name, rows=info.row_count
    )
    st.rerun()


def _erase(lang: Lang) -> None:
    st.subheader(_WORDS("erase_head", lang))
    st.caption(_WORDS("erase_help", lang))
    with st.form("erase_form", clear_on_submit=True):
        given = st.text_input(_WORDS("given_id", lang), key="erase_id")
        again = st.text_input(_WORDS("type_id", lang), key="erase_confirm")
        if not st.form_submit_button(_WORDS("erase", lang)):
            return
    if not given.strip() or given.strip() != again.strip():
        st.error(_WORDS("id_mismatch", lang))
        return
    result = data.store().erase_respondent(given.strip(), actor=actor())
    st.session_state[_RESULT] = _erased(result, lang)
    st.rerun()


def _erased(result: Erasure, lang: Lang) -> str:
    """The library's result in one line, without the id."""
    if not result.rows:
        return _WORDS("nobody", lang, waves=result.waves_searched)
    where = ", ".join(f"{wave} ({n})" for wave, n in result.rows.items())
    return _WORDS("erased", lang, rows=result.total, where=where)
