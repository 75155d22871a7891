"""Waves: every stored wave with its metadata and import report; delete and restore."""

import pandas as pd
import streamlit as st

from analysis.errors import SurveyDataError
from dashboard import data
from dashboard.i18n import pick, t
from dashboard.sidebar import actor, is_analyst

view = st.session_state.get("view")
lang = view.lang if view else (st.session_state.get("lang") or "en")
st.title(t("waves", lang))

infos = data.waves(include_deleted=True)
if not infos:
    st.info(t("no_waves", lang))
    st.stop()

table = pd.DataFrame(
    {
        "wave": [w.name for w in infos],
        "kind": [w.meta.kind for w in infos],
        "rows": [w.row_count for w in infos],
        "countries": [", ".join(w.meta.countries) for w in infos],
        "fieldwork": [
            f"{w.meta.fieldwork_start} – {w.meta.fieldwork_end}"
            if w.meta.fieldwork_start
            else ""
            for w in infos
        ],
        "imported": [w.imported_at.strftime("%Y-%m-%d %H:%M") for w in infos],
        "status": [
            pick("deleted", "supprimée", lang)
            if w.deleted_at
            else pick("synthetic", "synthétique", lang)
            if w.meta.synthetic
            else pick("live", "active", lang)
            for w in infos
        ],
        "source": [w.meta.source for w in infos],
    }
)
if lang == "fr":
    table = table.rename(
        columns={
            "wave": "vague",
            "kind": "type",
            "rows": "lignes",
            "countries": "pays",
            "fieldwork": "terrain",
            "imported": "importée",
            "status": "statut",
        }
    )
st.dataframe(table, hide_index=True, width="stretch")

for info in infos:
    label = f"{info.name} · {info.meta.file_name}"
    deleted = pick(" (deleted)", " (supprimée)", lang) if info.deleted_at else ""
    with st.expander(label + deleted):
        st.caption(f"SHA-256 {info.meta.file_sha256}")
        report = info.meta.report
        if report:
            st.json(dict(report), expanded=False)
        if not is_analyst():
            st.caption(t("analyst_only", lang))
            continue
        try:
            if info.deleted_at is None:
                delete = pick("Delete", "Supprimer", lang)
                if st.button(f"{delete} {info.name}", key=f"delete_{info.name}"):
                    data.store().delete_wave(info.name, actor=actor())
                    st.rerun()
            elif st.button(
                f"{pick('Restore', 'Restaurer', lang)} {info.name}",
                key=f"restore_{info.name}",
            ):
                data.store().restore_wave(info.name, actor=actor())
                st.rerun()
        except SurveyDataError as exc:
            st.error(str(exc))

with st.expander(pick("Audit trail", "Journal d'audit", lang)):
    st.dataframe(data.store().audit(), hide_index=True, width="stretch")
