"""A synthetic national year in the publications' own shapes, for the national-scale benchmarks.

    .venv/bin/python benchmarks/national_publications.py FOLDER [--end YYYY-MM] [--months 12]

Writes, for every NHS trust and ICB in England, one file a month of each of:
- "SYNTHETIC NHS Sickness Absence rates, <Mon YYYY>.csv" — the sickness CSV's columns (DATE as 31/12/2024);
- "SYNTHETIC Turnover benchmarking 2. Staff group and organisation, monthly, <Mon-YY>.csv" — PERIOD
  'YYYYMM to YYYYMM', long by TYPE, HC and FTE, zero rows left out, 'All staff groups' beside the groups;
- "SYNTHETIC NHS HCHS Workforce Statistics, Core 1, <Mon YYYY>.csv" — staff in post by staff group,
  FTE and HEADCOUNT, with the organisation's '000_All staff groups' row.

The organisations, their names, types, ICSs, regions and benchmark groups are the real ones when the
real files are in ../shared/data/nhs (the December 2024 sickness file and the October 2025 turnover
file), else 224 made-up trusts in 42 made-up ICSs. Every figure is made up (sizes 400–20,000 staff,
sickness 3.5–6.5% with a winter peak, 12-month turnover 8–14%); the file names say SYNTHETIC, and a
database built from them must be marked synthetic (bench_national.py does).
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "data" / "nhs"
TRUST_TYPES = ("Acute", "Mental Health", "Community Provider Trust", "Ambulance")
STAFF_GROUPS = ("HCHS doctors", "Nurses & health visitors", "Midwives", "Ambulance staff",
                "Scientific, therapeutic & technical staff", "Support to doctors, nurses & midwives",
                "Support to ambulance staff", "Support to ST&T staff", "Central functions",
                "Hotel, property & estates", "Senior managers", "Managers")
MIX = {  # share of staff in each group, by organisation type (rough national shape)
    "Acute": (0.14, 0.30, 0.03, 0, 0.12, 0.22, 0, 0.06, 0.06, 0.04, 0.01, 0.02),
    "Mental Health": (0.06, 0.32, 0, 0, 0.18, 0.28, 0, 0.04, 0.06, 0.03, 0.01, 0.02),
    "Community Provider Trust": (0.02, 0.32, 0, 0, 0.24, 0.22, 0, 0.06, 0.08, 0.03, 0.01, 0.02),
    "Ambulance": (0, 0.04, 0, 0.45, 0.02, 0, 0.35, 0, 0.08, 0.03, 0.01, 0.02),
    "Integrated Care Board": (0.02, 0.12, 0, 0, 0.04, 0, 0, 0, 0.50, 0, 0.12, 0.20),
}


@dataclass(frozen=True)
class Org:
    code: str
    name: str
    org_type: str
    benchmark_group: str
    ics_code: str
    ics_name: str
    region_code: str
    region_name: str


def real_organisations() -> list[Org]:
    """The trusts and ICBs of the real December 2024 sickness file, with the turnover file's groups."""
    sickness = REAL / "sickness" / "nhs_sickness_absence_2024-12.csv"
    turnover = next(iter(sorted((REAL / "turnover").glob("*monthly*.csv"))), None)
    groups = {}
    if turnover:
        with open(turnover, encoding="utf-8-sig", newline="") as handle:
            groups = {r["REPORTING_ORG_CODE"]: r["BENCHMARK_GROUP"] for r in csv.DictReader(handle)}
    with open(sickness, encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["ORG_TYPE"] in TRUST_TYPES + ("Integrated Care Board",)]
    return [Org(r["ORG_CODE"], r["ORG_NAME"], r["ORG_TYPE"], groups.get(r["ORG_CODE"], r["ORG_TYPE"]),
                r["ICS_CODE"], r["ICS_NAME"], r["NHSE_REGION_CODE"], r["NHSE_REGION_NAME"]) for r in rows]


