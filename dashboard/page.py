"""What every page starts with: the view or a clear message, and URL-backed choices.

A page reads ``view()``, asks its own questions through ``url_selectbox`` /
``url_multiselect`` (which start from the query string, so a copied link
reopens the same choices), calls the library inside ``with guard():`` and
renders what it gets back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import streamlit as st

from analysis.access.people import Access, Action, Person
from analysis.errors import SurveyDataError
from analysis.i18n import Lang, Words, as_lang
from analysis.names import markdown_safe
from dashboard import signin
from dashboard.i18n import t
from dashboard.view import View, param, param_list

_WORDS = Words(
    {
        "not_allowed": (
            "Your role ({role}) does not allow this page.",
            "Votre rôle ({role}) ne permet pas cette page.",
        )
    }
)
_NOBODY = Access(Person("anonymous", via="local"), "viewer")


def access() -> Access:
    """The access app.py worked out for this run, before any page (else a viewer)."""
    found = st.session_state.get("access")
    return found if isinstance(found, Access) else _NOBODY


def require(action: Action) -> Access:
    """Stop the page with a sentence unless the role allows ``action`` (journaled).

    The server-side check behind a hidden link: a URL typed by hand lands here.
    """
    current = access()
    if not current.can(action):
        signin.journal().record("denied", current.actor, f"page needing {action}")
        st.warning(_WORDS("not_allowed", lang(), role=current.role))
        st.stop()
    return current


def lang() -> Lang:
    """The language the sidebar's switch is set to (drawn first on every run)."""
    return as_lang(st.session_state.get("lang") or "en")


def view() -> View:
    """The sidebar's view; without a respondent wave, say how to get one and stop."""
    current = st.session_state.get("view")
    if current is None:
        st.info(t("no_waves", lang()))
        st.stop()
    return current


@contextmanager
def guard(*, stop: bool = True) -> Iterator[None]:
    """Turn an error the user can cause into its one-line message (and stop)."""
    try:
        yield
    except SurveyDataError as exc:
        st.error(markdown_safe(str(exc)))  # messages quote names and cells
        if stop:
            st.stop()


def url_selectbox(
    label: str,
    options: Sequence[str],
    name: str,
    *,
    default: str | None = None,
    format_func: Callable[[str], str] = str,
    key: str | None = None,
    where: Any = st,
) -> str:
    """A selectbox starting from ``?name=`` when it is one of ``options``."""
    fallback = default if default in options else options[0]
    wanted = param(name, fallback)
    chosen = wanted if wanted in options else fallback
    return str(
        where.selectbox(
            label,
            list(options),
            index=list(options).index(chosen),
            format_func=format_func,
            key=key,
        )
    )


def url_multiselect(
    label: str,
    options: Sequence[str],
    name: str,
    *,
    default: Sequence[str] = (),
    format_func: Callable[[str], str] = str,
    key: str | None = None,
    placeholder: str | None = None,
    where: Any = st,
) -> list[str]:
    """A multiselect starting from ``?name=a,b`` (the known values among them)."""
    chosen = [v for v in param_list(name) if v in options] or [
        v for v in default if v in options
    ]
    if placeholder is None:  # Streamlit's own says "Choose an option" in English
        placeholder = t("choose", lang())
    return list(
        where.multiselect(
            label,
            list(options),
            default=chosen,
            format_func=format_func,
            key=key,
            placeholder=placeholder,
        )
    )
