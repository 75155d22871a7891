"""Reference: the published RSA 2019 and Segment 2017 figures beside the chosen wave."""

import pandas as pd
import streamlit as st

from analysis.formatting import interval_text, percent, points
from analysis.i18n import Words
from analysis.names import markdown_safe
from analysis.table.reference import reference_comparison
from dashboard import data, page
from dashboard.i18n import t

_WORDS = Words(
    {
        "intro": (
            "Published figures quoted by the seed article, beside **{wave}** for the "
            "same geography (ALL = the wave's whole sample).",
            "Chiffres publiés cités par l'article, face à **{wave}** pour la même "
            "géographie (ALL = tout l'échantillon de la vague).",
        ),
        "no_filters": (
            "Filters are ignored here: published figures describe whole samples.",
            "Les filtres ne s'appliquent pas ici : les chiffres publiés portent sur "
            "des échantillons entiers.",
        ),
        "footnote": (
            "Published figures without a base carry no interval. 'Source check' says "
            "what press coverage of each report confirms; 'not found in report "
            "coverage' means only the article quotes the figure.",
            "Un chiffre publié sans base n'a pas d'intervalle. « Vérification de la "
            "source » dit ce que la presse confirme de chaque rapport ; « not found "
            "in report coverage » signifie que seul l'article cite le chiffre.",
        ),
        # the table's columns
        "metric": ("Metric", "Indicateur"),
        "geography": ("Geography", "Géographie"),
        "published": ("Published", "Publié"),
        "year": ("Year", "Année"),
        "interval": ("Interval", "Intervalle"),
        "difference": ("Difference", "Écart"),
        "inside": ("Inside interval", "Dans l'intervalle"),
        "source": ("Source", "Source"),
        "checked": ("Source check", "Vérification de la source"),
    }
)

view = page.view()
lang = view.lang
st.title(t("reference", lang))
st.write(_WORDS("intro", lang, wave=markdown_safe(view.wave)))
if view.filters:
    st.warning(_WORDS("no_filters", lang))
with page.guard():
    table = data.estimates([view.wave], None, ["country"], None, view.options)

codebook = data.codebook()
compared = reference_comparison(table, codebook)
shown = pd.DataFrame(
    {
        "metric": [codebook.metric(m).label.get(lang) for m in compared["metric"]],
        "geography": compared["geography"],
        "published": [percent(v, lang) for v in compared["published"]],
        "year": compared["year"].astype(str),
        "wave": [percent(v, lang) for v in compared["estimate"]],
        "interval": [
            interval_text(lo, hi, "share", lang)
            for lo, hi in zip(compared["ci_low"], compared["ci_high"], strict=True)
        ],
        "difference": [points(d, "share", lang) for d in compared["diff"]],
        "inside": compared["within_interval"],
        "source": compared["source"],
        "checked": compared["checked"],
    }
)
shown.columns = [view.wave if c == "wave" else _WORDS(c, lang) for c in shown.columns]
st.dataframe(shown, hide_index=True, width="stretch")
st.caption(_WORDS("footnote", lang))
