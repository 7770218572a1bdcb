"""Data quality: what is missing, what is stale, what looks implausible — before a board sees it.

- coverage: each measure by organisation × month; a month inside a measure's run with no
  submission from an organisation stands out (annual measures are expected once a year).
- stale KPIs: the KPIs whose latest data lag the as-at month by more than their `stale_after_days`.
Every window ends at the as-at month (the month chosen, or the database's latest): never today.
- jumps: organisations whose latest stock figure (headcount, FTE …) moved more than a threshold
  (default ±20%) from the previous month: a partial submission or a coding change, usually.
- ICS membership: organisations the published files place in another ICS than config.yaml's
  footprint for some months (config decides; workforce/ingest/org_reference.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import altair as alt
import duckdb
import pandas as pd

from ..base.config import Config
from ..base.db import Database
from ..measures.figure import data_as_at, days_behind, is_stale
from ..ingest.org_reference import disagreements

PRESENT, MISSING, ABSENT = "figures", "held as missing (suppressed)", "no submission"
STATUS_COLOURS = {PRESENT: "#007F3B", MISSING: "#FFB81C", ABSENT: "#DA291C"}  # NHS green, warm yellow, red
# never colour alone (WCAG 1.4.1): a mark on each gap, in a colour that reads on its cell (9:1 and 4.9:1)
STATUS_MARKS = {MISSING: ("–", "#000000"), ABSENT: ("✗", "#FFFFFF")}
JUMP_MEASURES = ("headcount", "fte", "establishment_fte")
JUMP_THRESHOLD = 0.2


@dataclass
class Coverage:
    cells: pd.DataFrame  # measure, org_code, period, status (one row per expected cell)
    gaps: pd.DataFrame  # measure, org_code, months missing, first missing, last missing

    def grid(self, measure: str) -> pd.DataFrame:
        """Organisations × months for one measure, each cell its status."""
        rows = self.cells[self.cells["measure"] == measure]
        if rows.empty:
            return pd.DataFrame()
        grid = rows.pivot(index="org_code", columns="period", values="status")
        grid.columns = [pd.Timestamp(c).strftime("%b %Y") for c in grid.columns]
        return grid.fillna("")


def _expected_months(periods: pd.Series) -> list[dt.date]:
    """The months a measure should have: every month of its run, or its usual month(s) of the year."""
    months = sorted({pd.Timestamp(p).date() for p in periods})
    if not months:
        return []
    run = list(pd.period_range(months[0], months[-1], freq="M").to_timestamp().date)
    calendar = {m.month for m in months}
    if len(months) > 1 and len(calendar) <= 2 and len(run) > 12:  # an annual measure (survey, applications)
        return [m for m in run if m.month in calendar]
    return run


def coverage(db: Database, config: Config, orgs: list[str], months: int = 24,
             end: dt.date | None = None) -> Coverage:
    """Submissions of every measure by organisation and month over the `months` months to `end`
    (default: the database's as-at month)."""
    end = end or data_as_at(db)
    if end is None:
        return Coverage(pd.DataFrame(columns=["measure", "org_code", "period", "status"]),
                        pd.DataFrame(columns=["measure", "org_code", "months_missing", "first_missing",
                                              "last_missing", "months"]))
    start = (pd.Timestamp(end) - pd.DateOffset(months=months - 1)).date()
    held = db.query("views/quality_coverage", {"orgs": list(orgs), "start": start, "end": end})
    cells, gaps = [], []
    for measure, rows in held.groupby("measure", sort=True):
        expected = _expected_months(rows["period"])
        by_key = {(r.org_code, pd.Timestamp(r.period).date()): (r.figures, r.values) for r in rows.itertuples()}
        for org in sorted(set(rows["org_code"])):
            missing = []
            for month in expected:
                figures, values = by_key.get((org, month), (0, 0))
                status = ABSENT if figures == 0 else (MISSING if values == 0 else PRESENT)
                cells.append((measure, org, month, status))
                if status == ABSENT:
                    missing.append(month)
            if missing:
                gaps.append((measure, org, len(missing), missing[0], missing[-1],
                             ", ".join(m.strftime("%b %Y") for m in missing[:6]) + (" …" if len(missing) > 6 else "")))
    return Coverage(
        pd.DataFrame(cells, columns=["measure", "org_code", "period", "status"]),
        pd.DataFrame(gaps, columns=["measure", "org_code", "months_missing", "first_missing", "last_missing",
                                    "months"]))


def stale_kpis(db: Database, config: Config, orgs: list[str], as_at: dt.date | None = None) -> pd.DataFrame:
    """Every KPI with the latest month all its components have, how far it lags the as-at month
    (default: the database's), and whether that is stale."""
    as_at = as_at or data_as_at(db)
    latest = db.query("views/quality_latest", {"orgs": list(orgs)})
    by_measure = {r.measure: pd.Timestamp(r.latest_period).date() for r in latest.itertuples()}
    rows = []
    for kpi in config.kpis:
        months = [by_measure.get(m) for m in kpi.measure_ids]
        period = None if any(m is None for m in months) else min(months)
        rows.append({
            "kpi": kpi.id, "KPI": kpi.label, "latest month": period.strftime("%b %Y") if period else "no data",
            "days behind": days_behind(period, as_at),
            "stale after (days)": kpi.stale_after_days, "stale": is_stale(kpi, period, as_at),
            "measures": ", ".join(config.measure_by_id[m].label if m in config.measure_by_id else m
                                  for m in kpi.measure_ids)})
    return pd.DataFrame(rows)


def jumps(db: Database, config: Config, orgs: list[str], threshold: float = JUMP_THRESHOLD,
          measures: list[str] | None = None) -> pd.DataFrame:
    """Organisations whose latest stock figure changed by more than `threshold` from the previous month."""
    measures = measures or [m for m in JUMP_MEASURES if m in config.measure_by_id]
    frame = db.query("views/quality_jumps", {"orgs": list(orgs), "measures": measures, "threshold": threshold,
                                       "all_staff_groups": config.all_staff_groups_label})
    names = {o.code: o.name for o in config.organisations}
    frame.insert(1, "organisation", [names.get(c, c) for c in frame["org_code"]])
    return frame


def coverage_chart(grid_cells: pd.DataFrame, measure_label: str, names: dict[str, str] | None = None) -> alt.Chart:
    """Organisations × months, coloured by whether figures came in: gaps stand out in red. Every
    organisation is labelled by name and code (`names`), and the legend is never cut short."""
    names = names or {}
    data = grid_cells.assign(month=pd.to_datetime(grid_cells["period"]),
                             organisation=[f"{names[c]} ({c})" if c in names else c for c in grid_cells["org_code"]])
    base = alt.Chart(data).encode(
        x=alt.X("yearmonth(month):O", title=None, axis=alt.Axis(format="%b %y", labelAngle=-45)),
        y=alt.Y("organisation:N", title=None, axis=alt.Axis(labelOverlap=False, labelLimit=0, labelFontSize=11)))
    legend_marks = " + ".join(f"(datum.label == '{k}' ? ' {m}' : '')" for k, (m, _) in STATUS_MARKS.items())
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("status:N", title=None,
                        scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
                        legend=alt.Legend(orient="bottom", labelLimit=0, columns=1,
                                          labelExpr=f"datum.label + {legend_marks}")),
        tooltip=[alt.Tooltip("organisation:N", title="Organisation"),
                 alt.Tooltip("yearmonth(month):T", title="Month", format="%B %Y"),
                 alt.Tooltip("status:N", title="Status")])
    marks = [base.transform_filter(alt.datum.status == status).mark_text(
        text=mark, color=colour, fontSize=12, fontWeight="bold") for status, (mark, colour) in STATUS_MARKS.items()]
    return alt.layer(cells, *marks, title=f"{measure_label}: submissions by organisation and month").properties(
        height=alt.Step(20))


