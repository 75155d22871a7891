"""Confiance dashboard: the only `streamlit run` target.

`run()` draws the sidebar (on every page) and builds the navigation, so that a
test can import it; pages live in dashboard/app_pages/, one screen of code each.
"""

from __future__ import annotations

import streamlit as st

from dashboard import exporting, page, sidebar
from dashboard.i18n import t

PAGES = "app_pages"  # relative to this file, as st.Page resolves it
BROWSE = ("overview", "segments", "trends", "crosstab", "reference")
MANAGE = ("waves", "upload")
ICONS = {
    "overview": ":material/dashboard:",
    "segments": ":material/bar_chart:",
    "trends": ":material/show_chart:",
    "crosstab": ":material/table_chart:",
    "reference": ":material/menu_book:",
    "waves": ":material/layers:",
    "upload": ":material/upload_file:",
}


def run() -> None:
    """Draw the sidebar, then hand over to the chosen page."""
    st.set_page_config(
        page_title="Confiance", page_icon=":material/verified_user:", layout="wide"
    )
    st.session_state["view"] = sidebar.draw()
    lang = page.lang()

    def entry(name: str) -> st.Page:
        return st.Page(
            f"{PAGES}/{name}.py",
            title=t(name, lang),
            icon=ICONS[name],
            url_path=name,
            default=name == "overview",
        )

    navigation = st.navigation(
        {
            t("browse", lang): [entry(name) for name in BROWSE],
            t("manage", lang): [entry(name) for name in MANAGE],
        }
    )
    exporting.begin_view()
    navigation.run()
    view = st.session_state["view"]
    if view is not None:
        exporting.deck_panel(
            f"Confiance · {navigation.title} · {view.wave}",
            dict(view.filters),
            view.lang,
        )


run()
