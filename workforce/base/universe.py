"""Every organisation, ICS and region a view can choose: config.yaml's plan over the publications'
organisation reference (docs/organisations.md).

The reference (`org_reference`, filled by every national publication loaded) lists each
organisation month by month with what the publisher says of it: name, type, cluster and benchmark
group, region and ICS. config.yaml names the plan's organisations and ICSs and where it places
them. `with_reference` folds the two into one Config, once per database generation:

- an organisation config.yaml names keeps config's name, type and membership (config decides);
  the reference only adds its benchmark and cluster group;
- any other organisation gets the reference's latest name and type, and its published ICS month by
  month as effective-dated spans (the first reaching back to the start of the data, the last open
  unless the organisation has ceased: a publication of the kind that listed it last lists later
  months without it);
- an ICS or region config.yaml does not name gets the publisher's latest name (and region);
- the publisher's "Special Health Authorities and other statutory bodies" (QZZ) is no place: its
  organisations are in England only.

A database without a reference (the synthetic demo, a template-only database) gives config.yaml's
universe unchanged.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from .config import Config
from .db import Database, DataUnavailable

NOT_A_PLACE = frozenset({"QZZ", ""})  # the publisher's grouping of national bodies: in England, in no ICS or region
START_OF_DATA = dt.date(2000, 1, 1)   # the loader refuses months before 2000
PUBLISHED_TYPES = {  # the publications' ORG_TYPE / CLUSTER_GROUP (lower case) → the dashboard's types
    "acute": "acute", "mental health": "mental health", "care trust": "mental health",
    "mental health and learning disability": "mental health", "community provider trust": "community",
    "community": "community", "ambulance": "ambulance", "ambulance trust": "ambulance",
    "integrated care board": "ICB", "clinical commissioning group": "ICB", "icb": "ICB",
}


def published_type(org_type: str, cluster_group: str = "") -> str:
    """The dashboard's organisation type for what a publication calls it ('other' when unknown)."""
    for text in (org_type, cluster_group):
        mapped = PUBLISHED_TYPES.get(str(text).strip().lower())
        if mapped:
            return mapped
    return "other"


def with_reference(config: Config, db: Database) -> Config:
    """config.yaml's plan with every organisation, ICS and region the database's reference holds."""
    try:
        organisations = db.query("base/reference_organisations")
        placements = db.query("base/reference_placements")
    except (duckdb.CatalogException, DataUnavailable):  # no database, or one from before the reference
        return config
    if organisations.empty:
        return config
    return Config(**universe_data(config, organisations, placements), source_path=config.source_path)


def universe_data(config: Config, organisations: pd.DataFrame, placements: pd.DataFrame) -> dict:
    """The config's settings with the reference's organisations, ICSs and regions added (see module)."""
    data = config.model_dump(by_alias=True, exclude={"source_path"})
    described = {row.org_code: row for row in organisations.itertuples(index=False)}
    runs: dict[str, list] = {}
    for run in placements.itertuples(index=False):  # in month order within each organisation
        runs.setdefault(run.org_code, []).append(run)
    named = {o["code"] for o in data["organisations"]}
    for org in data["organisations"]:  # config decides; the reference adds its peer groups
        row = described.get(org["code"])
        if row is not None:
            org.update(benchmark_group=row.benchmark_group, cluster_group=row.cluster_group)
    for code, row in described.items():
        if code not in named:
            data["organisations"].append(_published_organisation(row, runs.get(code, [])))
    _add_places(data, placements)
    return data


def _published_organisation(row, runs: list) -> dict:
    ceased = _month_end(_date(row.last_period)) if row.ceased else None
    return {"code": row.org_code, "name": row.org_name or row.org_code,
            "type": published_type(row.org_type, row.cluster_group),
            "benchmark_group": row.benchmark_group, "cluster_group": row.cluster_group,
            "membership": _spans([r for r in runs if r.ics_code not in NOT_A_PLACE], ceased),
            "ceased": ceased, "source": "publications"}


def _spans(runs: list, ceased: dt.date | None) -> list[list]:
    """Published runs of months in one ICS as membership spans: the first from the start of the data,
    each until the next begins, the last open (or to the end of its last month, when ceased)."""
    spans = []
    for i, run in enumerate(runs):
        start = START_OF_DATA if i == 0 else _date(run.first_period)
        end = _date(runs[i + 1].first_period) - dt.timedelta(days=1) if i + 1 < len(runs) else ceased
        spans.append([run.ics_code, start] + ([end] if end else []))
    return spans


def _add_places(data: dict, placements: pd.DataFrame) -> None:
    """ICSs and regions the publications name that config.yaml does not (their latest names)."""
    latest = placements[~placements["ics_code"].isin(NOT_A_PLACE)].sort_values("last_period")
    regions = {r["code"] for r in data["regions"]}
    for row in latest.drop_duplicates("region_code", keep="last").itertuples(index=False):
        if row.region_code not in regions and row.region_code not in NOT_A_PLACE:
            data["regions"].append({"code": row.region_code, "name": row.region_name or row.region_code})
            regions.add(row.region_code)
    icss = {i["code"] for i in data["icss"]}
    for row in latest.drop_duplicates("ics_code", keep="last").itertuples(index=False):
        if row.ics_code not in icss and row.region_code in regions:
            data["icss"].append({"code": row.ics_code, "name": row.ics_name or row.ics_code, "region": row.region_code})


def _date(value) -> dt.date:
    return pd.Timestamp(value).date()


def _month_end(month: dt.date) -> dt.date:
    return (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()

