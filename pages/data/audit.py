"""Audit log (admins): every load, rollback and edit, with who and when; exportable."""

import streamlit as st

from ui import access, meetings, state
from workforce.views import export
from workforce.views.audit import audit_log_and_notes, audit_table
from workforce.base.formatting import plural
from workforce.base.text import escape

config = state.config()
user = access.current_user(config)
access.require(user, "audit", "read the audit log")
st.title("Audit log")
st.write("Every data load and rollback, and every change to commentary and interventions, newest first.")
log, notes = audit_log_and_notes(state.db_path(config), meetings.store(config))
for note in notes:  # loads the store's records lack are listed from the database file: say which
    st.info(note)
if log.empty:
    st.info("Nothing has been loaded or edited yet.")
    st.stop()
table = audit_table(log, {k.id: k.label for k in config.kpis})
actions = st.multiselect("Actions", sorted(table["Action"].unique()), placeholder="All actions")
shown = table[table["Action"].isin(actions)] if actions else table
st.caption(f"{plural(len(shown), 'entry', 'entries')} shown.")
picked = st.dataframe(shown, hide_index=True, width="stretch", key="audit_table", on_select="rerun",
                      selection_mode="single-row",
                      column_config={"When": st.column_config.TextColumn(width=140),
                                     "Details": st.column_config.TextColumn(width="large")})
rows = picked.selection.rows if picked else []
if rows:  # the Details column is cut to fit the screen: the chosen entry in full
    entry = shown.iloc[rows[0]]
    st.markdown(f"**{escape(entry['Action'])}: {escape(entry['What'])}** · {escape(entry['When'])} · "
                f"{escape(entry['Who'])}")
    st.text(entry["Details"])
else:
    st.caption("Select an entry to read its details in full.")
st.download_button("Download the audit log (CSV)", export.csv_bytes(shown), "audit_log.csv", "text/csv",
                   on_click="ignore")
