"""Tables: a banner table of any questions, with Total and banners across."""

from itertools import permutations

import streamlit as st

from analysis.i18n import Words
from analysis.table.banner import banner_table
from analysis.table.banner_files import to_csv_bytes, to_xlsx_bytes
from analysis.table.banner_rows import banner_choices, row_choices
from analysis.table.banner_spec import NEST_SEPARATOR, TableSpec
from analysis.table.banner_view import display_frame
from analysis.table.rows import EstimateOptions
from dashboard import data, page
from dashboard.i18n import t, variable

_WORDS = Words(
    {
        "rows": ("Rows (questions and metrics)", "Lignes (questions et indicateurs)"),
        "banners": ("Banners", "Bannières"),
        "nest": ("Nested banners", "Bannières imbriquées"),
        "arrows": (
            "Arrows: each column against the rest of the sample",
            "Flèches : chaque colonne contre le reste de l'échantillon",
        ),
        "intervals": ("Show intervals", "Afficher les intervalles"),
        "saved": ("Saved table", "Tableau enregistré"),
        "none": ("(new table)", "(nouveau tableau)"),
        "name": ("Save this table as", "Enregistrer ce tableau sous"),
        "save": ("Save", "Enregistrer"),
        "stored": ("Saved as {name}.", "Enregistré sous {name}."),
        "csv": ("Download CSV", "Télécharger en CSV"),
        "xlsx": ("Download Excel", "Télécharger en Excel"),
        "pick": (
            "Choose at least one row to build the table.",
            "Choisissez au moins une ligne pour construire le tableau.",
        ),
        "footnote": (
            "Letters: columns of the same banner this one is significantly above "
            "(Wald tests on design-based variances, {adjust} correction within each "
            "line and banner, α = {alpha:g}). ▲▼: against the rest of the sample. "
            "* base under {low}, not tested; blank: base under {hidden}.",
            "Lettres : colonnes de la même bannière significativement inférieures "
            "(tests de Wald sur variances du plan, correction {adjust} par ligne et "
            "bannière, α = {alpha:g}). ▲▼ : contre le reste de l'échantillon. "
            "* base sous {low}, non testée ; vide : base sous {hidden}.",
        ),
    }
)

view = page.view()
lang = view.lang
st.title(t("tables", lang))
questionnaire = data.questionnaire(view.wave)
respondents = data.respondents(view.wave)
metrics = data.metrics()
specs = {s.name: s.spec for s in data.table_specs()}

chosen = st.selectbox(
    _WORDS("saved", lang), ["", *specs], format_func=lambda n: n or _WORDS("none", lang)
)
start = specs.get(chosen) if chosen else None
offered = row_choices(
    questionnaire,
    list(respondents.columns),
    codebook=data.codebook(),
    analyst_metrics=metrics,
)
banners_offered = banner_choices(questionnaire)
asked = {q.id: q.text for q in questionnaire.questions}
book = data.codebook()
own = {m.id: {"en": m.label_en, "fr": m.label_fr} for m in metrics}


def row_label(spec: str) -> str:
    """A question as its id and «its words»; a metric by its label."""
    if spec in asked:
        return f"{spec} «{asked[spec]}»"
    metric = spec.removeprefix("metric:")
    if metric in book.metrics:
        return book.metric(metric).label.get(lang)
    return own[metric][lang] if metric in own else spec


def banner_label(name: str) -> str:
    """A segment as people read it; a question used as a banner by its id."""
    return name if name in asked else variable(name, lang)


key = f"_{chosen}"
rows = st.multiselect(
    _WORDS("rows", lang),
    offered,
    default=[r for r in (start.rows if start else offered[:1]) if r in offered],
    format_func=row_label,
    key=f"rows{key}",
    placeholder=t("choose", lang),
)
banners = st.multiselect(
    _WORDS("banners", lang),
    banners_offered,
    default=[
        b
        for b in (start.banners if start else banners_offered[:1])
        if b in banners_offered
    ],
    format_func=banner_label,
    key=f"banners{key}",
    placeholder=t("choose", lang),
)
pairs = [NEST_SEPARATOR.join(p) for p in permutations(banners_offered, 2)]
nest = st.multiselect(
    _WORDS("nest", lang),
    pairs,
    default=[
        NEST_SEPARATOR.join(p)
        for p in (start.nest if start else ())
        if NEST_SEPARATOR.join(p) in pairs
    ],
    format_func=lambda p: " × ".join(map(banner_label, p.split(NEST_SEPARATOR))),
    key=f"nest{key}",
    placeholder=t("choose", lang),
)
left, right = st.columns(2)
arrows = left.checkbox(
    _WORDS("arrows", lang), value=bool(start and start.arrows), key=f"arrows{key}"
)
intervals = right.checkbox(_WORDS("intervals", lang), key=f"ci{key}")
if not rows:
    st.info(_WORDS("pick", lang))
    st.stop()

with page.guard():
    spec = TableSpec(
        rows=tuple(rows),
        banners=tuple(banners),
        nest=tuple(tuple(p.split(NEST_SEPARATOR)) for p in nest),
        arrows=arrows,
    )
    options = EstimateOptions(view.method, view.level, view.weighted, view.thresholds)
    table = banner_table(
        respondents,
        questionnaire,
        spec,
        options=options,
        wave=view.wave,
        adjust=view.adjust,
        codebook=data.codebook(),
        analyst_metrics=metrics,
        filters=view.filters,
    )

st.dataframe(display_frame(table, intervals=intervals, lang=lang), width="stretch")
small, low, hidden = view.thresholds
st.caption(
    _WORDS(
        "footnote", lang, adjust=view.adjust, alpha=table.alpha, low=low, hidden=hidden
    )
)
stem = f"table_{view.wave}"
title = f"{view.wave} {chosen}".strip()
down_csv, down_xlsx = st.columns(2)
down_csv.download_button(
    _WORDS("csv", lang),
    data.exported(f"banner table CSV {stem}", lambda: to_csv_bytes(table)),
    f"{stem}.csv",
    "text/csv",
    width="stretch",
)
down_xlsx.download_button(
    _WORDS("xlsx", lang),
    data.exported(
        f"banner table Excel {stem}",
        lambda: to_xlsx_bytes([(title, table)], intervals=intervals, lang=lang),
    ),
    f"{stem}.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    width="stretch",
)
with st.form("save_spec"):
    name = st.text_input(_WORDS("name", lang), value=chosen)
    if st.form_submit_button(_WORDS("save", lang)):
        with page.guard(stop=False):
            saved = data.store().save_table_spec(name, spec)
            st.success(_WORDS("stored", lang, name=saved.name))
