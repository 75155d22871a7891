"""Overview: KPI cards per metric family, and the article's central tension."""

import pandas as pd
import streamlit as st

from analysis.figures.tension import TENSION_METRICS
from analysis.formatting import estimate_text, interval_text, number, percent, points
from analysis.i18n import Words
from analysis.library.codebook import Metric
from analysis.names import markdown_safe
from analysis.table.family import ChangeFamily, change_family, wave_mismatch
from analysis.table.trends import trend_table
from analysis.table.wave_questions import chartable, library_metrics
from dashboard import analyst, charts, data, page
from dashboard import own_questions as own
from dashboard.i18n import synthetic_note, t
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
        "small_base": (
            "Small base (n < {small}): read with care.",
            "Petite base (n < {small}) : à lire avec prudence.",
        ),
        "low_base": (
            "Low base (n < {low}): greyed, not tested.",
            "Base faible (n < {low}) : grisée, non testée.",
        ),
        "suppressed": (
            "Hidden: fewer than {hidden} respondents.",
            "Masqué : moins de {hidden} répondants.",
        ),
        "no_comparable": (
            "No change shown: no earlier wave is comparable (same countries, real "
            "or synthetic alike, fieldwork begun earlier).",
            "Aucune évolution : aucune vague antérieure n'est comparable (mêmes pays, "
            "réelle ou synthétique comme celle-ci, terrain commencé avant).",
        ),
        "tension": (
            "Consumers expect personalisation, yet refuse the tracking it needs",
            "Les consommateurs attendent de la personnalisation mais refusent le suivi",
        ),
    }
)
FAMILIES = ("trust", "churn", "personalisation", "privacy", "security")
# a significant change is coloured by what it means for the metric; others stay grey
_COLOURS = {"good": "green", "bad": "red", "neutral": "gray"}

if st.session_state.get("view") is None:
    st.title("Confiance")
view = page.view()
lang = view.lang
st.title(f"{t('overview', lang)} · {markdown_safe(view.wave)}")
if view.info.meta.synthetic:
    st.warning(synthetic_note(view.info.meta, lang))

library = library_metrics(data.questionnaire(view.wave), data.codebook())
previous = view.comparable
mismatch = None
if previous is None and view.previous is not None:
    mismatch = wave_mismatch(view.previous.meta, view.info.meta, lang) or _WORDS(
        "no_comparable", lang
    )
compared = [previous.name, view.wave] if previous else [view.wave]
family: ChangeFamily | None = None
totals = pd.DataFrame()
if library:
    with page.guard():
        table = data.estimates(compared, library, (), view.filters, view.options)
        if len(compared) == 2:
            changes = trend_table(table, compared, level=view.level)
            family = change_family(
                changes[changes["segment_var"] == "total"],
                adjust=view.adjust,
                level=view.level,
            )
    current = table[(table["wave"] == view.wave) & (table["segment_var"] == "total")]
    totals = current.set_index("metric")
small, low, hidden = view.thresholds


def _delta(metric: Metric) -> tuple[str | None, str, str]:
    """The card's change text, arrow and colour (None, "off", "off" without one)."""
    if family is None or metric.id not in family.rows.index:
        return None, "off", "off"
    change = family.rows.loc[metric.id]
    moved = points(change["diff"], change["scale"], lang)
    marked = family.marked(metric.id)
    text = _WORDS(
        "change", lang, moved=moved, mark=" ✱" if marked else "", previous=compared[0]
    )
    # explicit: the delta text's "−" (U+2212) reads as a rise to Streamlit
    arrow = {"+": "up", "−": "down"}.get(moved[:1], "off")
    tone = metric.tone(0.0 if arrow == "off" else float(change["diff"]))
    return text, arrow, _COLOURS[tone] if marked else "off"


def _card(metric: Metric, row: pd.Series) -> None:
    flag = str(row["flag"])
    hidden_card = flag == "suppressed"
    delta, arrow, colour = (None, "off", "off") if hidden_card else _delta(metric)
    greyed = flag in ("low_base", "suppressed")
    label = metric.label.get(lang)
    # the label above, in full: st.metric cuts long labels to one line
    st.markdown(
        f":gray[{label}]" if greyed else label,
        help=metric.description.get(lang) if metric.description else None,
    )
    st.metric(
        label,
        "–" if hidden_card else estimate_text(row["estimate"], row["scale"], lang),
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
            interval=interval_text(row["ci_low"], row["ci_high"], row["scale"], lang),
            n=number(row["n"], lang),
        )
    )
    if flag in ("small_base", "low_base", "suppressed"):
        st.caption(_WORDS(flag, lang, small=small, low=low, hidden=hidden))


codebook = data.codebook()
for name in FAMILIES:
    metrics = [m for m in codebook.by_family(name) if m.id in totals.index]
    if not metrics:
        continue
    st.subheader(_WORDS(name, lang))
    columns = st.columns(3)
    for i, metric in enumerate(metrics):
        with columns[i % 3].container(border=True):
            _card(metric, totals.loc[metric.id])

if set(TENSION_METRICS) <= set(library) and "country" in data.segment_levels(view.wave):
    st.subheader(_WORDS("tension", lang))
    charts.tension(view)
if not library:
    st.info(own.WORDS("no_library", lang))
elif mismatch:
    st.caption(mismatch)
elif family is not None and previous is not None:
    st.caption(family.caption(previous.name, lang))

analyst.cards(view)
# the file's own questions (a demo wave's are the library's, carded above)
if any(q.link != q.id for q in chartable(data.questionnaire(view.wave))):
    st.subheader(own.WORDS("questions", lang))
question = own.pick(view, key="overview_question", quiet=True)
write_url(view, question=question.id if question else "")
if question is not None:
    with page.guard():
        rows, series = own.tracked(view, question)
        moved = own.changes(view, rows, series) if len(series) > 1 else None
    title = own.text(question, lang)
    st.markdown(f"**{markdown_safe(title)}**")
    own.cards(view, rows[rows["wave"] == view.wave], moved)
    if question.type != "numeric":  # its answers as a slide, as on Segments
        charts.question_answers(view, rows, question, None, title)
    own.footnote(view, rows[rows["wave"] == view.wave])
    note = own.wording_note(series, lang)
    if note:
        st.caption("⚠ " + note)
    analyst.form(view, question)
