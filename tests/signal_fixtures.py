"""Simulated trusts in the publications' additive shape (one row per month, organisation, staff group
and measure), for checking how often each signal fires when nothing changes and whether a real
change stays flagged. Used by tests/signals/test_assurance.py and benchmarks/bench_signals.py; everything
is loaded through the public loader (`load_frame`) and read back through the KPI path.

A trust's process is set by its parameters, each a number or one value per month:
leave (monthly probability of leaving), sickness (rate) with `winter` (the amplitude of a winter peak
in January, as a rate) and `sickness_noise` (month-to-month spread beyond the binomial: sickness
comes in spells, not independent days), vacancy with `vacancy_carry` (how much of last month's
vacancy rate carries into this month's) and agency (share of the pay bill).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

NURSES = "Nurses & health visitors"
ALL = "All staff groups"
START = dt.date(2021, 4, 1)


def month(i: int, start: dt.date = START) -> dt.date:
    return dt.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)


def _path(value, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(value, dtype=float), (n,)).copy()


@dataclass
class Trust:
    code: str
    headcount: int = 5000
    leave: object = 0.0095
    first_year_share: float = 0.2
    sickness: object = 0.05
    winter: float = 0.0
    sickness_noise: float = 0.03
    vacancy: object = 0.07
    vacancy_carry: float = 0.0
    vacancy_noise: float = 0.004
    agency: object = 0.03
    agency_noise: float = 0.1
    type: str = "acute"
    extra: dict = field(default_factory=dict)


def trust_rows(trust: Trust, rng: np.random.Generator, n_months: int, start: dt.date = START) -> list[tuple]:
    leave, sickness = _path(trust.leave, n_months), _path(trust.sickness, n_months)
    vacancy, agency = _path(trust.vacancy, n_months), _path(trust.agency, n_months)
    rows, heads = [], []
    h = trust.headcount
    v = vacancy[0]
    for i in range(n_months):
        period = month(i, start)
        leavers = int(rng.binomial(h, leave[i]))
        joiners = int(rng.poisson(h * 0.0095))
        h = h + joiners - leavers
        heads.append(h)
        fte = h * 0.9
        days = round(fte * 30)
        winter = trust.winter * np.cos(2 * np.pi * (period.month - 1) / 12)
        rate = np.clip((sickness[i] + winter) * np.exp(rng.normal(0, trust.sickness_noise)), 0, 1)
        establishment = round(fte / 0.93)
        v = vacancy[i] + trust.vacancy_carry * (v - vacancy[i - 1 if i else 0]) + rng.normal(
            0, trust.vacancy_noise * np.sqrt(1 - trust.vacancy_carry ** 2))
        pay = fte * 4000.0
        values = {"headcount": h, "leavers": leavers, "joiners": joiners,
                  "leavers_under_1yr": int(rng.binomial(leavers, trust.first_year_share)),
                  "fte_days_available": days, "fte_days_lost": int(rng.binomial(days, rate)),
                  "establishment_fte": establishment,
                  "vacancies_fte": int(rng.binomial(establishment, float(np.clip(v, 0, 1)))),
                  "agency_spend": round(pay * agency[i] * np.exp(rng.normal(0, trust.agency_noise))),
                  "pay_bill": round(pay)}
        if i >= 12:
            values["headcount_stable_12m"] = int(rng.binomial(heads[i - 12], (1 - leave[i]) ** 12))
        for measure, value in values.items():
            group = ALL if measure in ("agency_spend", "pay_bill") else NURSES
            rows.append((period, trust.code, group, "", "", measure, float(value)))
    return rows


def frame_of(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["period", "org_code", "staff_group", "breakdown", "breakdown_value",
                                        "measure", "value"])
    frame["period"] = pd.to_datetime(frame["period"])
    return frame


def copy_of(config, **update):
    """A config with fields replaced, without the look-ups (org_by_code…) cached on the original."""
    copy = config.model_copy(update=update)
    for name in ("kpi_by_id", "measure_by_id", "org_by_code", "ics_by_code"):
        copy.__dict__.pop(name, None)
    return copy


def load_trusts(config, trusts: list[Trust], path, n_months: int, seed: int, ics: str = "QKS",
                start: dt.date = START):
    """Load the trusts (added to the config as members of `ics`) and return (config, Database)."""
    from workforce.base.config import Organisation
    from workforce.base.db import Database
    from workforce.ingest.loader import load_frame

    orgs = [Organisation(code=t.code, name=f"Simulated trust {t.code}", type=t.type, membership=[(ics, start)])
            for t in trusts]
    known = {o.code for o in config.organisations}
    sim = copy_of(config, organisations=list(config.organisations) + [o for o in orgs if o.code not in known])
    rng = np.random.default_rng(seed)
    rows = [r for t in trusts for r in trust_rows(t, rng, n_months, start)]
    load_frame(frame_of(rows), sim, db_path=path, name="simulated.csv", fresh=True)
    return sim, Database(path)
