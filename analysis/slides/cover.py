"""What every deck shares: the cover, the numbers table of the notes, the waves.

A PPTX deck, a ZIP of PNGs and a PDF report all start from the same
:class:`Cover` and write the same numbers table under each chart, so the
three formats never disagree about what was exported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from analysis.figures.chart import Chart
from analysis.figures.layout import wrap
from analysis.figures.text import footnote_text, plain
from analysis.figures.theme import Theme, load_theme
from analysis.formatting import estimate_text, interval_text, number
from analysis.i18n import Lang, Words
from analysis.store.wave import WaveInfo

Progress = Callable[[int, int, str], None]
"""Called as ``progress(done, total, label)`` after each slide."""

_WORDS = Words(
    {
        "waves": ("Waves: {waves}", "Vagues\u00a0: {waves}"),
        "filters": ("Filters: {filters}", "Filtres\u00a0: {filters}"),
        "no_filter": ("none", "aucun"),
        "method": ("Method: {method}", "Méthode\u00a0: {method}"),
        "exported": ("Exported {day}", "Exporté le {day}"),
        "notes_head": (
            "Segment | Estimate | Interval | n | effective n | Flag | Higher than",
            "Segment | Estimation | Intervalle | n | n effectif | Statut | Supérieur à",
        ),
    }
)


@dataclass(frozen=True)
class Cover:
    """The first slide: what the deck shows and how it was estimated.

    The waves it names are those of the deck's charts; ``filters`` are the
    ones the charts' tables were estimated with.
    """

    title: str
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    lang: Lang = "en"

    def lines(self, charts: Sequence[Chart], theme: Theme | None = None) -> list[str]:
        """The cover's lines: waves, filters, then the method footnote."""
        label = (theme or load_theme()).label
        lang = self.lang
        waves = deck_waves(charts)
        rows = _all_rows(charts)
        shown = "; ".join(
            f"{label(k, lang).lower()} = {', '.join(label(v, lang) for v in values)}"
            for k, values in self.filters.items()
        )
        method = footnote_text(rows, waves, lang) if len(rows) else ""
        return [
            _WORDS("waves", lang, waves=", ".join(w.name for w in waves)),
            _WORDS("filters", lang, filters=shown or _WORDS("no_filter", lang)),
            _WORDS("method", lang, method=plain(method)),
            _WORDS("exported", lang, day=date.today().isoformat()),
        ]


def numbers(rows: pd.DataFrame, lang: Lang = "en") -> list[list[str]]:
    """The numbers behind a chart as text cells, one list per row, header first."""
    table = [_WORDS("notes_head", lang).split(" | ")]
    for _, r in rows.iterrows():
        scale = str(r.get("scale", "share"))
        est, low, high = (_num(r, c) for c in ("estimate", "ci_low", "ci_high"))
        table.append(
            [
                f"{r['wave']} · {_row_name(r)} · "
                f"{r['segment_var']}={r['segment_value']}",
                estimate_text(est, scale, lang),
                interval_text(low, high, scale, lang),
                number(_num(r, "n"), lang),
                number(_num(r, "n_eff"), lang),
                str(r.get("flag", "")),
                _text(r.get("letters")),
            ]
        )
    return table


def _row_name(row: pd.Series) -> str:
    """A question's answer by its label (“very”), a metric by its id."""
    answer = row.get("answer")
    if answer is None or pd.isna(answer):
        return str(row["metric"])
    return f"{row['question']}: {answer}"


def notes_table(rows: pd.DataFrame, lang: Lang = "en") -> str:
    """The numbers behind a chart, as plain text for the speaker notes."""
    return "\n".join(" | ".join(cells).rstrip(" |") for cells in numbers(rows, lang))


def _text(value: object) -> str:
    return (
        ""
        if value is None or (isinstance(value, float) and pd.isna(value))
        else str(value)
    )


def _num(row: pd.Series, name: str) -> float:
    value = row.get(name)
    return float("nan") if value is None or pd.isna(value) else float(value)


def _all_rows(charts: Sequence[Chart]) -> pd.DataFrame:
    frames = [c.rows for c in charts if len(c.rows)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def deck_waves(charts: Sequence[Chart]) -> list[WaveInfo]:
    """The charts' waves, each once, by fieldwork date (undated ones last)."""
    seen: dict[str, WaveInfo] = {}
    for chart in charts:
        for wave in chart.waves:
            seen.setdefault(wave.name, wave)
    return sorted(seen.values(), key=_fielded)


def _fielded(wave: WaveInfo) -> tuple[bool, date]:
    start = wave.meta.fieldwork_start
    return (start is None, start or date.min)


def cover_figure(cover: Cover, charts: Sequence[Chart]) -> go.Figure:
    """The cover as a figure (for PNG decks): title and the cover's lines."""
    theme = load_theme()
    size = theme.size("slide")
    k = size.k
    fig = go.Figure()
    lines = [
        "<br>".join(wrap(line, theme.screen[0] - 80, theme.fonts.subtitle))
        for line in cover.lines(charts, theme)
    ]
    fig.add_annotation(
        text=f"<b>{cover.title}</b>",
        x=0,
        y=0.78,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font={"size": theme.fonts.title * 1.4 * k, "color": theme.color("ink")},
    )
    fig.add_annotation(
        text="<br><br>".join(lines),
        x=0,
        y=0.72,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
        font={"size": theme.fonts.subtitle * k, "color": theme.color("muted")},
    )
    fig.update_layout(
        template=theme.template(size),
        width=size.width,
        height=size.height,
        margin={"l": 40 * k, "r": 40 * k, "t": 40 * k, "b": 40 * k},
        xaxis={"visible": False},
        yaxis={"visible": False},
    )
    return fig
