"""Confiance dashboard: the only `streamlit run` target.

`run()` builds the navigation so that a test can import it; pages live in
dashboard/pages/, one screen of code each.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).parent / "pages"


def run() -> None:
    """Set up the page and hand over to the chosen page."""
    st.set_page_config(page_title="Confiance", page_icon="🔒", layout="wide")
    navigation = st.navigation(
        {
            "Browse": [
                st.Page(
                    PAGES / "overview.py", title="Overview", icon="📊", default=True
                ),
            ],
        }
    )
    navigation.run()


run()
