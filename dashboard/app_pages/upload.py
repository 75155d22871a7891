"""Upload: file → detected format → mapping → validation → preview → import."""

import dataclasses

import pandas as pd
import streamlit as st

from analysis.errors import SurveyDataError
from analysis.formatting import estimate_text, interval_text, number
from analysis.i18n import Words
from analysis.ingest.column_roles import Overrides
from analysis.ingest.from_file import prepare_file_wave
from analysis.ingest.profile_overrides import profile_overrides
from analysis.ingest.profiles import save_profile
from analysis.ingest.questionnaire import detect_questionnaire
from analysis.ingest.sandbox import read_untrusted
from analysis.names import markdown_safe
from analysis.table.library import library_rows
from dashboard import data, page
from dashboard.disclosure_form import sample_type_input
from dashboard.i18n import t
from dashboard.mapping_editor import edit_mapping, ingest_options
from dashboard.sidebar import actor

_WORDS = Words(
    {
        "file": (
            "Survey export: Qualtrics or SurveyMonkey CSV/XLSX, SPSS .sav, Excel, "
            "CSV or toplines",
            "Export d'enquête : Qualtrics ou SurveyMonkey CSV/XLSX, SPSS .sav, Excel, "
            "CSV ou résultats agrégés",
        ),
        "nothing_yet": (
            "Nothing is stored until the wave passes validation and you import it.",
            "Rien n'est enregistré avant que la vague soit validée et importée.",
        ),
        "read": (
            "{file}: {format} export, {rows} rows, {columns} columns.",
            "{file} : export {format}, {rows} lignes, {columns} colonnes.",
        ),
        "reading": ("Reading the file…", "Lecture du fichier…"),
        "wave_name": ("Wave name", "Nom de la vague"),
        "name_it": (
            "Name the wave to validate it.",
            "Nommez la vague pour la valider.",
        ),
        "validating": ("Validating…", "Validation…"),
        "report": ("Validation report", "Rapport de validation"),
        "blocked": (
            "{count} problem(s) block the import; nothing was stored.",
            "{count} problème(s) bloquent l'import ; rien n'est enregistré.",
        ),
        "preview": ("Preview of the headline metrics", "Aperçu des indicateurs"),
        "metric": ("Metric", "Indicateur"),
        "estimate": ("Estimate", "Estimation"),
        "interval": ("Interval", "Intervalle"),
        "base": ("Base", "Base"),
        "save_as": (
            "Save this mapping as (optional)",
            "Enregistrer cette correspondance sous (facultatif)",
        ),
        "import": ("Import {wave}", "Importer {wave}"),
        "stored": (
            "{wave}: {rows} rows stored.",
            "{wave} : {rows} lignes enregistrées.",
        ),
    }
)

lang = page.lang()
st.title(t("upload", lang))
page.require("upload")

upload = st.file_uploader(
    _WORDS("file", lang), type=["csv", "txt", "tsv", "xlsx", "sav"]
)
if upload is None:
    st.caption(_WORDS("nothing_yet", lang))
    st.stop()

codebook = data.codebook()
with page.guard(), st.spinner(_WORDS("reading", lang)):
    raw = read_untrusted(upload.name, content=upload.getvalue())
st.success(
    _WORDS(
        "read",
        lang,
        file=markdown_safe(upload.name),
        format=raw.format,
        rows=number(len(raw.data), lang),
        columns=len(raw.columns),
    )
)

left, right = st.columns(2)
wave_name = left.text_input(_WORDS("wave_name", lang), placeholder="FR-2025-Q1")
sample_type = sample_type_input(lang, key="sample_type", where=left)
mapping = edit_mapping(raw, codebook, upload.file_id, lang, picker=right)

options = ingest_options(upload.name, lang)
if not wave_name:
    st.info(_WORDS("name_it", lang))
    st.stop()

bar = st.progress(0.0, _WORDS("validating", lang))
with page.guard():
    overrides = None
    if raw.format != "toplines":
        first = detect_questionnaire(raw, codebook)
        asked = {p.header: p.question for p in first.proposals if p.question}
        overrides = profile_overrides(mapping, raw.columns, asked, Overrides())
    result = prepare_file_wave(
        raw,
        codebook,
        wave_name,
        options,
        overrides=overrides,
        progress=lambda share, step: bar.progress(min(share, 1.0), step),
    )
bar.empty()

report = result.report
st.subheader(_WORDS("report", lang))
st.text(report.to_text())
if len(report.problems):
    st.dataframe(report.to_frame(), hide_index=True, width="stretch")
if not result.ok or result.wave is None:
    st.error(_WORDS("blocked", lang, count=len(report.errors)))
    st.stop()

questionnaire = result.wave.questionnaire
try:
    preview = (
        library_rows(result.wave.data, questionnaire, wave=wave_name)
        if questionnaire is not None
        else None
    )
except SurveyDataError:  # no library metric links: nothing to preview
    preview = None
if preview is not None:
    st.subheader(_WORDS("preview", lang))
    preview = preview[preview["segment_var"] == "total"].to_dict("records")
    shown = [
        (
            codebook.metric(r["metric"]).label.get(lang),
            estimate_text(r["estimate"], r["scale"], lang),
            interval_text(r["ci_low"], r["ci_high"], r["scale"], lang),
            number(r["n"], lang),
        )
        for r in preview
    ]
    columns = [_WORDS(c, lang) for c in ("metric", "estimate", "interval", "base")]
    st.dataframe(pd.DataFrame(shown, columns=columns), hide_index=True, width="stretch")

save_as = st.text_input(_WORDS("save_as", lang), placeholder="rsa-panel")
if st.button(_WORDS("import", lang, wave=markdown_safe(wave_name)), type="primary"):
    with page.guard():
        if save_as and raw.format != "toplines":
            save_profile(mapping, save_as)
        meta = dataclasses.replace(result.wave.meta, sample_type=sample_type)
        data.store().add_wave(
            dataclasses.replace(result.wave, meta=meta), actor=actor()
        )
    rows = number(report.rows_kept, lang)
    st.success(_WORDS("stored", lang, wave=markdown_safe(wave_name), rows=rows))
    st.balloons()
