"""Serve the dashboard with its libraries loaded before the first visitor arrives.

``streamlit run dashboard/app.py`` imports what the pages need when the first
session runs them: pandas, scipy, plotly, the analysis package, the codebook
and the theme take a second or more on a fresh server, and the first person
to open it waits for all of that before their first chart. Loaded here,
before the server listens, that time moves to the server's start. It serves
the app through :mod:`dashboard.asgi`, whose chart pages tell the browser to
fetch plotly at once (:mod:`dashboard.plotly_hint`) and whose pages give it the
app's base URL (:mod:`dashboard.base_path`).

Run: ``python -m dashboard.serve [streamlit run options]`` (``make run`` does).
"""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analysis.figures.theme import Theme

_LOG = logging.getLogger("confiance.serve")
APP = Path(__file__).with_name("asgi.py")  # dashboard/app.py, with its HTML hints


def warm() -> None:
    """Import what every page uses and read the codebook and theme once.

    The pages' caches are declared before the server's runtime exists, as
    when a test imports them; they keep to memory either way (no ``persist``),
    so Streamlit's note saying so is kept out of the server's log (once
    Streamlit is imported: its own loggers start at its configured level).
    """
    import streamlit.runtime.caching.cache_data_api as declared

    logging.getLogger(declared.__name__).setLevel(logging.ERROR)
    import dashboard.charts
    import dashboard.data
    import dashboard.own_questions
    import dashboard.sidebar  # noqa: F401  (imported for their imports)
    from analysis.figures.theme import load_theme
    from analysis.library.codebook import load_codebook
    from dashboard.plotly_hint import link_header

    load_codebook()
    link_header()
    _warm_plotly(load_theme())
    _warm_streamlit()
    _warm_store()


def _warm_plotly(theme: Theme) -> None:
    """Build and serialise one figure of the parts the charts use.

    plotly imports the class of each part (an axis title's font, an error
    bar, a heatmap's text) when a figure first uses it: the first chart page
    would, for a quarter of a second.
    """
    import plotly.graph_objects as go

    font = {"size": 9}
    figure = go.Figure(
        [
            go.Bar(x=[1], y=["a"], error_x={"array": [0.1]}, textfont=font),
            go.Scatter(x=[1], y=[1], error_x={"array": [0.1]}, textfont=font),
            go.Heatmap(z=[[1]], textfont=font),
        ],
        layout={"template": theme.template(theme.size("screen"))},
    )
    figure.add_annotation(text="a", font=font)
    figure.add_shape(type="line", x0=0, x1=1, y0=0, y1=1, line={"width": 1})
    axis = {"title": {"text": "a", "font": font}, "tickfont": font}
    figure.update_layout(
        title={"text": "a", "font": font},
        legend={"font": font},
        hoverlabel={"font": font},
        margin={"t": 1},
        xaxis=axis,
        yaxis=axis,
    )
    figure.to_json()


def _warm_streamlit() -> None:
    """What Streamlit itself loads on a first page: its icon and emoji tables.

    Its note for scripts run without ``streamlit run`` is marked as given:
    deciding whether to give it inspects every frame of the first page's
    stack, reading their source files.
    """
    import streamlit.delta_generator
    import streamlit.emojis
    import streamlit.material_icon_names

    streamlit.delta_generator._use_warning_has_been_displayed = True


def _warm_store() -> None:
    """Open the store once: its driver imported, a PostgreSQL pool connected.

    Only read (a missing DuckDB file is not made here). A store that cannot
    be opened now is left for the first page to report, in its reader's words.
    """
    from analysis.config import store_location
    from analysis.store.dialect import open_backend

    try:
        backend = open_backend(store_location())
        if backend.exists():
            with backend.reading() as con:
                con.execute("SELECT 1").fetchone()
    except Exception as exc:  # any failure: the app's pages say it properly
        _LOG.warning("the store could not be opened before serving: %s", exc)


def ready() -> None:
    """Warm up, then keep what is loaded out of the collector's full passes.

    A full pass of Python's collector walks every object alive: with pandas,
    plotly and Streamlit loaded, a pause of 100 ms or more in whichever view
    it falls. What is loaded now lives as long as the server, so it is frozen
    out of those passes (``gc.freeze``).
    """
    warm()
    gc.freeze()


def main() -> None:
    """Get ready, then hand over to ``streamlit run`` with the same options."""
    ready()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
