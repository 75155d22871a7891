"""Upload: file → detected format → mapping → validation → preview → import."""

import streamlit as st

from analysis.errors import SurveyDataError
from analysis.formatting import estimate_text, interval_text, number
from analysis.ingest.mapping import ROLES, suggest_mapping
from analysis.ingest.model import IngestOptions
from analysis.ingest.prepare import prepare_wave
from analysis.ingest.profiles import load_profile, profile_names, save_profile
from analysis.ingest.sandbox import read_untrusted
from analysis.table.estimate import respondent_table
from dashboard import data
from dashboard.i18n import pick, t
from dashboard.sidebar import actor, is_analyst

lang = st.session_state.get("lang") or "en"
st.title(t("upload", lang))
if not is_analyst():
    st.warning(t("analyst_only", lang))
    st.stop()

upload = st.file_uploader(
    pick(
        "Survey export: Qualtrics or SurveyMonkey CSV/XLSX, SPSS .sav, Excel, CSV or "
        "toplines",
        "Export d'enquête : Qualtrics ou SurveyMonkey CSV/XLSX, SPSS .sav, Excel, CSV "
        "ou résultats agrégés",
        lang,
    ),
    type=["csv", "txt", "tsv", "xlsx", "sav"],
)
if upload is None:
    st.caption(
        pick(
            "Nothing is stored until the wave passes validation and you import it.",
            "Rien n'est enregistré avant que la vague soit validée et importée.",
            lang,
        )
    )
    st.stop()

codebook = data.codebook()
try:
    with st.spinner(pick("Reading the file…", "Lecture du fichier…", lang)):
        raw = read_untrusted(upload.name, content=upload.getvalue())
except SurveyDataError as exc:
    st.error(str(exc))
    st.stop()
rows, columns = number(len(raw.data), lang), len(raw.columns)
st.success(
    pick(
        f"{upload.name}: {raw.format} export, {rows} rows, {columns} columns.",
        f"{upload.name} : export {raw.format}, {rows} lignes, {columns} colonnes.",
        lang,
    )
)

profiles = profile_names()
left, right = st.columns(2)
wave_name = left.text_input(
    pick("Wave name", "Nom de la vague", lang), placeholder="FR-2025-Q1"
)
profile = right.selectbox(
    pick("Mapping", "Correspondance", lang),
    ["suggested", *profiles],
    format_func=lambda p: (
        pick("suggested", "suggérée", lang) if p == "suggested" else p
    ),
)
try:
    mapping = (
        suggest_mapping(raw, codebook)
        if profile == "suggested"
        else load_profile(profile)
    )
except SurveyDataError as exc:
    st.error(str(exc))
    st.stop()

if raw.format != "toplines":
    st.subheader(pick("Mapping", "Correspondance des colonnes", lang))
    targets = ["", *codebook.questions, "country", "age_band", "gender"]
    roles = st.data_editor(
        mapping.to_frame(),
        hide_index=True,
        width="stretch",
        disabled=["column", "note"],
        column_config={
            "role": st.column_config.SelectboxColumn(
                "role", options=ROLES, required=True
            ),
            "target": st.column_config.SelectboxColumn("target", options=targets),
        },
        key=f"roles_{upload.file_id}_{profile}",
    )
    with st.expander(pick("Answer codes", "Codes des réponses", lang)):
        answers = st.data_editor(
            mapping.answers_frame(),
            hide_index=True,
            width="stretch",
            disabled=["column", "answer"],
            key=f"answers_{upload.file_id}_{profile}",
        )
    mapping = mapping.with_frame(roles, answers)

with st.expander(
    pick("Rows to leave out and wave details", "Lignes à écarter et détails", lang)
):
    options = IngestOptions(
        keep_incomplete=st.checkbox(
            pick("Keep incomplete responses", "Garder les réponses incomplètes", lang)
        ),
        exclude_speeders=st.checkbox(
            pick("Leave out speeders", "Écarter les répondants trop rapides", lang)
        ),
        exclude_straightliners=st.checkbox(
            pick(
                "Leave out straight-liners",
                "Écarter les réponses en ligne droite",
                lang,
            )
        ),
        source=st.text_input("Source", value=upload.name),
    )

if not wave_name:
    st.info(
        pick("Name the wave to validate it.", "Nommez la vague pour la valider.", lang)
    )
    st.stop()

bar = st.progress(0.0, pick("Validating…", "Validation…", lang))
try:
    result = prepare_wave(
        raw,
        mapping,
        codebook,
        wave_name,
        options,
        progress=lambda share, step: bar.progress(min(share, 1.0), step),
    )
except SurveyDataError as exc:
    st.error(str(exc))
    st.stop()
bar.empty()

report = result.report
st.subheader(pick("Validation report", "Rapport de validation", lang))
st.text(report.to_text())
if len(report.problems):
    st.dataframe(report.to_frame(), hide_index=True, width="stretch")
if not result.ok or result.wave is None:
    st.error(
        pick(
            f"{len(report.errors)} problem(s) block the import; nothing was stored.",
            f"{len(report.errors)} problème(s) bloquent l'import ; rien n'est "
            "enregistré.",
            lang,
        )
    )
    st.stop()

if result.wave.meta.kind == "respondents":
    st.subheader(
        pick("Preview of the headline metrics", "Aperçu des indicateurs", lang)
    )
    present = [
        m
        for m in codebook.metrics.values()
        if set(m.questions) <= set(result.wave.data)
    ]
    preview = respondent_table(result.wave.data, present, wave=wave_name)
    preview = preview[preview["segment_var"] == "total"]
    st.dataframe(
        {
            "metric": [codebook.metric(m).label.get(lang) for m in preview["metric"]],
            "estimate": [
                estimate_text(v, s, lang)
                for v, s in zip(preview["estimate"], preview["scale"], strict=True)
            ],
            "interval": [
                interval_text(lo, hi, s, lang)
                for lo, hi, s in zip(
                    preview["ci_low"], preview["ci_high"], preview["scale"], strict=True
                )
            ],
            "base": preview["n"].tolist(),
        },
        hide_index=True,
        width="stretch",
    )

save_as = st.text_input(
    pick(
        "Save this mapping as (optional)", "Enregistrer cette correspondance sous", lang
    ),
    placeholder="rsa-panel",
)
if st.button(f"{pick('Import', 'Importer', lang)} {wave_name}", type="primary"):
    try:
        if save_as and raw.format != "toplines":
            save_profile(mapping, save_as)
        data.store().add_wave(result.wave, actor=actor())
    except SurveyDataError as exc:
        st.error(str(exc))
        st.stop()
    stored = number(report.rows_kept, lang)
    st.success(
        f"{wave_name}: {stored} " + pick("rows stored.", "lignes enregistrées.", lang)
    )
    st.balloons()
