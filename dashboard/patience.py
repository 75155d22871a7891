"""Store reads that wait out an import, saying so on the page meanwhile.

An import holds the store while it writes (DuckDB lets no other process in);
a read then waits the store's read wait and gives up as busy. A page's read
goes through :func:`patiently`, which says an import is being written and
tries again, so a page drawn during an import is late, not broken.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from analysis.errors import StoreBusyError
from analysis.i18n import Words
from dashboard import page

T = TypeVar("T")
_WORDS = Words(
    {
        "busy": (
            "An import is being written; retrying…",
            "Un import est en cours d'écriture ; nouvel essai…",
        )
    }
)
_TRIES = 5


def patiently(read: Callable[[], T]) -> T:
    """Call a store read; while an import is written, say so and try again.

    Each try already waits a few seconds (the store's read wait) and reads the
    store's stamp afresh; after the last one the busy error reaches the page's
    guard as one sentence.
    """
    notice = None
    for attempt in range(_TRIES):
        try:
            result = read()
        except StoreBusyError:
            if attempt == _TRIES - 1:
                raise
            if notice is None:
                notice = st.empty()
                notice.info(_WORDS("busy", page.lang()))
            time.sleep(0.5)
        else:
            if notice is not None:
                notice.empty()
            return result
    raise AssertionError("unreachable: the last try returns or raises")
