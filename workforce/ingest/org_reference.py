"""The organisation reference: every organisation the national files list, month by month.

NHS England Digital's national files cover every organisation in England, each row carrying its
name, type, cluster and benchmark group, region and the publisher's ICS for that month. The loader
keeps all of them (not only config.yaml's) and records that metadata in `org_reference`
(queries/ingest/org_reference/record_org_reference.sql), so an ICS can compare its organisations with national peers.
config.yaml still names the plan's ICSs and their footprints: where a file's ICS for an
organisation differs from config's for that month, the dry run and the Data quality page say so,
and config decides.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from ..base.config import Config
from ..base.db import Database, sql


def _membership_params(config: Config) -> dict:
    rows = config.membership_rows()
    return {"member_org": [r[0] for r in rows], "member_ics": [r[1] for r in rows],
            "member_from": [r[2] for r in rows], "member_to": [r[3] for r in rows]}


# ---------------------------------------------------------------- in the loader's connection
def reset(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(sql("ingest/org_reference/reset_staged_orgs"))


def known_orgs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Codes a file may use beyond config.yaml's: the reference's, and a national file's own list
    (`staged_orgs` is emptied for any other file)."""
    try:
        return [r[0] for r in con.execute(sql("ingest/org_reference/known_orgs")).fetchall()]
    except duckdb.CatalogException:  # a database from before the reference: the file's own list
        return [r[0] for r in con.execute(sql("ingest/org_reference/staged_org_codes")).fetchall()]


def disagreement_notes(con: duckdb.DuckDBPyConnection, config: Config) -> list[str]:
    """One note per organisation whose ICS in the file differs from config.yaml's for those months."""
    rows = con.execute(sql("ingest/org_reference/ics_disagreements"), _membership_params(config)).fetchall()
    return [_note(*row) for row in rows]


def _note(org, name, file_ics, file_ics_name, config_ics, first, last, months) -> str:
    span = f"{first:%b %Y}" if first == last else f"{first:%b %Y} to {last:%b %Y} ({months} months)"
    called = f" ({name})" if name else ""
    file_name = f" {file_ics_name}" if file_ics_name else ""
    return (f"{org}{called}: the file places it in ICS {file_ics}{file_name} for {span}; config.yaml "
            f"places it in {config_ics} — config.yaml decides (ICS figures count it in {config_ics})")


def record(con: duckdb.DuckDBPyConnection, load_id: int) -> None:
    con.execute(sql("ingest/org_reference/record_org_reference"), {"load_id": load_id})


# ---------------------------------------------------------------- for the dashboard
def disagreements(db: Database, config: Config) -> pd.DataFrame:
    """Held organisation-months whose published ICS differs from config.yaml's, as runs of months:
    org_code, org_name, file_ics, file_ics_name, config_ics, first_period, last_period, months."""
    return db.query("ingest/org_reference/org_reference_disagreements", _membership_params(config))


def peers(db: Database, org_code: str, as_at: dt.date) -> pd.DataFrame:
    """Organisations in the same benchmark group as `org_code` (its latest group up to `as_at`),
    across England: org_code, org_name, peer_group, ics_code, region_name."""
    return db.query("ingest/org_reference/org_reference_peers", {"org": org_code, "as_at": as_at})
