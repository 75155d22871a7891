"""The sample type and disclosure widgets the Upload and Waves pages share.

What a wave is (probability sample, opt-in panel, or not stated) decides
whether its footnotes may speak of a margin of error, so it is asked at
upload and can be corrected on the Waves page, through the store's audited
:meth:`~analysis.store.wave_store.WaveStore.describe_wave`.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from analysis.i18n import Lang, Words
from analysis.slides.disclosure import item_label, sample_type_label
from analysis.store.wave import (
    DISCLOSURE_ITEMS,
    SAMPLE_TYPES,
    Disclosure,
    SampleType,
    WaveInfo,
)
from dashboard import data, page
from dashboard.sidebar import actor

_WORDS = Words(
    {
        "help": (
            "Only a probability sample's charts speak of a margin of error; an "
            "opt-in panel's say what their intervals assume.",
            "Seuls les graphiques d'un échantillon probabiliste parlent de marge "
            "d'erreur\u00a0; ceux d'un panel à adhésion volontaire disent ce que "
            "leurs intervalles supposent.",
        ),
        "describe": ("Sample and disclosure", "Échantillon et fiche technique"),
        "save": (
            "Save the description of {wave}",
            "Enregistrer la description de {wave}",
        ),
        "saved": (
            "{wave}: description saved.",
            "{wave}\u00a0: description enregistrée.",
        ),
    }
)
_LONG = (
    "recruitment",
    "weighting",
    "question_wording",
    "quality_checks",
    "limitations",
)
"""Items that take a paragraph rather than a line."""


def sample_type_input(
    lang: Lang, *, key: str, value: str = "unknown", where: Any = st
) -> SampleType:
    """A select box of the three sample types, named in the page's language."""
    chosen = where.selectbox(
        item_label("sample_type", lang),
        SAMPLE_TYPES,
        index=SAMPLE_TYPES.index(value) if value in SAMPLE_TYPES else 2,
        format_func=lambda kind: sample_type_label(kind, lang),
        help=_WORDS("help", lang),
        key=key,
    )
    return SAMPLE_TYPES[SAMPLE_TYPES.index(chosen)]


def describe_form(info: WaveInfo, lang: Lang) -> None:
    """A form editing a wave's sample type and disclosure items, saved audited."""
    meta = info.meta
    with st.form(key=f"describe_{info.name}"):
        st.markdown(f"**{_WORDS('describe', lang)}**")
        kind = sample_type_input(
            lang, key=f"sample_type_{info.name}", value=meta.sample_type
        )
        said = {}
        for item in DISCLOSURE_ITEMS:
            widget = st.text_area if item in _LONG else st.text_input
            said[item] = widget(
                item_label(item, lang),
                value=getattr(meta.disclosure, item),
                key=f"{item}_{info.name}",
            )
        saved = st.form_submit_button(_WORDS("save", lang, wave=info.name))
    if st.session_state.pop(f"described_{info.name}", False):
        st.success(_WORDS("saved", lang, wave=info.name))
    if saved:
        with page.guard(stop=False):
            data.store().describe_wave(
                info.name, kind, Disclosure(**said), actor=actor()
            )
            st.session_state[f"described_{info.name}"] = True
            st.rerun()
