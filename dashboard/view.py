"""The view a user is looking at, kept in the URL so a copied link reopens it.

Every sidebar widget starts from the query string and writes its value back, so
the address bar always describes the current view.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import streamlit as st

from analysis.i18n import Lang
from analysis.stats.comparisons import AdjustMethod
from analysis.store.wave import WaveInfo
from analysis.table.rows import EstimateOptions
from analysis.table.trackers import previous_comparable

LEVELS = (0.9, 0.95, 0.99)
ADJUSTMENTS: tuple[AdjustMethod, ...] = ("holm", "bh")
"""Corrections a page-wide family may use (analysts get "none" on the CLI)."""
DEFAULT_THRESHOLDS = (100, 30, 10)


@dataclass(frozen=True)
class View:
    """Everything the sidebar decides for every page.

    It carries the chosen wave's stored record and the respondent waves beside
    it (in stored order), so no page looks a wave up by name again.
    """

    info: WaveInfo
    waves: tuple[WaveInfo, ...]
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    method: str = "wilson"
    level: float = 0.95
    adjust: AdjustMethod = "holm"
    weighted: bool = True
    weighting: str | None = None
    """The chosen wave's stored weighting (None: its default)."""
    thresholds: tuple[int, int, int] = DEFAULT_THRESHOLDS
    lang: Lang = "en"

    @property
    def wave(self) -> str:
        """The chosen wave's name."""
        return self.info.name

    @property
    def previous(self) -> WaveInfo | None:
        """The respondent wave stored just before the chosen one, if any."""
        names = [w.name for w in self.waves]
        position = names.index(self.wave)
        return self.waves[position - 1] if position > 0 else None

    @property
    def comparable(self) -> WaveInfo | None:
        """The previous comparable wave, never merely the last upload.

        Same countries, real or synthetic alike, fieldwork begun earlier: the
        latest such (:func:`analysis.table.trackers.previous_comparable`).
        """
        found = previous_comparable(self.info.meta, [w.meta for w in self.waves])
        return None if found is None else self.infos([found.name])[0]

    def infos(self, names: Iterable[str]) -> tuple[WaveInfo, ...]:
        """The records of the named respondent waves, in the order given."""
        known = {w.name: w for w in self.waves}
        return tuple(known[name] for name in names)

    @property
    def options(self) -> EstimateOptions:
        """The estimation options this view asks for."""
        return EstimateOptions(
            method=self.method,  # type: ignore[arg-type]
            level=self.level,
            weighted=self.weighted,
            weighting=self.weighting,
            thresholds=(
                float(self.thresholds[0]),
                float(self.thresholds[1]),
                float(self.thresholds[2]),
            ),
        )


def param(name: str, default: str) -> str:
    """One query-string value, or the default."""
    value = st.query_params.get(name)
    return default if value is None else str(value)


def param_list(name: str) -> list[str]:
    """A comma-separated query-string value as a list."""
    raw = st.query_params.get(name)
    return [v for v in str(raw).split(",") if v] if raw else []


def level_from_url() -> float:
    """The confidence level in the URL, if it is one we offer."""
    try:
        value = float(param("level", "0.95"))
    except ValueError:
        return 0.95
    return value if value in LEVELS else 0.95


def thresholds_from_url() -> tuple[int, int, int]:
    """Base thresholds (small, low, hidden) from the URL, if they make sense."""
    try:
        values = tuple(int(v) for v in param("bases", "100,30,10").split(","))
    except ValueError:
        return DEFAULT_THRESHOLDS
    if len(values) == 3 and values[0] >= values[1] >= values[2] >= 0:
        return values[0], values[1], values[2]
    return DEFAULT_THRESHOLDS


def write_url(view: View, **page: str) -> None:
    """Put the view (and a page's own choices) in the query string."""
    wanted = {
        "wave": view.wave,
        "lang": view.lang,
        "ci": view.method,
        "level": f"{view.level:g}",
        "adjust": view.adjust,
        "weighted": "1" if view.weighted else "0",
        "weighting": view.weighting or "",
        "bases": ",".join(str(t) for t in view.thresholds),
        **{f"f_{k}": ",".join(v) for k, v in view.filters.items()},
        **{k: v for k, v in page.items() if v},
    }
    # other pages' choices stay: a segment variable picked on Segments
    # carries over to Crosstab, and the link still reopens this view
    for key in list(st.query_params):
        if key.startswith("f_") and key not in wanted:
            del st.query_params[key]  # a filter the user cleared
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value
