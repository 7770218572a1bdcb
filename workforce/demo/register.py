"""The demo's intervention register: the documented programmes behind its signals, so a board
sees on each chart what changed and when (and the levy pooling recalculates the SPC limits).

Written only into a store that does not exist yet: a register someone has used is never touched.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..base.store_backend import is_postgres
from ..store.records import Store
from .signals import FLEXIBLE_WORKING, INTERNATIONAL_RECRUITMENT, LEVY_POOLING

WHO = "Synthetic demo data"


def seed_register(target: str | Path, config) -> bool:
    """Add the demo's interventions to a new store (a SQLite file not yet made, or a PostgreSQL store
    never written to); False, and nothing written, otherwise."""
    if not is_postgres(target) and Path(target).exists():
        return False
    store = Store(target)
    if store.version():
        return False
    home = config.org_by_code
    flexible, recruitment = FLEXIBLE_WORKING.org, INTERNATIONAL_RECRUITMENT.org
    store.add_intervention(
        who=WHO, date=LEVY_POOLING.start, label="ICS-wide levy pooling", ics=LEVY_POOLING.ics,
        kpis=["levy_utilisation", "levy_expired"], change_point=True,
        description="Trusts pool unspent apprenticeship levy and transfer it across the ICS and to social care.")
    store.add_intervention(
        who=WHO, date=FLEXIBLE_WORKING.start, label="Flexible working programme launched", ics=LEVY_POOLING.ics,
        orgs=[flexible], kpis=["turnover_rate_12m", "first_year_leaver_rate", "flexible_working_satisfaction"],
        description=f"{home[flexible].name}: self-rostering and flexible working by default for all roles.")
    store.add_intervention(
        who=WHO, date=dt.date.fromisoformat(INTERNATIONAL_RECRUITMENT.cohorts[0][0] + "-01"),
        label="International nurse recruitment cohorts",
        ics=LEVY_POOLING.ics, orgs=[recruitment], kpis=["vacancy_rate"],
        description=f"{home[recruitment].name}: five cohorts of internationally recruited nurses.")
    return True
