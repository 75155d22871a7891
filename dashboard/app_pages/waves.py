"""Waves: every stored wave with its metadata and import report; delete and restore."""

import pandas as pd
import streamlit as st

from analysis.i18n import Words
from analysis.names import markdown_safe
from analysis.slides.disclosure import sample_type_label
from analysis.store.origin import source_text
from analysis.store.weightings import weighting_report
from dashboard import admin, data, page
from dashboard.disclosure_form import describe_form
from dashboard.erasure_panel import erasure_panel
from dashboard.i18n import t

_WORDS = Words(
    {
        # the table's columns
        "wave": ("Wave", "Vague"),
        "weightings": (
            "Weightings made of this wave, with their diagnostics",
            "Pondérations faites de cette vague, avec leurs diagnostics",
        ),
        "kind": ("Kind", "Type"),
        "rows": ("Rows", "Lignes"),
        "countries": ("Countries", "Pays"),
        "fieldwork": ("Fieldwork", "Terrain"),
        "imported": ("Imported", "Importée"),
        "status": ("Status", "Statut"),
        "source": ("Source", "Source"),
        "sample_type": ("Sample", "Échantillon"),
        # kinds and statuses
        "respondents": ("respondents", "répondants"),
        "toplines": ("toplines", "résultats agrégés"),
        "deleted": ("deleted", "supprimée"),
        "synthetic": ("synthetic", "synthétique"),
        "live": ("live", "active"),
        # actions
        "delete": ("Delete {wave}", "Supprimer {wave}"),
        "restore": ("Restore {wave}", "Restaurer {wave}"),
    }
)

lang = page.lang()
st.title(t("waves", lang))

infos = data.waves(include_deleted=True)
if not infos:
    st.info(t("no_waves", lang))
    st.stop()


def _status(deleted: bool, synthetic: bool) -> str:
    key = "deleted" if deleted else "synthetic" if synthetic else "live"
    return _WORDS(key, lang)


table = pd.DataFrame(
    {
        "wave": [w.name for w in infos],
        "kind": [_WORDS(w.meta.kind, lang) for w in infos],
        "rows": [w.row_count for w in infos],
        "countries": [", ".join(w.meta.countries) for w in infos],
        "fieldwork": [
            f"{w.meta.fieldwork_start} – {w.meta.fieldwork_end}"
            if w.meta.fieldwork_start
            else ""
            for w in infos
        ],
        "imported": [w.imported_at.strftime("%Y-%m-%d %H:%M") for w in infos],
        "status": [_status(bool(w.deleted_at), w.meta.synthetic) for w in infos],
        "source": [source_text(w.meta, lang) for w in infos],
        "sample_type": [sample_type_label(w.meta.sample_type, lang) for w in infos],
    }
)
table.columns = [_WORDS(c, lang) for c in table.columns]
st.dataframe(table, hide_index=True, width="stretch")

for info in infos:
    label = markdown_safe(f"{info.name} · {info.meta.file_name}")
    if info.deleted_at:
        label += f" ({_WORDS('deleted', lang)})"
    with st.expander(label), page.guard(stop=False):
        st.caption(f"SHA-256 {info.meta.file_sha256}")
        if info.meta.report:
            st.json(dict(info.meta.report), expanded=False)
        stored = data.weightings(info.name) if info.meta.kind == "respondents" else []
        weighted = [w for w in stored if not w.is_file]
        if weighted:  # each weighting's diagnostics beside the import report
            st.caption(_WORDS("weightings", lang))
            st.json([weighting_report(w) for w in weighted], expanded=False)
        if not page.access().can("delete"):
            st.caption(t("analyst_only", lang))
            continue
        describe_form(info, lang)
        if info.deleted_at is None:
            if st.button(
                _WORDS("delete", lang, wave=markdown_safe(info.name)),
                key=f"delete_{info.name}",
            ):
                data.store().delete_wave(info.name)  # the store checks the role
                st.rerun()
        elif st.button(
            _WORDS("restore", lang, wave=markdown_safe(info.name)),
            key=f"restore_{info.name}",
        ):
            data.store().restore_wave(info.name)
            st.rerun()

erasure_panel(infos, lang)
admin.audit_panel(lang)
admin.roles_panel(lang)
