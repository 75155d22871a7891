"""Weighting: the wave's weightings with their diagnostics; a new one from targets."""

import streamlit as st

from analysis.i18n import Words
from analysis.ingest.targets import entered_targets, parse_targets, raw_targets
from analysis.table.weighted import design_weights, weigh_wave
from dashboard import data, page
from dashboard import weighting_panel as panel
from dashboard.i18n import t, variable

_WORDS = Words(
    {
        "default_it": (
            "Make {name} the default",
            "Faire de {name} la pondération par défaut",
        ),
        "delete": ("Delete {name}", "Supprimer {name}"),
        "new": ("New weighting", "Nouvelle pondération"),
        "variables": ("Weight on", "Pondérer selon"),
        "by": ("Each group to its own targets", "Chaque groupe selon ses cibles"),
        "whole": ("No: the whole wave", "Non : toute la vague"),
        "size": ("Then the groups", "Puis les groupes"),
        "population": ("at their population size", "à la taille de leur population"),
        "equal": ("at equal size", "à taille égale"),
        "enter": ("Enter targets", "Saisir les cibles"),
        "upload": ("Upload a targets file", "Importer un fichier de cibles"),
        "file": ("Targets (JSON, YAML or CSV)", "Cibles (JSON, YAML ou CSV)"),
        "file_wins": (
            "A file given here is used instead of the tables.",
            "Un fichier donné ici remplace les tableaux.",
        ),
        "name": ("Name of the weighting", "Nom de la pondération"),
        "source": ("Source of the targets", "Source des cibles"),
        "cap": ("Cap the weights (× mean weight)", "Borner les poids (× poids moyen)"),
        "low": ("Lowest", "Minimum"),
        "high": ("Highest", "Maximum"),
        "make_default": ("Make it the default", "En faire la pondération par défaut"),
        "weigh": ("Weight the wave", "Pondérer la vague"),
        "done": ("Weighting {name} stored.", "Pondération {name} enregistrée."),
    }
)

lang = page.lang()
st.title(t("weighting", lang))
page.require("upload")
view = page.view()
wave = view.wave

found = data.weightings(wave)
st.subheader(panel.WORDS("weightings", lang, wave=wave))
panel.weightings_table(found, lang)
chosen = next((w for w in found if w.name == view.weighting), found[0])
method = panel.method_label(chosen.method, lang)
st.markdown(f"**{method}**" if chosen.is_file else f"**{chosen.name}** · {method}")
panel.diagnostics(chosen, lang)
left, right = st.columns(2)
with page.guard(stop=False):
    if not chosen.is_default and left.button(
        _WORDS("default_it", lang, name=chosen.name)
    ):
        data.store().set_default_weighting(wave, chosen.name)
        st.rerun()
    if not panel.is_file(chosen.name) and right.button(
        _WORDS("delete", lang, name=chosen.name)
    ):
        data.store().delete_weighting(wave, chosen.name)
        st.rerun()

st.subheader(_WORDS("new", lang))
rows = data.respondents(wave)
weights = design_weights(rows, data.questionnaire(wave))
segments = list(data.segment_levels(wave))
by = st.selectbox(
    _WORDS("by", lang),
    ["", *segments],
    format_func=lambda v: variable(v, lang) if v else _WORDS("whole", lang),
    key="weighting_by",
)
size = "equal"
if by:
    size = st.radio(
        _WORDS("size", lang),
        ["population", "equal"],
        format_func=lambda s: _WORDS(s, lang),
        horizontal=True,
        key="weighting_size",
    )
variables = st.multiselect(
    _WORDS("variables", lang),
    [s for s in segments if s != by],
    default=[s for s in ("age_band", "gender") if s in segments and s != by],
    format_func=lambda v: variable(v, lang),
    key="weighting_variables",
)
groups = sorted(rows[by].dropna().astype(str).unique()) if by else [""]
enter, upload = st.tabs([_WORDS("enter", lang), _WORDS("upload", lang)])
tables = {}
with enter:
    for group in groups:
        inside = (rows[by].astype(str) == group).to_numpy() if by else None
        part = rows if inside is None else rows[inside]
        with st.expander(group or wave, expanded=not by):
            tables[group] = {
                v: panel.target_table(
                    part,
                    v,
                    weights if inside is None else weights[inside],
                    lang,
                    key=f"target_{wave}_{group}_{v}",
                )
                for v in variables
            }
    totals = panel.group_sizes(groups, size, by, lang) if by else {}
with upload:
    st.caption(_WORDS("file_wins", lang))
    uploaded = st.file_uploader(
        _WORDS("file", lang), type=["json", "yaml", "yml", "csv"], key="targets_file"
    )
name = st.text_input(_WORDS("name", lang), value="raked", key="weighting_name")
source = st.text_input(_WORDS("source", lang), key="weighting_source")
cap = None
if st.checkbox(_WORDS("cap", lang), key="weighting_cap"):
    low_col, high_col = st.columns(2)
    low = low_col.number_input(_WORDS("low", lang), 0.0, 0.99, 0.3, key="cap_low")
    high = high_col.number_input(_WORDS("high", lang), 1.01, 100.0, 3.0, key="cap_high")
    cap = (float(low), float(high))
default = st.checkbox(_WORDS("make_default", lang), key="weighting_default")
if st.button(_WORDS("weigh", lang), type="primary", key="weigh"):
    with page.guard(stop=False):
        if uploaded is not None:
            raw = raw_targets(uploaded.getvalue().decode("utf-8-sig"), uploaded.name)
        else:
            raw = entered_targets(
                tables, by=by or None, totals=totals, country_size=size, source=source
            )
        stored, _ = weigh_wave(
            data.store(),
            wave,
            parse_targets(raw, where=uploaded.name if uploaded else name),
            raw,
            name=name,
            cap=cap,
            default=default,
            source=source,
        )
        st.success(_WORDS("done", lang, name=stored.name))
        panel.diagnostics(stored, lang)
