"""ICS Workforce Dashboard — the Streamlit entry point. Every page is registered here explicitly,
and only the pages the user's role allows (see docs/access.md)."""

from pathlib import Path

import streamlit as st

from ui import access, filters, layout, meetings, state
from workforce.base.db import DataUnavailable
from workforce.base.store_backend import StoreUnavailable
from workforce.base.text import escape
from workforce.measures.selection import Selection

# served from here: a :material/…: favicon would be fetched from fonts.gstatic.com
FAVICON = Path(__file__).parent / "ui" / "assets" / "favicon.png"
st.set_page_config(page_title="ICS Workforce Dashboard", page_icon=str(FAVICON), layout="wide")

config = state.config()
user = access.current_user(config)  # stops here with a sign-in button or a refusal when needed
access.network_banner(config, user)
access.config_warnings(config, user)

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
        st.Page("pages/data/quality.py", title="Data quality", icon=":material/fact_check:", url_path="quality"),
    ],
}
if user.can("upload"):
    PAGES["Data"].insert(0, st.Page("pages/data/load.py", title="Load data", icon=":material/upload_file:",
                                    url_path="load"))
if user.can("audit"):
    PAGES["Data"].append(st.Page("pages/data/audit.py", title="Audit log", icon=":material/history:",
                                 url_path="audit"))

state.ensure_database(config)
page = st.navigation(PAGES, position="hidden")  # our own page list below carries the filters
nav = st.sidebar.container()
access.sidebar_identity(user)
try:
    selection = filters.sidebar_filters(config, state.database(config))
except DataUnavailable:  # no database yet: the Load data page still opens
    selection = st.session_state["_selection"] = Selection(ics=config.plan.ics)
filters.page_links(PAGES, selection, nav)
if page.url_path != "present":  # the meeting view has its own style and carries the label in its header
    try:
        layout.page_top(state.database(config), selection)
    except DataUnavailable:
        layout.page_top(None)
meetings.put_back_drafts()  # what was typed before the store stopped answering (ui/meetings.py)
try:
    page.run()
except StoreUnavailable as exc:  # PostgreSQL restarting or stopped (a cluster): say so; the next run tries again
    st.error(escape(exc), icon=":material/cloud_off:")
    st.button("Try again", key="store_retry", icon=":material/refresh:")
    meetings.keep_drafts()
    st.stop()  # not the run's end: an ended run forgets the widgets it did not draw (a half-typed commentary)
