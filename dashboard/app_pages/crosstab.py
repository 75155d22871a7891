"""Crosstab: the banner table of every metric by one segment variable."""

import streamlit as st

from analysis.errors import SurveyDataError
from analysis.formatting import percent
from analysis.table.crosstab import banner_table, to_csv_bytes, to_xlsx_bytes
from analysis.table.letters import with_segment_letters
from dashboard import data
from dashboard.i18n import t
from dashboard.view import param, write_url

view = st.session_state.get("view")
if view is None:
    st.info(t("no_waves", st.session_state.get("lang") or "en"))
    st.stop()
lang = view.lang
st.title(t("crosstab", lang))

variables = list(data.segment_levels(view.wave))
wanted = param("by", variables[0])
by = st.selectbox(
    "Columns" if lang == "en" else "Colonnes",
    variables,
    index=variables.index(wanted) if wanted in variables else 0,
    format_func=lambda v: t(v, lang),
)
write_url(view, by=by)

try:
    table = data.estimates([view.wave], None, [by], view.filters, view.options)
    banner = banner_table(with_segment_letters(table), data.codebook(), by, lang)
except SurveyDataError as exc:
    st.error(str(exc))
    st.stop()

st.dataframe(banner, width="stretch", height=min(38 * len(banner) + 40, 900))
stem = f"crosstab_{view.wave}_{by}"
left, right = st.columns(2)
left.download_button(
    "Download CSV", to_csv_bytes(banner), f"{stem}.csv", "text/csv", width="stretch"
)
right.download_button(
    "Download Excel",
    to_xlsx_bytes(banner, f"{view.wave} by {by}"),
    f"{stem}.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    width="stretch",
)
method = table["method"].iloc[0]
small, low, hidden = view.thresholds
level = percent(view.level, lang)
st.caption(
    "Letters: the column is significantly above the lettered columns "
    "(two-proportion tests on effective bases, Holm-adjusted, α = 5%). "
    f"* base under {small}; ** base under {low}: not tested; blank: base under "
    f"{hidden}, hidden. Intervals: {level} modelled ({method}), assuming the "
    "weighted opt-in sample represents the population."
    if lang == "en"
    else "Lettres : la colonne est significativement au-dessus des colonnes citées "
    "(tests de deux proportions sur bases effectives, correction de Holm, "
    "α = 5 %). "
    f"* base sous {small} ; ** base sous {low} : non testée ; vide : base sous "
    f"{hidden}, masquée. Intervalles : {level}, modélisés ({method}), en "
    "supposant que l'échantillon en ligne pondéré représente la population."
)
