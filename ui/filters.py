"""The global filters (sidebar), held in the URL so a link reopens the exact view."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from workforce.config import ORG_TYPES, Config

from workforce.text import escape

from . import access
from workforce.db import Database
from workforce.formatting import month_label
from workforce.selection import ALL_ENGLAND, Selection, from_query_params, scope_orgs, to_query_params

KEYS = ("f_ics", "f_orgs", "f_type", "f_staff_group", "f_period")
FILTER_PARAMS = ("ics", "org", "type", "staff_group", "period")


def _url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}


def _init_from_url(cfg: Config) -> None:
    """Seed the widgets from the URL once per session (and again when a link changes it)."""
    url = {k: v for k, v in _url_params().items() if k in FILTER_PARAMS}
    if st.session_state.get("_filters_url") == url and "f_ics" in st.session_state:
        return
    selection, notes = from_query_params(url, cfg)
    st.session_state.update({
        "f_ics": selection.ics, "f_orgs": list(selection.orgs), "f_type": selection.org_type or "",
        "f_staff_group": selection.staff_group or "",
        "f_period": selection.period.strftime("%Y-%m") if selection.period else "",
        "_url_notes": notes})


@st.cache_data(show_spinner=False, max_entries=64)
def _periods(_db: Database, generation: tuple, orgs: tuple[str, ...]) -> list[str]:
    frame = _db.query("periods", {"orgs": list(orgs)})
    return [pd.Timestamp(p).strftime("%Y-%m") for p in frame["period"]]


def _ics_label(cfg: Config, code: str) -> str:
    if code == ALL_ENGLAND:
        return "All ICSs in the dashboard"
    ics = cfg.ics_by_code[code]
    if ics.valid_to:
        return f"{ics.name} (footprint until {month_label(ics.valid_to)})"
    if ics.valid_from:
        return f"{ics.name} (from {month_label(ics.valid_from)})"
    return ics.name


def sidebar_filters(cfg: Config, db: Database, extra_params: dict[str, str] | None = None) -> Selection:
    """Render the filters; return the Selection; keep the URL in step with it."""
    _init_from_url(cfg)
    for note in st.session_state.pop("_url_notes", []):
        st.warning(escape(note), icon=":material/link_off:")
    side = st.sidebar
    side.markdown("### Filters")
    ics_codes = [ALL_ENGLAND] + [i.code for i in cfg.icss]
    if st.session_state.get("f_ics") not in ics_codes:
        st.session_state["f_ics"] = cfg.plan.ics
    ics = side.selectbox("Integrated care system", ics_codes, key="f_ics",
                         format_func=lambda c: _ics_label(cfg, c))
    period_text = st.session_state.get("f_period")
    as_at = _month(period_text) if period_text else dt.date.today().replace(day=1)
    in_ics = scope_orgs(cfg, Selection(ics=ics), as_at)
    allowed = access.scope(cfg)
    choosable = in_ics if allowed is None else [o for o in in_ics if o in allowed]
    for code in [o for o in st.session_state.get("f_orgs", []) if o in in_ics and o not in choosable]:
        st.warning(f"You do not have access to {cfg.org_by_code[code].name}'s own figures, so it was removed "
                   "from the selection.", icon=":material/lock:")
    st.session_state["f_orgs"] = [o for o in st.session_state.get("f_orgs", []) if o in choosable]
    orgs = side.multiselect("Organisations", choosable, key="f_orgs", placeholder="All organisations in the ICS",
                            format_func=lambda c: f"{cfg.org_by_code[c].name} ({c})")
    # "" means "all" / "latest": Streamlit shows a None value as an empty placeholder
    types = [t for t in ORG_TYPES if any(cfg.org_by_code[c].type == t for c in in_ics)]
    _keep_valid("f_type", types)
    org_type = side.selectbox("Organisation type", ["", *types], key="f_type",
                              format_func=lambda t: t.capitalize() if t else "All types")
    _keep_valid("f_staff_group", cfg.staff_group_names)
    staff_group = side.selectbox("Staff group", ["", *cfg.staff_group_names], key="f_staff_group",
                                 format_func=lambda g: g or "All staff groups")
    periods = _periods(db, db.generation, tuple(in_ics))
    _keep_valid("f_period", periods)
    latest = f"Latest ({month_label(_month(periods[0]))})" if periods else "Latest"
    period = side.selectbox("Reporting month", ["", *periods], key="f_period",
                            format_func=lambda p: month_label(_month(p)) if p else latest)
    selection = Selection(ics=ics, orgs=tuple(orgs), org_type=org_type or None, staff_group=staff_group or None,
                          period=_month(period) if period else None)
    params = {**to_query_params(selection), **(extra_params or {})}
    st.session_state["_filters_url"] = {k: [v] for k, v in params.items() if k in FILTER_PARAMS}
    if _url_params() != {k: [v] for k, v in params.items()}:
        st.query_params.from_dict(params)
    return selection


def _keep_valid(key: str, options: list[str]) -> None:
    if st.session_state.get(key) not in ["", *options]:
        st.session_state[key] = ""


def _month(text: str) -> dt.date:
    return dt.date.fromisoformat(text + "-01")


def link_params(selection: Selection, **extra: str) -> str:
    """A query string for links to other pages that keep the current filters."""
    from urllib.parse import urlencode

    return urlencode({**to_query_params(selection), **extra})
