"""National peers: an organisation beside every organisation in England in the same benchmark group.

The national files list every organisation with its benchmark group (else cluster group, else
type); `org_reference` keeps them (workforce/ingest/org_reference.py). For one of the ICS's organisations
and a KPI, this ranks the peer group on the KPI in the month, each organisation's own figure as a
ratio of its own sums, with the ICS's organisations (config.yaml's footprint that month) marked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import altair as alt
import duckdb
import pandas as pd

from ..base.config import Config, Kpi
from ..base.db import Database
from ..base.formatting import format_value
from ..protect.figures import organisation_series
from ..protect.scope import Scope
from ..ingest.org_reference import peers

NHS_BLUE, NHS_MID_GREY = "#005EB8", "#AEB7BD"


@dataclass
class PeerComparison:
    org_code: str
    peer_group: str
    kpi: Kpi
    month: dt.date
    table: pd.DataFrame  # org_code, organisation, ics_code, own, value, value_text, rank

    @property
    def empty(self) -> bool:
        return self.table.empty


def national_peers(db: Database, config: Config, org_code: str, kpi: Kpi, scope: Scope,
                   ics_code: str | None = None) -> PeerComparison:
    """The peer group of `org_code` on `kpi` in the view's month, best first (by the KPI's direction);
    the organisations of `ics_code` (default: the organisation's own ICS in config.yaml that month)
    marked. Each peer's row is its own figure as its own view shows it to this user (the view's staff
    group; a user limited to some organisations sees only theirs)."""
    month = scope.month
    group = _peer_list(db, org_code, month)
    if not group.empty:
        group = group[group["org_code"].isin(scope.own(list(group["org_code"])))]
    if group.empty:
        return PeerComparison(org_code, "", kpi, month, pd.DataFrame())
    peer_group = str(group["peer_group"].iloc[0])
    series = organisation_series(db, config, [kpi], scope, orgs=list(group["org_code"]), end=month)
    latest = series[series["period"] == month][["grp", "value"]]
    table = group.merge(latest.rename(columns={"grp": "org_code"}), on="org_code", how="inner")
    if table.empty:
        return PeerComparison(org_code, peer_group, kpi, month, pd.DataFrame())
    ics_code = ics_code or next((ics for org, ics, start, end in config.membership_rows()
                                 if org == org_code and start <= month and (end is None or month <= end)), "")
    own = set(config.counted_members(ics_code, month)) if ics_code in config.ics_by_code else {org_code}
    table["own"] = table["org_code"].isin(own)
    table["organisation"] = [config.org_by_code[c].name if c in config.org_by_code else (n or c)
                             for c, n in zip(table["org_code"], table["org_name"])]
    table = table.sort_values("value", ascending=kpi.improvement_direction != "increase", kind="stable")
    table["rank"] = range(1, len(table) + 1)
    table["value_text"] = [format_value(v, kpi.format) for v in table["value"]]
    columns = ["org_code", "organisation", "ics_code", "own", "value", "value_text", "rank"]
    return PeerComparison(org_code, peer_group, kpi, month, table[columns].reset_index(drop=True))


def kpis_with_peers(db: Database, config: Config, month: dt.date) -> list[Kpi]:
    """The KPIs whose every measure is held for organisations outside config.yaml in the month
    (national files loaded), in config order; every KPI when none is."""
    named = [o.code for o in config.organisations if o.source == "config"]
    held = set(db.query("views/national_measures", {"orgs": named, "month": month})["measure"])
    with_peers = [k for k in config.kpis if set(k.measure_ids) <= held]
    return with_peers or list(config.kpis)


def _peer_list(db: Database, org_code: str, month: dt.date) -> pd.DataFrame:
    try:
        return peers(db, org_code, month)
    except duckdb.CatalogException:  # a database made before the organisation reference: no peers to show
        return pd.DataFrame()


def peers_text(result: PeerComparison) -> str:
    """Plain English for the chart (it doubles as alt text)."""
    if result.empty and result.peer_group:
        return (f"No organisation in England's '{result.peer_group}' group has a figure for "
                f"{result.kpi.label.lower()} in {result.month:%B %Y}: choose another KPI or month.")
    if result.empty:
        return "No national peers are held for this organisation (load a national NHS Digital file first)."
    table = result.table
    mine = table[table["org_code"] == result.org_code]
    own_others = int(table["own"].sum()) - int(not mine.empty and bool(mine["own"].iloc[0]))
    where = (f"{mine['organisation'].iloc[0]} is {_ordinal(int(mine['rank'].iloc[0]))} of {len(table)}"
             if not mine.empty else f"The organisation has no figure; {len(table)} peers have")
    direction = {"increase": "higher is better", "decrease": "lower is better"}.get(
        result.kpi.improvement_direction, "no better direction")
    return (f"{where} organisations in England in the '{result.peer_group}' group on {result.kpi.label.lower()} "
            f"in {result.month:%B %Y} ({direction}; ranked best first). The ICS's own organisations are the blue dots"
            + (f" ({own_others} other{'s' if own_others != 1 else ''} in this group)." if own_others else "."))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def peers_chart(result: PeerComparison, value_title: str) -> alt.LayerChart:
    """One line per organisation of the ICS: every peer's figure as a grey tick (the spread across
    England) and the organisation's own as a blue dot, labelled with its rank — compact however
    many peers there are. Hover a tick for the peer's name."""
    table = result.table
    own = table[table["own"]]
    rows = own[["organisation", "rank"]].rename(columns={"organisation": "line", "rank": "line_rank"})
    spread = rows.merge(table, how="cross")
    spread["line"] = [f"{line} ({_ordinal(rank)} of {len(table)})" for line, rank in
                      zip(spread["line"], spread["line_rank"])]
    mine = spread[spread["organisation"] == spread["line"].str.rsplit(" (", n=1).str[0]]
    order = list(dict.fromkeys(spread.sort_values("line_rank")["line"]))
    drawn = ["line", "value", "organisation", "ics_code", "value_text", "rank"]  # the browser gets nothing else
    spread, mine = spread[drawn], mine[drawn]
    y = alt.Y("line:N", sort=order, title=None, axis=alt.Axis(labelLimit=360))
    x = alt.X("value:Q", title=value_title, scale=alt.Scale(zero=False))
    tooltip = [alt.Tooltip("organisation:N", title="Organisation"), alt.Tooltip("ics_code:N", title="ICS (file)"),
               alt.Tooltip("value_text:N", title=value_title), alt.Tooltip("rank:Q", title="Rank")]
    ticks = alt.Chart(spread).mark_tick(color=NHS_MID_GREY, thickness=1.5, size=22).encode(x=x, y=y, tooltip=tooltip)
    dots = alt.Chart(mine).mark_point(color=NHS_BLUE, fill=NHS_BLUE, size=120, opacity=1).encode(
        x=x, y=y, tooltip=tooltip)
    return alt.layer(ticks, dots).properties(height=alt.Step(36), width="container")
