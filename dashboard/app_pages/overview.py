"""Overview: KPI cards per metric family, and the article's central tension."""

import streamlit as st

from analysis.errors import SurveyDataError
from analysis.formatting import estimate_text, interval_text, number, percent, points
from analysis.table.trends import trend_table
from dashboard import charts, data
from dashboard.i18n import t
from dashboard.view import write_url

view = st.session_state.get("view")
if view is None:
    st.title("Confiance")
    st.info(t("no_waves", st.session_state.get("lang") or "en"))
    st.stop()
lang = view.lang
write_url(view)
st.title(t("overview", lang) + f" · {view.wave}")
info = data.wave_info(view.wave)
if info.meta.synthetic:
    st.warning(t("synthetic", lang))

respondent_waves = [w.name for w in data.waves() if w.meta.kind == "respondents"]
position = respondent_waves.index(view.wave)
previous = respondent_waves[position - 1] if position > 0 else None
compared = [previous, view.wave] if previous else [view.wave]
try:
    table = data.estimates(compared, None, (), view.filters, view.options)
    changes = trend_table(table, compared, level=view.level) if previous else None
except SurveyDataError as exc:
    st.error(str(exc))
    st.stop()

current = table[(table["wave"] == view.wave) & (table["segment_var"] == "total")]
totals = current.set_index("metric")
if changes is not None:
    changes = changes[changes["segment_var"] == "total"].set_index("metric")

codebook = data.codebook()
for family in ("trust", "churn", "personalisation", "privacy", "security"):
    metrics = [m for m in codebook.by_family(family) if m.id in totals.index]
    if not metrics:
        continue
    st.subheader(t(family, lang))
    columns = st.columns(3)
    for i, metric in enumerate(metrics):
        row = totals.loc[metric.id]
        delta, arrow, colour = None, "off", "off"
        if changes is not None and metric.id in changes.index:
            change = changes.loc[metric.id]
            mark = " ✱" if change["significant"] else ""
            moved = points(change["diff"], row["scale"], lang)
            delta = f"{moved}{mark} {t('vs', lang)} {previous}"
            arrow = (
                "up" if change["diff"] > 0 else "down" if change["diff"] < 0 else "off"
            )
            # explicit: the delta text's "−" (U+2212) reads as a rise to Streamlit
            colour = {"up": "green", "down": "red"}.get(arrow, "off")
            colour = colour if change["significant"] else "off"
        with columns[i % 3].container(border=True):
            # the label above, in full: st.metric cuts long labels to one line
            st.markdown(
                metric.label.get(lang),
                help=metric.description.get(lang) if metric.description else None,
            )
            st.metric(
                metric.label.get(lang),
                estimate_text(row["estimate"], row["scale"], lang),
                delta,
                delta_color=colour,
                delta_arrow=arrow,
                label_visibility="collapsed",
            )
            st.caption(
                f"{t('interval', lang).capitalize()} {percent(view.level, lang)} "
                f"{interval_text(row['ci_low'], row['ci_high'], row['scale'], lang)} · "
                f"{t('base', lang)} n = {number(row['n'], lang)}"
            )

st.subheader(
    "Consumers expect personalisation, yet refuse the tracking it needs"
    if lang == "en"
    else "Les consommateurs attendent de la personnalisation mais refusent le suivi"
)
charts.tension(view)
st.caption(
    "✱ significant change against the previous wave (Newcombe interval, Holm)."
    if lang == "en"
    else "✱ évolution significative face à la vague précédente (Newcombe, Holm)."
)
