"""Reference: the published figures, with their caveats, beside the chosen wave."""

import pandas as pd
import streamlit as st

from analysis.formatting import interval_text, number, percent, points
from analysis.i18n import Words
from analysis.names import markdown_safe
from analysis.table.reference import reference_comparison
from dashboard import data, page
from dashboard.i18n import t

_WORDS = Words(
    {
        "intro": (
            "Published figures quoted by the seed article, beside **{wave}** on the "
            "same geography only: a country, or a report's whole sample when the "
            "wave covers the same countries. A figure whose geography is not stated "
            "is listed with its caveats and not compared.",
            "Chiffres publiés cités par l'article, face à **{wave}** sur la même "
            "géographie seulement : un pays, ou l'échantillon entier d'un rapport "
            "quand la vague couvre les mêmes pays. Un chiffre sans géographie "
            "précisée est listé avec ses réserves, sans comparaison.",
        ),
        "no_filters": (
            "Filters are ignored here: published figures describe whole samples.",
            "Les filtres ne s'appliquent pas ici : les chiffres publiés portent sur "
            "des échantillons entiers.",
        ),
        "footnote": (
            "A figure with a published base is tested by a z-test whose variance "
            "adds the report's (its base taken as a simple random sample) to the "
            "wave's design-based one, at the {alpha} level, {correction}. A figure "
            "without a base is only placed inside or outside the wave's interval. "
            "'Source check' says what press coverage of each report confirms; 'not "
            "found in report coverage' means only the article quotes the figure.",
            "Un chiffre avec base publiée est testé par un test z dont la variance "
            "ajoute celle du rapport (sa base prise comme un sondage aléatoire "
            "simple) à celle de la vague selon le plan, au seuil de {alpha}, "
            "{correction}. Un chiffre sans base est seulement placé dans ou hors de "
            "l'intervalle de la vague. « Vérification de la source » dit ce que la "
            "presse confirme de chaque rapport ; « not found in report coverage » "
            "signifie que seul l'article cite le chiffre.",
        ),
        "holm": ("Holm-corrected across the page", "correction de Holm sur la page"),
        "bh": (
            "Benjamini–Hochberg-corrected across the page",
            "correction de Benjamini–Hochberg sur la page",
        ),
        # the table's columns
        "metric": ("Metric", "Indicateur"),
        "geography": ("Geography as published", "Géographie publiée"),
        "published": ("Published", "Publié"),
        "base": ("Published base", "Base publiée"),
        "year": ("Year", "Année"),
        "interval": ("Interval", "Intervalle"),
        "difference": ("Difference", "Écart"),
        "comparison": ("Comparison", "Comparaison"),
        "note": ("Caveats", "Réserves"),
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
codebook = data.codebook()
with page.guard():
    table = data.estimates([view.wave], None, ["country"], None, view.options)
    compared = reference_comparison(
        table,
        codebook,
        level=view.level,
        adjust=view.adjust,
        lang=lang,
    )

shown = pd.DataFrame(
    {
        "metric": [codebook.metric(m).label.get(lang) for m in compared["metric"]],
        "geography": compared["geography_text"],
        "published": [percent(v, lang) for v in compared["published"]],
        "base": [number(b, lang) for b in compared["base_n"].astype(float)],
        "year": compared["year"].astype(str),
        "wave": [percent(v, lang) for v in compared["estimate"]],
        "interval": [
            interval_text(lo, hi, "share", lang)
            for lo, hi in zip(compared["ci_low"], compared["ci_high"], strict=True)
        ],
        "difference": [points(d, "share", lang) for d in compared["diff"]],
        "comparison": compared["verdict"],
        "note": compared["note"],
        "source": compared["source"],
        "checked": compared["checked"],
    }
)
shown.columns = [view.wave if c == "wave" else _WORDS(c, lang) for c in shown.columns]
st.dataframe(shown, hide_index=True, width="stretch")
st.caption(
    _WORDS(
        "footnote",
        lang,
        alpha=percent(1 - view.level, lang),
        correction=_WORDS(view.adjust, lang),
    )
)
