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
}

config = state.config()
state.ensure_database(config)
st.navigation(PAGES).run()
