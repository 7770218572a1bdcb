"""Summary: the board's first screen — every KPI against target, with SPC icons and readings."""

import streamlit as st

from ui import layout, meetings, state
from ui import filters
from ui.filters import link_params
from workforce.selection import to_query_params
from workforce.summary import board_summary, changes_since_last_month, summary_frame

config = state.config()
db = state.database(config)
selection = filters.current(config, db)
month, rows = layout.cached_summary(db, config, selection)

layout.page_header(config, db, selection, month, title=config.plan.name)
if month is None:
    st.info("There are no figures for this selection. Choose another ICS or organisation.")
    st.stop()

for priority in config.plan.priorities:
    st.subheader(priority.label)
    st.caption(priority.description)
    frame = summary_frame(rows, priority.id)
    frame["Open"] = [f"kpi?{link_params(selection, kpi=k)}" for k in frame["kpi"]]
    frame["Notes"] = meetings.marker_column(config, selection, month, frame["kpi"])
    layout.kpi_table(frame)

st.subheader("What changed since last month")
changes = changes_since_last_month(rows)
if changes:
    st.markdown("\n".join(f"- {layout.plain(line)}" for line in changes))
else:
    st.write("No KPI changed its variation or assurance state, and no new special-cause signal appeared.")

st.subheader("Making Data Count summary")
st.caption("Each KPI placed by its latest variation (rows) and assurance against its target (columns). "
           "Select a KPI to open its chart.")
layout.summary_matrix(rows, selection)

st.subheader("Board meeting")
st.caption("The meeting view shows one KPI per screen in large type, with the figures frozen when it opens. "
           "The board pack holds the same figures, charts and commentary as PowerPoint or PDF, built for the "
           "current filters when you click.")
st.page_link("pages/meetings/present.py", label="Open the meeting view", icon=":material/co_present:",
             query_params={**to_query_params(selection), "exceptions": "1" if st.session_state.get("pack_exceptions")
                           else "0"})
meetings.pack_downloads(db, config, selection, month)
