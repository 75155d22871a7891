"""The admins' part of the Waves page: the audit trail and the role editor.

Both are drawn only for a role that may use them, and both ask the role again
on the server when they act: reading the trail goes through the store acting
for the person, saving a rule re-checks ``manage_roles`` before writing.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.access.people import ROLES
from analysis.access.policy import (
    Policy,
    changes,
    load_policy,
    rule_cells,
    rule_from_text,
    save_policy,
)
from analysis.i18n import Lang, Words
from analysis.names import markdown_safe
from dashboard import data, page, signin

_WORDS = Words(
    {
        "audit": ("Audit trail", "Journal d'audit"),
        "happened_at": ("When (UTC)", "Quand (UTC)"),
        "action": ("Action", "Action"),
        "wave": ("Wave", "Vague"),
        "actor": ("By", "Par"),
        "file_sha256": ("SHA-256", "SHA-256"),
        "rows": ("Rows", "Lignes"),
        "detail": ("Detail", "Détail"),
        "roles": ("Roles and access", "Rôles et accès"),
        "roles_help": (
            "The first rule that matches a signed-in person decides: e-mails come "
            "first, then groups, domains and *. Changes apply at each person's next "
            "page load.",
            "La première règle qui correspond décide : les adresses d'abord, puis "
            "les groupes, les domaines et *. Les changements s'appliquent au "
            "prochain chargement de page.",
        ),
        "who": (
            "Who: an e-mail, @domain, group:NAME or *",
            "Qui : une adresse, @domaine, group:NOM ou *",
        ),
        "role": ("Role", "Rôle"),
        "remove": ("(remove this rule)", "(retirer cette règle)"),
        "waves": ("Waves: A, B (empty: all)", "Vagues : A, B (vide : toutes)"),
        "rows_of": (
            "Rows: country=FR,DE; age_band=18-24 (empty: all)",
            "Lignes : country=FR,DE; age_band=18-24 (vide : toutes)",
        ),
        "col_who": ("Who", "Qui"),
        "col_role": ("Role", "Rôle"),
        "col_waves": ("Waves", "Vagues"),
        "col_rows": ("Rows", "Lignes"),
        "save": ("Save the rule", "Enregistrer la règle"),
        "saved": ("Saved: {changes}.", "Enregistré : {changes}."),
        "unchanged": ("Nothing changed.", "Rien n'a changé."),
        "viewer": ("viewer", "lecteur"),
        "analyst": ("analyst", "analyste"),
        "admin": ("admin", "administrateur"),
    }
)
_REMOVE = "remove"


def audit_panel(lang: Lang) -> None:
    """The whole audit trail, newest first, for those who may read it."""
    if not page.access().can("read_audit"):
        return
    with st.expander(_WORDS("audit", lang)), page.guard(stop=False):
        trail = data.audit().iloc[::-1]
        trail["rows"] = [("" if pd.isna(n) else str(int(n))) for n in trail["rows"]]
        trail = trail.fillna({"file_sha256": "", "detail": ""})  # blanks, not None
        trail.columns = [_WORDS(c, lang) for c in trail.columns]
        st.dataframe(trail, hide_index=True, width="stretch")


def roles_panel(lang: Lang) -> None:
    """The access file's rules, and a form to set or remove one (checked, audited)."""
    if not page.access().can("manage_roles"):
        return
    with st.expander(_WORDS("roles", lang)), page.guard(stop=False):
        st.caption(_WORDS("roles_help", lang))
        before = load_policy()
        rules = pd.DataFrame(
            [rule_cells(r) for r in before.rules],
            columns=["who", "role", "waves", "rows"],
        )
        rules["role"] = [_WORDS(r, lang) for r in rules["role"]]
        rules.columns = [_WORDS(f"col_{c}", lang) for c in rules.columns]
        st.dataframe(rules, hide_index=True, width="stretch")
        with st.form("set_rule", border=False):
            who = st.text_input(_WORDS("who", lang), key="rule_who")
            role = st.radio(
                _WORDS("role", lang),
                [*ROLES, _REMOVE],
                format_func=lambda r: _WORDS(r, lang),
                horizontal=True,
                key="rule_role",
            )
            waves = st.text_input(_WORDS("waves", lang), key="rule_waves")
            rows = st.text_input(_WORDS("rows_of", lang), key="rule_rows")
            if st.form_submit_button(_WORDS("save", lang)):
                _save(before, (who, str(role), waves, rows), lang)


def _save(before: Policy, cells: tuple[str, str, str, str], lang: Lang) -> None:
    """Check the role again, read the cells, write the file, journal the change."""
    acting = data.store().access
    acting.require("manage_roles")
    who, role, waves, rows = (c.strip() for c in cells)
    if role == _REMOVE:
        after = before.without(who)
    else:
        after = before.with_rule(
            rule_from_text(who, role, waves, rows, _WORDS("roles", lang))
        )
    done = changes(before, after)
    if not done:
        st.info(_WORDS("unchanged", lang))
        return
    save_policy(after)
    signin.journal().record("roles", acting.actor, "; ".join(done))
    st.success(_WORDS("saved", lang, changes=markdown_safe("; ".join(done))))
