"""Confiance dashboard: the only `streamlit run` target.

`run()` works out who is here (:mod:`dashboard.signin`: the sign-in screen
when nobody is), draws the sidebar (on every page) and builds the navigation
from what their role allows, so that a test can import it; pages live in
dashboard/app_pages/, one screen of code each, and ask the role again.
"""

from __future__ import annotations

import logging
import uuid

import streamlit as st

from analysis.access.people import Access, Action
from analysis.errors import SurveyDataError
from analysis.i18n import Words, as_lang
from dashboard import exporting, page, preload, sidebar, signin
from dashboard.i18n import t
from dashboard.page_paths import BROWSE, MANAGE
from dashboard.view import param

PAGES = "app_pages"  # relative to this file, as st.Page resolves it
# pages listed only for the roles allowed the action (the page checks it too)
NEEDS: dict[str, Action] = {"upload": "upload", "weighting": "upload"}
ICONS = {
    "overview": ":material/dashboard:",
    "segments": ":material/bar_chart:",
    "trends": ":material/show_chart:",
    "crosstab": ":material/table_chart:",
    "tables": ":material/table_view:",
    "reference": ":material/menu_book:",
    "waves": ":material/layers:",
    "upload": ":material/upload_file:",
    "weighting": ":material/balance:",
}


_LOG = logging.getLogger("confiance.dashboard")
_WORDS = Words(
    {
        "unexpected": (
            "Something went wrong on our side; please try again. "
            "If it persists, give this reference to your administrator: {ref}.",
            "Une erreur s'est produite de notre côté ; veuillez réessayer. "
            "Si elle persiste, donnez cette référence à votre administrateur : {ref}.",
        )
    }
)


def run() -> None:
    """Draw the page; no trace reaches it: a bug shows a logged reference."""
    st.set_page_config(
        page_title="Confiance", page_icon=":material/verified_user:", layout="wide"
    )
    exporting.audited_exports_only()
    try:
        _draw()
    except SurveyDataError as exc:
        st.error(str(exc))
    except Exception:
        reference = uuid.uuid4().hex[:8]
        _LOG.exception("unexpected error on a page, reference %s", reference)
        st.error(_WORDS("unexpected", page.lang(), ref=reference))


def _draw() -> None:
    """Work out who is here, draw the sidebar, then hand over to the chosen page."""
    access = signin.current(
        as_lang(st.session_state.get("lang") or param("lang", "en"))
    )
    st.session_state["access"] = access
    with preload.plotly_loading():
        _draw_for(access)


def _draw_for(access: Access) -> None:
    """The sidebar, then the chosen page among those the role allows."""
    st.session_state["view"] = sidebar.draw()
    lang = page.lang()
    allowed = [n for n in MANAGE if n not in NEEDS or access.can(NEEDS[n])]

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
            t("manage", lang): [entry(name) for name in allowed],
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
