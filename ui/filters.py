"""The global filters: rendered once per run by app.py, held in the URL so a link reopens the exact view.

One place: app.py calls `sidebar_filters` before the page runs; pages read the result with `current`.
The sidebar links to other pages (`page_links`) carry the filters, so every navigation keeps them, and
the URL is rewritten only when the view actually changes (one browser history entry per view).
Back/Forward or a pasted link changes the URL without a widget changing: the URL then wins.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from workforce.base.config import ORG_TYPES, Config
from workforce.base.db import Database, DataUnavailable
from workforce.base.formatting import first_capital, month_label
from workforce.measures.selection import (ALL_ENGLAND, Selection, current_footprint, from_query_params, scope_orgs,
                                 to_query_params)
from workforce.base.text import escape

from . import access, state

KEYS = ("f_ics", "f_orgs", "f_type", "f_staff_group", "f_period")
FILTER_PARAMS = ("ics", "org", "type", "staff_group", "period")
SIDEBAR_CSS = """<style>
[data-testid="stSidebar"] {min-width: 330px; max-width: 380px;}
[data-testid="stSidebar"] [data-testid="stMultiSelectTagsContainer"] span {white-space: normal !important;
    text-overflow: clip !important; height: auto !important; overflow-wrap: anywhere;}
</style>"""


def _url_filters() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params.keys() if key in FILTER_PARAMS}


@st.cache_data(show_spinner=False, max_entries=64)
def _periods(_db: Database, generation: tuple, orgs: tuple[str, ...]) -> list[str]:
    frame = _db.query("measures/periods", {"orgs": list(orgs)})
    return [pd.Timestamp(p).strftime("%Y-%m") for p in frame["period"]]


def latest_month(cfg: Config, db: Database) -> dt.date:
    """The latest month with data (the as-at month a view opens on); today's month only for an empty
    database, where there is nothing to date."""
    try:
        periods = _periods(db, db.generation, tuple(o.code for o in cfg.organisations))
    except DataUnavailable:
        periods = []
    return _month(periods[0]) if periods else dt.date.today().replace(day=1)


def default_ics(cfg: Config, db: Database) -> str:
    """The plan's footprint as it is in the latest month with data (its successor after a boundary change)."""
    return current_footprint(cfg, cfg.plan.ics, latest_month(cfg, db))


def _seed_from_url(cfg: Config, default: str) -> None:
    """Seed the widgets from the URL on a session's first run, and whenever the URL changed without a
    widget changing (a link, Back/Forward, a pasted address)."""
    url = _url_filters()
    if st.session_state.get("_filters_url") == url and "f_ics" in st.session_state:
        return
    selection, notes = from_query_params(url, cfg, default_ics=default)
    st.session_state.update({
        "f_ics": selection.ics, "f_orgs": list(selection.orgs), "f_type": selection.org_type or "",
        "f_staff_group": selection.staff_group or "",
        "f_period": selection.period.strftime("%Y-%m") if selection.period else "",
        "_filters_url": url})
    for note in notes:
        st.warning(escape(note), icon=":material/link_off:")


def ics_label(cfg: Config, code: str) -> str:
    """The area's name, short enough never to be cut in the sidebar (an ICS's dates go underneath)."""
    kind = cfg.area_kind(code)
    if kind == "england":
        return "England"
    return f"{cfg.area_name(code)} (region)" if kind == "region" else cfg.area_name(code)


def area_codes(cfg: Config) -> list[str]:
    """England, the NHS England regions, then every ICS (config.yaml's and the publications'), by name."""
    regions = sorted((r.name, r.code) for r in cfg.regions)
    icss = sorted((i.name, i.code) for i in cfg.icss)
    return [ALL_ENGLAND] + [code for _, code in regions] + [code for _, code in icss]


def ics_dates(cfg: Config, code: str) -> str:
    ics = cfg.ics_by_code.get(code)
    if ics is None or not (ics.valid_to or ics.valid_from):
        return ""
    if ics.valid_to:
        return f"Footprint until {month_label(ics.valid_to)}; no figures after it."
    if cfg.back_cast_from(code):
        return (f"Footprint from {month_label(ics.valid_from)}; earlier months are figures for today's "
                "member organisations.")
    return f"Footprint from {month_label(ics.valid_from)}."


