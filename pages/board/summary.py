"""Summary: the board's first screen — every KPI against target, with SPC icons and readings."""

import streamlit as st

from ui import layout, state
from ui.filters import link_params, sidebar_filters
from workforce.summary import board_summary, changes_since_last_month, summary_frame

config = state.config()
db = state.database(config)
selection = sidebar_filters(config, db)
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
