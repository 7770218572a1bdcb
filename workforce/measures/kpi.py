"""KPIs as ratios of summed components, for any selection, month by month.

SQL (queries/measures/kpi_components.sql) sums each additive component over the organisations,
staff groups and breakdown asked for and computes its 12-month windows; this module only
combines those sums as each KPI's config says (numerator ÷ denominator × scale). No rate is
ever averaged.

A figure for several organisations is summed from each organisation's own components, month by
month, over only the organisations complete for the KPI's window (`combined_series`), with how many
reported against how many were expected; each KPI also gets its SPC series (`spc_value`: the month's
own value of a 12-month flow). docs/spc.md explains both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..base.config import Component, Config, Kpi
from ..base.db import Database

EARLIEST = dt.date(2000, 1, 1)


def monthly_components(db: Database, measures: list[str], orgs: list[str], *, staff_group: str | None = None,
                       breakdown: str = "", group_by: str = "none", start: dt.date = EARLIEST,
                       end: dt.date | None = None, all_staff_groups: str = "All staff groups") -> pd.DataFrame:
    """Summed components month by month: grp, measure, period, month_value, from 12 months before
    ``start`` (the months a 12-month window ending at ``start`` reaches back to).

    No staff group (or the whole-organisation label) means all staff groups: each organisation's
    whole-organisation figure where held, else the sum of its staff groups (never both)."""
    chosen = [staff_group] if staff_group and staff_group != all_staff_groups else []
    params = {"orgs": list(orgs), "staff_groups": chosen, "all_staff_groups": all_staff_groups,
              "measures": sorted(measures), "start": start, "end": end or dt.date(2100, 1, 1)}
    if group_by == "org" and not breakdown:  # every summary's query: one aggregation, not two
        return db.query("measures/org_components", params)
    return db.query("measures/kpi_components", {**params, "breakdown": breakdown, "group_by": group_by})


def components(db: Database, measures: list[str], orgs: list[str], *, start: dt.date = EARLIEST,
               **options) -> pd.DataFrame:
    """Summed components with their windows, from ``start``: grp, measure, period, month_value,
    sum_12m, months_12m, start_value (options as monthly_components)."""
    rows = monthly_components(db, measures, orgs, start=start, **options)
    columns = ["grp", "measure", "period", "month_value", "sum_12m", "months_12m", "start_value"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    grid = ComponentGrid.from_rows(rows)
    windows = grid.windows(month_number(start))
    measure, group, month = np.nonzero(~np.isnan(windows["month_value"]))
    offset = max(0, month_number(start) - grid.first)
    return pd.DataFrame({
        "grp": np.asarray(grid.groups, dtype=object)[group], "measure": np.asarray(grid.measures, dtype=object)[measure],
        "period": pd.to_datetime([grid.period(m + offset) for m in month]),
        **{name: windows[name][measure, group, month] for name in columns[3:]}})


COMPONENT_COLUMNS = ["month_value", "sum_12m", "months_12m", "start_value", "prev_value", "sum_fytd", "months_fytd"]


def month_number(day: dt.date) -> int:
    """Months since January 1970 (numpy's datetime64[M])."""
    return (day.year - 1970) * 12 + day.month - 1


@dataclass
class ComponentGrid:
    """Components as one array, values[measure, group, month] (NaN: no figure), over every month from
    the first with a figure to the last: the windows are then a few array operations, not SQL window
    functions or pandas merges (all of England at national scale: 550,000 figures)."""
    measures: list[str]
    groups: list[str]
    first: int             # month_number of values[..., 0]
    values: np.ndarray

    @classmethod
    def from_rows(cls, rows: pd.DataFrame) -> "ComponentGrid":
        months = rows["period"].to_numpy().astype("datetime64[M]").astype(np.int64)
        measure, measures = pd.factorize(rows["measure"], sort=True)
        group, groups = pd.factorize(rows["grp"], sort=True)
        first = int(months.min())
        values = np.full((len(measures), len(groups), int(months.max()) - first + 1), np.nan)
        values[measure, group, months - first] = rows["month_value"].to_numpy(dtype=float)
        return cls(list(measures), list(groups), first, values)

    def period(self, index: int) -> dt.date:
        number = self.first + int(index)
        return dt.date(1970 + number // 12, number % 12 + 1, 1)

    def windows(self, start: int) -> dict[str, np.ndarray]:
        """Each of COMPONENT_COLUMNS for the months from ``start`` (a month_number) on, NaN where the
        month has no figure: month_value; sum_12m and months_12m, the sum and count of figures in the
        12 months to the month; start_value, the figure 12 months before; and, counting months from
        ``start`` only, prev_value (the month before: a stock at the month's start) and sum_fytd
        and months_fytd (April to the month: the NHS financial year to date)."""
        values = self.values
        present = ~np.isnan(values)
        filled = np.where(present, values, 0.0)
        sum_12m, months_12m = filled.copy(), present.astype(float)
        for back in range(1, 12):
            sum_12m[..., back:] += filled[..., :-back]
            months_12m[..., back:] += present[..., :-back]
        start_value = _shifted(values, 12)
        keep = slice(max(0, start - self.first), None)
        values, present, filled = values[..., keep], present[..., keep], filled[..., keep]
        first = self.first + (keep.start or 0)
        out = {"month_value": values, "sum_12m": sum_12m[..., keep], "months_12m": months_12m[..., keep],
               "start_value": start_value[..., keep], "prev_value": _shifted(values, 1),
               **_year_to_date(filled, present, first)}
        return {name: np.where(present, array, np.nan) for name, array in out.items()}

    def wide(self, start: int, every_group: bool) -> pd.DataFrame:
        """The windows as a frame: index (grp, period), columns (component column, measure), for the
        months from ``start`` that have a figure — for every group (``every_group``: a month a group
        missed is a row of gaps), else only the groups with a figure that month."""
        windows = self.windows(start)
        present = ~np.isnan(windows["month_value"])
        months = np.flatnonzero(present.any(axis=(0, 1)))
        groups = np.flatnonzero(present[..., months].any(axis=(0, 2)))
        measures = np.flatnonzero(present[:, groups][..., months].any(axis=(1, 2)))
        offset = max(0, start - self.first)
        cells = {name: array[measures][:, groups][..., months].transpose(1, 2, 0).reshape(len(groups) * len(months), -1)
                 for name, array in windows.items()}
        index = pd.MultiIndex.from_product([[self.groups[g] for g in groups],
                                            [self.period(m + offset) for m in months]], names=["grp", "period"])
        columns = pd.MultiIndex.from_product([COMPONENT_COLUMNS, [self.measures[m] for m in measures]],
                                             names=[None, "measure"])
        wide = pd.DataFrame(np.concatenate([cells[name] for name in COMPONENT_COLUMNS], axis=1),
                            index=index, columns=columns)
        return wide if every_group else wide[present[measures][:, groups][..., months].any(axis=0).reshape(-1)]


def _shifted(values: np.ndarray, months: int) -> np.ndarray:
    """values moved later by ``months`` along the month axis (NaN where nothing comes before)."""
    out = np.full_like(values, np.nan)
    out[..., months:] = values[..., :-months]
    return out


def _year_to_date(filled: np.ndarray, present: np.ndarray, first: int) -> dict[str, np.ndarray]:
    """sum_fytd and months_fytd: running sum and count of figures since the April that starts each
    month's financial year (or since the first month, if later)."""
    number = first + np.arange(filled.shape[-1])
    year = (number - 3) // 12          # April (month 3 counting from January = 0) starts a financial year
    starts = np.searchsorted(year, year)  # where each month's financial year begins on this axis
    sums, counts = np.cumsum(filled, axis=-1), np.cumsum(present, axis=-1, dtype=float)
    before = lambda running: np.where(starts > 0, running[..., np.maximum(starts - 1, 0)], 0.0)  # noqa: E731
    return {"sum_fytd": sums - before(sums), "months_fytd": counts - before(counts)}


def _months_into_year(index: pd.MultiIndex) -> np.ndarray:
    """1 for April … 12 for March: the months a complete financial-year-to-date sum covers."""
    return np.array([(p.month - 4) % 12 + 1 for p in index.get_level_values("period")])


def _column(wide: pd.DataFrame, name: str, measure: str) -> np.ndarray:
    return wide[(name, measure)].to_numpy(dtype=float)


def _measure_values(wide: pd.DataFrame, measure: str, aggregation: str, window: str) -> np.ndarray:
    """One measure aggregated over the KPI's window, for every (grp, period)."""
    if ("month_value", measure) not in wide.columns:
        return np.full(len(wide), np.nan)
    if window == "rolling_12m" and aggregation == "sum":
        return np.where(_column(wide, "months_12m", measure) == 12, _column(wide, "sum_12m", measure), np.nan)
    if window == "rolling_12m" and aggregation == "start":
        return _column(wide, "start_value", measure)
    if window == "rolling_12m" and aggregation == "mean_start_end":
        return (_column(wide, "start_value", measure) + _column(wide, "month_value", measure)) / 2
    if window == "fytd" and aggregation == "sum":
        complete = _column(wide, "months_fytd", measure) == _months_into_year(wide.index)
        return np.where(complete, _column(wide, "sum_fytd", measure), np.nan)
    return _column(wide, "month_value", measure)  # the month: a flow's sum, a stock at month end, an annual figure


def _month_values(wide: pd.DataFrame, measure: str, aggregation: str) -> np.ndarray:
    """One measure over the month alone (the monthly SPC series): a flow in the month, a stock
    at the month's start (the month before), end, or the mean of the two."""
    if ("month_value", measure) not in wide.columns:
        return np.full(len(wide), np.nan)
    if aggregation == "start":
        return _column(wide, "prev_value", measure)
    if aggregation == "mean_start_end":
        return (_column(wide, "prev_value", measure) + _column(wide, "month_value", measure)) / 2
    return _column(wide, "month_value", measure)


def _component_values(wide: pd.DataFrame, part: Component | None, window: str) -> np.ndarray:
    """A KPI's numerator or denominator: its measures added (missing if any measure is missing)."""
    if part is None:
        return np.full(len(wide), np.nan)
    if window == "spc_month":
        values = [_month_values(wide, m, part.aggregation) for m in part.measures]
    else:
        values = [_measure_values(wide, m, part.aggregation, window) for m in part.measures]
    return sum(values[1:], values[0])


def _part_arrays(wide: pd.DataFrame, kpi: Kpi) -> dict[str, np.ndarray]:
    """Numerator and denominator of the headline and of the monthly SPC value, per (grp, period)."""
    return {"numerator": _component_values(wide, kpi.numerator, kpi.window),
            "denominator": _component_values(wide, kpi.denominator, kpi.window),
            "spc_numerator": _component_values(wide, kpi.numerator, "spc_month"),
            "spc_denominator": _component_values(wide, kpi.denominator, "spc_month")}


def _parts(wide: pd.DataFrame, kpi: Kpi) -> pd.DataFrame:
    return pd.DataFrame(_part_arrays(wide, kpi), index=wide.index)


def _ratio(kpi: Kpi, numerator: np.ndarray, denominator: np.ndarray, monthly: bool = False) -> np.ndarray:
    factor = kpi.scale * (12 if monthly and kpi.annualised else 1)
    if kpi.denominator:
        with np.errstate(invalid="ignore", divide="ignore"):
            return numerator / np.where(denominator > 0, denominator, np.nan) * factor
    return numerator * factor


def _values(kpi: Kpi, parts: pd.DataFrame) -> pd.DataFrame:
    """value (the headline, over the KPI's window) and spc_value (the series SPC runs on)."""
    column = lambda name: parts[name].to_numpy(dtype=float)  # noqa: E731
    value = _ratio(kpi, column("numerator"), column("denominator"))
    if kpi.spc_basis == "monthly" and kpi.window in ("rolling_12m", "fytd"):
        spc_value = _ratio(kpi, column("spc_numerator"), column("spc_denominator"), monthly=True)
    else:
        spc_value = value  # a monthly KPI's own value; the 12-month or annual figure itself
    return parts.assign(value=value, spc_value=spc_value)


FRAME_COLUMNS = ["kpi", "grp", "period", "numerator", "denominator", "value", "spc_value", "spc_numerator",
                 "spc_denominator",
                 "orgs_reporting", "orgs_expected"]


def _shown_rows(frame: pd.DataFrame) -> pd.Series:
    """Months with a headline figure, and the months before the first one that have an SPC value:
    a 12-month KPI's monthly series starts a year before its 12-month figure does, so 20 months
    of data give 19 monthly points (SPC from the 13th) though only 8 twelve-month figures."""
    valued = frame["value"].notna()
    before_first = ~valued.groupby(level="grp").cummax() if "grp" in frame.index.names else ~valued.cummax()
    return valued | (before_first & frame["spc_value"].notna())


def kpi_series(wide: pd.DataFrame, kpi: Kpi) -> pd.DataFrame:
    """grp, period, numerator, denominator, value, spc_value for one KPI (periods with a value, and
    the months before the first value that have an SPC value)."""
    frame = _values(kpi, _parts(wide, kpi))
    frame = frame[_shown_rows(frame)].reset_index()
    return frame[["grp", "period", "numerator", "denominator", "value", "spc_value", "spc_numerator",
                  "spc_denominator"]]


def _expected(present: pd.Series, months: int) -> pd.Series:
    """Per (org, period): the organisation reported the KPI in this month or the `months` - 1
    before (so it is expected now); organisations that never report it are never expected."""
    grid = present.unstack("grp", fill_value=False).sort_index()
    full = pd.period_range(min(grid.index), max(grid.index), freq="M")
    grid.index = pd.PeriodIndex([pd.Period(p, "M") for p in grid.index])
    grid = grid.reindex(full, fill_value=False).astype(float)
    recent = grid.rolling(months, min_periods=1).max().astype(bool)
    recent.index = [p.to_timestamp().date() for p in recent.index]
    recent.index.name = "period"
    return recent.stack().swaplevel().rename("expected")


def combined_series(wide: pd.DataFrame, kpi: Kpi, config: Config, all_types: bool = False,
                    orgs: pd.Index | None = None) -> pd.DataFrame:
    """One figure for several organisations (wide is grouped by organisation, with a row for every
    organisation and month — ComponentGrid.wide(every_group=True) — and ``orgs`` its organisations,
    in order, when the caller has them): for each month,
    only organisations with every component of its window are added up — the same organisations
    in numerator and denominator and at both ends of a 12-month window — and the count of those
    against the count expected (covered types that reported the KPI recently) is kept."""
    orgs = wide.index.get_level_values("grp").unique() if orgs is None else orgs
    keep = np.array([all_types or (o in config.org_by_code and config.org_by_code[o].type in kpi.covered_types)
                     for o in orgs])
    if len(wide) == 0 or not keep.any():
        return pd.DataFrame(columns=FRAME_COLUMNS[1:])
    periods = wide.index.get_level_values("period")[: len(wide) // len(orgs)]
    grid = lambda values: np.asarray(values).reshape(len(orgs), len(periods))[keep]  # noqa: E731  org × month
    parts = {name: grid(values) for name, values in _part_arrays(wide, kpi).items()}

    def complete(prefix: str) -> np.ndarray:
        ok = ~np.isnan(parts[prefix + "numerator"])
        if kpi.denominator is None:
            return ok
        with np.errstate(invalid="ignore"):
            return ok & (parts[prefix + "denominator"] > 0)

    reporting, reporting_month = complete(""), complete("spc_")
    present = grid(np.any([~np.isnan(_column(wide, "month_value", m)) for m in kpi.measure_ids
                           if ("month_value", m) in wide.columns] or [np.zeros(len(wide), bool)], axis=0))
    lookback = 24 if kpi.window == "annual" else config.coverage.lookback_months
    expected = _recently(present, periods, lookback) | reporting

    def total(column: str, counted: np.ndarray) -> np.ndarray:
        return np.where(counted.any(axis=0), np.where(counted, parts[column], 0.0).sum(axis=0), np.nan)

    totals = pd.DataFrame({
        "numerator": total("numerator", reporting), "denominator": total("denominator", reporting),
        "spc_numerator": total("spc_numerator", reporting_month),
        "spc_denominator": total("spc_denominator", reporting_month),
        "orgs_reporting": reporting.sum(axis=0), "orgs_expected": expected.sum(axis=0)},
        index=pd.Index(periods, name="period"))
    frame = _values(kpi, totals)
    frame = frame[_shown_rows(frame)].reset_index().assign(grp="")
    return frame[FRAME_COLUMNS[1:]]


def _recently(present: np.ndarray, periods, months: int) -> np.ndarray:
    """organisation × month: reported in this month or the `months` - 1 before."""
    number = np.array([p.year * 12 + p.month for p in periods])
    gap = number[:, None] - number[None, :]           # month j minus month k
    window = (gap >= 0) & (gap < months)               # k within the lookback ending at j
    return (present.astype(int) @ window.T.astype(int)) > 0


def kpi_frame(db: Database, config: Config, kpis: list[Kpi], orgs: list[str], *, group_by: str = "none",
              all_types: bool = False, **options) -> pd.DataFrame:
    """Every KPI's monthly series for a selection: kpi, grp, period, numerator, denominator, value
    (the headline over the KPI's window), spc_value (the series SPC runs on) and, for one figure
    over several organisations (group_by 'none'), orgs_reporting and orgs_expected.

    A figure for several organisations covers the organisation types each KPI states (NHS trusts
    for NHS Digital's methods) unless ``all_types`` (the user chose the organisations or type)."""
    empty = pd.DataFrame(columns=FRAME_COLUMNS)
    if not orgs or not kpis:
        return empty
    measures = sorted({m for k in kpis for m in k.measure_ids})
    first = options.pop("start", None)
    # from 24 months earlier: the month before (a stock at the start of the first month), the year
    # to date and who is expected to report all need months before the first one asked for
    lead = (pd.Timestamp(first) - pd.DateOffset(months=24)).date() if first else EARLIEST
    lead = max(lead, EARLIEST)
    rows = monthly_components(db, measures, orgs, all_staff_groups=config.all_staff_groups_label,
                              group_by="org" if group_by == "none" else group_by, start=lead, **options)
    return frame_of_components(config, kpis, rows, group_by=group_by, all_types=all_types, first=first, lead=lead)


def frame_of_components(config: Config, kpis: list[Kpi], rows: pd.DataFrame, *, group_by: str = "none",
                        all_types: bool = False, first: dt.date | None = None,
                        lead: dt.date = EARLIEST) -> pd.DataFrame:
    """kpi_frame's figures from monthly components already read (monthly_components' rows from
    ``lead``), e.g. to use both."""
    empty = pd.DataFrame(columns=FRAME_COLUMNS)
    if rows.empty or not kpis:
        return empty
    wide = ComponentGrid.from_rows(rows).wide(month_number(lead), every_group=group_by == "none")
    if wide.empty:
        return empty
    if group_by == "none":
        orgs = wide.index.get_level_values("grp").unique()
        frames = [combined_series(wide, k, config, all_types, orgs).assign(kpi=k.id) for k in kpis]
    else:
        frames = [kpi_series(wide, k).assign(kpi=k.id, orgs_reporting=np.nan, orgs_expected=np.nan)
                  for k in kpis]
    frame = pd.concat([f for f in frames if not f.empty] or [empty], ignore_index=True)[empty.columns]
    if first:
        frame = frame[frame["period"] >= first]
    return frame.sort_values(["kpi", "grp", "period"], kind="stable").reset_index(drop=True)


CELL_GROUPINGS = {"staff_group": "org_staff_group", "breakdown_value": "org_breakdown_value"}
SEPARATOR = "\x1f"   # between an organisation and its cell in the org_… groupings of kpi_components


def cell_frame(db: Database, config: Config, kpis: list[Kpi], orgs: list[str], *, by: str,
               all_types: bool = False, **options) -> pd.DataFrame:
    """Every KPI's monthly series for each cell of a breakdown (`by` 'staff_group' or
    'breakdown_value') of one figure for several organisations, each cell added up exactly as the
    figure itself is (combined_series: the KPI's organisation types unless `all_types`, organisations
    complete for the window): a cell is what choosing it as a filter shows. grp is the cell."""
    empty = pd.DataFrame(columns=FRAME_COLUMNS)
    if not orgs or not kpis:
        return empty
    first = options.pop("start", None)
    lead = max((pd.Timestamp(first) - pd.DateOffset(months=24)).date() if first else EARLIEST, EARLIEST)
    rows = monthly_components(db, sorted({m for k in kpis for m in k.measure_ids}), orgs,
                              group_by=CELL_GROUPINGS[by], all_staff_groups=config.all_staff_groups_label,
                              start=lead, **options)
    if rows.empty:
        return empty
    split = rows["grp"].str.split(SEPARATOR, n=1, expand=True)
    rows = rows.assign(grp=split[0], cell=split[1])
    frames = []
    for cell, part in rows.groupby("cell", sort=True):
        wide = ComponentGrid.from_rows(part.drop(columns="cell")).wide(month_number(lead), every_group=True)
        if wide.empty:
            continue
        cell_orgs = wide.index.get_level_values("grp").unique()
        frames += [combined_series(wide, k, config, all_types, cell_orgs).assign(kpi=k.id, grp=cell) for k in kpis]
    frame = pd.concat([f for f in frames if not f.empty] or [empty], ignore_index=True)[empty.columns]
    if first:
        frame = frame[frame["period"] >= first]
    return frame.sort_values(["kpi", "grp", "period"], kind="stable").reset_index(drop=True)


def reporting_month(db: Database, orgs: list[str], requested: dt.date | None,
                    config: Config | None = None) -> dt.date | None:
    """The month asked for, or the latest month whose coverage is complete: at least
    coverage.complete_share of the organisations that reported monthly KPI data in the months
    before reported in it (a late trust holds the default month back). The latest month with
    data when no month in the last year is complete."""
    if requested:
        return requested
    # every page of every session asks this for its scope: remembered per data generation (a load
    # changes the generation), so 30 people opening the same link work it out once
    # keyed on every coverage setting (repr: a field added later is in the key too) and the measures
    rule = None if config is None else (repr(config.coverage), tuple(_monthly_measures(config)))
    key = (getattr(db, "generation", None), tuple(orgs), rule)
    if key[0] is not None and key in _REPORTING_MONTHS:
        return _REPORTING_MONTHS[key]
    month = _reporting_month(db, orgs, config)
    if key[0] is not None:
        if len(_REPORTING_MONTHS) >= 256:
            _REPORTING_MONTHS.clear()
        _REPORTING_MONTHS[key] = month
    return month


_REPORTING_MONTHS: dict[tuple, dt.date | None] = {}


def _monthly_measures(config: Config) -> list[str]:
    return sorted({m for k in config.kpis if k.window != "annual" for m in k.measure_ids})


def _reporting_month(db: Database, orgs: list[str], config: Config | None) -> dt.date | None:
    latest = db.query("measures/latest_period", {"orgs": list(orgs)})["period"].iloc[0]
    if pd.isna(latest) or config is None:
        return None if pd.isna(latest) else pd.Timestamp(latest).date()
    latest = pd.Timestamp(latest).date()
    lookback = config.coverage.lookback_months
    measures = _monthly_measures(config)
    since = (pd.Timestamp(latest) - pd.DateOffset(months=lookback + 12)).date()
    rows = db.query("measures/org_months", {"orgs": list(orgs), "measures": measures, "since": since})
    if rows.empty:
        return latest
    rows["period"] = pd.to_datetime(rows["period"]).dt.date
    present = pd.Series(True, index=pd.MultiIndex.from_frame(rows[["org_code", "period"]], names=["grp", "period"]))
    expected = _expected(present, lookback + 1)  # reported in the month or the `lookback` before
    by_month = present.reindex(expected.index, fill_value=False).groupby(level="period").sum()
    wanted = expected.groupby(level="period").sum()
    share = (by_month / wanted.where(wanted > 0)).sort_index()
    earliest = (pd.Timestamp(latest) - pd.DateOffset(months=config.coverage.hold_back_months)).date()
    complete = [p for p, v in share.items() if v >= config.coverage.complete_share - 1e-9
                and p > since + dt.timedelta(days=366) and p >= earliest]
    return max(complete) if complete else latest