def sidebar_filters(cfg: Config, db: Database) -> Selection:
    """Render the filters (app.py, once per run); return the Selection; keep the URL in step with it."""
    default = default_ics(cfg, db)
    _seed_from_url(cfg, default)
    side = st.sidebar
    side.markdown(SIDEBAR_CSS, unsafe_allow_html=True)
    side.markdown("### Filters")
    ics_codes = area_codes(cfg)
    if st.session_state.get("f_ics") not in ics_codes:
        st.session_state["f_ics"] = default
    ics = side.selectbox("Area: England, region or ICS", ics_codes, key="f_ics",
                         format_func=lambda c: ics_label(cfg, c), help="Type to search by name")
    if ics_dates(cfg, ics):
        side.caption(ics_dates(cfg, ics))
    period_text = st.session_state.get("f_period")
    as_at = _month(period_text) if period_text else latest_month(cfg, db)
    in_ics = scope_orgs(cfg, Selection(ics=ics), as_at)
    allowed = access.scope(cfg)
    choosable = in_ics if allowed is None else [o for o in in_ics if o in allowed]
    for code in [o for o in st.session_state.get("f_orgs", []) if o in in_ics and o not in choosable]:
        st.warning(f"You do not have access to {cfg.org_by_code[code].name}'s own figures, so it was removed "
                   "from the selection.", icon=":material/lock:")
    st.session_state["f_orgs"] = [o for o in st.session_state.get("f_orgs", []) if o in choosable]
    choosable = sorted(choosable, key=lambda c: cfg.org_by_code[c].name)
    orgs = side.multiselect("Organisations", choosable, key="f_orgs",
                            placeholder=f"All {len(in_ics)} organisations — type to search",
                            format_func=lambda c: f"{cfg.org_by_code[c].name} ({c})")
    # "" means "all" / "latest": Streamlit shows a None value as an empty placeholder
    types = [t for t in ORG_TYPES if any(cfg.org_by_code[c].type == t for c in in_ics)]
    _keep_valid("f_type", types)
    org_type = side.selectbox("Organisation type", ["", *types], key="f_type",
                              format_func=lambda t: first_capital(t) if t else "All types")
    _keep_valid("f_staff_group", cfg.staff_group_names)
    staff_group = side.selectbox("Staff group", ["", *cfg.staff_group_names], key="f_staff_group",
                                 format_func=lambda g: g or "All staff groups")
    definition = next((g.definition for g in cfg.staff_groups if g.name == staff_group and g.definition), "")
    if definition:  # published under another definition: said, never merged into a differently defined group
        side.caption(escape(definition))
    try:
        periods = _periods(db, db.generation, tuple(in_ics))
    except DataUnavailable:
        periods = []
    _keep_valid("f_period", periods)
    latest = f"Latest ({month_label(_month(periods[0]))})" if periods else "Latest"
    period = side.selectbox("Reporting month", ["", *periods], key="f_period",
                            format_func=lambda p: month_label(_month(p)) if p else latest)
    selection = Selection(ics=ics, orgs=tuple(orgs), org_type=org_type or None, staff_group=staff_group or None,
                          period=_month(period) if period else None)
    _sync_url(cfg, selection, default)
    st.session_state["_selection"] = selection
    return selection


def _sync_url(cfg: Config, selection: Selection, default: str) -> None:
    """Rewrite the URL only when it no longer names this view (one history entry per change); the
    page's own parameters (kpi, screen…) stay."""
    url = _url_filters()
    if from_query_params(url, cfg, default_ics=default)[0] == selection:
        st.session_state["_filters_url"] = url
        return
    params = {**{k: st.query_params.get_all(k) for k in st.query_params.keys() if k not in FILTER_PARAMS},
              **to_query_params(selection)}
    st.query_params.from_dict(params)
    st.session_state["_filters_url"] = {k: [v] for k, v in to_query_params(selection).items()}


def current(cfg: Config, db: Database) -> Selection:
    """The selection app.py's filters made for this run (rendering them if a page runs on its own)."""
    selection = st.session_state.get("_selection")
    return selection if selection is not None else sidebar_filters(cfg, db)


def page_links(sections: dict[str, list], selection: Selection, where=None) -> None:
    """The sidebar's page list, each link carrying the filters (Streamlit's own list drops them)."""
    where = where or st.sidebar
    params = {**to_query_params(selection), **state_params()}
    for section, pages in sections.items():
        where.caption(section)
        for page in pages:
            where.page_link(page, query_params=params)


def _keep_valid(key: str, options: list[str]) -> None:
    if st.session_state.get(key) not in ["", *options]:
        st.session_state[key] = ""


def _month(text: str) -> dt.date:
    return dt.date.fromisoformat(text + "-01")


def link_params(selection: Selection, **extra: str) -> str:
    """A query string for links to other pages that keep the current filters."""
    from urllib.parse import urlencode

    return urlencode({**to_query_params(selection), **state_params(), **extra})


def state_params() -> dict[str, str]:
    """What every link carries beside the filters: `data=demo` while the demo is shown beside a real database."""
    return {"data": state.DEMO} if state.demo_asked() else {}
