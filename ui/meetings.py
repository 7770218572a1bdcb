"""Streamlit pieces for meetings: the store, who is writing, the commentary panel and form,
the board pack download buttons. Core logic lives in workforce/store/records.py, board.py, pack.py.

The store is the configured one (Store.for_config): WORKFORCE_STORE_URL or store.url for a cluster's
PostgreSQL, else the SQLite file (WORKFORCE_STORE overrides database.store_path; tests use it).
"""

from __future__ import annotations

import datetime as dt
import re

import streamlit as st

from workforce.base.config import Config
from workforce.base.db import Database
from workforce.base.formatting import month_label, month_name
from workforce.base.text import escape as plain  # user text inside markdown, as ui.layout.plain
from workforce.store.records import (MAX_SHORT, MAX_TEXT, STATUS_LABELS, STATUSES, Annotations, Commentary,
                                     CommentaryConflict, Store, StoreError, annotations, commentary_scope,
                                     scope_label)
from workforce.measures.selection import Selection
from workforce.protect.access import may_read
from workforce.protect.scope import Scope

from .access import current_user



def store(config: Config) -> Store:
    return Store.for_config(config)


def chart_annotations(config: Config, scope: Scope) -> dict[str, Annotations]:
    """{kpi id: events and change points} for the organisations the page's Scope counts, of the register
    entries this user may read (workforce.protect.access.may_read)."""
    return annotations(store(config), config, scope.orgs,
                       readable=lambda intervention: may_read(intervention.orgs, scope.allowed))


# ---------------------------------------------------------------- drafts across a store outage
# The fields people type into (commentary, interventions). While the store does not answer, a page stops
# before drawing them (app.py): the server keeps what was typed (a stopped run forgets no widget), but
# the browser forgets the fields it no longer shows, so the next run puts them back (set through the
# Session State API, the browser shows them again; .streamlit/config.toml: no warning for that).
DRAFT = re.compile(r"c_(what|why|actions|owner|due|status|who)_.+|iv_.+_(ics|date|label|orgs|kpis|description"
                   r"|change|who)")
_KEPT = "_drafts_kept"


def keep_drafts() -> None:
    st.session_state[_KEPT] = [k for k in st.session_state if isinstance(k, str) and DRAFT.fullmatch(k)]


def put_back_drafts() -> None:
    for key in st.session_state.pop(_KEPT, []):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


# ---------------------------------------------------------------- who is writing
def signed_in_name() -> str | None:
    try:
        user = st.user
        if user.get("is_logged_in"):
            return user.get("email") or user.get("name")
    except Exception:  # noqa: BLE001 - no authentication configured
        return None
    return None


def author_field(key: str) -> str:
    """The signed-in user, or a 'Your name' box remembered for the session."""
    name = signed_in_name()
    if name:
        st.caption(f"Saved as {plain(name)}.")
        return name
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get("meeting_author", "")
    value = st.text_input("Your name (recorded with the change)", key=key, max_chars=MAX_SHORT)
    return value


# ---------------------------------------------------------------- commentary
def _meta(entry: Commentary) -> str:
    return " · ".join(f"**{label}:** {plain(text)}" for label, text in entry.meta())


def show_commentary_entry(entry: Commentary, carried: bool = False) -> None:
    if carried:
        st.markdown(f"**Carried forward from {month_label(entry.month)}**")
    for label, text in (("What happened", entry.what_happened), ("Why", entry.why), ("Actions", entry.actions)):
        if text:
            st.markdown(f"**{label}:** {plain(text)}")
    st.caption(_meta(entry))


