"""The pages on a real database built from the real files alone (AppTest): any ICS, region or
organisation in England can be chosen in the sidebar and in a link, the page says it shows real data,
and Compare for England finds organisations and filters by benchmark group. Figures are worked out from
the published CSV with the csv module."""

from __future__ import annotations

import csv

import pytest

from tests.conftest import ROOT, app_page
from workforce.ingest.loader import load_files

REAL = ROOT.parent / "shared" / "data" / "nhs"
DECEMBER = REAL / "sickness" / "nhs_sickness_absence_2024-12.csv"
TURNOVER = sorted((REAL / "turnover").glob("*monthly*.csv"))
pytestmark = pytest.mark.skipif(not DECEMBER.exists(), reason="the real NHS files (../shared/data/nhs) are not here")


@pytest.fixture(scope="module")
def real_db(tmp_path_factory, config):
    path = tmp_path_factory.mktemp("areas_pages") / "real.duckdb"
    load_files([DECEMBER, *TURNOVER], config, db_path=path)
    return path


def test_an_organisation_outside_config_opens_on_its_own_ics(monkeypatch, real_db):
    at = app_page(monkeypatch, real_db, org="RJ1")
    assert at.sidebar.selectbox(key="f_ics").value == "QKK"  # South East London, as published
    assert at.sidebar.multiselect(key="f_orgs").value == ["RJ1"]
    assert any("Guy's and St Thomas' NHS Foundation Trust" in m.value for m in at.markdown)
    assert any("Real data" in h.proto.body for h in at.get("html"))


def test_every_area_is_offered_and_an_unconfigured_ics_shows_its_figures(monkeypatch, real_db):
    with open(DECEMBER, encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["ICS_CODE"] == "QWO" and r["ORG_CODE"] != "RX8"
                and r["ORG_TYPE"] in {"Acute", "Mental Health", "Community Provider Trust", "Ambulance"}]
    rate = sum(float(r["FTE_DAYS_LOST"]) for r in rows) / sum(float(r["FTE_DAYS_AVAILABLE"]) for r in rows) * 100
    at = app_page(monkeypatch, real_db, ics="QWO", period="2024-12")
    areas = at.sidebar.selectbox(key="f_ics").options
    assert {"England", "North East and Yorkshire (region)", "West Yorkshire", "Hertfordshire and West Essex"} <= set(areas)
    assert len(areas) == 1 + 7 + 46  # England, the seven regions, every ICS (config.yaml's and the files')
    table = next(df.value for df in at.dataframe if "Sickness absence rate" in set(df.value.get("KPI", [])))
    assert table.set_index("KPI").loc["Sickness absence rate", "Value"] == f"{rate:.1f}%"


def test_compare_for_england_finds_and_filters(monkeypatch, real_db):
    at = app_page(monkeypatch, real_db, "pages/board/compare.py", ics="ENG", period="2024-12")
    shown = next(c.value for c in at.caption if "organisations shown" in c.value)
    assert shown.startswith("280 of 280 organisations shown")  # every organisation in December's file
    at.text_input(key="compare_find").input("leeds").run()
    assert next(c.value for c in at.caption if "organisations shown" in c.value).startswith("3 of 280")
    at.text_input(key="compare_find").input("").run()
    at.multiselect(key="compare_groups").select("Ambulance Trust").run()
    assert next(c.value for c in at.caption if "organisations shown" in c.value).startswith("10 of 280")
