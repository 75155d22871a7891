"""Segments: metrics by one segment variable, with letters, and a heatmap."""

import streamlit as st

from analysis.errors import SurveyDataError
from analysis.table.letters import with_segment_letters
from dashboard import charts, data
from dashboard.i18n import t
from dashboard.view import param, param_list, write_url

view = st.session_state.get("view")
if view is None:
    st.info(t("no_waves", st.session_state.get("lang") or "en"))
    st.stop()
lang = view.lang
st.title(t("segments", lang) + f" · {view.wave}")
if data.wave_info(view.wave).meta.synthetic:
    st.caption("⚠ " + t("synthetic", lang))

codebook = data.codebook()
variables = list(data.segment_levels(view.wave))
left, right = st.columns([1, 2])
wanted = param("by", variables[0])
by = left.selectbox(
    "Segment variable" if lang == "en" else "Variable de segmentation",
    variables,
    index=variables.index(wanted) if wanted in variables else 0,
    format_func=lambda v: t(v, lang),
    key="by",
)
ids = list(codebook.metrics)
chosen = [m for m in param_list("metric") if m in ids] or ["churn_unprotected"]
metrics = right.multiselect(
    "Metrics" if lang == "en" else "Indicateurs",
    ids,
    default=chosen,
    format_func=lambda m: codebook.metric(m).label.get(lang),
    key="metrics",
)
write_url(view, by=by, metric=",".join(metrics))
if not metrics:
    st.info(
        "Choose at least one metric." if lang == "en" else "Choisissez un indicateur."
    )
    st.stop()

try:
    # one table for the charts and the heatmap: the charts' rows are a subset
    everything = data.estimates([view.wave], None, [by], view.filters, view.options)
    lettered = with_segment_letters(
        everything[everything["metric"].isin(metrics)], alpha=1 - view.level
    )
except SurveyDataError as exc:
    st.error(str(exc))
    st.stop()

for metric in metrics:
    charts.segments(view, lettered[lettered["metric"] == metric], metric, by)

st.subheader("Heatmap" if lang == "en" else "Carte de chaleur")
charts.heatmap(view, everything, by)
