"""Audit log (admins): every load, rollback and edit, with who and when; exportable."""

import streamlit as st

from ui import access, meetings, state
from workforce import export
from workforce.audit import audit_log, audit_table
from workforce.formatting import plural

config = state.config()
user = access.current_user(config)
access.require(user, "audit", "read the audit log")
st.title("Audit log")
st.write("Every data load and rollback, and every change to commentary and interventions, newest first.")
log = audit_log(state.db_path(config), meetings.store(config))
if log.empty:
    st.info("Nothing has been loaded or edited yet.")
    st.stop()
table = audit_table(log, {k.id: k.label for k in config.kpis})
actions = st.multiselect("Actions", sorted(table["Action"].unique()), placeholder="All actions")
shown = table[table["Action"].isin(actions)] if actions else table
st.caption(f"{plural(len(shown), 'entry', 'entries')} shown.")
st.dataframe(shown, hide_index=True, width="stretch",
             column_config={"When": st.column_config.TextColumn(width=140),
                            "Details": st.column_config.TextColumn(width="large")})
st.download_button("Download the audit log (CSV)", export.csv_bytes(shown), "audit_log.csv", "text/csv",
                   on_click="ignore")
