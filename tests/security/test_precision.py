"""Findings 4 and 5 (issue 19): rounding undone by precision.

5: the Series table's "Exact value", the CSV and Excel downloads, the breakdown downloads, chart data
   and `kpis --format json` gave the rate to full precision beside counts rounded to 5, so one
   whole-number pair fitted (shown 20/310 at 7.051282% → 22/312): every month's exact counts came back.
4: with exact 12-month counts, R(m) − R(m−1) = f(m) − f(m−12); anchored on months whose own figure is
   shown as 0, the hidden monthly counts of 1–7 came back (90 for RWH's staff groups, all correct).

The attacker here is the RWH viewer; what they are shown comes from the app's own functions, and
the truth they are after from the raw components."""

from __future__ import annotations

import io
import math
import json

import pandas as pd
import pytest

from tests.security.attack_tools import pairs_behind
from tests.security.scope_fixtures import OWN, VIEWER, demo_config, demo_db, demo_db_path, month  # noqa: F401
from workforce.cli import main as cli
from workforce.views.detail import export_tables, kpi_view
from workforce.views.export import for_people
from workforce.measures.kpi import kpi_frame
from workforce.measures.selection import Selection

OCT = month("2026-10")
CENTRAL = "E54000065"
TURNOVER = "turnover_rate_12m"
GROUPS = ["Midwives", "Hotel, property & estates", "Support to ST&T staff", "Managers", "Central functions",
          "Senior managers", "Other staff or those with unknown classification"]


@pytest.fixture(scope="module")
def truth(demo_db_path, demo_config):
    """RWH's own 12-month and monthly leavers and headcount by staff group (what the attacker wants)."""
    from workforce.base.db import Database

    kpi = demo_config.kpi_by_id[TURNOVER]
    frame = kpi_frame(Database(demo_db_path), demo_config, [kpi], ["RWH"], group_by="staff_group", end=OCT)
    return frame.set_index(["grp", "period"])


@pytest.fixture(scope="module")
def shown(demo_db_path, demo_config):
    """{staff group: the Series download as the viewer gets it} for RWH."""
    from workforce.base.db import Database

    db, kpi = Database(demo_db_path), demo_config.kpi_by_id[TURNOVER]
    out = {}
    for group in GROUPS:
        selection = Selection(ics=CENTRAL, orgs=("RWH",), staff_group=group, period=OCT)
        view = kpi_view(db, demo_config, kpi, selection, allowed=OWN)
        if view.series.empty:
            continue
        sheet = for_people(export_tables(kpi, view, {}, demo_config), kpi, demo_config, "RWH")["Series"]
        out[group] = (view, _columns(sheet))
    return out


def _columns(sheet: pd.DataFrame) -> pd.DataFrame:
    """period, numerator, denominator, rate (the most precise rate column offered), spc_value."""
    pick = lambda prefix: next(c for c in sheet.columns if c.startswith(prefix))  # noqa: E731
    rates = [c for c in sheet.columns if c == "Exact value"] or [pick("Staff turnover")]
    return pd.DataFrame({"period": [pd.Timestamp(pd.to_datetime(m, format="%b %Y")).date() for m in sheet["Month"]],
                         "numerator": sheet[pick("Numerator")], "denominator": sheet[pick("Denominator")],
                         "rate": sheet[rates[0]], "spc_value": sheet[pick("SPC series value")]})


def test_5_the_rate_shown_beside_rounded_counts_gives_no_exact_pair_back(shown, truth):
    recovered, months = [], 0
    for group, (_view, table) in shown.items():
        for row in table.itertuples():
            true = truth.loc[(group, row.period)]
            fits = pairs_behind(row.numerator, row.denominator, row.rate, 100)
            months += 1
            if len(fits) == 1 and fits[0] == (true["numerator"], true["denominator"]) and \
                    (true["numerator"], true["denominator"]) != (row.numerator, row.denominator):
                recovered.append((group, row.period, fits[0]))
    assert months >= 100  # the attack had ground to cover
    assert not recovered, f"{len(recovered)} of {months} months' exact counts recovered, e.g. {recovered[:3]}"


def test_5_kpis_json_as_user_gives_no_rate_finer_than_the_rounded_counts(demo_db_path, demo_config):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["kpis", "--as-user", VIEWER, "--org", "RWH", "--staff-group", "Midwives", "--period", "2026-10",
                     "--db", str(demo_db_path), "--format", "json"], out=out, err=err)
    assert code == 0, err.getvalue()
    recovered = []
    for record in json.loads(out.getvalue()):
        kpi = demo_config.kpi_by_id[record["kpi"]]
        if record["value"] is None or record["denominator"] is None or kpi.scale != 100:
            continue
        numerator, denominator = record["numerator"], record["denominator"]
        if demo_config.measure_by_id[kpi.numerator.measures[0]].unit != "people":
            continue
        fits = pairs_behind(numerator, denominator, record["value"], kpi.scale)
        if len({n for n, _ in fits}) == 1 and fits[0][0] != numerator:
            recovered.append((record["kpi"], fits[0]))
    assert not recovered, f"exact counts behind the JSON: {recovered}"