def commentary_panel(config: Config, kpi, selection: Selection, month: dt.date | None) -> None:
    """Exception commentary for a KPI, the selection's scope and the reporting month: shown,
    with last months' open actions carried forward, and a form to write or update it."""
    if month is None:
        return
    scope = commentary_scope(selection)
    the_store = store(config)
    view = the_store.commentary_for(kpi.id, scope, month)
    where = scope_label(config, scope)
    st.subheader("Exception commentary")
    note = (" (several organisations are selected, so this is the ICS's commentary)"
            if len(selection.orgs) > 1 else "")
    st.caption(f"For {plain(where)}, {month_name(month)}{plain(note)}. Shown in the meeting view and the board pack.")
    if view.current:
        show_commentary_entry(view.current)
    else:
        st.write(f"No commentary has been written for {month_name(month)}.")
    may_write = current_user(config).can("comment")
    for entry in view.carried:
        with st.container(border=True):
            show_commentary_entry(entry, carried=True)
            if may_write and entry.status != "closed" and \
                    st.button("Mark the actions closed", key=f"close_{entry.id}"):
                who = signed_in_name() or st.session_state.get("meeting_author", "")
                try:
                    the_store.close_commentary(entry.id, who=who, month=month)
                    st.rerun()
                except StoreError as exc:
                    st.error(f"{plain(exc)} Enter your name in the form below first.")
    if not may_write:
        st.caption("Your role can read commentary but not write it.")
        return
    current = view.current
    label = "Update the commentary" if current else "Write commentary"
    suffix = f"{kpi.id}_{scope}_{month:%Y%m}"  # a fresh form for each KPI, scope and month
    opened_key = f"c_opened_{suffix}"  # the entry as this person saw it when the form first showed
    opened = st.session_state.setdefault(opened_key, current)
    # keyed: the label turns to "Update…" when someone else saved first, and an unkeyed expander with a new
    # label is a new, closed one — the refusal below would be hidden inside it
    with st.expander(label, expanded=False, key=f"c_form_{suffix}"):
        with st.form(f"commentary_form_{kpi.id}", clear_on_submit=False):
            what = st.text_area("What happened", value=current.what_happened if current else "",
                                max_chars=MAX_TEXT, key=f"c_what_{suffix}")
            why = st.text_area("Why", value=current.why if current else "", max_chars=MAX_TEXT,
                               key=f"c_why_{suffix}")
            actions = st.text_area("Actions", value=current.actions if current else "", max_chars=MAX_TEXT,
                                   key=f"c_actions_{suffix}")
            left, middle, right = st.columns(3)
            owner = left.text_input("Owner", value=current.owner if current else "", max_chars=MAX_SHORT,
                                    key=f"c_owner_{suffix}")
            due = middle.date_input("Due date", value=current.due_date if current else None,
                                    format="DD/MM/YYYY", key=f"c_due_{suffix}")
            status = right.selectbox("Status", STATUSES, format_func=STATUS_LABELS.get,
                                     index=STATUSES.index(current.status) if current else 0,
                                     key=f"c_status_{suffix}")
            who = author_field(f"c_who_{suffix}")
            saved = st.form_submit_button("Save commentary", type="primary", key=f"c_save_{suffix}")
        if saved:
            try:
                the_store.save_commentary(kpi.id, scope, month, who=who, what_happened=what, why=why,
                                          actions=actions, owner=owner, due_date=due, status=status,
                                          opened=opened)
                st.session_state["meeting_author"] = who
                st.session_state["_commentary_saved"] = kpi.id
                st.session_state.pop(opened_key, None)
                st.rerun()
            except CommentaryConflict as exc:  # someone saved first: show theirs and yours, lose neither
                st.session_state[opened_key] = exc.current  # saving again now replaces it knowingly
                st.error(plain(exc))
                if exc.current:
                    st.markdown("**Saved meanwhile:**")
                    show_commentary_entry(exc.current)
                st.markdown("**Yours (not saved):**")
                for name, text in (("What happened", what), ("Why", why), ("Actions", actions)):
                    if text:
                        st.markdown(f"**{name}:** {plain(text)}")
            except StoreError as exc:
                st.error(plain(exc))
    if st.session_state.pop("_commentary_saved", None) == kpi.id:
        st.success("Commentary saved.")


def change_point_offer(config: Config, kpi, selection: Selection, view) -> None:
    """When the process has shifted and no change point is registered, say so, and give editors
    one click to register one at the month the shift began (the limits then describe the new process)."""
    from workforce.store.records import add_change_point

    if view.shift_start is None or not view.assurance_note:
        return
    if not current_user(config).can("comment"):
        st.caption("An editor can register this change point in the intervention register.")
        return
    who = signed_in_name() or st.session_state.get("meeting_author", "")
    key = f"change_point_{kpi.id}_{view.shift_start:%Y%m}"
    if not who:
        who = st.text_input("Your name (recorded with the change point)", key=f"{key}_who", max_chars=MAX_SHORT)
    if st.button(f"Register a change point at {month_name(view.shift_start)}", key=key, disabled=not who):
        try:
            add_change_point(store(config), who=who, kpi=kpi, selection=selection, date=view.shift_start)
            st.session_state["meeting_author"] = who
            st.rerun()
        except StoreError as exc:
            st.error(plain(exc))


