"""The admins' part of the Waves page: the audit trail and the role editor.

Both are drawn only for a role that may use them, and both ask the role again
on the server when they act: reading the trail goes through the store acting
for the person, saving roles re-checks ``manage_roles`` before writing.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.access.journal import audit_trail
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
from dashboard import data, page, signin

_WORDS = Words(
    {
        "audit": ("Audit trail", "Journal d'audit"),
        "id": ("#", "#"),
        "happened_at": ("When (UTC)", "Quand (UTC)"),
        "action": ("Action", "Action"),
        "wave": ("Wave", "Vague"),
        "actor": ("By", "Par"),
        "file_sha256": ("SHA-256", "SHA-256"),
        "rows": ("Rows", "Lignes"),
        "detail": ("Detail", "Détail"),
        "roles": ("Roles and access", "Rôles et accès"),
        "roles_help": (
            "The first rule that matches a signed-in person decides. Who: an "
            "e-mail, @domain, group:NAME or *. Waves: A, B (empty: all). Rows: "
            "country=FR,DE; age_band=18-24 (empty: all). Changes apply at each "
            "person's next page load.",
            "La première règle qui correspond décide. Qui : une adresse, @domaine, "
            "group:NOM ou *. Vagues : A, B (vide : toutes). Lignes : "
            "country=FR,DE; age_band=18-24 (vide : toutes). Les changements "
            "s'appliquent au prochain chargement de page.",
        ),
        "who": ("Who", "Qui"),
        "role": ("Role", "Rôle"),
        "waves": ("Waves", "Vagues"),
        "save": ("Save roles", "Enregistrer les rôles"),
        "saved": ("Saved: {changes}.", "Enregistré : {changes}."),
        "unchanged": ("Nothing changed.", "Rien n'a changé."),
    }
)
_CELLS = ("who", "role", "waves", "rows")


def audit_panel(lang: Lang) -> None:
    """The whole audit trail, newest first, for those who may read it."""
    if not page.access().can("read_audit"):
        return
    with st.expander(_WORDS("audit", lang)), page.guard(stop=False):
        trail = audit_trail(data.store()).iloc[::-1]
        trail.columns = [_WORDS(c, lang) for c in trail.columns]
        st.dataframe(trail, hide_index=True, width="stretch")


def roles_panel(lang: Lang) -> None:
    """Edit the access file's rules in a table; saving is checked and audited."""
    if not page.access().can("manage_roles"):
        return
    with st.expander(_WORDS("roles", lang)), page.guard(stop=False):
        st.caption(_WORDS("roles_help", lang))
        before = load_policy()
        table = pd.DataFrame(
            [rule_cells(r) for r in before.rules], columns=list(_CELLS)
        )
        edited = st.data_editor(
            table,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key="roles_editor",
            column_config={
                "who": st.column_config.TextColumn(_WORDS("who", lang), required=True),
                "role": st.column_config.SelectboxColumn(
                    _WORDS("role", lang), options=list(ROLES), required=True
                ),
                "waves": st.column_config.TextColumn(_WORDS("waves", lang)),
                "rows": st.column_config.TextColumn(_WORDS("rows", lang)),
            },
        )
        if st.button(_WORDS("save", lang), key="save_roles"):
            _save(before, edited, lang)


def _save(before: Policy, edited: pd.DataFrame, lang: Lang) -> None:
    """Check the role again, read the cells, write the file, journal the change."""
    who = data.store().access
    who.require("manage_roles")
    rules = [
        rule_from_text(
            *(str(row.get(c) or "") for c in _CELLS),
            where=f"{_WORDS('roles', lang)}, rule {i}",
        )
        for i, row in enumerate(edited.to_dict("records"), 1)
        if str(row.get("who") or "").strip()
    ]
    after = before.with_rules(rules)
    done = changes(before, after)
    if not done:
        st.info(_WORDS("unchanged", lang))
        return
    save_policy(after)
    signin.journal().record("roles", who.actor, "; ".join(done))
    st.success(_WORDS("saved", lang, changes="; ".join(done)))
