"""Reference: the published RSA 2019 and Segment 2017 figures beside the chosen wave."""

import pandas as pd
import streamlit as st

from analysis.errors import SurveyDataError
from analysis.formatting import interval_text, percent, points
from analysis.table.reference import reference_comparison
from dashboard import data
from dashboard.i18n import t

view = st.session_state.get("view")
if view is None:
    st.info(t("no_waves", st.session_state.get("lang") or "en"))
    st.stop()
lang = view.lang
st.title(t("reference", lang))
st.write(
    f"Published figures quoted by the seed article, beside **{view.wave}** for the "
    "same geography (ALL = the wave's whole sample)."
    if lang == "en"
    else f"Chiffres publiés cités par l'article, face à **{view.wave}** pour la même "
    "géographie (ALL = tout l'échantillon de la vague)."
)
if view.filters:
    st.warning(
        "Filters are ignored here: published figures describe whole samples."
        if lang == "en"
        else "Les filtres ne s'appliquent pas ici : les chiffres publiés portent sur "
        "des échantillons entiers."
    )
try:
    table = data.estimates([view.wave], None, ["country"], None, view.options)
except SurveyDataError as exc:
    st.error(str(exc))
    st.stop()

compared = reference_comparison(table, data.codebook())
codebook = data.codebook()
shown = pd.DataFrame(
    {
        "metric": [codebook.metric(m).label.get(lang) for m in compared["metric"]],
        "geography": compared["geography"],
        "published": [percent(v, lang) for v in compared["published"]],
        "year": compared["year"].astype(str),
        view.wave: [percent(v, lang) for v in compared["estimate"]],
        "interval": [
            interval_text(lo, hi, "share", lang)
            for lo, hi in zip(compared["ci_low"], compared["ci_high"], strict=True)
        ],
        "difference": [points(d, "share", lang) for d in compared["diff"]],
        "inside interval": compared["within_interval"],
        "source": compared["source"],
        "source check": compared["checked"],
    }
)
if lang == "fr":
    shown = shown.rename(
        columns={
            "metric": "indicateur",
            "geography": "géographie",
            "published": "publié",
            "year": "année",
            "interval": "intervalle",
            "difference": "écart",
            "inside interval": "dans l'intervalle",
            "source check": "vérification de la source",
        }
    )
st.dataframe(shown, hide_index=True, width="stretch")
st.caption(
    "Published figures without a base carry no interval. 'Source check' says what "
    "press coverage of each report confirms; 'not found in report coverage' means "
    "only the article quotes the figure."
    if lang == "en"
    else "Un chiffre publié sans base n'a pas d'intervalle. « Vérification de la "
    "source » dit ce que la presse confirme de chaque rapport ; « not found in report "
    "coverage » signifie que seul l'article cite le chiffre."
)
