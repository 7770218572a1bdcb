"""Summary: the board's first screen — what needs attention and the Making Data Count matrix first, then
every KPI against target with SPC icons, short readings (in full on demand) and notes."""

import streamlit as st

from ui import layout, meetings, state
from ui import filters
from workforce.measures.selection import to_query_params
from workforce.views.summary import changes_since_last_month

config = state.config()
db = state.database(config)
selection = filters.current(config, db)
scope = layout.cached_scope(config, db, selection)  # resolved once for this run, passed to all below
month, rows = layout.cached_summary(db, config, scope)

layout.page_header(config, selection, scope, month, title=config.plan.name)
if month is None:
    st.info("There are no figures for this selection. Choose another ICS or organisation.")
    st.stop()

# headline first: what needs attention and where every KPI stands, then the detail
left, right = st.columns(2, gap="medium")
with left:
    layout.attention_panel(rows, selection)
with right, st.container(border=True):
    st.markdown("#### What changed since last month")
    changes = changes_since_last_month(rows)
    if changes:
        st.markdown("\n".join(f"- {layout.plain(line)}" for line in changes))
    else:
        st.write("No KPI changed its variation or assurance state, and no new special-cause signal appeared.")
st.subheader("Making Data Count summary")
st.caption("Each KPI by its latest variation (rows) and assurance against its target (columns). "
           "Select a KPI to open its chart.")
layout.summary_matrix(rows, selection)

commentary = meetings.commentary_states(config, selection, month)
for priority in config.plan.priorities:
    st.subheader(priority.label)
    st.caption(priority.description)
    layout.kpi_table([r for r in rows if r.kpi.priority == priority.id], selection, commentary,
                     caption=f"{priority.label}: each KPI against its target")

st.subheader("Board meeting")
st.caption("The meeting view shows one KPI per screen in large type, with the figures frozen when it opens. "
           "The board pack holds the same figures, charts and commentary as PowerPoint or PDF, built for the "
           "current filters when you click.")
st.page_link("pages/meetings/present.py", label="Open the meeting view", icon=":material/co_present:",
             query_params={**to_query_params(selection), "exceptions": "1" if st.session_state.get("pack_exceptions")
                           else "0"})
meetings.pack_downloads(db, config, selection, scope, month)
