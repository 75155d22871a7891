"""Trends: a metric across waves with its interval ribbon; real changes marked."""

import streamlit as st

from analysis.errors import SurveyDataError
from analysis.table.trends import trend_table
from dashboard import charts, data
from dashboard.i18n import t
from dashboard.view import param, param_list, write_url

view = st.session_state.get("view")
if view is None:
    st.info(t("no_waves", st.session_state.get("lang") or "en"))
    st.stop()
lang = view.lang
st.title(t("trends", lang))

codebook = data.codebook()
names = [w.name for w in data.waves() if w.meta.kind == "respondents"]
ids = list(codebook.metrics)
left, middle, right = st.columns([2, 2, 1])
wanted = param("metric", "expect_personalisation")
metric = left.selectbox(
    "Metric" if lang == "en" else "Indicateur",
    ids,
    index=ids.index(wanted) if wanted in ids else 0,
    format_func=lambda m: codebook.metric(m).label.get(lang),
    key="trend_metric",
)
waves = middle.multiselect(
    t("waves", lang),
    names,
    default=[w for w in param_list("waves") if w in names] or names,
    key="trend_waves",
)
variables = ["total", *data.segment_levels(view.wave)]
by_wanted = param("by", "total")
by = right.selectbox(
    "By" if lang == "en" else "Par",
    variables,
    index=variables.index(by_wanted) if by_wanted in variables else 0,
    format_func=lambda v: t(v, lang),
    key="trend_by",
)
write_url(view, metric=metric, waves=",".join(waves), by=by)
waves = [w for w in names if w in waves]  # time order, as stored
if len(waves) < 2:
    st.info(
        "Choose two waves or more."
        if lang == "en"
        else "Choisissez au moins deux vagues."
    )
    st.stop()

segments = [] if by == "total" else [by]
try:
    table = data.estimates(waves, [metric], segments, view.filters, view.options)
    changes = trend_table(table, waves, level=view.level)
except SurveyDataError as exc:
    st.error(str(exc))
    st.stop()
rows = table if by == "total" else table[table["segment_var"] == by]
charts.trend(view, rows, changes, metric, waves)

with st.expander(
    "Changes between waves" if lang == "en" else "Évolutions entre vagues"
):
    st.dataframe(
        changes[
            [
                "segment_value",
                "wave_from",
                "wave_to",
                "diff",
                "diff_low",
                "diff_high",
                "p_value",
                "p_adjusted",
                "significant",
                "method",
            ]
        ],
        hide_index=True,
        width="stretch",
    )
