"""Upload: file → proposals → the analyst's edits → validation → preview → import.

Reading, detecting and validating run in the sandboxed worker
(:func:`~analysis.ingest.prepared.prepare_untrusted`); the session keeps the
last answer, so a rerun that changes none of its inputs does not run it again.
"""

import dataclasses
import hashlib

import pandas as pd
import streamlit as st

from analysis.errors import SurveyDataError
from analysis.formatting import estimate_text, interval_text, number
from analysis.i18n import Words
from analysis.ingest.column_roles import Overrides
from analysis.ingest.prepared import Prepared, prepare_untrusted
from analysis.ingest.profiles import save_profile
from analysis.ingest.proposals import edited_overrides
from analysis.names import check_name, markdown_safe
from analysis.table.library import library_rows
from dashboard import data, page
from dashboard.disclosure_form import sample_type_input
from dashboard.i18n import t
from dashboard.mapping_editor import edit_proposals, ingest_options, pick_profile
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
        "reading": (
            "Reading and checking the file…",
            "Lecture et vérification du fichier…",
        ),
        "choices": (
            "{count} choice(s) of yours apply to this file.",
            "{count} choix de votre part s'appliquent à ce fichier.",
        ),
        "reset": ("Back to the proposals", "Revenir aux propositions"),
        "wave_name": ("Wave name", "Nom de la vague"),
        "name_it": (
            "Name the wave to validate it.",
            "Nommez la vague pour la valider.",
        ),
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

_CHOICES = "upload_choices_{file}"  # the analyst's applied edits, per file
_LAST = "upload_prepared"  # the worker's last answer and what it was asked


def prepared_file(upload, wave_name, options, overrides, profile) -> Prepared:
    """The worker's answer, asked again only when one of its inputs changed."""
    asked = repr((upload.file_id, wave_name, options, overrides, profile))
    last = st.session_state.get(_LAST)
    if last is not None and last[0] == asked:
        return last[1]
    answer = prepare_untrusted(
        upload.name,
        data.codebook(),
        wave_name=wave_name,
        options=options,
        overrides=overrides,
        profile=profile,
        content=upload.getvalue(),
    )
    st.session_state[_LAST] = (asked, answer)
    return answer


def valid_name(text: str) -> str | None:
    """The wave name, or None (with its message) when the rule refuses it."""
    if not text:
        return None
    try:
        return check_name(text, "wave")
    except SurveyDataError as exc:
        st.error(markdown_safe(str(exc)))
        return None


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
left, right = st.columns(2)
wave_name = valid_name(
    left.text_input(_WORDS("wave_name", lang), placeholder="FR-2025-Q1")
)
sample_type = sample_type_input(lang, key="sample_type", where=left)
profile = pick_profile(lang, picker=right)
options = ingest_options(upload.name, lang)
chosen_key = _CHOICES.format(file=upload.file_id)
chosen = st.session_state.get(chosen_key, Overrides())
try:
    with st.spinner(_WORDS("reading", lang)):
        prepared = prepared_file(upload, wave_name, options, chosen, profile)
except SurveyDataError as exc:
    st.error(markdown_safe(str(exc)))
    if chosen != Overrides() and st.button(_WORDS("reset", lang)):
        st.session_state.pop(chosen_key)
        st.rerun()
    st.stop()
summary = prepared.file
st.success(
    _WORDS(
        "read",
        lang,
        file=markdown_safe(upload.name),
        format=summary.format,
        rows=number(summary.rows, lang),
        columns=len(summary.columns),
    )
)

if summary.format != "toplines":
    count = sum(map(len, (chosen.roles, chosen.types, chosen.links)))
    count += len(chosen.segment_names)
    if count:
        st.info(_WORDS("choices", lang, count=count))
    editor_key = hashlib.sha256(repr((upload.file_id, chosen)).encode()).hexdigest()
    edited = edit_proposals(prepared.proposals, codebook, editor_key[:16], lang)
    if edited is not None:
        with page.guard():
            st.session_state[chosen_key] = (
                edited_overrides(prepared.proposals, edited, chosen)
                if len(edited)
                else Overrides()
            )
        st.rerun()

if wave_name is None or prepared.result is None:
    st.info(_WORDS("name_it", lang))
    st.stop()

result = prepared.result
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
        if save_as and prepared.profile is not None:
            save_profile(dataclasses.replace(prepared.profile, name=save_as), save_as)
        meta = dataclasses.replace(result.wave.meta, sample_type=sample_type)
        data.store().add_wave(
            dataclasses.replace(result.wave, meta=meta), actor=actor()
        )
    rows = number(report.rows_kept, lang)
    st.success(_WORDS("stored", lang, wave=markdown_safe(wave_name), rows=rows))
    st.balloons()
