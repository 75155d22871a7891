"""The peer of the cold-first-chart benchmark: one Streamlit page, one plotly bar chart.

Nothing else (no sidebar, no store, no title), so that what a browser waits for
is Streamlit's own start plus plotly's: :mod:`benchmarks.browser_load` serves
it exactly as it serves the dashboard and times the same first chart.
"""

import plotly.graph_objects as go
import streamlit as st

figure = go.Figure(go.Bar(x=["A", "B", "C", "D"], y=[0.42, 0.37, 0.55, 0.29]))
st.plotly_chart(figure)
