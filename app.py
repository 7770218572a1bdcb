"""ICS Workforce Dashboard — the Streamlit entry point. Every page is registered here explicitly."""

import streamlit as st

from ui import state

st.set_page_config(page_title="ICS Workforce Dashboard", page_icon=":material/groups:", layout="wide")

PAGES = {
    "Board": [
        st.Page("pages/board/summary.py", title="Summary", icon=":material/dashboard:", default=True),
        st.Page("pages/board/kpi.py", title="KPI detail", icon=":material/monitoring:", url_path="kpi"),
        st.Page("pages/board/compare.py", title="Compare organisations", icon=":material/compare_arrows:",
                url_path="compare"),
    ],
    "Meetings": [
        st.Page("pages/meetings/present.py", title="Meeting view", icon=":material/co_present:", url_path="present"),
        st.Page("pages/meetings/register.py", title="Commentary and interventions", icon=":material/edit_note:",
                url_path="register"),
    ],
    "Data": [
        st.Page("pages/data/load.py", title="Load data", icon=":material/upload_file:", url_path="load"),
        st.Page("pages/data/quality.py", title="Data quality", icon=":material/fact_check:", url_path="quality"),
    ],
}

config = state.config()
state.ensure_database(config)
st.navigation(PAGES).run()
