"""Crosstab: the banner table of every metric by one segment variable."""

import streamlit as st

from analysis.crosstab import banner_table, to_csv_bytes, to_xlsx_bytes
from analysis.errors import SurveyDataError
from analysis.formatting import percent
from analysis.significance import with_segment_letters
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
st.caption(
    f"Letters: the column is significantly above the lettered columns "
    f"(two-proportion tests on effective bases, Holm-adjusted, α = 5%). "
    f"* base under {view.thresholds[0]}; ** base under {view.thresholds[1]}: not "
    f"tested; blank: base under {view.thresholds[2]}, hidden. Intervals: "
    f"{percent(view.level, 'en')} modelled ({method}), assuming the weighted opt-in sample "
    "represents the population."
)
