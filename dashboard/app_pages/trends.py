"""Trends: a metric across waves with its interval ribbon; real changes marked."""

import pandas as pd
import streamlit as st

from analysis.formatting import MISSING, number, points
from analysis.i18n import Words
from analysis.store.wave import TOTAL
from analysis.table.trends import trend_table
from dashboard import charts, data, page
from dashboard.i18n import t, variable
from dashboard.view import write_url

_WORDS = Words(
    {
        "metric": ("Metric", "Indicateur"),
        "by": ("By", "Par"),
        "two_waves": ("Choose two waves or more.", "Choisissez au moins deux vagues."),
        "changes": ("Changes between waves", "Évolutions entre vagues"),
        # the changes table's columns
        "segment": ("Segment", "Segment"),
        "from": ("From", "De"),
        "to": ("To", "À"),
        "diff": ("Change", "Évolution"),
        "interval": ("Interval of the change", "Intervalle de l'évolution"),
        "p_value": ("p", "p"),
        "p_adjusted": ("p adjusted", "p ajusté"),
        "significant": ("Significant", "Significatif"),
        "method": ("Method", "Méthode"),
        "span": ("{low} to {high}", "{low} à {high}"),
    }
)

view = page.view()
lang = view.lang
st.title(t("trends", lang))

codebook = data.codebook()
names = [w.name for w in view.waves]
left, middle, right = st.columns([2, 2, 1])
metric = page.url_selectbox(
    _WORDS("metric", lang),
    list(codebook.metrics),
    "metric",
    default="expect_personalisation",
    format_func=lambda m: codebook.metric(m).label.get(lang),
    key="trend_metric",
    where=left,
)
waves = page.url_multiselect(
    t("waves", lang), names, "waves", default=names, key="trend_waves", where=middle
)
by = page.url_selectbox(
    _WORDS("by", lang),
    ["total", *data.segment_levels(view.wave)],
    "by",
    format_func=lambda v: variable(v, lang),
    key="trend_by",
    where=right,
)
write_url(view, metric=metric, waves=",".join(waves), by=by)
waves = [w for w in names if w in waves]  # time order, as stored
if len(waves) < 2:
    st.info(_WORDS("two_waves", lang))
    st.stop()

with page.guard():
    table = data.estimates(
        waves, [metric], [] if by == "total" else [by], view.filters, view.options
    )
    changes = trend_table(table, waves, level=view.level)
rows = table if by == "total" else table[table["segment_var"] == by]
charts.trend(view, rows, changes, metric, waves)

with st.expander(_WORDS("changes", lang)):
    scale = changes["scale"]
    shown = pd.DataFrame(
        {
            "segment": [
                variable(v, lang) if v == TOTAL else v for v in changes["segment_value"]
            ],
            "from": changes["wave_from"],
            "to": changes["wave_to"],
            "diff": [
                points(d, s, lang) for d, s in zip(changes["diff"], scale, strict=True)
            ],
            "interval": [
                MISSING  # an untested change has no interval
                if pd.isna(lo)
                else _WORDS(
                    "span", lang, low=points(lo, s, lang), high=points(hi, s, lang)
                )
                for lo, hi, s in zip(
                    changes["diff_low"], changes["diff_high"], scale, strict=True
                )
            ],
            "p_value": [number(p, lang, 3) for p in changes["p_value"]],
            "p_adjusted": [number(p, lang, 3) for p in changes["p_adjusted"]],
            "significant": changes["significant"],
            "method": changes["method"],
        }
    )
    shown.columns = [_WORDS(c, lang) for c in shown.columns]
    st.dataframe(shown, hide_index=True, width="stretch")
