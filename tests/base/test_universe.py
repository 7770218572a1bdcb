"""Any ICS in England on its own real data: a real database built from the real files in
../shared/data/nhs alone (`python -m workforce load FOLDER/`, config.yaml unchanged), read through
the command line, against figures worked out from the files themselves with the csv module.

The worked figures: sickness absence = Σ FTE_DAYS_LOST ÷ Σ FTE_DAYS_AVAILABLE × 100 over the
organisations counted — an organisation outside config.yaml (Guy's and St Thomas', RJ1), an ICS
outside it (West Yorkshire, QWO: its NHS trusts as published, less Yorkshire Ambulance, which
config.yaml places in South Yorkshire), a region (North East and Yorkshire, Y63) and England (every
NHS trust: acute, mental health, community and ambulance)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, app_page
from workforce.cli.main import main

REAL = ROOT.parent / "shared" / "data" / "nhs"
pytestmark = [pytest.mark.slow,  # a real database built from every real file
              pytest.mark.skipif(not (REAL / "sickness").is_dir(),
                                 reason="the real NHS files (../shared/data/nhs) are not here")]
TRUSTS = {"Acute", "Mental Health", "Community Provider Trust", "Ambulance"}
SICKNESS = "sickness_absence_rate"


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def published(month: str) -> list[dict]:
    with open(REAL / "sickness" / f"nhs_sickness_absence_{month}.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def config_places() -> dict[str, str]:
    """Where config.yaml places each organisation it names in 2024 (read as YAML, not by the project)."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    return {o["code"]: o["membership"][0][0] for o in data["organisations"]}


def rate(rows: list[dict]) -> float:
    return sum(float(r["FTE_DAYS_LOST"]) for r in rows) / sum(float(r["FTE_DAYS_AVAILABLE"]) for r in rows) * 100


@pytest.fixture(scope="module")
def real_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("real") / "workforce.duckdb"
    code, out, err = cli("load", str(REAL), "--db", str(db))
    assert code == 0, err
    return db


def kpi(db: Path, *selection: str, period: str = "2024-12") -> dict:
    code, out, err = cli("kpis", "--db", str(db), *selection, "--period", period, "--format", "json")
    assert code == 0, err
    return {r["kpi"]: r for r in json.loads(out)}[SICKNESS]


@pytest.mark.parametrize("month", ["2024-04", "2024-12"])
def test_an_organisation_outside_config(real_db, month):
    rj1 = [r for r in published(month) if r["ORG_CODE"] == "RJ1"]
    assert "RJ1" not in config_places() and len(rj1) == 1
    record = kpi(real_db, "--org", "RJ1", period=month)
    assert record["value"] == pytest.approx(rate(rj1))
    assert record["value"] == pytest.approx(float(rj1[0]["SICKNESS_ABSENCE_RATE_PERCENT"]), abs=0.005)


@pytest.mark.parametrize("month", ["2024-04", "2024-12"])
def test_an_ics_outside_config_counts_its_published_trusts_where_config_does_not_place_them(real_db, month):
    places = config_places()
    counted = [r for r in published(month) if r["ORG_TYPE"] in TRUSTS
               and places.get(r["ORG_CODE"], r["ICS_CODE"]) == "QWO"]
    by_file = [r for r in published(month) if r["ORG_TYPE"] in TRUSTS and r["ICS_CODE"] == "QWO"]
    assert "QWO" not in {i["code"] for i in yaml.safe_load((ROOT / "config.yaml").read_text())["icss"]}
    assert {r["ORG_CODE"] for r in by_file} - {r["ORG_CODE"] for r in counted} == {"RX8"}  # config: South Yorkshire
    record = kpi(real_db, "--ics", "QWO", period=month)
    assert record["value"] == pytest.approx(rate(counted))
    assert (record["orgs_reporting"], record["orgs_expected"]) == (len(counted), len(counted))


def test_a_region(real_db):
    counted = [r for r in published("2024-12") if r["ORG_TYPE"] in TRUSTS and r["NHSE_REGION_CODE"] == "Y63"]
    record = kpi(real_db, "--region", "Y63")
    assert record["value"] == pytest.approx(rate(counted)) and record["orgs_reporting"] == len(counted) == 37


@pytest.mark.parametrize("month, trusts", [("2024-04", 229), ("2024-12", 224)])
def test_england_is_every_nhs_trust_in_the_files(real_db, month, trusts):
    counted = [r for r in published(month) if r["ORG_TYPE"] in TRUSTS]
    record = kpi(real_db, "--ics", "ENG", period=month)
    assert len(counted) == trusts
    assert record["value"] == pytest.approx(rate(counted))
    # merged trusts (e.g. North Middlesex, RAP, last listed in November 2024) are not expected after
    assert (record["orgs_reporting"], record["orgs_expected"]) == (trusts, trusts)


