"""Overview: KPI cards per metric family, and the article's central tension."""

import streamlit as st

from analysis.formatting import estimate_text, interval_text, number, percent, points
from analysis.i18n import Words
from analysis.names import markdown_safe
from analysis.table.trends import trend_table
from dashboard import charts, data, page
from dashboard.i18n import t
from dashboard.view import write_url

_WORDS = Words(
    {
        "trust": ("Trust", "Confiance"),
        "churn": ("Churn", "Départ"),
        "personalisation": ("Personalisation", "Personnalisation"),
        "privacy": ("Privacy", "Vie privée"),
        "security": ("Security", "Sécurité"),
        "change": ("{moved}{mark} vs {previous}", "{moved}{mark} vs {previous}"),
        "card": (
            "Interval {level} {interval} · base n = {n}",
            "Intervalle {level} {interval} · base n = {n}",
        ),
        "tension": (
            "Consumers expect personalisation, yet refuse the tracking it needs",
            "Les consommateurs attendent de la personnalisation mais refusent le suivi",
        ),
        "marks": (
            "✱ significant change against the previous wave (Newcombe interval, Holm).",
            "✱ évolution significative face à la vague précédente (Newcombe, Holm).",
        ),
    }
)
FAMILIES = ("trust", "churn", "personalisation", "privacy", "security")

if st.session_state.get("view") is None:
    st.title("Confiance")
view = page.view()
lang = view.lang
write_url(view)
st.title(f"{t('overview', lang)} · {markdown_safe(view.wave)}")
if view.info.meta.synthetic:
    st.warning(t("synthetic", lang))

previous = view.previous.name if view.previous else None
compared = [previous, view.wave] if previous else [view.wave]
with page.guard():
    table = data.estimates(compared, None, (), view.filters, view.options)
    changes = trend_table(table, compared, level=view.level) if previous else None

current = table[(table["wave"] == view.wave) & (table["segment_var"] == "total")]
totals = current.set_index("metric")
if changes is not None:
    changes = changes[changes["segment_var"] == "total"].set_index("metric")

codebook = data.codebook()
for family in FAMILIES:
    metrics = [m for m in codebook.by_family(family) if m.id in totals.index]
    if not metrics:
        continue
    st.subheader(_WORDS(family, lang))
    columns = st.columns(3)
    for i, metric in enumerate(metrics):
        row = totals.loc[metric.id]
        delta, arrow, colour = None, "off", "off"
        if changes is not None and metric.id in changes.index:
            change = changes.loc[metric.id]
            delta = _WORDS(
                "change",
                lang,
                moved=points(change["diff"], row["scale"], lang),
                mark=" ✱" if change["significant"] else "",
                previous=previous,
            )
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
                _WORDS(
                    "card",
                    lang,
                    level=percent(view.level, lang),
                    interval=interval_text(
                        row["ci_low"], row["ci_high"], row["scale"], lang
                    ),
                    n=number(row["n"], lang),
                )
            )

st.subheader(_WORDS("tension", lang))
charts.tension(view)
st.caption(_WORDS("marks", lang))
