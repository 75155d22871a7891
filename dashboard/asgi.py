"""The dashboard as Streamlit's ASGI app, with two hints in its pages' HTML.

``python -m dashboard.serve`` (``make run``) runs ``streamlit run`` on this
file: Streamlit finds the ``App`` below and serves :mod:`dashboard.app` with
it, as it would serve that script directly, plus the middlewares of
:mod:`dashboard.plotly_hint` (fetch plotly at once) and
:mod:`dashboard.base_path` (connect without searching for the base path).
``streamlit run dashboard/app.py`` still serves the same pages, without them.
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from dashboard.base_path import BasePathHint
from dashboard.plotly_hint import PlotlyHint

app = st.App(
    Path(__file__).with_name("app.py"),
    middleware=[Middleware(PlotlyHint), Middleware(BasePathHint)],
)
