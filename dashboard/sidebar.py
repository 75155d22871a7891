"""The sidebar, drawn on every page: wave, filters, method, bases, language, role."""

from __future__ import annotations

import streamlit as st

from analysis.auth import configured_hash, verify_passphrase
from analysis.i18n import Lang
from analysis.methods import INTERVAL_METHODS
from dashboard import data
from dashboard.i18n import t
from dashboard.view import (
    LEVELS,
    View,
    level_from_url,
    method_from_url,
    param,
    param_list,
    thresholds_from_url,
)

_METHOD_NAMES = {
    "wilson": "Wilson",
    "clopper-pearson": "Clopper–Pearson",
    "jeffreys": "Jeffreys",
    "agresti-coull": "Agresti–Coull",
    "logit": "Logit (design-based)",
    "mean": "Mean ± t·SE (design-based)",
    "beta": "Beta / Korn–Graubard",
}


def draw() -> View | None:
    """Draw the sidebar; None when there is no respondent wave to look at."""
    with st.sidebar:
        lang: Lang = (
            st.segmented_control(
                "Language / Langue",
                ["en", "fr"],
                default="fr" if param("lang", "en") == "fr" else "en",
                format_func=lambda code: {"en": "English", "fr": "Français"}[code],
                key="lang",
            )
            or "en"
        )
        waves = [w for w in data.waves() if w.meta.kind == "respondents"]
        if not waves:
            _role(lang)
            return None
        names = [w.name for w in waves]
        wanted = param("wave", names[-1])
        wave = st.selectbox(
            t("wave", lang),
            names,
            index=names.index(wanted) if wanted in names else len(names) - 1,
            key="wave",
        )
        filters = _filters(wave, lang)
        with st.expander(t("method", lang)):
            method = st.selectbox(
                t("method", lang),
                INTERVAL_METHODS,
                index=INTERVAL_METHODS.index(method_from_url()),
                format_func=_METHOD_NAMES.__getitem__,
                key="ci",
            )
            level = st.select_slider(
                t("level", lang),
                LEVELS,
                value=level_from_url(),
                format_func=lambda v: f"{v:.0%}",
                key="level",
            )
            weighted = st.toggle(
                t("weighted", lang), value=param("weighted", "1") != "0", key="weighted"
            )
        thresholds = _thresholds(lang)
        _role(lang)
    return View(
        wave=wave,
        filters=filters,
        method=method,
        level=level,
        weighted=weighted,
        thresholds=thresholds,
        lang=lang,
    )


def _filters(wave: str, lang: Lang) -> dict[str, tuple[str, ...]]:
    levels = data.segment_levels(wave)
    chosen: dict[str, tuple[str, ...]] = {}
    with st.expander(t("filters", lang)):
        for var, values in levels.items():
            default = [v for v in param_list(f"f_{var}") if v in values]
            picked = st.multiselect(
                t(var, lang),
                values,
                default=default,
                placeholder=t("all", lang),
                key=f"filter_{wave}_{var}",
            )
            if picked:
                chosen[var] = tuple(picked)
    return chosen


def _thresholds(lang: Lang) -> tuple[int, int, int]:
    small, low, hidden = thresholds_from_url()
    with st.expander(t("bases", lang)):
        small = int(
            st.number_input(t("small_base", lang), 0, 10_000, small, key="small")
        )
        low = int(
            st.number_input(t("low_base", lang), 0, 10_000, min(low, small), key="low")
        )
        hidden = int(
            st.number_input(
                t("suppressed", lang), 0, 10_000, min(hidden, low), key="hide"
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
            t("open_local", lang) if _local_only() else t("set_passphrase", lang)
        )
        return
    if st.session_state.get("analyst"):
        st.caption(t("logged_in", lang))
        if st.button(t("log_out", lang)):
            st.session_state["analyst"] = False
            st.rerun()
        return
    with st.form("login", border=False):
        passphrase = st.text_input(t("passphrase", lang), type="password")
        if st.form_submit_button(t("log_in", lang)):
            if verify_passphrase(passphrase, stored):
                st.session_state["analyst"] = True
                st.rerun()
            st.error(t("wrong_passphrase", lang))
