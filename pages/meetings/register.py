"""Commentary and interventions: the register of interventions and events drawn on the SPC charts
(some marked as change points that recalculate the limits), and the commentary written so far.
Everything here is kept in the app's own store, separate from the loaded data, with who and when."""

import datetime as dt

import pandas as pd
import streamlit as st

from ui import access, layout, meetings, state
from ui import filters
from workforce.base.formatting import month_label, uk_datetime
from workforce.store.records import (MAX_SHORT, MAX_TEXT, Intervention, InterventionConflict, StoreError,
                                     commentary_scope, ics_of, scope_label)
from workforce.measures.selection import ALL_ENGLAND, scope_orgs
from workforce.protect.access import may_read

config = state.config()
db = state.database(config)
view = layout.cached_scope(config, db, filters.current(config, db))  # resolved once
selection = view.selection
store = meetings.store(config)
st.title("Commentary and interventions")
st.caption("Written here and on each KPI's page; kept apart from the loaded data, so a reload never loses it. "
           "Every change is recorded with who made it and when.")

ics_names = {i.code: i.name for i in config.icss} | {ALL_ENGLAND: "England"}
org_names = {o.code: o.name for o in config.organisations}
kpi_labels = {k.id: k.label for k in config.kpis}
memberships = ics_of(config)

# ---------------------------------------------------------------- the register
st.header("Interventions and events")
st.markdown("Drawn as dotted lines on every chart of the KPIs and organisations they apply to. A **change point** "
            "also recalculates the SPC limits from the first month on or after its date — on charts it covers "
            "entirely — so you can see whether the change made a difference.")
register = [i for i in store.interventions() if may_read(i.orgs, view.allowed)]  # theirs, or ICS-wide
only_here = st.toggle("Only those that apply to the current filters", value=True, key="iv_only_here")
orgs_here = view.orgs or scope_orgs(config, selection, selection.period or filters.latest_month(config, db),
                                    view.allowed)
shown = [i for i in register if not only_here or i.touches(orgs_here, memberships)]
if shown:
    table = pd.DataFrame({
        "Date": [i.date for i in shown],
        "Label": [i.label for i in shown],
        "Where": [i.scope_text(org_names | ics_names) for i in shown],
        "KPIs": [", ".join(kpi_labels.get(k, k) for k in i.kpis) or "All KPIs" for i in shown],
        "Change point": [i.change_point for i in shown],
        "Description": [i.description for i in shown],
        "Last changed": [f"{uk_datetime(dt.datetime.fromisoformat(i.updated_at))} by {i.updated_by}" for i in shown],
    })
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"Date": st.column_config.DateColumn(format="D MMM YYYY"),
                                "Change point": st.column_config.CheckboxColumn()})
else:
    st.info("No interventions or events recorded" + (" for these filters." if only_here else " yet."))


