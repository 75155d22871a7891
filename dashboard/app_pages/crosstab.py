"""Crosstab: the banner table of the metrics, or of a wave's question, by a segment."""

import pandas as pd
import streamlit as st

from analysis.figures.sampling import interval_sentence
from analysis.formatting import percent
from analysis.i18n import Words
from analysis.names import markdown_safe
from analysis.store.wave import TOTAL
from analysis.table.crosstab import banner_table, to_csv_bytes, to_xlsx_bytes
from analysis.table.letters import with_segment_letters
from analysis.table.wave_questions import chartable, excluded, library_metrics
from dashboard import data, page
from dashboard import own_questions as own
from dashboard.i18n import t, variable
from dashboard.view import write_url

_WORDS = Words(
    {
        "columns": ("Columns", "Colonnes"),
        "rows": ("Rows", "Lignes"),
        "library": ("Library metrics", "Indicateurs de la bibliothèque"),
        "answer": ("answer", "réponse"),
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
LIBRARY = "__library__"

view = page.view()
lang = view.lang
st.title(t("crosstab", lang))

library = library_metrics(data.questionnaire(view.wave), data.codebook())
segments = list(data.segment_levels(view.wave))
by = TOTAL
left, right = st.columns(2)
if segments:
    by = page.url_selectbox(
        _WORDS("columns", lang),
        segments,
        "by",
        format_func=lambda v: variable(v, lang),
        where=left,
    )
else:
    st.info(own.WORDS("no_segment", lang))
questions = {q.id: q for q in chartable(data.questionnaire(view.wave))}
shown = ([LIBRARY] if library else []) + list(questions)
if not shown:
    st.info(own.WORDS("no_question", lang))
    st.stop()
what = page.url_selectbox(
    _WORDS("rows", lang),
    shown,
    "rows",
    format_func=lambda q: (
        _WORDS("library", lang) if q == LIBRARY else own.text(questions[q], lang)
    ),
    key="crosstab_rows",
    where=right,
)
write_url(view, by=by if segments else "", rows=what)

labels = None
split = [by] if segments else []
with page.guard():
    if what == LIBRARY:
        table = data.estimates([view.wave], library, split, view.filters, view.options)
    else:
        table = data.question_estimates(
            view.wave, what, split, view.filters, view.options
        )
        labels = dict(
            zip(
                table["metric"],
                table["answer"].map(lambda a: own.answer_label(a, lang)),
                strict=True,
            )
        )
        st.markdown(f"**{markdown_safe(own.text(questions[what], lang))}**")
    lettered = with_segment_letters(table, alpha=1 - view.level)
    banner = banner_table(lettered, data.codebook(), by, lang, labels=labels)
    if labels is not None:  # a question's rows are its answers, not metrics
        banner.index = banner.index.set_names(_WORDS("answer", lang), level=0)

st.dataframe(
    banner,
    width="stretch",
    height=min(38 * len(banner) + 40, 900),
    # the row labels in full: a NET's ("somewhat + very") or a metric's
    column_config={banner.index.names[0]: st.column_config.TextColumn(width="medium")},
)
stem = (
    f"crosstab_{view.wave}_{by}"
    if what == LIBRARY
    else f"crosstab_{view.wave}_{what}_{by}"
)
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
alpha = lettered["alpha"].iloc[0] if "alpha" in lettered and len(lettered) else None
notes = [
    _WORDS(
        "footnote",
        lang,
        small=small,
        low=low,
        hidden=hidden,
        alpha=percent(float(alpha) if pd.notna(alpha) else 1 - view.level, lang),
    ),
    interval_sentence(table, [view.info], lang) + ".",
]
if excluded(table):
    quoted = ", ".join(f"« {label} »" for label in excluded(table))
    notes.append(own.WORDS("excluded", lang, answers=quoted))
st.caption(" ".join(notes))
