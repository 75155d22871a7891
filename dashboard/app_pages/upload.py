"""Upload: file → detected format → mapping → validation → preview → import."""

import streamlit as st

from analysis.errors import SurveyDataError
from analysis.formatting import estimate_text, interval_text
from analysis.ingest import (
    ROLES,
    IngestOptions,
    load_profile,
    prepare_wave,
    read_survey,
    save_profile,
    suggest_mapping,
)
from analysis.ingest.profiles import PROFILES
from analysis.metrics import respondent_table
from dashboard import data
from dashboard.i18n import t
from dashboard.sidebar import actor, is_analyst

lang = st.session_state.get("lang") or "en"
st.title(t("upload", lang))
if not is_analyst():
    st.warning(t("analyst_only", lang))
    st.stop()

upload = st.file_uploader(
    "Survey export: Qualtrics or SurveyMonkey CSV/XLSX, SPSS .sav, Excel, CSV or "
    "toplines",
    type=["csv", "txt", "tsv", "xlsx", "sav"],
)
if upload is None:
    st.caption("Nothing is stored until the wave passes validation and you import it.")
    st.stop()

codebook = data.codebook()
try:
    raw = read_survey(upload.name, content=upload.getvalue())
except SurveyDataError as exc:
    st.error(str(exc))
    st.stop()
st.success(
    f"{upload.name}: {raw.format} export, {len(raw.data):,} rows, "
    f"{len(raw.columns)} columns."
)

profiles = sorted(p.stem for p in PROFILES.glob("*.yaml"))
left, right = st.columns(2)
wave_name = left.text_input("Wave name", placeholder="e.g. FR-2025-Q1")
profile = right.selectbox("Mapping", ["suggested", *profiles])
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
    st.subheader("Mapping")
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
    with st.expander("Answer codes"):
        answers = st.data_editor(
            mapping.answers_frame(),
            hide_index=True,
            width="stretch",
            disabled=["column", "answer"],
            key=f"answers_{upload.file_id}_{profile}",
        )
    mapping = mapping.with_frame(roles, answers)

with st.expander("Rows to leave out and wave details"):
    options = IngestOptions(
        keep_incomplete=st.checkbox("Keep incomplete responses"),
        exclude_speeders=st.checkbox("Leave out speeders"),
        exclude_straightliners=st.checkbox("Leave out straight-liners"),
        source=st.text_input("Source", value=upload.name),
    )

if not wave_name:
    st.info("Name the wave to validate it.")
    st.stop()

bar = st.progress(0.0, "Validating…")
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
st.subheader("Validation report")
st.text(report.to_text())
if len(report.problems):
    st.dataframe(report.to_frame(), hide_index=True, width="stretch")
if not result.ok or result.wave is None:
    st.error(f"{len(report.errors)} problem(s) block the import; nothing was stored.")
    st.stop()

if result.wave.meta.kind == "respondents":
    st.subheader("Preview of the headline metrics")
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

save_as = st.text_input("Save this mapping as (optional)", placeholder="e.g. rsa-panel")
if st.button(f"Import {wave_name}", type="primary"):
    try:
        if save_as and raw.format != "toplines":
            save_profile(mapping, save_as)
        data.store().add_wave(result.wave, actor=actor())
    except SurveyDataError as exc:
        st.error(str(exc))
        st.stop()
    st.success(f"{wave_name}: {report.rows_kept:,} rows stored.")
    st.balloons()
