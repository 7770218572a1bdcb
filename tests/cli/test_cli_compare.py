"""`python -m workforce compare`: funnel rows worked out by hand on the small database, exit codes
and one-line errors. The sickness figures (tests/conftest.py): RWH 50 of 1,000 FTE days lost a
month (5.0%), RWG 100 of 3,000 (3.33%), both acute trusts in Hertfordshire and West Essex (QM7)."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest

from tests.cli.test_cli_kpis import cli

ROWS = ["org_code", "organisation", "group", "period", "value", "numerator", "denominator",
        "lower95", "upper95", "lower998", "upper998", "outlier"]


def normal_limit(p: float, n: float, z: float) -> float:
    """The normal-approximation limit in % (the exact binomial one is within 1.5/n of it)."""
    return (p + z * math.sqrt(p * (1 - p) / n)) * 100


def test_json_rows_and_overdispersion(small_db_path):
    code, out, err = cli("compare", "--kpi", "sickness_absence_rate", "--ics", "QM7", "--period", "2024-12",
                         "--format", "json", "--db", str(small_db_path))
    assert code == 0, err
    result = json.loads(out)
    assert result["kpi"] == "sickness_absence_rate" and result["period"] == "2024-12"
    # both are acute trusts: one like-for-like group, named on every row
    assert result["group_by"] == "organisation type" and [g["group"] for g in result["groups"]] == ["acute"]
    assert {r["group"] for r in result["rows"]} == {"acute"}
    assert result["centre"] == pytest.approx(150 / 4000 * 100)  # (50 + 100) / (1,000 + 3,000)
    # two organisations are too few to estimate overdispersion: exact limits, no adjustment
    assert result["tau2"] == 0 and result["phi"] is not None and result["overdispersion_adjusted"] is False
    rows = {r["org_code"]: r for r in result["rows"]}
    assert set(rows) == {"RWH", "RWG"} and set(rows["RWH"]) == set(ROWS)
    rwh = rows["RWH"]
    assert (rwh["numerator"], rwh["denominator"], rwh["value"]) == (50, 1000, pytest.approx(5.0))
    p = 0.0375
    for key, z in (("lower95", -1.959964), ("upper95", 1.959964), ("lower998", -3.090232), ("upper998", 3.090232)):
        assert rwh[key] == pytest.approx(normal_limit(p, 1000, z), abs=0.15)
    # 5.0% is above the 95% upper limit (≈ 4.93%) but inside 99.8% (≈ 5.61%): not an outlier
    assert rwh["upper95"] < 5.0 < rwh["upper998"] and rwh["outlier"] == "none"
    assert rows["RWG"]["outlier"] == "none" and rows["RWG"]["value"] == pytest.approx(100 / 3000 * 100)


def test_csv_has_the_interface_columns(small_db_path):
    code, out, _ = cli("compare", "--kpi", "sickness_absence_rate", "--ics", "QM7", "--period", "2024-12",
                       "--format", "csv", "--db", str(small_db_path))
    assert code == 0
    table = list(csv.DictReader(io.StringIO(out)))
    assert list(table[0]) == ROWS + ["centre", "phi", "tau2"]
    assert sorted(r["org_code"] for r in table) == ["RWG", "RWH"]
    assert all(r["outlier"] in {"above", "below", "none"} for r in table)


def test_type_narrows_the_comparison(small_db_path):
    code, out, _ = cli("compare", "--kpi", "sickness_absence_rate", "--ics", "ENG", "--type", "acute",
                       "--period", "2024-12", "--format", "json", "--db", str(small_db_path))
    assert code == 0 and {r["org_code"] for r in json.loads(out)["rows"]} == {"RWH", "RWG"}
    code, out, _ = cli("compare", "--kpi", "sickness_absence_rate", "--ics", "ENG", "--type", "ambulance",
                       "--period", "2024-12", "--format", "json", "--db", str(small_db_path))
    assert code == 0 and json.loads(out)["rows"] == [] and json.loads(out)["phi"] is None


@pytest.mark.parametrize("args, message", [
    (["--kpi", "sickness"], "--kpi: unknown KPI 'sickness'"),
    (["--kpi", "agency_spend_pct"], "--kpi: agency_spend_pct is not a percentage of people, FTE or days"),
    (["--kpi", "vacancy_rate", "--type", "hospital"], "--type: unknown organisation type 'hospital'"),
    (["--kpi", "vacancy_rate", "--ics", "QXX"], "--ics: unknown ICS 'QXX'"),
    (["--kpi", "vacancy_rate", "--period", "2024-13"], "2024-13"),
])
def test_bad_options_give_one_line_errors(tmp_path, args, message):
    """Checked before the database is opened: the database here does not even exist."""
    code, out, err = cli("compare", *args, "--format", "json", "--db", str(tmp_path / "none.duckdb"))
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err and err.count("\n") == 1


def test_missing_format_is_a_usage_error(small_db_path):
    with pytest.raises(SystemExit) as exit_info:
        cli("compare", "--kpi", "vacancy_rate", "--db", str(small_db_path))
    assert exit_info.value.code == 2
