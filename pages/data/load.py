"""Load data (editors): upload this month's files, see each file's detected format, a preview, the
validation report and what would change, then confirm. Below: the load history and rollback.

Thin: widgets and layout only; reading, checking and loading are workforce.ingest.loader's. File names
and file contents are shown as text (st.text, st.dataframe, layout.plain), never as HTML."""

import streamlit as st

from ui import access, layout, meetings, state
from workforce.ingest import adapters, isolated, uploads
from workforce.base.formatting import plural, uk_datetime
from workforce.ingest.history import history_table
from workforce.ingest.loader import LoadError, LoadRejected, recorded_history, rollback

config = state.config()
db_path = state.db_path(config)
user = access.current_user(config)
access.require(user, "upload", "load data")
who = user.email or user.name

st.title("Load data")
st.caption("Files are checked first and nothing is written until you confirm. A load is all or nothing: "
           "if any file has a problem, none is loaded. The dashboard keeps showing the current figures "
           "while a load runs and switches to the new ones when it completes.")

formats = {"Detect from each file's header": None} | {f"{a.label} ({a.name})": a.name for a in adapters.ADAPTERS}
with st.expander("Formats this page reads, and the columns each needs"):
    st.text("\n".join(a.describe() for a in adapters.ADAPTERS))
    st.caption("Column names are matched ignoring case and spaces. See docs/formats.md for each format's "
               "columns, how they map to the dashboard's measures, and caveats.")

left, right = st.columns([2, 3])
choice = left.selectbox("Format", list(formats), key="data_format")
org_options = {"(the file names its organisations)": ""} | {f"{o.code} — {o.name}": o.code for o in config.organisations}
org_choice = left.selectbox("Organisation of a file that names none", list(org_options), key="data_org",
                            help="The apprenticeship service's transaction download carries no organisation "
                                 "code: choose whose account it is.")
org = org_options[org_choice]
round_no = st.session_state.setdefault("data_round", 0)
files = right.file_uploader(f"CSV or XLSX files (up to {config.upload.max_megabytes:,g} MB each)",
                            accept_multiple_files=True, key=f"data_files_{round_no}")

done = st.session_state.pop("data_loaded", None)
if done:
    st.success("Done: the dashboard now shows the new figures.")
    st.text(done)