def intervention_form(key: str, current: Intervention | None) -> None:
    """Add (current None) or change an intervention."""
    opened_key = f"{key}_opened"  # the intervention as this person saw it when the form first showed
    opened = st.session_state.setdefault(opened_key, current)
    codes = [ALL_ENGLAND] + [i.code for i in config.icss]
    default_ics = current.ics if current else (selection.ics or ALL_ENGLAND)
    ics = st.selectbox("Integrated care system", codes, index=codes.index(default_ics) if default_ics in codes else 0,
                       format_func=ics_names.get, key=f"{key}_ics")
    choices = sorted({o for o, icss in memberships.items() if (ics == ALL_ENGLAND or ics in icss)
                      and may_read((o,), view.allowed)},
                     key=lambda c: org_names[c])
    with st.form(f"{key}_form"):
        left, right = st.columns([1, 3])
        day = left.date_input("Date", value=current.date if current else dt.date.today(), format="DD/MM/YYYY",
                              key=f"{key}_date")
        label = right.text_input("Label (shown on the charts)", value=current.label if current else "",
                                 max_chars=MAX_SHORT, key=f"{key}_label",
                                 placeholder="e.g. Flexible working programme launched")
        orgs = st.multiselect("Organisations (none: the whole ICS)",
                              choices, default=[o for o in (current.orgs if current else ()) if o in choices],
                              format_func=lambda c: f"{org_names[c]} ({c})", key=f"{key}_orgs")
        kpis = st.multiselect("KPIs (none: every KPI)", list(kpi_labels),
                              default=list(current.kpis) if current else [], format_func=kpi_labels.get,
                              key=f"{key}_kpis")
        description = st.text_area("Description", value=current.description if current else "",
                                   max_chars=MAX_TEXT, key=f"{key}_description")
        change_point = st.checkbox("Change point: recalculate the SPC limits from this date",
                                   value=current.change_point if current else False, key=f"{key}_change",
                                   help="Use for a deliberate change to the process (a new programme, a new "
                                        "policy) whose effect you want to test; not for one-off events.")
        who = meetings.author_field(f"{key}_who")
        if current is None:
            saved = st.form_submit_button("Add to the register", type="primary", key=f"{key}_save")
            removed = False
        else:
            buttons = st.columns(2)
            saved = buttons[0].form_submit_button("Save changes", type="primary", key=f"{key}_save")
            removed = buttons[1].form_submit_button("Remove from the register", key=f"{key}_remove")
    if not (saved or removed):
        return
    try:
        if removed:
            store.delete_intervention(current.id, who=who, opened=opened)
            message = "Removed from the register."
        elif current is None:
            store.add_intervention(who=who, date=day, label=label, description=description, ics=ics, orgs=orgs,
                                   kpis=kpis, change_point=change_point)
            message = "Added to the register."
        else:
            store.update_intervention(current.id, who=who, date=day, label=label, description=description,
                                      ics=ics, orgs=orgs, kpis=kpis, change_point=change_point, opened=opened)
            message = "Changes saved."
        st.session_state["meeting_author"] = who
        st.session_state["_register_message"] = message
        for field in ("date", "label", "orgs", "kpis", "description", "change", "opened"):  # a fresh form next time
            st.session_state.pop(f"{key}_{field}", None)
        st.rerun()
    except InterventionConflict as exc:  # someone changed it first: theirs is in the register above
        st.session_state[opened_key] = exc.current  # saving again now replaces it knowingly
        st.error(layout.plain(exc))
    except StoreError as exc:
        st.error(layout.plain(exc))


message = st.session_state.pop("_register_message", None)
if message:
    st.success(message)
if not access.current_user(config).can("comment"):
    st.caption("Your role can read the register but not change it.")
else:
    add_tab, change_tab = st.tabs(["Add an intervention or event", "Change or remove one"])
    with add_tab:
        intervention_form("iv_new", None)
    with change_tab:
        if not register:
            st.write("Nothing to change yet.")
        else:
            by_id = {i.id: i for i in register}
            chosen = st.selectbox("Intervention or event", list(by_id), key="iv_pick",
                                  format_func=lambda i: f"{by_id[i].date:%d %b %Y} — {by_id[i].label}")
            intervention_form(f"iv_edit_{chosen}", by_id[chosen])

# ---------------------------------------------------------------- commentary
st.header("Exception commentary")
scope = commentary_scope(selection)
st.caption(f"Written on each KPI's page. Showing the commentary for {layout.plain(scope_label(config, scope))} "
           "(one organisation selected: that organisation's; otherwise the ICS's).")
entries = store.commentary_list(scope)
if entries:
    st.dataframe(pd.DataFrame({
        "Month": [month_label(e.month) for e in entries],
        "KPI": [kpi_labels.get(e.kpi, e.kpi) for e in entries],
        "Status": [e.status_text() for e in entries],
        "Owner": [e.owner for e in entries],
        "Due": [e.due_date for e in entries],
        "What happened": [e.what_happened for e in entries],
        "Actions": [e.actions for e in entries],
        "Last changed": [f"{uk_datetime(dt.datetime.fromisoformat(e.updated_at))} by {e.updated_by}"
                         for e in entries],
    }), hide_index=True, width="stretch", column_config={"Due": st.column_config.DateColumn(format="D MMM YYYY")})
else:
    st.info("No commentary written for this selection yet.")
