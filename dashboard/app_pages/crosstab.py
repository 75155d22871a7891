"""Crosstab: the banner table of every metric by one segment variable."""

import streamlit as st

from analysis.figures.sampling import interval_sentence
from analysis.formatting import percent
from analysis.i18n import Words
from analysis.table.crosstab import banner_table, to_csv_bytes, to_xlsx_bytes
from analysis.table.letters import with_segment_letters
from dashboard import data, page
from dashboard.i18n import t, variable
from dashboard.view import write_url

_WORDS = Words(
    {
        "columns": ("Columns", "Colonnes"),
        "csv": ("Download CSV", "Télécharger en CSV"),
        "xlsx": ("Download Excel", "Télécharger en Excel"),
        "sheet": ("{wave} by {by}", "{wave} par {by}"),
        "footnote": (
            "Letters: the column is significantly above the lettered columns "
            "(two-proportion tests on effective bases, Holm-adjusted, α = {alpha}). "
            "* base under {small}; ** base under {low}: not tested; blank: base "
            "under {hidden}, hidden.",
            "Lettres : la colonne est significativement au-dessus des colonnes "
            "citées (tests de deux proportions sur bases effectives, correction "
            "de Holm, α = {alpha}). * base sous {small} ; ** base sous {low} : non "
            "testée ; vide : base sous {hidden}, masquée.",
        ),
    }
)

view = page.view()
lang = view.lang
st.title(t("crosstab", lang))

by = page.url_selectbox(
    _WORDS("columns", lang),
    list(data.segment_levels(view.wave)),
    "by",
    format_func=lambda v: variable(v, lang),
)
write_url(view, by=by)

with page.guard():
    table = data.estimates([view.wave], None, [by], view.filters, view.options)
    lettered = with_segment_letters(table, alpha=1 - view.level)
    banner = banner_table(lettered, data.codebook(), by, lang)

st.dataframe(banner, width="stretch", height=min(38 * len(banner) + 40, 900))
stem = f"crosstab_{view.wave}_{by}"
sheet = _WORDS("sheet", lang, wave=view.wave, by=variable(by, lang))
left, right = st.columns(2)
left.download_button(
    _WORDS("csv", lang),
    data.exported(f"crosstab CSV {stem}", lambda: to_csv_bytes(banner)),
    f"{stem}.csv",
    "text/csv",
    width="stretch",
    on_click="ignore",  # a rerun would revoke the file the click asks for
)
right.download_button(
    _WORDS("xlsx", lang),
    data.exported(f"crosstab Excel {stem}", lambda: to_xlsx_bytes(banner, sheet)),
    f"{stem}.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    width="stretch",
    on_click="ignore",
)
small, low, hidden = view.thresholds
st.caption(
    _WORDS(
        "footnote",
        lang,
        small=small,
        low=low,
        hidden=hidden,
        alpha=percent(float(lettered["alpha"].iloc[0]), lang),
    )
    + " "
    + interval_sentence(table, [view.info], lang)
    + "."
)
