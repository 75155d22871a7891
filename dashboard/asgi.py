"""The dashboard as Streamlit's ASGI app, with the chart pages' plotly hint.

``python -m dashboard.serve`` (``make run``) runs ``streamlit run`` on this
file: Streamlit finds the ``App`` below and serves :mod:`dashboard.app` with
it, as it would serve that script directly, plus the middleware of
:mod:`dashboard.plotly_hint`. ``streamlit run dashboard/app.py`` still
serves the same pages, without the hint.
"""

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from dashboard.plotly_hint import PlotlyHint

app = st.App(Path(__file__).with_name("app.py"), middleware=[Middleware(PlotlyHint)])
