"""Serve the dashboard with its libraries loaded before the first visitor arrives.

``streamlit run dashboard/app.py`` imports what the pages need when the first
session runs them: pandas, scipy, plotly, the analysis package, the codebook
and the theme take a second or more on a fresh server, and the first person
to open it waits for all of that before their first chart. Loaded here,
before the server listens, that time moves to the server's start.

Run: ``python -m dashboard.serve [streamlit run options]`` (``make run`` does).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

APP = Path(__file__).with_name("app.py")


def warm() -> None:
    """Import what every page uses and read the codebook and theme once.

    The pages' caches are declared before the server's runtime exists, as
    when a test imports them; they keep to memory either way (no ``persist``),
    so Streamlit's note saying so is kept out of the server's log.
    """
    logging.getLogger("streamlit.runtime.caching.cache_data_api").setLevel(
        logging.ERROR
    )
    import dashboard.charts
    import dashboard.data
    import dashboard.own_questions
    import dashboard.sidebar  # noqa: F401  (imported for their imports)
    from analysis.figures.theme import load_theme
    from analysis.library.codebook import load_codebook

    load_codebook()
    load_theme()


def main() -> None:
    """Warm up, then hand over to ``streamlit run`` with the same options."""
    warm()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *sys.argv[1:]]
    sys.exit(cli.main())


if __name__ == "__main__":
    main()
