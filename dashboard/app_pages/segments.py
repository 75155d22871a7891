"""Segments: metrics and the wave's own questions by one segment variable, lettered."""

import streamlit as st

from analysis.i18n import Words
from analysis.names import markdown_safe
from analysis.table.answers import MEAN
from analysis.table.letters import with_segment_letters
from analysis.table.wave_questions import answers_shown, library_metrics
from dashboard import charts, data, page
from dashboard import own_questions as own
from dashboard.i18n import synthetic_note, t, variable
from dashboard.view import write_url

_WORDS = Words(
    {
        "by": ("Segment variable", "Variable de segmentation"),
        "metrics": ("Metrics", "Indicateurs"),
        "choose_metric": ("Choose at least one metric.", "Choisissez un indicateur."),
        "heatmap": ("Heatmap", "Carte de chaleur"),
    }
)

view = page.view()
lang = view.lang
st.title(f"{t('segments', lang)} · {markdown_safe(view.wave)}")
if view.info.meta.synthetic:
    st.caption("⚠ " + synthetic_note(view.info.meta, lang))

codebook = data.codebook()
library = library_metrics(data.questionnaire(view.wave), codebook)
segments = list(data.segment_levels(view.wave))
left, right = st.columns([1, 2])
by = None
if segments:
    by = page.url_selectbox(
        _WORDS("by", lang),
        segments,
        "by",
        format_func=lambda v: variable(v, lang),
        key="by",
        where=left,
    )
else:
    st.info(own.WORDS("no_segment", lang))
metrics: list[str] = []
if library:
    metrics = page.url_multiselect(
        _WORDS("metrics", lang),
        list(library),
        "metric",
        default=["churn_unprotected"]
        if "churn_unprotected" in library
        else library[:1],
        format_func=lambda m: codebook.metric(m).label.get(lang),
        key="metrics",
        where=right,
    )
else:
    st.caption(own.WORDS("no_library", lang))

if library and metrics:
    shown = [by] if by else []
    with page.guard():
        # the charts' metrics alone first: their charts reach the reader before
        # the heatmap's table, of every metric the wave answers, is computed
        # (letters are tested within a metric, so a subset's are the same)
        charted = data.estimates(
            [view.wave], metrics, shown, view.filters, view.options
        )
        lettered = with_segment_letters(charted, alpha=1 - view.level)
    for metric in metrics:
        charts.segments(view, lettered[lettered["metric"] == metric], metric, by)
    if by:
        st.subheader(_WORDS("heatmap", lang))
        with page.guard():
            everything = data.estimates(
                [view.wave], library, shown, view.filters, view.options
            )
        charts.heatmap(view, everything, by)
elif library:
    st.info(_WORDS("choose_metric", lang))

st.subheader(own.WORDS("questions", lang))
question = own.pick(view, key="segments_question", quiet=True)
if question is not None:
    with page.guard():
        rows = data.question_estimates(
            view.wave, question.id, [by] if by else [], view.filters, view.options
        )
        lettered_rows = with_segment_letters(rows, alpha=1 - view.level)
    title = own.text(question, lang)
    st.markdown(f"**{markdown_safe(title)}**")
    if question.type != "numeric":  # every answer, NETs at a scale's ends
        charts.question_answers(view, lettered_rows, question, by, title)
    if MEAN in answers_shown(rows):  # a scale's or a numeric's mean score
        charts.question_segments(view, lettered_rows, question.id, MEAN, by)
    own.footnote(view, rows)
write_url(
    view,
    by=by or "",
    metric=",".join(metrics),
    question=question.id if question else "",
)
