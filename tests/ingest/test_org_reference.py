"""Every organisation in a national file is kept, with what the file says of it (the organisation
reference); config.yaml's ICS footprint decides ICS figures, and where the file's ICS differs the dry
run and the Data quality page say so. Figures are checked against the real file read with csv."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ALL, write_csv
from workforce.ingest import org_reference
from workforce.base.db import Database
from workforce.measures.kpi import kpi_frame
from workforce.ingest.loader import LoadRejected, load_files

SICKNESS = Path(__file__).resolve().parents[3] / "shared" / "data" / "nhs" / "sickness"
APRIL = SICKNESS / "nhs_sickness_absence_2024-04.csv"
pytestmark = pytest.mark.skipif(not APRIL.exists(), reason="the real NHS files (../shared/data/nhs) are not here")


def file_rows(path=APRIL):
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def april(tmp_path_factory, config):
    db_path = tmp_path_factory.mktemp("orgref") / "april.duckdb"
    result = load_files([APRIL], config, db_path=db_path)
    return db_path, result.files[0]


def test_every_organisation_in_the_file_is_kept(april):
    db_path, report = april
    published = {r["ORG_CODE"] for r in file_rows()}
    with duckdb.connect(str(db_path), read_only=True) as con:
        held = {r[0] for r in con.execute("SELECT DISTINCT org_code FROM fact").fetchall()}
        listed = {r[0] for r in con.execute("SELECT org_code FROM org_reference").fetchall()}
    assert len(published) > 250 and held == published and listed == published
    assert report.rows_skipped == 0


def test_the_reference_holds_what_the_file_says(april):
    db_path, _ = april
    with duckdb.connect(str(db_path), read_only=True) as con:
        row = con.execute("SELECT period, org_name, org_type, region_code, region_name, ics_code, ics_name "
                          "FROM org_reference WHERE org_code = 'RYC'").fetchone()
    assert row == (dt.date(2024, 4, 1), "East of England Ambulance Service NHS Trust", "Ambulance", "Y61",
                   "East of England", "QUE", "Cambridgeshire and Peterborough")


def test_the_dry_run_says_where_the_file_and_config_disagree(tmp_path, config):
    result = load_files([APRIL], config, db_path=tmp_path / "dry.duckdb", dry_run=True)
    notes = "\n".join(result.files[0].notes)
    assert ("RYC (East of England Ambulance Service NHS Trust): the file places it in ICS QUE Cambridgeshire and "
            "Peterborough for Apr 2024; config.yaml places it in QM7 — config.yaml decides") in notes
    assert "RX8 (Yorkshire Ambulance Service NHS Trust): the file places it in ICS QWO" in notes
    assert "RWH" not in notes  # the file and config agree on East and North Hertfordshire


def test_config_decides_the_ics_figure(april, config):
    db_path, _ = april
    rows = file_rows()
    trusts = {o.code for o in config.organisations if o.type in ("acute", "mental health", "community", "ambulance")}
    members = set(config.ics_members("QM7", dt.date(2024, 4, 1))) & trusts  # the KPI covers trusts
    by_config = [r for r in rows if r["ORG_CODE"] in members]
    by_file = [r for r in rows if r["ICS_CODE"] == "QM7"]

    def rate(chosen):
        return (sum(float(r["FTE_DAYS_LOST"]) for r in chosen)
                / sum(float(r["FTE_DAYS_AVAILABLE"]) for r in chosen) * 100)

    sickness = [k for k in config.kpis if k.id == "sickness_absence_rate"]
    frame = kpi_frame(Database(db_path), config, sickness, sorted(members))
    held = frame.loc[frame["period"] == dt.date(2024, 4, 1), "value"].item()
    assert held == pytest.approx(rate(by_config))
    assert abs(rate(by_config) - rate(by_file)) > 0.05  # the ambulance trust moves the ICS figure


def test_the_data_quality_page_lists_the_disagreements(april, config):
    db_path, _ = april
    frame = org_reference.disagreements(Database(db_path), config)
    ryc = frame[frame["org_code"] == "RYC"].iloc[0]
    assert (ryc["file_ics"], ryc["config_ics"], ryc["months"]) == ("QUE", "QM7", 1)
    assert set(frame["org_code"]) == {"RYC", "RX8"}


def test_national_peers_share_the_peer_group(april):
    db_path, _ = april
    ambulance = {r["ORG_CODE"] for r in file_rows() if r["ORG_TYPE"] == "Ambulance"}
    peers = org_reference.peers(Database(db_path), "RYC", dt.date(2024, 4, 1))
    assert set(peers["org_code"]) == ambulance and len(ambulance) >= 10
    assert set(peers["peer_group"]) == {"Ambulance"}


def test_a_template_may_use_an_organisation_the_reference_holds(tmp_path, april, config):
    db_path = tmp_path / "copy.duckdb"
    db_path.write_bytes(april[0].read_bytes())
    known = write_csv(tmp_path / "rj1.csv", [["2024-04", "RJ1", ALL, "", "", "headcount", "100"]])
    load_files([known], config, db_path=db_path)  # Guy's and St Thomas': in the file, not in config.yaml
    unknown = write_csv(tmp_path / "typo.csv", [["2024-04", "RJZ9", ALL, "", "", "headcount", "100"]])
    with pytest.raises(LoadRejected, match="unknown organisation code"):
        load_files([unknown], config, db_path=db_path)


def test_a_template_cannot_introduce_an_organisation(tmp_path, config):
    source = write_csv(tmp_path / "rj1.csv", [["2024-04", "RJ1", ALL, "", "", "headcount", "100"]])
    with pytest.raises(LoadRejected, match="unknown organisation code"):
        load_files([source], config, db_path=tmp_path / "empty.duckdb")


def test_checking_against_a_database_from_before_the_reference(tmp_path, config):
    from workforce.ingest.loader import check_files

    old = tmp_path / "old.duckdb"
    load_files([write_csv(tmp_path / "t.csv", [["2024-04", "RWH", ALL, "", "", "headcount", "100"]])], config,
               db_path=old)
    with duckdb.connect(str(old)) as con:
        con.execute("DROP TABLE org_reference")
    check = check_files([APRIL], config, db_path=old)[0]  # read-only: the table is not made
    assert check.ok and check.report.rows_in == 2 * len(file_rows())
