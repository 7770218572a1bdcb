"""`python -m workforce kpis` and `spc`: the same figures as the screen, clear errors."""

import io
import json
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from workforce.cli.main import main


def cli(*args):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_kpis_json_for_the_plan_ics(small_db_path):
    code, out, _ = cli("kpis", "--db", str(small_db_path), "--format", "json")
    assert code == 0
    records = {r["kpi"]: r for r in json.loads(out)}
    assert len(records) == 14
    turnover = records["turnover_rate_12m"]
    assert {"kpi", "label", "priority", "period", "value", "target", "unit", "improvement_direction"} <= set(turnover)
    assert turnover["period"] == "2024-12"
    assert turnover["value"] == pytest.approx(72 / 367 * 100)
    assert (turnover["target"], turnover["unit"], turnover["priority"]) == (11.0, "%", "retain")
    assert records["staff_engagement"]["period"] == "2024-10"
    assert records["levy_utilisation"]["value"] is None


def test_kpis_for_one_org_staff_group_and_month(small_db_path):
    code, out, _ = cli("kpis", "--db", str(small_db_path), "--org", "RWH", "--staff-group",
                       "Nurses & health visitors", "--period", "2024-12", "--format", "csv")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("kpi,label,priority,period,value")
    turnover = next(line for line in lines if line.startswith("turnover_rate_12m"))
    # 24 leavers / 117 (20.5%); a staff group chosen is a protected figure (docs/security.md, precision
    # policy): counts rounded to 5 (25 / 115) and the rate worked out from them at display precision
    fields = turnover.split(",")
    assert fields[4] == "21.7" and "20.5128" not in turnover  # 25 / 115 = 21.74%
    assert {"25.0", "115.0"} <= set(fields)


def test_kpis_table_and_england(small_db_path):
    code, out, _ = cli("kpis", "--db", str(small_db_path), "--ics", "ENG")
    assert code == 0
    assert "Data as at December 2024" in out
    assert "18.8%" in out  # England here: 84 / 447 = 18.79%


@pytest.mark.parametrize("args, message", [
    (["--ics", "QQQ"], "unknown ICS 'QQQ'"),
    (["--org", "RWH,NOPE"], "unknown organisation code(s) NOPE"),
    (["--period", "2024-13"], "not a month"),
    (["--staff-group", "Wizards"], "unknown staff group"),
])
def test_kpis_bad_options(small_db_path, args, message):
    code, out, err = cli("kpis", "--db", str(small_db_path), *args)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_missing_database_is_explained(tmp_path):
    code, _, err = cli("kpis", "--db", str(tmp_path / "none.duckdb"))
    assert code == 2
    assert "no database at" in err and "python -m workforce demo" in err


def test_screen_and_cli_agree(small_db_path, monkeypatch):
    """Every figure on the summary page equals the CLI's for the same selection."""
    monkeypatch.setenv("WORKFORCE_DB", str(small_db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["org"] = "RWG"
    at.run()
    shown = {}
    for frame in at.dataframe:
        if "Value" in frame.value.columns:
            shown.update(dict(zip(frame.value["KPI"], frame.value["Value"])))
    _, out, _ = cli("kpis", "--db", str(small_db_path), "--org", "RWG", "--format", "json")
    from workforce.base.formatting import format_value
    for record in json.loads(out):
        assert shown[record["label"]] == format_value(record["value"], record["format"])
    assert shown["Sickness absence rate"] == "3.3%"  # RWG: 100 / 3000


@pytest.mark.slow
def test_spc_command_end_to_end():
    payload = {"values": [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1],
               "dates": [f"2024-{m:02d}-01" for m in range(1, 13)] + [f"2025-{m:02d}-01" for m in range(1, 7)],
               "improvement_direction": "increase", "target": None}
    done = subprocess.run([sys.executable, "-m", "workforce", "spc", "--preset", "nhsr"], cwd=ROOT,
                          input=json.dumps(payload), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    # the deviations vignette: screened limits (-0.72, 4.60), mean 1.94; point 5 is special cause
    assert result["points"][0]["mean"] == pytest.approx(1.9444, abs=1e-3)
    assert result["points"][0]["lpl"] == pytest.approx(-0.72, abs=0.01)
    assert result["points"][4]["point_type"] == "special_cause_improvement"
    bad = subprocess.run([sys.executable, "-m", "workforce", "spc"], cwd=ROOT, input="{not json",
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stderr.strip()


def test_kpis_table_says_a_missing_period_with_a_dash(small_db_path):
    # the workforce KPIs by staff group; finance, levy and survey KPIs are whole-organisation only: no figure
    code, out, _ = cli("kpis", "--db", str(small_db_path), "--staff-group", "Nurses & health visitors")
    assert code == 0 and "NaN" not in out
    agency = next(line for line in out.splitlines() if "Agency spend as % of pay bill" in line)
    # no figure: period, value, target, difference, variation and assurance all '–' (agency spend has a
    # 3.2% target, so 'no_target' would be wrong), and the organisations reporting still counted
    assert agency.split("Agency spend as % of pay bill")[1].split()[:6] == ["–"] * 6