def test_compare_england_has_a_row_per_trust(real_db):
    code, out, err = cli("compare", "--db", str(real_db), "--kpi", SICKNESS, "--ics", "ENG", "--period", "2024-12",
                         "--format", "json")
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert len(rows) == len([r for r in published("2024-12") if r["ORG_TYPE"] in TRUSTS]) == 224


def test_the_folder_is_loaded_in_date_order(real_db):
    code, out, _ = cli("loads", "--db", str(real_db), "--format", "json")
    files = [r["file"] for r in sorted(json.loads(out), key=lambda r: r["load_id"])]
    sickness = [f for f in files if f.startswith("nhs_sickness_absence")]
    assert sickness == sorted(sickness) and len(sickness) == 9
    assert files.index(sickness[-1]) < files.index(next(f for f in files if f.startswith("Turnover")))  # Dec 24 < Oct 25


def test_the_turnover_files_doctors_stay_their_own_staff_group(real_db):
    import duckdb

    with duckdb.connect(str(real_db), read_only=True) as con:
        groups = {g for (g,) in con.execute("SELECT DISTINCT staff_group FROM fact WHERE measure = 'leavers'").fetchall()}
    assert "HCHS doctors (exc. resident doctors and equivalents)" in groups and "HCHS doctors" not in groups


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_demo_refuses_a_real_file_and_is_unchanged(tmp_path, config):
    from workforce.demo import build_demo

    demo = tmp_path / "demo.duckdb"
    build_demo(config, demo, start=__import__("datetime").date(2024, 1, 1), end=__import__("datetime").date(2024, 12, 1))
    before = sha256(demo)
    code, out, err = cli("load", str(REAL / "sickness" / "nhs_sickness_absence_2024-12.csv"), "--db", str(demo))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "synthetic" in err and "python -m workforce load" in err
    assert sha256(demo) == before


def test_a_folder_with_nothing_to_load_is_said(tmp_path):
    (tmp_path / "empty").mkdir()
    code, out, err = cli("load", str(tmp_path / "empty"), "--db", str(tmp_path / "x.duckdb"))
    assert code == 2 and "no CSV or XLSX files" in err and not (tmp_path / "x.duckdb").exists()


def test_the_folder_is_loaded_whole_or_not_at_all(tmp_path):
    folder = tmp_path / "publications"
    shutil.copytree(REAL / "sickness", folder)
    (folder / "notes.csv").write_text("this,is\nnot,a publication\n", encoding="utf-8")
    code, _, err = cli("load", str(folder), "--db", str(tmp_path / "x.duckdb"))
    assert code == 2 and "notes.csv" in err and not (tmp_path / "x.duckdb").exists()


def test_compare_page_funnels_only_kpis_with_figures_and_each_type_centres_on_its_trusts(real_db, monkeypatch):
    # One month of the turnover file gives no 12-month rate, so the funnel offers sickness alone (it once
    # opened on turnover and said to choose 'all types together' while that was chosen); the ambulance
    # trusts' line is their own rate in December 2024, worked out from the file
    at = app_page(monkeypatch, real_db, "pages/board/compare.py", ics="ENG")
    assert at.selectbox(key="funnel_kpi").options == ["Sickness absence rate"]
    assert at.radio(key="funnel_groups").value == "type"
    assert not [i for i in at.info if "funnel plot needs" in i.value]
    group = at.selectbox(key="funnel_group")
    group.select(next(o for o in group.options if "mbulance" in str(o))).run()
    ambulance = [r for r in published("2024-12") if r["ORG_TYPE"] == "Ambulance"]
    line = next(m.value for m in at.markdown if "The line is the rate for the" in m.value)
    assert f"for the {len(ambulance)} organisations of this group together ({rate(ambulance):.1f}%)" in line


def test_a_kpi_with_a_target_but_no_figures_is_not_put_under_no_target(real_db, config):
    # The real files carry no levy figures: levy utilisation (target 85%) has no icon for want of data, and
    # the summary matrix once listed it under "No target"; applications to clinical education has none
    from workforce.base.db import Database
    from workforce.measures.selection import Selection
    from workforce.views.summary import board_summary

    _, rows = board_summary(Database(real_db), config, Selection(ics="ENG"))
    by_kpi = {r.kpi.id: r for r in rows}
    assert config.kpi_by_id["levy_utilisation"].target is not None
    assert by_kpi["levy_utilisation"].matrix_assurance == "no_limits"
    assert "no monthly figures" in by_kpi["levy_utilisation"].assurance_words
    assert config.kpi_by_id["applications_clinical_education"].target is None
    assert by_kpi["applications_clinical_education"].matrix_assurance == "no_target"
    assert by_kpi[SICKNESS].matrix_assurance == "no_limits"    # nine months: too few points for limits
