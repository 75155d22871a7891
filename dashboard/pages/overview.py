"""Overview: the headline estimate of every metric in the chosen wave."""

import streamlit as st

from analysis.errors import SurveyDataError
from dashboard import data

st.title("Consumer trust at a glance")
respondent_waves = [w for w in data.waves() if w.meta.kind == "respondents"]
if not respondent_waves:
    st.info("No respondent waves yet. Run `python -m analysis demo` to load the demo.")
    st.stop()

names = [w.name for w in respondent_waves]
wave_name = st.selectbox("Wave", names, index=len(names) - 1)
info = next(w for w in respondent_waves if w.name == wave_name)
if info.meta.synthetic:
    st.warning(
        "Synthetic demo data: no real respondent is behind these numbers. "
        "They are calibrated to the published RSA 2019 and Segment 2017 figures."
    )

try:
    table = data.estimates([wave_name])
except SurveyDataError as exc:
    st.error(str(exc))
    st.stop()

codebook = data.codebook()
totals = table[table["segment_var"] == "total"].set_index("metric")
for family in ("trust", "churn", "personalisation", "privacy", "security"):
    metrics = [m for m in codebook.by_family(family) if m.id in totals.index]
    if not metrics:
        continue
    st.subheader(family.capitalize())
    columns = st.columns(3)
    for i, metric in enumerate(metrics):
        row = totals.loc[metric.id]
        if row["scale"] == "index":
            value = f"{row['estimate']:.0f}/100"
            interval = f"{row['ci_low']:.0f}–{row['ci_high']:.0f}"
        else:
            value = f"{row['estimate']:.0%}"
            interval = f"{row['ci_low']:.0%}–{row['ci_high']:.0%}"
        with columns[i % 3].container(border=True):
            st.metric(metric.label.en, value)
            st.caption(f"95% interval {interval} · base n = {row['n']:,}")
st.caption(
    f"Intervals: {totals['method'].iloc[0]} (modelled for an opt-in panel: weighted, "
    "on the Kish effective base). Source: " + info.meta.source
)
