"""Audit log (admins): every load, rollback and edit, with who and when; exportable."""

import streamlit as st

from ui import access, layout, meetings, state
from workforce import export
from workforce.audit import audit_log

config = state.config()
user = access.current_user(config)
access.require(user, "audit", "read the audit log")
st.markdown(layout.PAGE_CSS, unsafe_allow_html=True)
st.title("Audit log")
st.write("Every data load and rollback, and every change to commentary and interventions, newest first.")
log = audit_log(state.db_path(config), meetings.store(config))
if log.empty:
    st.info("Nothing has been loaded or edited yet.")
    st.stop()
actions = st.multiselect("Actions", sorted(log["action"].unique()), placeholder="All actions")
shown = log[log["action"].isin(actions)] if actions else log
st.dataframe(shown, hide_index=True, width="stretch",
             column_config={"when": st.column_config.DatetimeColumn("When", format="D MMM YYYY, HH:mm"),
                            "details": st.column_config.TextColumn("Details", width="large")})
st.download_button("Download the audit log (CSV)", export.csv_bytes(shown), "audit_log.csv", "text/csv",
                   on_click="ignore")