if files:
    key = (tuple((f.file_id, f.name, f.size) for f in files), formats[choice], org)
    if st.session_state.get("data_key") != key:
        uploads.discard(st.session_state.get("data_folder"))
        folder = uploads.new_folder()
        saved, refused = [], []
        for f in files:
            try:
                saved.append(uploads.save(folder, f.name, f, config))
            except LoadError as exc:
                refused.append(str(exc))
        bar = st.progress(0.0, text="Checking…")
        try:  # in a child process with a time limit: one file cannot stall other users
            checks = isolated.check_files([u.path for u in saved], config, db_path=db_path,
                                          names=[u.name for u in saved], fmt=formats[choice], org=org,
                                          progress=lambda f, m: bar.progress(min(f, 1.0), text=m)) if saved else []
        except LoadError as exc:
            checks = []
            refused.append(str(exc))
        bar.empty()
        st.session_state.update(data_key=key, data_folder=folder, data_saved=saved, data_checks=checks,
                                data_refused=refused)
    saved, checks = st.session_state["data_saved"], st.session_state["data_checks"]
    refused = st.session_state["data_refused"]

    for message in refused:
        st.error(layout.plain(message))
    for check in checks:
        with st.container(border=True):
            st.markdown(f"#### {layout.plain(check.file)}")
            if check.error:
                st.error("This file cannot be loaded:")
                st.text(check.error)
                if check.format_unknown:
                    st.caption("To see exactly what a format needs from this file, choose it in the Format box "
                               "above; the columns of every format are listed above it.")
                continue
            st.markdown(f"**Format:** {layout.plain(check.format_label)} (`{check.format}`)")
            if check.total_problems:
                st.error(f"{plural(check.total_problems, 'problem')}: nothing will be loaded until they are "
                         "fixed. Each names the row and column of the file.")
                problems = check.problems_frame().drop(columns=["file"])
                problems.columns = [c.capitalize() for c in problems.columns]
                layout.wrapped_rows(problems)  # each problem in full, wrapped, never cut off
                if check.total_problems > len(check.problems):
                    st.caption(f"The first {len(check.problems):,} problems are listed.")
            else:
                report = check.report
                counts = [("Figures", report.rows_in), ("New", report.rows_new), ("Changed", report.rows_changed),
                          ("Unchanged", report.rows_unchanged), ("Held as missing", report.rows_missing),
                          ("Rows skipped", report.rows_skipped)]
                if report.file_rows is not None:  # a publication: each file row becomes several figures
                    counts.insert(0, ("File rows", report.file_rows))
                for col, (label, value) in zip(st.columns(len(counts)), counts):
                    col.metric(label, f"{value:,}")
                if report.notes:
                    st.text("\n".join(report.notes))
                if not report.changes.empty:
                    st.markdown("**Values that would change (old → new)**")
                    st.dataframe(uploads.figures_table(report.changes, config), hide_index=True, width="stretch")
            with st.expander("Preview: the first rows as the dashboard will hold them"):
                st.dataframe(uploads.figures_table(check.preview, config), hide_index=True, width="stretch")
            if check.report is not None and not check.report.new_rows.empty:
                with st.expander(f"New figures (first {len(check.report.new_rows):,})"):
                    st.dataframe(uploads.figures_table(check.report.new_rows, config), hide_index=True, width="stretch")

    ready = bool(checks) and not refused and all(c.ok for c in checks)
    if checks and not ready:
        st.warning("Nothing can be loaded until every file passes. Fix the files and upload them again.")
    if st.button(f"Load {plural(len(checks), 'file')}", type="primary", disabled=not ready, key="data_confirm"):
        bar = st.progress(0.0, text="Loading…")
        try:
            result = isolated.load_files([u.path for u in saved], config, db_path=db_path, names=[u.name for u in saved],
                                fmt=formats[choice], loaded_by=who, org=org,
                                progress=lambda f, m: bar.progress(min(f, 1.0), text=m))
        except LoadRejected as exc:
            bar.empty()
            st.error("Nothing was loaded: the files changed since they were checked, or another load got there first.")
            st.text(str(exc))
        except LoadError as exc:
            bar.empty()
            st.error("Nothing was loaded.")
            st.text(str(exc))
        else:
            uploads.discard(st.session_state.pop("data_folder", None))
            for name in ("data_key", "data_saved", "data_checks", "data_refused"):
                st.session_state.pop(name, None)
            st.session_state["data_round"] = round_no + 1
            st.session_state["data_loaded"] = result.summary()
            st.rerun()

# ---------------------------------------------------------------- history and rollback
st.subheader("Load history")
st.caption("Every load and rollback, from the store's load records (every machine's, for a cluster). Generation: "
           "the version of the data a load went into — files loaded together share one.")
recorded = recorded_history(db_path, meetings.store(config).backend)
history = recorded.loads
for note in recorded.notes:
    st.info(note)
counts = ("Rows in", "Loaded", "Rejected", "Skipped", "Missing")
st.dataframe(history_table(history), hide_index=True, width="stretch",
             column_config={"Load": st.column_config.NumberColumn(width=50)}
             | {c: st.column_config.NumberColumn(format="localized", width=80) for c in counts})
if user.can("rollback"):
    live = history[history["status"] == "loaded"]
    if not live.empty:
        with st.expander("Roll back a load"):
            st.caption("Rolling back removes the figures a load added and restores the values it replaced. "
                       "It is refused while a later load that changed the same figures is still in force.")
            labels = {f"Load {r.load_id}: {r.file} ({uk_datetime(r.loaded_at)}, {r.loaded_by})": int(r.load_id)
                      for r in live.itertuples()}
            picked = st.selectbox("Load", list(labels), key="data_rollback_pick")
            load_id = labels[picked]
            try:
                st.text(rollback(load_id, config, db_path=db_path, dry_run=True).summary())
                allowed = True
            except LoadError as exc:
                st.text(str(exc))
                allowed = False
            sure = st.checkbox("I understand the figures of this load will be undone", key="data_rollback_sure")
            if st.button("Roll back", disabled=not (allowed and sure), key="data_rollback_go"):
                try:
                    result = rollback(load_id, config, db_path=db_path, by=who)
                except LoadError as exc:
                    st.error("Not rolled back.")
                    st.text(str(exc))
                else:
                    st.session_state["data_loaded"] = result.summary()
                    st.rerun()
