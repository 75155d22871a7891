"""A PDF report of a view: the cover, then each chart and its table of numbers.

Every page is a plotly figure printed by the same kaleido session as the PNG
slides, as a vector page whose text can be searched and copied: the chart
itself (title, question, footnote included), then the numbers behind it as a
table under the same title and footnote. pypdf joins the pages.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import plotly.graph_objects as go
from pypdf import PdfReader, PdfWriter

from analysis.errors import ExportError
from analysis.figures.chart import Chart
from analysis.figures.layout import wrap
from analysis.figures.theme import Theme, load_theme
from analysis.i18n import Words
from analysis.slides.cover import Cover, Progress, cover_figure, deck_waves, numbers
from analysis.slides.disclosure import disclosure_figure
from analysis.slides.render import figure_pdf

LINES_PER_PAGE = 14
"""Table lines on one page at most; a row whose text wraps takes several, a
long footnote leaves room for fewer, and a longer table continues on the
next page rather than be cut off."""
_HEADER_PX, _LINE_PX = 26, 24
"""The table's header and cell heights, in screen pixels."""
_COLUMNS = (3.6, 1, 1.3, 0.8, 0.9, 0.9, 1)
"""Relative column widths: the row's name, then the numbers."""

_WORDS = Words(
    {
        "numbers": ("The numbers: {title}", "Les chiffres\u00a0: {title}"),
        "continued": (" (continued)", " (suite)"),
    }
)


def report_pdf(
    charts: Sequence[Chart],
    cover: Cover | None = None,
    *,
    progress: Progress | None = None,
    disclosure: bool = False,
) -> bytes:
    """The view as one PDF: a cover, then per chart its page and its table pages.

    A chart takes ``1 + len(table_pages(chart))`` pages; ``disclosure`` adds
    the disclosure page of the charts' waves after the cover.
    """
    if not charts:
        raise ExportError("a report needs at least one chart")
    theme = load_theme()
    writer = PdfWriter()
    if cover is not None:
        _append(writer, figure_pdf(cover_figure(cover, charts), theme))
    if disclosure:
        lang = cover.lang if cover else charts[0].text.lang
        page = disclosure_figure(deck_waves(charts), lang, theme)
        _append(writer, figure_pdf(page, theme))
    for i, chart in enumerate(charts, start=1):
        _append(writer, figure_pdf(chart.figure, theme))
        for page in table_pages(chart, theme):
            _append(writer, figure_pdf(page, theme))
        if progress:
            progress(i, len(charts), chart.text.title)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _append(writer: PdfWriter, page: bytes) -> None:
    writer.append(PdfReader(io.BytesIO(page)))


def table_pages(chart: Chart, theme: Theme | None = None) -> list[go.Figure]:
    """The chart's numbers as table figures the size of its own figure."""
    theme = theme or load_theme()
    cells = numbers(chart.rows, chart.text.lang)
    head, body = cells[0], cells[1:]
    return [
        _table_figure(chart, head, chunk, theme, more=n > 0)
        for n, chunk in enumerate(_chunks(body, theme, _room(chart, theme)))
    ]


def _foot_height(chart: Chart, theme: Theme) -> float:
    """The footnote's share of the page height."""
    foot = wrap(chart.text.footnote, theme.screen[0] - 48, theme.fonts.footnote)
    return (len(foot) * theme.fonts.footnote * 1.3 + 16) / theme.screen[1]


def _room(chart: Chart, theme: Theme) -> int:
    """How many table lines fit between the title and this chart's footnote."""
    page = theme.screen[1] - 24 - 16  # the top and bottom margins
    table = (0.86 - _foot_height(chart, theme) - 0.02) * page - _HEADER_PX
    return max(1, min(LINES_PER_PAGE, int(table // _LINE_PX)))


def _chunks(body: list[list[str]], theme: Theme, room: int) -> list[list[list[str]]]:
    """The rows page by page, each page holding at most ``room`` lines."""
    across = theme.screen[0] - 48
    widths = [across * w / sum(_COLUMNS) - 12 for w in _COLUMNS]
    pages: list[list[list[str]]] = [[]]
    used = 0
    for cells in body:
        lines = max(
            len(wrap(cell, width, theme.fonts.body))
            for cell, width in zip(cells, widths, strict=True)
        )
        if pages[-1] and used + lines > room:
            pages.append([])
            used = 0
        pages[-1].append(cells)
        used += lines
    return pages


def _table_figure(
    chart: Chart, head: list[str], body: list[list[str]], theme: Theme, *, more: bool
) -> go.Figure:
    screen = theme.size("screen")
    width = int(chart.figure.layout.width or screen.width)
    height = int(chart.figure.layout.height or screen.height)
    k = width / theme.screen[0]
    fonts = theme.fonts
    lang = chart.text.lang
    title = _WORDS("numbers", lang, title=chart.text.title)
    if more:
        title += _WORDS("continued", lang)
    foot = wrap(chart.text.footnote, theme.screen[0] - 48, fonts.footnote)
    foot_h = _foot_height(chart, theme)
    columns: list[Sequence[str]] = list(zip(*body, strict=True)) or [[] for _ in head]
    fig = go.Figure(
        go.Table(
            columnwidth=list(_COLUMNS),
            header={
                "values": [f"<b>{h}</b>" for h in head],
                "fill_color": theme.color("grid"),
                "font": {"size": fonts.body * k, "color": theme.color("ink")},
                "align": "left",
                "height": _HEADER_PX * k,
            },
            cells={
                "values": columns,
                "font": {"size": fonts.body * k, "color": theme.color("ink")},
                "align": "left",
                "height": _LINE_PX * k,
                "fill_color": theme.color("background"),
                "line_color": theme.color("grid"),
            },
            domain={"x": [0, 1], "y": [foot_h + 0.02, 0.86]},
        )
    )
    _note(
        fig,
        wrap(f"<b>{title}</b>", theme.screen[0] - 48, fonts.title),
        top=True,
        size=fonts.title * k,
        color=theme.color("ink"),
    )
    _note(fig, foot, top=False, size=fonts.footnote * k, color=theme.color("muted"))
    fig.update_layout(
        template=theme.template(theme.size("screen")),
        width=width,
        height=height,
        margin={"l": 24 * k, "r": 24 * k, "t": 24 * k, "b": 16 * k},
    )
    return fig


def _note(
    fig: go.Figure, lines: list[str], *, top: bool, size: float, color: str
) -> None:
    """Title lines at the top left of the page, or footnote lines at the bottom."""
    fig.add_annotation(
        text="<br>".join(lines),
        x=0,
        y=1 if top else 0,
        xref="paper",
        yref="paper",
        xanchor="left",
        yanchor="top" if top else "bottom",
        align="left",
        showarrow=False,
        font={"size": size, "color": color},
    )