def ics_membership(db: Database, config: Config, orgs: list[str]) -> pd.DataFrame:
    """Organisations in scope whose ICS in the published files differs from config.yaml's, as runs
    of months, with a sentence each: organisation, file_ics, config_ics, months, note."""
    try:
        frame = disagreements(db, config)
    except duckdb.CatalogException:  # a database made before the organisation reference
        frame = pd.DataFrame(columns=["org_code", "org_name", "file_ics", "file_ics_name", "config_ics",
                                      "first_period", "last_period", "months"])
    frame = frame[frame["org_code"].isin(orgs)].copy()
    names = {i.code: i.name for i in config.icss}
    frame["organisation"] = [config.org_by_code[c].name if c in config.org_by_code else n
                             for c, n in zip(frame["org_code"], frame["org_name"])]
    frame["note"] = [
        f"The files place {org} in {fi} {fn or ''}".rstrip() + f" {_months(a, b)}; config.yaml places "
        f"it in {ci} {names.get(ci, '')}".rstrip() + " — the dashboard follows config.yaml, so ICS figures count "
        f"it in {ci}."
        for org, fi, fn, ci, a, b in zip(frame["organisation"], frame["file_ics"], frame["file_ics_name"],
                                         frame["config_ics"], frame["first_period"], frame["last_period"])]
    return frame[["org_code", "organisation", "file_ics", "config_ics", "months", "note"]].reset_index(drop=True)


def _months(first: dt.date, last: dt.date) -> str:
    return f"in {first:%b %Y}" if first == last else f"from {first:%b %Y} to {last:%b %Y}"