def commentary_states(config: Config, selection: Selection, month: dt.date | None) -> dict[str, str]:
    """{kpi: 'current' | 'carried'}: commentary written for the month, or only earlier open actions."""
    return store(config).commentary_markers(commentary_scope(selection), month)


# ---------------------------------------------------------------- the meeting's board
def meeting_board(db: Database, config: Config, scope: Scope, user=None):
    """The board (views.board.Board) the meeting view and the pack show for the page's Scope and
    viewer, built once and shared with every session that sees the same (workforce.meetings.snapshots:
    keyed by the Scope — the selection as this viewer may see it, and their organisations — their role,
    the data generation and the store's version). `user`: the viewer, when called outside the page's run."""
    from workforce.base.store_backend import store_target
    from workforce.meetings.snapshots import SHARED, SnapshotKey
    from workforce.views.board import build_board

    user, the_store = user or current_user(config), store(config)
    key = SnapshotKey(scope, user.organisations, user.role, db.generation, str(store_target(config)),
                      the_store.version(), str(config.source_path))
    return SHARED.get(key, lambda: build_board(db, config, scope, the_store))


# ---------------------------------------------------------------- board pack
def pack_downloads(db: Database, config: Config, selection: Selection, scope: Scope, month: dt.date | None) -> None:
    """'Download board pack' buttons for the current filters; the pack is built only when clicked."""
    from workforce.views.export import file_stem
    from workforce.meetings.pack_file import MEDIA_TYPES

    exceptions = st.toggle("Exceptions only", key="pack_exceptions",
                           help="Only KPIs with special-cause concern or consistently failing their target "
                                "get a page of their own; the cover, matrix and table still show every KPI.")
    stem = file_stem("board-pack", selection.ics or "", "-".join(selection.orgs),
                     month.strftime("%Y-%m") if month else "", "exceptions" if exceptions else "")

    build = pack_builder(db, config, selection, scope, exceptions, current_user(config))
    left, right = st.columns(2)
    left.download_button("Download board pack (PowerPoint)", lambda: build("pptx"), f"{stem}.pptx",
                         MEDIA_TYPES["pptx"], on_click="ignore", icon=":material/slideshow:", key="pack_pptx")
    right.download_button("Download board pack (PDF)", lambda: build("pdf"), f"{stem}.pdf", MEDIA_TYPES["pdf"],
                          on_click="ignore", icon=":material/picture_as_pdf:", key="pack_pdf")


def pack_builder(db: Database, config: Config, selection: Selection, scope: Scope, exceptions: bool, user):
    """fmt → the pack's bytes, for a download button to call when clicked: outside the page's run, where
    there is no session to ask who is viewing (it would answer the loopback local user), so the viewer
    is resolved in the run and passed in."""
    from workforce.meetings.pack_file import board_pack

    def build(fmt: str) -> bytes:
        board = meeting_board(db, config, scope, user)
        return board_pack(db, config, selection, fmt=fmt, exceptions_only=exceptions, board=board)
    return build


def events_caption(config: Config, kpi, scope: Scope) -> None:
    """The register's interventions drawn on this KPI's chart, in words."""
    note = chart_annotations(config, scope)[kpi.id]
    if not note.interventions:
        st.caption("No interventions or events recorded for this KPI and selection "
                   "([add one](register)).")
        return
    lines = []
    for i in note.interventions:
        tag = " — change point: limits recalculated from " + month_label(i.change_month) \
            if i.change_month in note.rebase_dates else (" — change point (applies to part of this selection, "
                                                          "so the limits are not recalculated here)"
                                                          if i.change_point else "")
        lines.append(f"- {i.date.day} {i.date:%b %Y}: {plain(i.label)}{plain(tag)}")
    st.markdown("**Interventions and events on the chart**\n" + "\n".join(lines))