def made_up_organisations() -> list[Org]:
    """224 trusts and 42 ICBs in 42 made-up ICSs over seven regions (no real files here)."""
    regions = [("Y56", "London"), ("Y58", "South West"), ("Y59", "South East"), ("Y60", "Midlands"),
               ("Y61", "East of England"), ("Y62", "North West"), ("Y63", "North East and Yorkshire")]
    orgs = []
    for n in range(42):
        ics, (region, region_name) = f"X{n:02d}", regions[n % 7]
        orgs.append(Org(ics, f"Synthetic ICB {n:02d}", "Integrated Care Board", "Integrated Care Board", ics,
                        f"Synthetic ICS {n:02d}", region, region_name))
    for i in range(224):
        kind = TRUST_TYPES[0 if i < 134 else 1 if i < 181 else 2 if i < 214 else 3]
        ics = f"X{i % 42:02d}"
        orgs.append(Org(f"X{i:03d}T", f"Synthetic {kind} trust {i:03d}", kind, kind, ics, f"Synthetic ICS {i % 42:02d}",
                        orgs[i % 42].region_code, orgs[i % 42].region_name))
    return orgs


def months(end: dt.date, count: int) -> list[dt.date]:
    out = [end.replace(day=1)]
    while len(out) < count:
        first = out[0]
        out.insert(0, (first - dt.timedelta(days=1)).replace(day=1))
    return out


