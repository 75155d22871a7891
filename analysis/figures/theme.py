"""Colours, fonts and sizes from ``data/theme.yaml``, as a full plotly template.

Charts are laid out once, in the units of a 960×540 screen figure; a slide is
the same layout with every pixel size multiplied by ``slide_scale`` (2 → a
1920×1080 PNG). Each figure carries its own complete template, because
plotly's process-wide default is not ours to rely on (streamlit replaces it).
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import plotly.graph_objects as go
import yaml

from analysis import config
from analysis.errors import SurveyDataError
from analysis.i18n import Lang

SizeName = Literal["screen", "slide"]


@dataclass(frozen=True)
class Size:
    """Where a figure goes: the screen (responsive width) or a slide."""

    name: SizeName
    k: float
    """Multiplier applied to every pixel size of the 960×540 layout."""
    width: int
    height: int

    def px(self, value: float) -> float:
        """A screen pixel size at this size."""
        return value * self.k


@dataclass(frozen=True)
class Fonts:
    """Font family and sizes (screen pixels)."""

    family: str
    title: float
    subtitle: float
    body: float
    tick: float
    footnote: float


@dataclass(frozen=True)
class Theme:
    """Brand colours, the palette, fonts and the labels of segment values."""

    brand: Mapping[str, Any]
    palette: tuple[str, ...]
    sequential: tuple[str, ...]
    fonts: Fonts
    screen: tuple[int, int]
    slide_scale: float
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    origin: Path = config.THEME

    def color(self, name: str) -> str:
        """A brand colour by name (``primary``, ``ink``, ``muted``…)."""
        return str(self.brand[name])

    def size(self, name: SizeName) -> Size:
        """The screen or slide size."""
        w, h = self.screen
        if name == "slide":
            k = self.slide_scale
            return Size("slide", k, round(w * k), round(h * k))
        if name != "screen":
            raise SurveyDataError(f"size {name!r} must be 'screen' or 'slide'")
        return Size("screen", 1.0, w, h)

    def label(self, key: str, lang: Lang = "en") -> str:
        """How a segment value or variable reads (the key itself if unknown)."""
        entry = self.labels.get(str(key))
        return str(entry.get(lang, key)) if entry else str(key)

    def logo_source(self) -> str | None:
        """The logo as a data URI (so kaleido needs no file access), or None."""
        logo = self.brand.get("logo")
        if not logo:
            return None
        path = (self.origin.parent / str(logo)).resolve()
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SurveyDataError(f"theme logo {path}: {exc.strerror}") from None
        mime = mimetypes.guess_type(path.name)[0] or "image/png"
        return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"

    def template(self, size: Size) -> go.layout.Template:
        """A complete template: every colour and font set, nothing inherited.

        Built once per theme and size: plotly validates every property of a
        new template (milliseconds per chart) and copies the one it is given.
        """
        colours = tuple((str(k), str(v)) for k, v in sorted(self.brand.items()))
        # keyed by the scale alone: a screen chart's height varies with its bars
        return _template(self.fonts, colours, self.palette, self.sequential, size.k)


@lru_cache(maxsize=32)
def _template(
    f: Fonts,
    brand: tuple[tuple[str, str], ...],
    palette: tuple[str, ...],
    sequential: tuple[str, ...],
    k: float,
) -> go.layout.Template:
    colour = dict(brand)
    ink, muted, grid = colour["ink"], colour["muted"], colour["grid"]
    axis = {
        "gridcolor": grid,
        "linecolor": grid,
        "zerolinecolor": grid,
        "tickcolor": grid,
        "tickfont": {"size": f.tick * k, "color": ink},
        "title": {"font": {"size": f.body * k, "color": muted}},
        "automargin": True,
        "showline": False,
    }
    layout = go.Layout(
        font={"family": f.family, "size": f.body * k, "color": ink},
        paper_bgcolor=colour["background"],
        plot_bgcolor=colour["background"],
        colorway=list(palette),
        colorscale={"sequential": _scale(sequential)},
        xaxis=axis,
        yaxis=axis,
        hoverlabel={"font": {"family": f.family, "size": 13}},
        legend={"font": {"size": f.body * k, "color": ink}},
        title={"font": {"size": f.title * k, "color": ink}},
        separators=".,",
    )
    return go.layout.Template(layout=layout)


def _scale(colors: tuple[str, ...]) -> list[list[Any]]:
    step = 1 / (len(colors) - 1)
    return [[round(i * step, 6), c] for i, c in enumerate(colors)]


@lru_cache(maxsize=4)
def load_theme(path: Path | str | None = None) -> Theme:
    """Read ``data/theme.yaml`` (or another theme file) once per version of it."""
    source = Path(path) if path is not None else config.THEME
    try:
        stamp = source.stat().st_mtime_ns
    except OSError:
        stamp = 0  # _read_theme reports the missing file
    return _read_theme(source, stamp)


@lru_cache(maxsize=8)
def _read_theme(source: Path, stamp: int) -> Theme:
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8"))
        fonts = raw["font"]
        return Theme(
            brand=dict(raw["brand"]),
            palette=tuple(str(c) for c in raw["palette"]),
            sequential=tuple(str(c) for c in raw["sequential"]),
            fonts=Fonts(
                family=str(fonts["family"]),
                **{k: float(fonts[k]) for k in _FONT_SIZES},
            ),
            screen=(int(raw["screen"]["width"]), int(raw["screen"]["height"])),
            slide_scale=float(raw["slide_scale"]),
            labels={str(k): dict(v) for k, v in (raw.get("labels") or {}).items()},
            origin=source.resolve(),
        )
    except OSError as exc:
        raise SurveyDataError(f"cannot read theme {source}: {exc.strerror}") from None
    except (yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise SurveyDataError(f"theme {source} is malformed: {exc!r}") from None


_FONT_SIZES = ("title", "subtitle", "body", "tick", "footnote")