def test_4_hidden_monthly_counts_do_not_come_back_from_consecutive_12_month_counts(shown, truth):
    found, wrong, hidden_months = [], [], 0
    for group, (_view, table) in shown.items():
        table = table.set_index("period").sort_index()
        exact = {}
        for period, row in table.iterrows():
            numerators = {n for n, _ in pairs_behind(row["numerator"], row["denominator"], row["rate"], 100)}
            if len(numerators) == 1:
                exact[period] = numerators.pop()
        monthly = {p: 0 for p, v in table["spc_value"].items() if v == 0}  # a month shown as 0 leavers
        months = list(table.index)
        changed = True
        while changed:  # R(m) − R(m−1) = f(m) − f(m−12), both ways, until nothing new is learnt
            changed = False
            for before, now in zip(months, months[1:]):
                if before not in exact or now not in exact:
                    continue
                step = exact[now] - exact[before]
                year_before = (pd.Timestamp(now) - pd.DateOffset(months=12)).date()
                if year_before in monthly and now not in monthly:
                    monthly[now] = monthly[year_before] + step
                    changed = True
                elif now in monthly and year_before not in monthly:
                    monthly[year_before] = monthly[now] - step
                    changed = True
        for period in months:
            true = truth.loc[(group, period), "spc_numerator"]
            if pd.isna(table.loc[period, "spc_value"]) and 1 <= true <= 7:
                hidden_months += 1
                if monthly.get(period) == true:
                    found.append((group, period, true))
                elif period in monthly:
                    wrong.append((group, period, monthly[period], true))
    assert hidden_months >= 20  # small staff groups: many months hidden
    # what the attack derives is right no more often than wrong: it cannot tell a hidden count
    assert len(found) <= len(wrong), f"{len(found)} hidden monthly counts recovered (and {len(wrong)} wrong), " \
                                     f"e.g. {found[:3]}"


def _tighten(bounds: dict, sums: list[tuple[list, float, float]]) -> dict:
    """Interval propagation to a fixed point: for each Σ f_i ∈ [low, high], each f_i ≥ low − Σ other highs
    and ≤ high − Σ other lows (whole numbers). What any reasoning over these sums can conclude, at best."""
    changed = True
    while changed:
        changed = False
        for months, low, high in sums:
            lows = sum(bounds[t][0] for t in months)
            highs = sum(bounds[t][1] for t in months)
            for t in months:
                lo, hi = bounds[t]
                new_lo = max(lo, math.ceil(low - (highs - hi) - 1e-9))
                new_hi = min(hi, math.floor(high - (lows - lo) + 1e-9))
                if (new_lo, new_hi) != (lo, hi):
                    bounds[t] = (new_lo, new_hi)
                    changed = True
    return bounds


def test_4_bounds_from_rounding_never_pin_a_hidden_monthly_count(shown, truth):
    """The strongest attacker on rounding: every 12-month count the viewer is shown (rounded to 5, so
    known to ±2.5), every month's own count where its SPC point is shown (given to them as rounded
    to 5 — more than the page shows), months shown as 0 exactly, and which hidden months hide 1–7
    people (also more than the page says), combined by interval propagation to a fixed point. No
    hidden month is pinned to one value, and the truth always lies within the bounds (sound reasoning)."""
    step, pinned, hidden_months = 5, [], 0
    for group, (_view, table) in shown.items():
        table = table.set_index("period").sort_index()
        months = sorted({(pd.Timestamp(p) - pd.DateOffset(months=i)).date() for p in table.index for i in range(12)})
        bounds = {t: (0, 10 ** 6) for t in months}
        true = {t: truth.loc[(group, t), "spc_numerator"] for t in months if (group, t) in truth.index}
        for period, row in table.iterrows():
            if pd.isna(row["spc_value"]) and 1 <= true.get(period, 0) <= 7:
                bounds[period] = (1, 7)
                hidden_months += 1
            elif row["spc_value"] == 0:
                bounds[period] = (0, 0)
            elif period in true:
                rounded = step * round(true[period] / step)
                bounds[period] = (max(0, math.ceil(rounded - step / 2)), math.floor(rounded + step / 2))
        sums = [([(pd.Timestamp(p) - pd.DateOffset(months=i)).date() for i in range(12)],
                 row["numerator"] - step / 2, row["numerator"] + step / 2) for p, row in table.iterrows()]
        bounds = _tighten(bounds, sums)
        for period in table.index[table["spc_value"].isna()]:
            lo, hi = bounds[period]
            assert lo <= true.get(period, lo) <= hi, (group, period, bounds[period], true.get(period))
            if lo == hi:
                pinned.append((group, period, lo))
    assert hidden_months >= 20
    assert not pinned, f"{len(pinned)} hidden monthly counts pinned down by rounding bounds, e.g. {pinned[:3]}"
