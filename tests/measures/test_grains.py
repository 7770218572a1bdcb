"""Both grains held, never added together: whole-organisation figures ('All staff groups') beside
staff-group figures of the same organisation, month and measure.

Hand working, January 2025 (see rows below):
- RWH publishes whole-organisation leavers 10 and staff-group leavers nurses 6 + doctors 5 = 11 (one
  nurse moved to a doctors' post: a leaver from nursing, not from the trust). RWH's leavers are 10;
  nurses' leavers are 6; by staff group 6 and 5, with no 'All staff groups' group.
- RWG publishes staff groups only: nurses 3 + doctors 4 = 7, so its leavers are 7.
- The ICS (RWH + RWG): 10 + 7 = 17 — adding every row would give 28, adding staff groups only 18.
- Sickness, RWH: whole organisation 40 / 1,000 = 4.0%; nurses 30 / 600 = 5.0%. Adding both
  grains would give (40 + 30 + 20) / (1,000 + 600 + 500) = 4.29%.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import ALL, DOCTORS, NURSES, ROOT, write_csv
from workforce.base.db import Database
from workforce.measures.kpi import components, kpi_frame
from workforce.ingest.loader import load_files
from workforce.views.quality import jumps

JAN = dt.date(2025, 1, 1)
WHOLE = [["2025-01", "RWH", ALL, "", "", "leavers", "10"],
         ["2025-01", "RWH", ALL, "", "", "fte_days_lost", "40"],
         ["2025-01", "RWH", ALL, "", "", "fte_days_available", "1000"]]
GROUPS = [["2025-01", "RWH", NURSES, "", "", "leavers", "6"],
          ["2025-01", "RWH", DOCTORS, "", "", "leavers", "5"],
          ["2025-01", "RWH", NURSES, "", "", "fte_days_lost", "30"],
          ["2025-01", "RWH", NURSES, "", "", "fte_days_available", "600"],
          ["2025-01", "RWH", DOCTORS, "", "", "fte_days_lost", "20"],
          ["2025-01", "RWH", DOCTORS, "", "", "fte_days_available", "500"],
          ["2025-01", "RWG", NURSES, "", "", "leavers", "3"],
          ["2025-01", "RWG", DOCTORS, "", "", "leavers", "4"]]


def month_values(db, measure, orgs, **options):
    comp = components(db, [measure], orgs, **options)
    comp = comp[comp["period"].astype(str).str.startswith("2025-01")]
    return dict(zip(comp["grp"], comp["month_value"]))


@pytest.fixture(params=["one file", "whole first", "groups first"])
def both_grains(request, tmp_path, config):
    """The same figures loaded in one file, or the two grains in two loads in either order."""
    db_path = tmp_path / "grains.duckdb"
    if request.param == "one file":
        batches = [WHOLE + GROUPS]
    else:
        batches = [WHOLE, GROUPS] if request.param == "whole first" else [GROUPS, WHOLE]
    for i, rows in enumerate(batches):
        load_files([write_csv(tmp_path / f"part{i}.csv", rows)], config, db_path=db_path)
    return Database(db_path)


def test_organisation_uses_its_whole_organisation_figure(both_grains):
    assert month_values(both_grains, "leavers", ["RWH"]) == {"": 10}
    assert month_values(both_grains, "leavers", ["RWH"], group_by="org") == {"RWH": 10}


def test_an_organisation_without_one_uses_the_sum_of_its_staff_groups(both_grains):
    assert month_values(both_grains, "leavers", ["RWG"]) == {"": 7}
    assert month_values(both_grains, "leavers", ["RWH", "RWG"]) == {"": 17}
    assert month_values(both_grains, "leavers", ["RWH", "RWG"], group_by="org") == {"RWH": 10, "RWG": 7}


def test_a_staff_group_filter_uses_staff_group_rows(both_grains):
    assert month_values(both_grains, "leavers", ["RWH"], staff_group=NURSES) == {"": 6}
    assert month_values(both_grains, "leavers", ["RWH", "RWG"], staff_group=DOCTORS) == {"": 9}
    assert month_values(both_grains, "leavers", ["RWH", "RWG"], group_by="staff_group") == {NURSES: 9, DOCTORS: 9}
    # naming the whole-organisation label is the same as no filter
    assert month_values(both_grains, "leavers", ["RWH"], staff_group=ALL) == {"": 10}


def test_sickness_rate_at_each_grain(both_grains, config):
    sickness = [k for k in config.kpis if k.id == "sickness_absence_rate"]
    whole = kpi_frame(both_grains, config, sickness, ["RWH"])
    nurses = kpi_frame(both_grains, config, sickness, ["RWH"], staff_group=NURSES)
    assert whole.loc[whole["period"] == JAN, "value"].item() == pytest.approx(4.0)
    assert nurses.loc[nurses["period"] == JAN, "value"].item() == pytest.approx(5.0)


def test_implausible_jumps_compare_whole_organisation_figures(tmp_path, config):
    # whole-organisation headcount 1,000 then 1,010 (+1%); staff groups 600 + 500 beside it in December.
    # Adding both grains in December (2,100) against January's 1,010 would flag a -52% jump.
    rows = [["2024-12", "RWH", ALL, "", "", "headcount", "1000"],
            ["2024-12", "RWH", NURSES, "", "", "headcount", "600"],
            ["2024-12", "RWH", DOCTORS, "", "", "headcount", "500"],
            ["2025-01", "RWH", ALL, "", "", "headcount", "1010"]]
    load_files([write_csv(tmp_path / "hc.csv", rows)], config, db_path=tmp_path / "hc.duckdb")
    assert jumps(Database(tmp_path / "hc.duckdb"), config, ["RWH"]).empty


def test_organisation_level_sickness_file_loads_beside_staff_groups(fresh_db_path, config):
    # the small fixture holds staff-group sickness for RWH and RWG; the NHS Digital sample adds
    # whole-organisation figures (no staff-group column) — once refused as double counting
    result = load_files([ROOT / "data" / "samples" / "nhsd_sickness.csv"], config, db_path=fresh_db_path)
    assert result.files[0].rows_new > 0
    sickness = [k for k in config.kpis if k.id == "sickness_absence_rate"]
    frame = kpi_frame(Database(fresh_db_path), config, sickness, ["RWH"])
    jan = frame.loc[frame["period"] == JAN, "value"].item()
    assert jan == pytest.approx(7300.5 / 152000 * 100)  # the sample's own RWH figures, January 2025
