"""The disclosure slide: what a deck's waves are, item by item (AAPOR's list).

A board reading a deck should know, before any number, who paid for the
survey, who fielded it, whom it stands for, how people were recruited and
asked, how many answered, how the answers were weighted and checked, and what
the survey cannot say. :func:`disclosure_table` lays those items out, one
column per wave; the PPTX writes it as a native table
(:mod:`analysis.slides.powerpoint`), the PNG and PDF decks as the figure
:func:`disclosure_figure` draws.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from analysis.figures.layout import wrap
from analysis.figures.theme import Theme, load_theme
from analysis.formatting import day_range, number
from analysis.i18n import Lang, Words
from analysis.store.origin import disclosure_text, is_demo, source_text
from analysis.store.wave import WaveInfo

_WORDS = Words(
    {
        "title": (
            "About the data: survey disclosure",
            "À propos des données\u00a0: fiche technique",
        ),
        "item": ("Item", "Élément"),
        "sample_type": ("Sample type", "Type d'échantillon"),
        "probability": ("Probability sample", "Échantillon probabiliste"),
        "opt_in": ("Opt-in panel", "Panel à adhésion volontaire"),
        "unknown": ("Not stated", "Non précisé"),
        "sponsor": ("Sponsor", "Commanditaire"),
        "organisation": ("Fieldwork organisation", "Institut de terrain"),
        "population": ("Population", "Population"),
        "mode": ("Mode", "Mode de recueil"),
        "recruitment": ("Recruitment", "Recrutement"),
        "dates": ("Fieldwork dates", "Dates de terrain"),
        "sample_sizes": ("Sample sizes", "Tailles d'échantillon"),
        "weighting": ("Weighting", "Pondération"),
        "question_wording": ("Question wording", "Formulation des questions"),
        "quality_checks": ("Quality checks", "Contrôles qualité"),
        "limitations": ("Limitations", "Limites"),
        "source": ("Source", "Source"),
        "not_stated": ("Not stated", "Non précisé"),
        "respondents": ("{n} respondents stored", "{n} répondants enregistrés"),
        "as_asked": (
            "As quoted under each chart's title",
            "Telle que citée sous le titre de chaque graphique",
        ),
        "demo": (
            "Synthetic demo data, not a survey",
            "Données de démonstration synthétiques, pas une enquête",
        ),
        "synthetic": (
            "Synthetic data, not a survey",
            "Données synthétiques, pas une enquête",
        ),
    }
)

ITEMS: tuple[str, ...] = (
    "sample_type",
    "sponsor",
    "organisation",
    "population",
    "mode",
    "recruitment",
    "dates",
    "sample_sizes",
    "weighting",
    "question_wording",
    "quality_checks",
    "limitations",
    "source",
)
"""The slide's rows, in AAPOR's order; every Disclosure field is one of them."""


def item_label(item: str, lang: Lang) -> str:
    """How a disclosure item (or "sample_type") is named: "Sponsor", "Commanditaire"."""
    return _WORDS(item, lang)


def sample_type_label(sample_type: str, lang: Lang) -> str:
    """How a sample type is named: "Opt-in panel", "Échantillon probabiliste"."""
    return _WORDS(sample_type, lang)


def disclosure_title(lang: Lang) -> str:
    """The disclosure slide's title."""
    return _WORDS("title", lang)


def disclosure_table(waves: Sequence[WaveInfo], lang: Lang) -> list[list[str]]:
    """The items as text cells: a header (item, then each wave), one row per item.

    An item nobody stated says "not stated" rather than leave a blank a
    reader could take for "none".
    """
    table = [[_WORDS("item", lang), *(w.name for w in waves)]]
    for item in ITEMS:
        table.append([_WORDS(item, lang), *(_cell(w, item, lang) for w in waves)])
    return table


def _cell(wave: WaveInfo, item: str, lang: Lang) -> str:
    meta = wave.meta
    stated = disclosure_text(meta, item, lang)
    if stated:
        return stated
    if item == "sample_type":
        return _WORDS(meta.sample_type, lang)
    if item == "dates":
        return day_range(meta.fieldwork_start, meta.fieldwork_end, lang) or _WORDS(
            "not_stated", lang
        )
    if item == "sample_sizes" and meta.kind == "respondents":
        return _WORDS("respondents", lang, n=number(wave.row_count, lang))
    if item == "question_wording":
        return _WORDS("as_asked", lang)
    if item == "source":
        return source_text(meta, lang)
    if item == "limitations" and meta.synthetic:
        return _WORDS("demo" if is_demo(meta) else "synthetic", lang)
    return _WORDS("not_stated", lang)


def disclosure_figure(
    waves: Sequence[WaveInfo], lang: Lang, theme: Theme | None = None
) -> go.Figure:
    """The disclosure as a 1920×1080 figure, for the PNG and PDF decks."""
    theme = theme or load_theme()
    size = theme.size("slide")
    k, fonts = size.k, theme.fonts
    cells = disclosure_table(waves, lang)
    head, body = cells[0], cells[1:]
    widths = [1.0] + [3.0] * len(waves)
    room = theme.screen[0] - 48
    columns = [
        [
            "<br>".join(wrap(row[i], room * w / sum(widths) - 12, fonts.footnote))
            for row in body
        ]
        for i, w in enumerate(widths)
    ]
    fig = go.Figure(
        go.Table(
            columnwidth=widths,
            header={
                "values": [f"<b>{h}</b>" for h in head],
                "fill_color": theme.color("grid"),
                "font": {"size": fonts.body * k, "color": theme.color("ink")},
                "align": "left",
                "height": 24 * k,
            },
            cells={
                "values": columns,
                "font": {"size": fonts.footnote * k, "color": theme.color("ink")},
                "align": "left",
                "height": 20 * k,
                "fill_color": theme.color("background"),
                "line_color": theme.color("grid"),
            },
            domain={"x": [0, 1], "y": [0, 0.9]},
        )
    )
    fig.add_annotation(
        text=f"<b>{disclosure_title(lang)}</b>",
        x=0,
        y=1,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font={"size": fonts.title * k, "color": theme.color("ink")},
    )
    fig.update_layout(
        template=theme.template(size),
        width=size.width,
        height=size.height,
        margin={"l": 24 * k, "r": 24 * k, "t": 24 * k, "b": 16 * k},
    )
    return fig
