"""Streamlit helpers shared by the pages: cached resources, filters bound to the URL, layout."""
