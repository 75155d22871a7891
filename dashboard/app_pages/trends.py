"""Trends: a metric or a tracked question across waves; real changes marked.

Each wave is compared with its previous *comparable* wave (same countries,
real or synthetic alike, fieldwork begun earlier), never merely the one
uploaded before it; a question's wording or answer changes are flagged.
"""

import pandas as pd
import streamlit as st

from analysis.formatting import MISSING, number, points
from analysis.i18n import Words
from analysis.names import markdown_safe
from analysis.store.wave import TOTAL
from analysis.table.trackers import previous_comparable
from analysis.table.trends import paired_trend_table
from analysis.table.wave_questions import answers_shown, library_metrics
from dashboard import charts, data, page, tracker_choice
from dashboard import own_questions as own
from dashboard.i18n import t, variable
from dashboard.view import write_url

_WORDS = Words(
    {
        "follow": ("Follow", "Suivre"),
        "metric": ("Metric", "Indicateur"),
        "question": ("A question of this wave", "Une question de cette vague"),
        "library": ("A library metric", "Un indicateur de la bibliothèque"),
        "answer": ("Answer", "Réponse"),
        "by": ("By", "Par"),
        "two_waves": ("Choose two waves or more.", "Choisissez au moins deux vagues."),
        "untracked": (
            "No earlier comparable wave asks this question (same countries, real "
            "or synthetic alike, fieldwork begun earlier).",
            "Aucune vague antérieure comparable ne pose cette question (mêmes pays, "
            "réelle ou synthétique comme celle-ci, terrain commencé avant).",
        ),
        "title": ("“{answer}” — {question}", "«\u00a0{answer}\u00a0» — {question}"),
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


def _changes_table(changes: pd.DataFrame) -> None:
    """The changes behind the marks, one line per pair of waves and segment."""
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
    with st.expander(_WORDS("changes", lang)):
        st.dataframe(shown, hide_index=True, width="stretch")


def _metric_trend(by: str) -> None:
    """A library metric across the chosen waves (as before questionnaires)."""
    names = [w.name for w in view.waves]
    left, middle = st.columns([2, 2])
    metric = page.url_selectbox(
        _WORDS("metric", lang),
        list(library),
        "metric",
        default="expect_personalisation",
        format_func=lambda m: codebook.metric(m).label.get(lang),
        key="trend_metric",
        where=left,
    )
    waves = page.url_multiselect(
        t("waves", lang), names, "waves", default=names, key="trend_waves", where=middle
    )
    write_url(view, follow="metric", metric=metric, waves=",".join(waves), by=by)
    waves = [w for w in names if w in waves]  # time order, as stored
    if len(waves) < 2:
        st.info(_WORDS("two_waves", lang))
        return
    metas = [info.meta for info in view.infos(waves)]
    pairs = [
        (found.name, meta.name)
        for meta in metas
        if (found := previous_comparable(meta, metas)) is not None
    ]
    with page.guard():
        table = data.estimates(
            waves, [metric], [] if by == TOTAL else [by], view.filters, view.options
        )
        changes = paired_trend_table(table, pairs, adjust=view.adjust, level=view.level)
    rows = table if by == TOTAL else table[table["segment_var"] == by]
    charts.trend(view, rows, changes, metric, waves)
    _changes_table(changes)


def _question_trend(by: str) -> None:
    """A question of this wave through the comparable earlier waves tracking it."""
    question = own.pick(view, key="trend_question")
    if question is None:
        return
    tracker_choice.control(view, question)
    with page.guard():
        table, series = own.tracked(view, question, [] if by == TOTAL else [by])
    answers = answers_shown(table[table["wave"] == view.wave])
    answer = page.url_selectbox(
        _WORDS("answer", lang),
        answers,
        "answer",
        format_func=lambda a: own.answer_label(a, lang),
        key="trend_answer",
    )
    write_url(view, follow="question", question=question.id, answer=answer, by=by)
    st.markdown(f"**{markdown_safe(own.text(question, lang))}**")
    if len(series) < 2:
        st.info(_WORDS("untracked", lang))
        return
    waves = [step.wave for step in series]
    current = table[(table["wave"] == view.wave) & (table["answer"] == answer)]
    key = str(current["metric"].iloc[0])
    rows = table[(table["metric"] == key) & (table["segment_var"] == by)]
    with page.guard():
        changes = own.changes(view, table, series)
    title = _WORDS(
        "title",
        lang,
        answer=own.answer_label(answer, lang),
        question=own.text(question, lang),
    )
    charts.question_trend(view, rows, changes, key, waves, title)
    note = own.wording_note(series, lang)
    if note:
        st.warning("⚠ " + note)
    own.footnote(view, table[table["wave"] == view.wave], view.infos(waves))
    _changes_table(changes[changes["metric"] == key])


view = page.view()
lang = view.lang
st.title(t("trends", lang))
codebook = data.codebook()
library = library_metrics(data.questionnaire(view.wave), codebook)
left, right = st.columns([3, 1])
follow = page.url_selectbox(
    _WORDS("follow", lang),
    ["metric", "question"] if library else ["question"],
    "follow",
    format_func=lambda f: _WORDS("library" if f == "metric" else "question", lang),
    key="trend_follow",
    where=left,
)
chosen_by = page.url_selectbox(
    _WORDS("by", lang),
    [TOTAL, *data.segment_levels(view.wave)],
    "by",
    format_func=lambda v: variable(v, lang),
    key="trend_by",
    where=right,
)
if follow == "metric":
    _metric_trend(chosen_by)
else:
    _question_trend(chosen_by)
