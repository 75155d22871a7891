"""The sidebar, drawn on every page: wave, filters, method, bases, language, sign-in."""

from __future__ import annotations

from typing import cast

import streamlit as st

from analysis.i18n import Lang, Words, as_lang
from analysis.methods import INTERVAL_METHODS, AdjustMethod
from analysis.store.wave import WaveInfo
from analysis.store.weightings import FILE_WEIGHTING
from dashboard import data, page, signin
from dashboard.i18n import variable
from dashboard.page import url_multiselect, url_selectbox
from dashboard.view import (
    ADJUSTMENTS,
    LEVELS,
    View,
    level_from_url,
    param,
    thresholds_from_url,
)
from dashboard.weighting_panel import method_label

_WORDS = Words(
    {
        "wave": ("Wave", "Vague"),
        "filters": ("Filters", "Filtres"),
        "all": ("All", "Tous"),
        "method": ("Interval method", "Méthode d'intervalle"),
        "level": ("Confidence level", "Niveau de confiance"),
        "weighted": ("Weighted", "Pondéré"),
        "weighting": ("Weighting", "Pondération"),
        "file_weights": ("The file's weights", "Poids du fichier"),
        "default": ("{name} (default)", "{name} (par défaut)"),
        "adjust": ("Multiple comparisons", "Comparaisons multiples"),
        "holm": ("Holm (family-wise error)", "Holm (erreur de la famille)"),
        "bh": (
            "Benjamini–Hochberg (false discovery rate)",
            "Benjamini–Hochberg (taux de fausses découvertes)",
        ),
        "bases": ("Base thresholds", "Seuils de base"),
        "small_base": ("Small base under", "Petite base sous"),
        "low_base": (
            "Low base (greyed, untested) under",
            "Base faible (grisée, non testée) sous",
        ),
        "suppressed": ("Hidden under", "Masqué sous"),
        # interval methods, as the method picker lists them
        "wilson": ("Wilson (design-based base)", "Wilson (base selon le plan)"),
        "wilson-kish": ("Wilson (Kish's base)", "Wilson (base de Kish)"),
        "clopper-pearson": ("Clopper–Pearson", "Clopper–Pearson"),
        "jeffreys": ("Jeffreys", "Jeffreys"),
        "agresti-coull": ("Agresti–Coull", "Agresti–Coull"),
        "logit": ("Logit (design-based)", "Logit (selon le plan)"),
        "mean": ("Mean ± t·SE (design-based)", "Moyenne ± t·ET (selon le plan)"),
        "beta": ("Beta / Korn–Graubard", "Bêta / Korn–Graubard"),
    }
)
_LANGUAGES = {"en": "English", "fr": "Français"}


def draw() -> View | None:
    """Draw the sidebar; None when there is no respondent wave to look at."""
    with st.sidebar:
        lang = as_lang(
            st.segmented_control(
                "Language / Langue",  # in both, so either reader finds it
                list(_LANGUAGES),
                default=as_lang(param("lang", "en")),
                format_func=_LANGUAGES.__getitem__,
                key="lang",
            )
        )
        waves = tuple(w for w in data.waves() if w.meta.kind == "respondents")
        if not waves:
            signin.panel(page.access(), lang)
            return None
        names = [w.name for w in waves]
        name = url_selectbox(
            _WORDS("wave", lang), names, "wave", default=names[-1], key="wave"
        )
        info = waves[names.index(name)]
        weighting = _weighting(info, lang)
        filters = _filters(info, lang)
        method, level, adjust, weighted = _statistics(lang)
        thresholds = _thresholds(lang)
        signin.panel(page.access(), lang)
    return View(
        info=info,
        waves=waves,
        filters=filters,
        method=method,
        level=level,
        adjust=cast(AdjustMethod, adjust),
        weighted=weighted,
        weighting=weighting,
        thresholds=thresholds,
        lang=lang,
    )


def _statistics(lang: Lang) -> tuple[str, float, str, bool]:
    """Interval method, level, multiplicity correction and weighting, from the URL."""
    with st.expander(_WORDS("method", lang)):
        method = url_selectbox(
            _WORDS("method", lang),
            INTERVAL_METHODS,
            "ci",
            default="wilson",
            format_func=lambda m: _WORDS(m, lang),
            key="ci",
        )
        level = st.select_slider(
            _WORDS("level", lang),
            LEVELS,
            value=level_from_url(),
            format_func=lambda v: f"{v:.0%}",
            key="level",
        )
        adjust = url_selectbox(
            _WORDS("adjust", lang),
            ADJUSTMENTS,
            "adjust",
            default="holm",
            format_func=lambda a: _WORDS(a, lang),
            key="adjust",
        )
        weighted = st.toggle(
            _WORDS("weighted", lang),
            value=param("weighted", "1") != "0",
            key="weighted",
        )
    return method, level, adjust, weighted


def _weighting(wave: WaveInfo, lang: Lang) -> str:
    """The wave's weighting: its default preselected, or the one in the URL."""
    found = data.weightings(wave.name)
    names = [w.name for w in found]
    if not names:
        return FILE_WEIGHTING
    default = next((w.name for w in found if w.is_default), FILE_WEIGHTING)
    methods = {w.name: w.method for w in found}

    def label(name: str) -> str:
        text = (
            _WORDS("file_weights", lang)
            if name == FILE_WEIGHTING
            else f"{name} · {method_label(methods[name], lang)}"
        )
        return _WORDS("default", lang, name=text) if name == default else text

    return url_selectbox(
        _WORDS("weighting", lang),
        names,
        "weighting",
        default=default,
        format_func=label,
        key=f"weights_{wave.name}",
    )


def _filters(wave: WaveInfo, lang: Lang) -> dict[str, tuple[str, ...]]:
    levels = data.segment_levels(wave.name)
    chosen: dict[str, tuple[str, ...]] = {}
    with st.expander(_WORDS("filters", lang)):
        for var, values in levels.items():
            picked = url_multiselect(
                variable(var, lang),
                values,
                f"f_{var}",
                key=f"filter_{wave.name}_{var}",
                placeholder=_WORDS("all", lang),
            )
            if picked:
                chosen[var] = tuple(picked)
    return chosen


def _thresholds(lang: Lang) -> tuple[int, int, int]:
    small, low, hidden = thresholds_from_url()
    with st.expander(_WORDS("bases", lang)):
        small = int(
            st.number_input(_WORDS("small_base", lang), 0, 10_000, small, key="small")
        )
        low = int(
            st.number_input(
                _WORDS("low_base", lang), 0, 10_000, min(low, small), key="low"
            )
        )
        hidden = int(
            st.number_input(
                _WORDS("suppressed", lang), 0, 10_000, min(hidden, low), key="hide"
            )
        )
    # keep them ordered whatever was typed: small ≥ low ≥ hidden
    low = min(low, small)
    return small, low, min(hidden, low)


def actor() -> str:
    """Who the audit trail records for a dashboard action: the signed-in person."""
    return page.access().actor
