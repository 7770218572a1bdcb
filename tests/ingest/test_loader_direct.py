"""The first load of a template into an empty database stages its rows straight into the database
file and makes them its fact table once every check passes (no second copy): the table must be the
same as one the schema makes, and every other case must take the usual path."""

from __future__ import annotations

import duckdb
import pytest

from tests.conftest import ALL, NURSES, ROOT, write_csv
from workforce.ingest.loader import LoadRejected, load_files

ROWS = [["2025-01", "RWH", NURSES, "", "", "headcount", "100"],
        ["2025-01", "RWH", NURSES, "ethnicity", "White", "headcount", "60"],
        ["2025-01", "RWH", ALL, "", "", "leavers", ""],
        ["2025-02", "RWG", NURSES, "", "", "fte", "1,210.5"]]


def columns(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns "
                           "WHERE table_name = 'fact' ORDER BY ordinal_position").fetchall()


def tables(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return sorted(r[0] for r in con.execute("SHOW TABLES").fetchall())


def facts(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT * FROM fact ORDER BY ALL").fetchall()


def test_first_load_becomes_the_fact_table_exactly_as_the_schema_makes_it(tmp_path, config):
    direct = tmp_path / "direct.duckdb"
    load_files([write_csv(tmp_path / "t.csv", ROWS)], config, db_path=direct)
    usual = tmp_path / "usual.duckdb"  # the schema's fact table, filled by an insert (a publication first)
    load_files([ROOT / "data" / "samples" / "nhsd_sickness.csv"], config, db_path=usual)
    assert columns(direct) == columns(usual)
    assert [c[2] for c in columns(direct)] == ["NO", "NO", "NO", "NO", "NO", "NO", "YES", "NO"]
    assert "parsed_base" not in tables(direct)
    assert len(facts(direct)) == 4
    held = {(r[1], r[2], r[4], r[5]): r[6] for r in facts(direct)}
    assert held[("RWH", NURSES, "", "headcount")] == 100 and held[("RWH", NURSES, "White", "headcount")] == 60
    assert held[("RWH", ALL, "", "leavers")] is None  # blank: held as missing
    assert held[("RWG", NURSES, "", "fte")] == 1210.5  # thousands separator
    assert {r[7] for r in facts(direct)} == {1}


def test_a_file_with_a_bad_month_is_checked_the_usual_way(tmp_path, config):
    source = write_csv(tmp_path / "bad.csv", ROWS + [["2025-13", "RWH", NURSES, "", "", "leavers", "3"]])
    with pytest.raises(LoadRejected) as err:
        load_files([source], config, db_path=tmp_path / "x.duckdb")
    assert "bad.csv, row 6, column period: '2025-13'" in str(err.value)
    assert not (tmp_path / "x.duckdb").exists()


def test_two_templates_in_one_load_into_an_empty_database(tmp_path, config):
    first = write_csv(tmp_path / "a.csv", ROWS)
    second = write_csv(tmp_path / "b.csv", [["2025-01", "RWH", NURSES, "", "", "headcount", "101"],
                                            ["2025-03", "RN7", NURSES, "", "", "leavers", "2"]])
    result = load_files([first, second], config, db_path=tmp_path / "two.duckdb")
    assert [(r.rows_new, r.rows_changed) for r in result.files] == [(4, 0), (1, 1)]
    held = {(r[1], r[4], r[5], str(r[0])): (r[6], r[7]) for r in facts(tmp_path / "two.duckdb")}
    assert held[("RWH", "", "headcount", "2025-01-01")] == (101, 2)  # replaced by the second file
    assert held[("RWH", "White", "headcount", "2025-01-01")] == (60, 1)
    assert held[("RN7", "", "leavers", "2025-03-01")] == (2, 2)
    assert "parsed_base" not in tables(tmp_path / "two.duckdb")


def test_a_rejected_template_then_a_publication_into_an_empty_database(tmp_path, config):
    bad = write_csv(tmp_path / "bad.csv", [["2025-01", "RWH", NURSES, "", "", "leavers", "-4"]])
    with pytest.raises(LoadRejected, match="is negative"):
        load_files([bad, ROOT / "data" / "samples" / "nhsd_sickness.csv"], config, db_path=tmp_path / "y.duckdb")
    assert not (tmp_path / "y.duckdb").exists()


def frame_of(rows):
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["period", "org_code", "staff_group", "breakdown", "breakdown_value",
                                        "measure", "value"])
    frame["period"] = pd.to_datetime(frame["period"] + "-01")
    frame["value"] = pd.to_numeric(frame["value"].replace("", None).str.replace(",", ""))
    return frame


def test_a_frame_into_a_fresh_database_and_into_one_with_figures(tmp_path, config):
    from workforce.ingest.loader import load_frame

    db_path = tmp_path / "frame.duckdb"
    load_frame(frame_of(ROWS), config, db_path=db_path, fresh=True)  # straight in: becomes the fact table
    assert columns(db_path) == columns_of_schema(tmp_path, config) and "parsed_base" not in tables(db_path)
    more = frame_of([["2025-03", "RN7", NURSES, "", "", "leavers", "2"]])
    load_frame(more, config, db_path=db_path)  # a database with figures: staged, compared, inserted
    held = {(r[1], r[5]): (r[6], r[7]) for r in facts(db_path) if r[4] == ""}
    assert held[("RN7", "leavers")] == (2, 2) and held[("RWG", "fte")] == (1210.5, 1)


def test_a_frame_breaking_a_constraint_is_checked_the_usual_way(tmp_path, config):
    from workforce.ingest.loader import load_frame

    rows = frame_of(ROWS)
    rows.loc[0, "period"] = None  # no month: the usual staging, and validation names the row
    with pytest.raises(LoadRejected, match="row 2, column period"):
        load_frame(rows, config, db_path=tmp_path / "bad.duckdb", fresh=True)


def columns_of_schema(tmp_path, config):
    usual = tmp_path / "usual.duckdb"
    load_files([ROOT / "data" / "samples" / "nhsd_sickness.csv"], config, db_path=usual)
    return columns(usual)
