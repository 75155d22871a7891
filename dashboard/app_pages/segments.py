"""Segments: metrics by one segment variable, with letters, and a heatmap."""

import streamlit as st

from analysis.i18n import Words
from analysis.names import markdown_safe
from analysis.table.letters import with_segment_letters
from dashboard import charts, data, page
from dashboard.i18n import t, variable
from dashboard.view import write_url

_WORDS = Words(
    {
        "by": ("Segment variable", "Variable de segmentation"),
        "metrics": ("Metrics", "Indicateurs"),
        "choose_metric": ("Choose at least one metric.", "Choisissez un indicateur."),
        "heatmap": ("Heatmap", "Carte de chaleur"),
    }
)

view = page.view()
lang = view.lang
st.title(f"{t('segments', lang)} · {markdown_safe(view.wave)}")
if view.info.meta.synthetic:
    st.caption("⚠ " + t("synthetic", lang))

codebook = data.codebook()
left, right = st.columns([1, 2])
by = page.url_selectbox(
    _WORDS("by", lang),
    list(data.segment_levels(view.wave)),
    "by",
    format_func=lambda v: variable(v, lang),
    key="by",
    where=left,
)
metrics = page.url_multiselect(
    _WORDS("metrics", lang),
    list(codebook.metrics),
    "metric",
    default=["churn_unprotected"],
    format_func=lambda m: codebook.metric(m).label.get(lang),
    key="metrics",
    where=right,
)
write_url(view, by=by, metric=",".join(metrics))
if not metrics:
    st.info(_WORDS("choose_metric", lang))
    st.stop()

with page.guard():
    # one table for the charts and the heatmap: the charts' rows are a subset
    everything = data.estimates([view.wave], None, [by], view.filters, view.options)
    lettered = with_segment_letters(
        everything[everything["metric"].isin(metrics)], alpha=1 - view.level
    )

for metric in metrics:
    charts.segments(view, lettered[lettered["metric"] == metric], metric, by)

st.subheader(_WORDS("heatmap", lang))
charts.heatmap(view, everything, by)
