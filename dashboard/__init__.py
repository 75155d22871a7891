"""The Streamlit app: navigation in app.py, one module per page."""
