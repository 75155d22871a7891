"""The sidebar, drawn on every page: wave, filters, method, bases, language, role."""

from __future__ import annotations

from typing import cast

import streamlit as st

from analysis.auth import configured_hash, verify_passphrase
from analysis.i18n import Lang, Words, as_lang
from analysis.methods import INTERVAL_METHODS, AdjustMethod
from analysis.store.wave import WaveInfo
from dashboard import data
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

_WORDS = Words(
    {
        "wave": ("Wave", "Vague"),
        "filters": ("Filters", "Filtres"),
        "all": ("All", "Tous"),
        "method": ("Interval method", "Méthode d'intervalle"),
        "level": ("Confidence level", "Niveau de confiance"),
        "weighted": ("Weighted", "Pondéré"),
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
        "passphrase": ("Analyst passphrase", "Phrase secrète analyste"),
        "log_in": ("Log in", "Se connecter"),
        "log_out": ("Log out", "Se déconnecter"),
        "logged_in": ("Logged in as analyst.", "Connecté en tant qu'analyste."),
        "wrong_passphrase": ("Wrong passphrase.", "Phrase secrète incorrecte."),
        "open_local": (
            "No analyst passphrase is set: analyst actions (upload, delete, restore) "
            "are open to local users of this machine; the app listens on 127.0.0.1 "
            "only.",
            "Aucune phrase secrète analyste : les actions d'analyste (import, "
            "suppression, restauration) sont ouvertes aux utilisateurs locaux ; "
            "l'appli n'écoute que sur 127.0.0.1.",
        ),
        "set_passphrase": (
            "This app is reachable beyond this machine and no analyst passphrase is "
            "set, so upload, delete and restore are off. Set "
            "CONFIANCE_ANALYST_PASSWORD_HASH (python -m analysis passphrase) to "
            "enable them.",
            "L'appli est joignable hors de cette machine sans phrase secrète "
            "analyste : import, suppression et restauration sont désactivés. "
            "Définissez CONFIANCE_ANALYST_PASSWORD_HASH (python -m analysis "
            "passphrase).",
        ),
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
            _role(lang)
            return None
        names = [w.name for w in waves]
        name = url_selectbox(
            _WORDS("wave", lang), names, "wave", default=names[-1], key="wave"
        )
        info = waves[names.index(name)]
        filters = _filters(info, lang)
        method, level, adjust, weighted = _statistics(lang)
        thresholds = _thresholds(lang)
        _role(lang)
    return View(
        info=info,
        waves=waves,
        filters=filters,
        method=method,
        level=level,
        adjust=cast(AdjustMethod, adjust),
        weighted=weighted,
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
    """Who the audit trail records for a dashboard action."""
    return "dashboard:analyst" if configured_hash() else "dashboard:local-user"


def _local_only() -> bool:
    """Whether the server listens on the loopback interface alone."""
    address = str(st.get_option("server.address") or "")
    return address in {"127.0.0.1", "localhost", "::1"} or address.startswith("127.")


def is_analyst() -> bool:
    """Whether this session may upload, delete and restore.

    Without a passphrase, analyst actions are open only when nobody but this
    machine's users can reach the app.
    """
    if configured_hash() is None:
        return _local_only()
    return bool(st.session_state.get("analyst"))


def _role(lang: Lang) -> None:
    stored = configured_hash()
    st.divider()
    if stored is None:
        st.caption(
            _WORDS("open_local", lang)
            if _local_only()
            else _WORDS("set_passphrase", lang)
        )
        return
    if st.session_state.get("analyst"):
        st.caption(_WORDS("logged_in", lang))
        if st.button(_WORDS("log_out", lang)):
            st.session_state["analyst"] = False
            st.rerun()
        return
    with st.form("login", border=False):
        passphrase = st.text_input(_WORDS("passphrase", lang), type="password")
        if st.form_submit_button(_WORDS("log_in", lang)):
            if verify_passphrase(passphrase, stored):
                st.session_state["analyst"] = True
                st.rerun()
            st.error(_WORDS("wrong_passphrase", lang))
