"""What a chart builder takes and what it returns.

A builder reads an EstimateTable under a :class:`ChartContext` and returns a
:class:`Chart`: the figure, the slide's words, the rows it draws and the waves
they come from. The page, the camera button, the PNG renderer and the deck all
take that result as it is; nothing is written into the figure to be read back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analysis.errors import SurveyDataError
from analysis.figures.answer_layout import AnswerLayout
from analysis.figures.text import SlideText
from analysis.figures.theme import Size, SizeName, Theme, load_theme
from analysis.i18n import LANGS, Lang
from analysis.library.codebook import Codebook, load_codebook
from analysis.store.wave import WaveInfo


@dataclass(frozen=True)
class ChartContext:
    """Everything a builder needs besides the table: language, size, waves, texts.

    Parameters
    ----------
    lang : {"en", "fr"}
    size : {"screen", "slide"}
        The 960×540 screen layout, or the same layout scaled to 1920×1080.
    waves : sequence of WaveInfo
        The stored waves' records, for the footnote's fieldwork, source and
        synthetic-data mark; a chart keeps those its rows come from.
    filters : mapping, optional
        The filters the table was estimated with, named in the footnote.
    codebook, theme : optional
        Default: the project's ``data/codebook.yaml`` and ``data/theme.yaml``.
    """

    lang: Lang = "en"
    size: SizeName = "screen"
    waves: Sequence[WaveInfo] = ()
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    codebook: Codebook = field(default_factory=load_codebook)
    theme: Theme = field(default_factory=load_theme)
    pixels: Size = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise SurveyDataError(f"language {self.lang!r} must be 'en' or 'fr'")
        # frozen: normalise the caller's sequences once, here
        object.__setattr__(self, "waves", tuple(self.waves))
        filters = {str(k): tuple(map(str, v)) for k, v in (self.filters or {}).items()}
        object.__setattr__(self, "filters", filters)
        object.__setattr__(self, "pixels", self.theme.size(self.size))

    def px(self, value: float) -> float:
        """A length in screen pixels, scaled to this figure's size."""
        return self.pixels.px(value)

    def label(self, key: Any) -> str:
        """The theme's label for a segment, variable or value, in this language."""
        return self.theme.label(str(key), self.lang)

    def shown_waves(self, rows: pd.DataFrame) -> tuple[WaveInfo, ...]:
        """The context's waves that ``rows`` come from, in the context's order."""
        names = set(rows["wave"].astype(str)) if "wave" in rows else set()
        return tuple(w for w in self.waves if w.name in names)


@dataclass(frozen=True, eq=False)
class Chart:
    """A finished chart: the figure, its slide words, its rows and their waves.

    ``rows`` are the EstimateTable rows the figure draws, as the caller passed
    them in (letters and significance included); ``waves`` are the records of
    the waves those rows come from, so a deck's cover can name them.
    ``answers`` is set on a chart of a question's answers
    (:func:`analysis.figures.answers.answer_chart`): where each answer went,
    which the native PowerPoint chart follows.
    """

    figure: go.Figure
    text: SlideText
    rows: pd.DataFrame
    waves: tuple[WaveInfo, ...]
    answers: AnswerLayout | None = None
