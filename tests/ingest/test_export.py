"""`python -m workforce export`: the stored figures in the long template layout, and the round trip —
exporting and loading the file into an empty database reproduces every KPI."""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import pandas as pd
import pytest

from tests.conftest import ALL, NURSES, write_csv
from workforce.cli.main import main
from workforce.base.db import Database
from workforce.demo import build_demo
from workforce.measures.kpi import kpi_frame
from workforce.ingest.loader import load_files

COLUMNS = ["period", "org_code", "staff_group", "breakdown", "breakdown_value", "measure", "value"]


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def every_kpi(db_path, config, orgs):
    """Every KPI for every organisation and for all of them together, at both staff-group grains."""
    db = Database(db_path)
    frames = [kpi_frame(db, config, config.kpis, orgs, group_by=g) for g in ("none", "org")]
    frames.append(kpi_frame(db, config, config.kpis, orgs, staff_group=NURSES))
    frames.append(kpi_frame(db, config, config.kpis, orgs, breakdown="ethnicity", group_by="breakdown_value"))
    return pd.concat(frames, ignore_index=True).sort_values(["kpi", "grp", "period"]).reset_index(drop=True)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, config):
    db_path = tmp_path_factory.mktemp("export") / "demo.duckdb"
    build_demo(config, db_path, start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 1))
    return db_path


def test_round_trip_reproduces_every_kpi(tmp_path, demo_db, config):
    out = tmp_path / "all.csv"
    code, text, err = run("export", "--out", str(out), "--db", str(demo_db))
    assert code == 0, err
    with duckdb.connect(str(demo_db), read_only=True) as con:
        stored = con.execute("SELECT count(*) FROM fact").fetchone()[0]
    assert f"wrote {stored:,} figures" in text
    assert list(pd.read_csv(out, nrows=1).columns) == COLUMNS
    empty = tmp_path / "empty.duckdb"
    load_files([out], config, db_path=empty)
    orgs = [o.code for o in config.organisations]
    before, after = every_kpi(demo_db, config, orgs), every_kpi(empty, config, orgs)
    assert len(before) > 1000
    pd.testing.assert_frame_equal(before, after, check_exact=False, rtol=1e-12)


def test_both_grains_and_missing_figures_survive_the_round_trip(tmp_path, config):
    rows = [["2025-01", "RWH", ALL, "", "", "leavers", "10"],
            ["2025-01", "RWH", NURSES, "", "", "leavers", "6"],
            ["2025-01", "RWH", "HCHS doctors", "", "", "leavers", "5"],
            ["2025-01", "RWG", NURSES, "", "", "leavers", ""]]  # missing, never zero
    source, first, second = tmp_path / "in.csv", tmp_path / "first.duckdb", tmp_path / "second.duckdb"
    load_files([write_csv(source, rows)], config, db_path=first)
    assert run("export", "--out", str(tmp_path / "out.csv"), "--db", str(first))[0] == 0
    load_files([tmp_path / "out.csv"], config, db_path=second)
    with duckdb.connect(str(second), read_only=True) as con:
        held = con.execute("SELECT org_code, staff_group, value FROM fact ORDER BY ALL").fetchall()
    assert held == [("RWG", NURSES, None), ("RWH", ALL, 10.0), ("RWH", "HCHS doctors", 5.0), ("RWH", NURSES, 6.0)]


def test_filters_by_ics_membership_organisation_and_month(tmp_path, demo_db, config):
    out = tmp_path / "qm7.parquet"
    code, _, err = run("export", "--out", str(out), "--format", "parquet", "--ics", "QM7", "--from", "2024-03",
                       "--to", "2024-05", "--db", str(demo_db))
    assert code == 0, err
    frame = pd.read_parquet(out)
    assert list(frame.columns) == COLUMNS
    assert sorted(frame["period"].unique()) == ["2024-03", "2024-04", "2024-05"]
    assert set(frame["org_code"]) == set(config.ics_members("QM7", dt.date(2024, 4, 1)))
    assert ALL in set(frame["staff_group"])
    code, _, _ = run("export", "--out", str(tmp_path / "two.csv"), "--org", "RWH,RN7", "--db", str(demo_db))
    assert set(pd.read_csv(tmp_path / "two.csv")["org_code"]) == {"RWH", "RN7"}


@pytest.mark.parametrize("argv, message", [
    (["--from", "2024-13"], "--from '2024-13': give a month as YYYY-MM"),
    (["--ics", "QXX"], "--ics 'QXX': not an ICS in config.yaml"),
    (["--from", "2024-06", "--to", "2024-01"], "--from 2024-06 is after --to 2024-01"),
])
def test_bad_options_are_refused_with_a_message(tmp_path, demo_db, argv, message):
    code, _, err = run("export", "--out", str(tmp_path / "x.csv"), "--db", str(demo_db), *argv)
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "x.csv").exists()


def test_national_peers_are_exported_with_a_note(tmp_path, config):
    from tests.conftest import ROOT

    db_path = tmp_path / "national.duckdb"
    load_files([ROOT / "data" / "samples" / "nhsd_sickness.csv"], config, db_path=db_path)  # R0A: not in config
    code, text, err = run("export", "--out", str(tmp_path / "n.csv"), "--db", str(db_path))
    assert code == 0, err
    assert "wrote 8 figures" in text and "note: 1 of its organisations are not in config.yaml" in text
    assert "R0A" in set(pd.read_csv(tmp_path / "n.csv")["org_code"])