def last_day(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _staff(org: Org, rng: random.Random) -> dict[str, int]:
    size = rng.randint(300, 1500) if org.org_type == "Integrated Care Board" else rng.randint(400, 20000)
    return {g: round(size * share) for g, share in zip(STAFF_GROUPS, MIX[org.org_type]) if share}


def write_year(folder: Path, end: dt.date, count: int = 12, seed: int = 20241231) -> list[Path]:
    """Write `count` months of the three publications ending at `end`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    orgs = real_organisations() if (REAL / "sickness").is_dir() else made_up_organisations()
    rng = random.Random(seed)
    staff = {o.code: _staff(o, rng) for o in orgs}
    sickness_base = {o.code: rng.uniform(3.5, 6.0) for o in orgs}
    turnover_base = {o.code: rng.uniform(0.08, 0.14) / 12 for o in orgs}
    files = []
    for month in months(end, count):
        winter = 0.8 if month.month in (12, 1, 2) else 0.0
        files.append(_sickness(folder, month, orgs, staff, sickness_base, winter, rng))
        starting = {o: dict(groups) for o, groups in staff.items()}
        flows = {}  # (org, group) -> (leavers, joiners): they move the stock month to month
        for org in orgs:
            for group, count_now in staff[org.code].items():
                leavers = _binomial(rng, count_now, turnover_base[org.code])
                joiners = _binomial(rng, count_now, turnover_base[org.code] * rng.uniform(0.9, 1.15))
                staff[org.code][group] = max(count_now - leavers + joiners, 0)
                flows[(org.code, group)] = (leavers, joiners)
        files.append(_turnover(folder, month, orgs, starting, staff, flows))
        files.append(_workforce(folder, month, orgs, staff))
    return files


def _binomial(rng: random.Random, n: int, p: float) -> int:
    mean = n * p
    return max(0, round(rng.gauss(mean, (mean * (1 - p)) ** 0.5))) if n else 0


def _write(path: Path, header: list[str], rows: list[list]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _place(org: Org) -> list[str]:
    return [org.region_code, org.region_name, org.ics_code, org.ics_name]


def _sickness(folder, month, orgs, staff, base, winter, rng) -> Path:
    days = calendar.monthrange(month.year, month.month)[1]
    rows = []
    for org in orgs:
        available = sum(staff[org.code].values()) * 0.88 * days
        rate = max(base[org.code] + winter + rng.gauss(0, 0.25), 0.5)
        lost = available * rate / 100
        rows.append([last_day(month).strftime("%d/%m/%Y"), *_place(org), org.code, org.name, org.org_type,
                     round(lost, 5), round(available, 5), round(rate, 2)])
    header = ["DATE", "NHSE_REGION_CODE", "NHSE_REGION_NAME", "ICS_CODE", "ICS_NAME", "ORG_CODE", "ORG_NAME",
              "ORG_TYPE", "FTE_DAYS_LOST", "FTE_DAYS_AVAILABLE", "SICKNESS_ABSENCE_RATE_PERCENT"]
    return _write(folder / f"SYNTHETIC NHS Sickness Absence rates, {month:%b %Y}.csv", header, rows)


def _turnover(folder, month, orgs, starting, ending, flows) -> Path:
    before = (month - dt.timedelta(days=1)).replace(day=1)
    period = f"{before:%Y%m} to {month:%Y%m}"
    rows = []
    for org in orgs:
        place = [org.region_code, org.region_name, org.ics_code, org.ics_name, org.name, org.code,
                 org.org_type, org.benchmark_group]
        groups = [g for g in STAFF_GROUPS if g in ending[org.code]]
        totals = {"start": 0, "end": 0, "leavers": 0, "joiners": 0}
        for group in groups:
            leavers, joiners = flows[(org.code, group)]
            values = {"start": starting[org.code][group], "end": ending[org.code][group],
                      "leavers": leavers, "joiners": joiners}
            totals = {k: totals[k] + v for k, v in values.items()}
            label = "HCHS Doctors (exc. Resident doctors and equivalents)" if group == "HCHS doctors" else group
            rows += _turnover_rows(period, place, label, values)
        rows += _turnover_rows(period, place, "All staff groups", totals)
    header = ["PERIOD", "TYPE", "NHSE_REGION_CODE", "NHSE_REGION_NAME", "ICS_CODE", "ICS_NAME", "REPORTING_ORG_NAME",
              "REPORTING_ORG_CODE", "CLUSTER_GROUP", "BENCHMARK_GROUP", "STAFF_GROUP_1_NAME", "HC", "FTE"]
    return _write(folder / f"SYNTHETIC Turnover benchmarking 2. Staff group and organisation, monthly, "
                           f"{month:%b-%y}.csv", header, [[r[0], r[1], *r[2]] for r in rows])


def _turnover_rows(period: str, place: list[str], label: str, values: dict) -> list:
    kinds = (("Denominator at start of period", "start"), ("Denominator at end of period", "end"),
             ("Leavers", "leavers"), ("Joiners", "joiners"))
    return [[period, kind, [*place, label, values[key], round(values[key] * 0.9, 5)]]
            for kind, key in kinds if values[key]]  # zero rows are left out, as published


def _workforce(folder, month, orgs, staff) -> Path:
    rows = []
    for org in orgs:
        head = [last_day(month).isoformat(), "Organisation", *_place(org), org.code, org.name]
        groups = staff[org.code]
        rows.append(head + ["000_Total", "000_All staff groups", round(sum(groups.values()) * 0.9, 2),
                            sum(groups.values())])
        for i, (group, count) in enumerate(groups.items(), start=1):
            rows.append(head + ["001_Main", f"{i:03d}_{group}", round(count * 0.9, 2), count])
    header = ["DATA_MONTH", "DATA_LEVEL", "NHSE_REGION_CODE", "NHSE_REGION_NAME", "ICS_CODE", "ICS_NAME", "ORG_CODE",
              "ORG_NAME", "MAIN_STAFF_GROUP", "STAFF_GROUP_1", "FTE", "HEADCOUNT"]
    return _write(folder / f"SYNTHETIC NHS HCHS Workforce Statistics, Core 1, {month:%b %Y}.csv", header, rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--end", default="2024-12", help="last month, YYYY-MM (default 2024-12)")
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()
    files = write_year(args.folder, dt.date.fromisoformat(args.end + "-01"), args.months)
    print(f"{len(files)} files in {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
