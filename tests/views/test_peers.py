"""National peers on Compare: the same peer group across England, the ICS's own organisations marked,
each organisation's figure its own ratio of sums — checked against the real sickness file read with csv."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import write_csv
from workforce.base.db import Database
from workforce.ingest.loader import load_files
from workforce.measures.selection import Selection
from workforce.protect.scope import resolve
from workforce.views.peers import national_peers, peers_chart, peers_text

APRIL = Path(__file__).resolve().parents[3] / "shared" / "data" / "nhs" / "sickness" / \
    "nhs_sickness_absence_2024-04.csv"
MONTH = dt.date(2024, 4, 1)


@pytest.fixture(scope="module")
def db(tmp_path_factory, config):
    if not APRIL.exists():
        pytest.skip("the real NHS files (../shared/data/nhs) are not here")
    db_path = tmp_path_factory.mktemp("peers") / "april.duckdb"
    load_files([APRIL], config, db_path=db_path)
    return Database(db_path)


def sickness(config):
    return config.kpi_by_id["sickness_absence_rate"]


def view(db, config):
    """Hertfordshire and West Essex in the month, as an administrator sees it."""
    return resolve(db, config, Selection(ics="QM7", period=MONTH))


def test_ambulance_trusts_across_england_ranked_best_first(db, config):
    with open(APRIL, newline="", encoding="utf-8-sig") as handle:
        ambulance = {r["ORG_CODE"]: float(r["FTE_DAYS_LOST"]) / float(r["FTE_DAYS_AVAILABLE"]) * 100
                     for r in csv.DictReader(handle) if r["ORG_TYPE"] == "Ambulance"}
    result = national_peers(db, config, "RYC", sickness(config), view(db, config), "QM7")
    assert result.peer_group == "Ambulance"
    assert list(result.table["org_code"]) == sorted(ambulance, key=ambulance.get)  # lower sickness is better
    assert result.table.set_index("org_code")["value"].to_dict() == pytest.approx(ambulance)
    # East of England Ambulance is Hertfordshire and West Essex's by config.yaml (the file says QUE)
    assert result.table.loc[result.table["own"], "org_code"].tolist() == ["RYC"]
    rank = sorted(ambulance, key=ambulance.get).index("RYC") + 1
    text = peers_text(result)
    assert f"is {rank}" in text and f"of {len(ambulance)} organisations in England in the 'Ambulance' group" in text
    spec = peers_chart(result, "Sickness absence rate (%)").to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["tick", "point"]


def test_no_peers_without_a_national_file(tmp_path, config):
    source = write_csv(tmp_path / "t.csv", [["2024-04", "RWH", "All staff groups", "", "", "fte_days_lost", "5"]])
    load_files([source], config, db_path=tmp_path / "t.duckdb")
    empty = Database(tmp_path / "t.duckdb")
    result = national_peers(empty, config, "RWH", sickness(config), view(empty, config), "QM7")
    assert result.empty and "load a national NHS Digital file first" in peers_text(result)


@pytest.mark.slow
def test_compare_page_shows_national_peers(monkeypatch, fresh_db_path, config):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    if not APRIL.exists():
        pytest.skip("the real NHS files (../shared/data/nhs) are not here")
    load_files(sorted(APRIL.parent.glob("nhs_sickness_absence_2024-*.csv")), config, db_path=fresh_db_path)
    monkeypatch.setenv("WORKFORCE_DB", str(fresh_db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/board/compare.py").run()
    assert not at.exception
    # by default: a trust, and a KPI the national files hold (only sickness here)
    assert at.selectbox(key="peers_kpi").value == sickness(config)
    assert at.selectbox(key="peers_org").value in {"RWH", "RWG", "RQW", "RWR", "RY4", "RYC"}
    assert any("organisations in England in the" in m.value for m in at.markdown)
    at.selectbox(key="peers_org").set_value("RWH").run()
    at.selectbox(key="peers_kpi").set_value(sickness(config)).run()
    assert not at.exception
    texts = [m.value.replace("\\", "") for m in at.markdown]
    assert any("organisations in England in the 'Acute' group on sickness absence rate in December 2024" in t
               for t in texts), texts


def test_a_peer_group_without_figures_for_the_kpi_says_so(db, config):
    leavers = config.kpi_by_id["turnover_rate_12m"]  # the sickness file holds no leavers
    result = national_peers(db, config, "RYC", leavers, view(db, config), "QM7")
    assert result.empty and result.peer_group == "Ambulance"
    assert peers_text(result).startswith("No organisation in England's 'Ambulance' group has a figure for")
