"""Each format's sample file becomes exactly the template rows worked out by hand; detection,
header matching, the unrecognised-file message and each adapter's special rules."""

from __future__ import annotations

import codecs
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from tests.conftest import ROOT
from workforce.ingest import adapters
from workforce.ingest.adapters.labels import map_labels
from workforce.ingest.loader import LoadError, LoadRejected, check_files, load_files

SAMPLES = ROOT / "data" / "samples"
ALL, NURSES, DOCTORS = "All staff groups", "Nurses & health visitors", "HCHS doctors"


def load_into_empty(tmp_path: Path, config, *files: Path, **options):
    db = tmp_path / "empty.duckdb"
    result = load_files(list(files), config, db_path=db, **options)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT strftime(period, '%Y-%m'), org_code, staff_group, breakdown, breakdown_value, "
                           "measure, value FROM fact ORDER BY ALL").fetchall()
    return result.files[0], rows


def approx(rows):
    return [r[:-1] + (pytest.approx(r[-1]) if r[-1] is not None else None,) for r in rows]


TEMPLATE_ROWS = sorted([
    ("2025-01", "RWH", NURSES, "", "", "headcount", 1210.0),
    ("2025-01", "RWH", NURSES, "", "", "leavers", 14.0),
    ("2025-01", "RWH", NURSES, "ethnicity", "White", "headcount", 800.0),
    ("2025-01", "RWH", NURSES, "ethnicity", "Asian or Asian British", "headcount", 410.0),
    ("2025-01", "RWH", DOCTORS, "", "", "headcount", 540.0),
    ("2025-01", "RWH", DOCTORS, "", "", "leavers", None),  # '*': missing, never zero
    ("2025-01", "RWG", NURSES, "", "", "fte_days_lost", 1500.5),
    ("2025-01", "RWG", NURSES, "", "", "fte_days_available", 30250.0),  # "30,250"
    ("2025-01", "RWG", ALL, "", "", "agency_spend", 125000.0),
    ("2025-01", "RWG", ALL, "", "", "pay_bill", 21000000.0),
], key=lambda r: tuple("" if v is None else str(v) for v in r))


@pytest.mark.parametrize("sample", ["template.csv", "template.xlsx"])
def test_template_sample(tmp_path, config, sample):
    report, rows = load_into_empty(tmp_path, config, SAMPLES / sample)
    assert report.format == "template"
    assert (report.rows_in, report.rows_new, report.rows_missing, report.rows_skipped) == (10, 10, 1, 0)
    assert sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r)) == TEMPLATE_ROWS


def test_nhsd_workforce_older_headers(tmp_path, config):
    report, rows = load_into_empty(tmp_path, config, SAMPLES / "nhsd_workforce_legacy.csv")
    assert report.format == "nhsd_workforce"
    assert rows == approx(sorted([
        ("2025-03", "RWH", ALL, "", "", "fte", 5210.4), ("2025-03", "RWH", ALL, "", "", "headcount", 5893.0),
        ("2025-03", "RWH", DOCTORS, "", "", "fte", 702.1), ("2025-03", "RWH", DOCTORS, "", "", "headcount", 745.0),
        ("2025-03", "RWH", NURSES, "", "", "fte", 1703.25), ("2025-03", "RWH", NURSES, "", "", "headcount", 1880.0),
        ("2025-03", "RWH", "Midwives", "", "", "fte", 220.0), ("2025-03", "RWH", "Midwives", "", "", "headcount", 251.0),
        ("2025-03", "RWG", NURSES, "", "", "fte", 1502.8), ("2025-03", "RWG", NURSES, "", "", "headcount", 1660.0),
        ("2025-03", "R0A", NURSES, "", "", "fte", 7120.6), ("2025-03", "R0A", NURSES, "", "", "headcount", 7800.0),
    ]))
    # the whole-organisation total is kept beside its groups; every organisation in a national file is kept
    assert (report.rows_in, report.rows_skipped) == (12, 0)


def test_nhsd_workforce_2025_headers(tmp_path, config):
    report, rows = load_into_empty(tmp_path, config, SAMPLES / "nhsd_workforce_2025.csv")
    assert rows == approx(sorted([
        ("2025-04", "RN7", NURSES, "", "", "fte", 1121.5),
        ("2025-04", "RQW", ALL, "", "", "fte", 4100.5),
        ("2025-04", "RQW", DOCTORS, "", "", "fte", 610.2),  # 'HCHS doctors – All grades'
        ("2025-04", "RQW", "Hotel, property & estates", "", "", "fte", 402.75),
        ("2025-04", "RQW", NURSES, "", "", "fte", 1380.0),
        ("2025-04", "RJ1", NURSES, "", "", "fte", 9310.0),  # not in config.yaml: kept, a national peer
    ]))
    notes = "\n".join(report.notes)
    assert "1 row skipped (first at row 4): a sub-group of a staff group" in notes  # HCHS doctors – Consultant


def test_nhsd_workforce_finer_rows_add_up_to_the_staff_group(tmp_path, config):
    source = tmp_path / "staff excluding medical.csv"
    source.write_text(
        "Date,Org code,Main Staff Group,Staff Group 1,Staff Group 2,AfC Band,Total FTE,Headcount\n"
        "31/01/2025,RWH,001_Prof,005_Nurses & health visitors,Acute,Band 5,100.5,110\n"
        "31/01/2025,RWH,001_Prof,005_Nurses & health visitors,Acute,Band 6,60.25,70\n"
        "31/01/2025,RWH,001_Prof,005_Nurses & health visitors,Community,Band 5,9,10\n"
        "31/01/2025,RWH,001_Prof,006_Midwives,Acute,Band 6,20,25\n"
        "31/01/2025,RWH,001_Prof,006_Midwives,Acute,Band 7,*,3\n", encoding="utf-8")
    report, rows = load_into_empty(tmp_path, config, source)
    # FTE added up over bands; a suppressed part makes the total missing; headcount is not added up
    assert rows == approx([("2025-01", "RWH", "Midwives", "", "", "fte", None),
                           ("2025-01", "RWH", NURSES, "", "", "fte", 169.75)])
    assert report.rows_skipped == 5 and "their headcount only (their FTE is loaded): headcount in a file broken down below staff group" in report.notes[0]


def test_nhsd_workforce_bad_part_is_named_at_its_row(tmp_path, config):
    source = tmp_path / "bands.csv"
    source.write_text("Date,Org code,Staff Group 1,AfC Band,Total FTE\n"
                      "2025-01-31,RWH,Nurses & health visitors,Band 5,100\n"
                      "2025-01-31,RWH,Nurses & health visitors,Band 6,ten\n"
                      "2025-01-31,RWH,Nurses & health visitors,Band 6,5\n", encoding="utf-8")
    with pytest.raises(LoadRejected) as err:
        load_files([source], config, db_path=tmp_path / "x.duckdb")
    assert "bands.csv, row 3, column Total FTE: 'ten' is not a number" in str(err.value)


def test_nhsd_sickness_sample(tmp_path, config):
    report, rows = load_into_empty(tmp_path, config, SAMPLES / "nhsd_sickness.csv")
    assert report.format == "nhsd_sickness"
    assert rows == approx(sorted([
        ("2025-01", "QM7", ALL, "", "", "fte_days_available", None),  # blanked (suppressed) cells
        ("2025-01", "QM7", ALL, "", "", "fte_days_lost", None),
        ("2025-01", "RWG", ALL, "", "", "fte_days_available", 121400.25),
        ("2025-01", "RWG", ALL, "", "", "fte_days_lost", 6102.0),
        ("2025-01", "RWH", ALL, "", "", "fte_days_available", 152000.0),
        ("2025-01", "RWH", ALL, "", "", "fte_days_lost", 7300.5),
        ("2025-01", "R0A", ALL, "", "", "fte_days_available", 600000.0),  # not in config.yaml: kept
        ("2025-01", "R0A", ALL, "", "", "fte_days_lost", 30500.0),
    ]))
    assert (report.rows_missing, report.rows_skipped) == (2, 0)


def test_nhsd_sickness_days_lost_above_available_is_refused(tmp_path, config):
    source = tmp_path / "sick.csv"
    source.write_text("DATE,ORG_CODE,STAFF_GROUP,FTE_DAYS_LOST,FTE_DAYS_AVAILABLE\n"
                      "2025-01-31,RWH,HCHS Doctors,120,100\n", encoding="utf-8")
    with pytest.raises(LoadRejected) as err:
        load_files([source], config, db_path=tmp_path / "x.duckdb")
    assert ("sick.csv, row 2, column FTE_DAYS_LOST: '120' fte_days_lost (120) is above fte_days_available "
            "(100, row 2), which is impossible") in str(err.value)


def turnover_expected():
    months = [f"2024-{m:02d}" for m in range(4, 13)] + ["2025-01", "2025-02", "2025-03"]
    rows = [("2024-03", "RWH", NURSES, "", "", "headcount", 1800.0), ("2025-03", "RWH", NURSES, "", "", "headcount", 1860.0),
            ("2024-03", "RWH", "Midwives", "", "", "headcount", 238.0),
            ("2025-03", "RWH", "Midwives", "", "", "headcount", 244.0),
            ("2024-03", "RWG", NURSES, "", "", "headcount", 1500.0), ("2025-03", "RWG", NURSES, "", "", "headcount", 1548.0)]
    for m in months:  # 12-month totals spread evenly: 240/12, 180/12, 204/12, 156/12; '.' missing
        rows += [(m, "RWH", NURSES, "", "", "joiners", 20.0), (m, "RWH", NURSES, "", "", "leavers", 15.0),
                 (m, "RWG", NURSES, "", "", "joiners", 17.0), (m, "RWG", NURSES, "", "", "leavers", 13.0),
                 (m, "RWH", "Midwives", "", "", "joiners", None), (m, "RWH", "Midwives", "", "", "leavers", None)]
    return sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r))


def test_nhsd_turnover_sample(tmp_path, config):
    report, rows = load_into_empty(tmp_path, config, SAMPLES / "nhsd_turnover.csv")
    assert report.format == "nhsd_turnover"
    assert sorted(rows, key=lambda r: tuple("" if v is None else str(v) for v in r)) == approx(turnover_expected())
    # skips count file rows: one Band 5 row and one FTE row (each would have made 26 figures)
    assert (report.rows_in, report.rows_missing, report.rows_skipped) == (78, 24, 2)
    notes = "\n".join(report.notes)
    assert "1 row skipped (first at row 3): a finer breakdown" in notes  # Band 5
    assert "1 row skipped (first at row 4): FTE figures" in notes


def test_turnover_rolling_sum_at_the_end_month_is_the_published_total(tmp_path, config):
    from workforce.base.db import Database
    from workforce.measures.kpi import components

    load_files([SAMPLES / "nhsd_turnover.csv"], config, db_path=tmp_path / "t.duckdb")
    comp = components(Database(tmp_path / "t.duckdb"), ["leavers", "headcount"], ["RWH"], staff_group=NURSES)
    march = comp[(comp["measure"] == "leavers") & (comp["period"].astype(str).str.startswith("2025-03"))].iloc[0]
    assert (march["sum_12m"], march["months_12m"]) == (pytest.approx(180.0), 12)  # 180 leavers published


def test_turnover_period_problems_and_overlaps(tmp_path, config):
    source = tmp_path / "turn.csv"
    source.write_text("Org code,Period,Leaver,Denominator at end of period\n"
                      "RWH,202403 to 202409,10,100\n"
                      "RWH,March 2024 - 2025,10,100\n", encoding="utf-8")
    with pytest.raises(LoadRejected) as err:
        load_files([source], config, db_path=tmp_path / "x.duckdb")
    text = str(err.value)
    assert "turn.csv, row 2, column Period: '202403 to 202409' is not a 12-month period" in text
    assert "turn.csv, row 3, column Period: 'March 2024 - 2025' is not a period of the form '202403 to 202503'" in text
    later = tmp_path / "two periods.csv"
    later.write_text("Org code,Period,Leaver\nRWH,202403 to 202503,120\nRWH,202406 to 202506,240\n", encoding="utf-8")
    report, rows = load_into_empty(tmp_path, config, later)
    leavers = {r[0]: r[-1] for r in rows}
    assert leavers["2024-04"] == 10.0 and leavers["2024-07"] == 20.0 and leavers["2025-06"] == 20.0
    # Jul 2024 – Mar 2025 of row 2 come from the later period: one file row partly skipped
    assert len(leavers) == 15 and report.notes[0].startswith("1 row skipped (first at row 2): a month also covered")


def test_staff_survey_sample(tmp_path, config):
    report, rows = load_into_empty(tmp_path, config, SAMPLES / "staff_survey.csv")
    assert report.format == "staff_survey"
    assert rows == approx(sorted([
        ("2024-10", "RN7", ALL, "", "", "survey_eligible", 12.0),
        ("2024-10", "RN7", ALL, "", "", "survey_engagement_sum", None),
        ("2024-10", "RN7", ALL, "", "", "survey_flexible_satisfied", None),
        ("2024-10", "RN7", ALL, "", "", "survey_respondents", 8.0),
        ("2024-10", "RWG", ALL, "", "", "survey_eligible", 5300.0),
        ("2024-10", "RWG", ALL, "", "", "survey_engagement_sum", 17040.0),  # 7.1 × 2400
        ("2024-10", "RWG", ALL, "", "", "survey_flexible_satisfied", 1392.0),  # 58% of 2400
        ("2024-10", "RWG", ALL, "", "", "survey_respondents", 2400.0),
        ("2024-10", "RWH", ALL, "", "", "survey_eligible", 6120.0),
        ("2024-10", "RWH", ALL, "", "", "survey_engagement_sum", 20207.5),  # 6.85 × 2950
        ("2024-10", "RWH", ALL, "", "", "survey_flexible_satisfied", 1548.75),  # 52.5% of 2950
        ("2024-10", "RWH", ALL, "", "", "survey_respondents", 2950.0),
    ]))
    assert (report.rows_missing, report.rows_skipped) == (2, 6)
    assert any("add survey_morale_sum to measures" in n for n in report.notes)


def test_staff_survey_score_out_of_range(tmp_path, config):
    source = tmp_path / "survey.csv"
    source.write_text("Trust code,Survey year,Responses,Staff engagement\nRWH,2024,100,70\n", encoding="utf-8")
    with pytest.raises(LoadRejected, match="survey.csv, row 2, column Staff engagement: '70' is not a score between 0 and 10"):
        load_files([source], config, db_path=tmp_path / "x.duckdb")


def test_levy_statement_sample(tmp_path, config):
    report, rows = load_into_empty(tmp_path, config, SAMPLES / "levy_statement.xlsx")
    assert report.format == "levy"
    expected = []
    for month, funds, drawn, moved, expired in [("2025-01", 118250, 64210.5, 20000, 0), ("2025-02", 118250, 71022.1, 0, 0),
                                                ("2025-03", 120105, 69800, 15000, 3120.75)]:
        expected += [(month, "RWH", ALL, "", "", "levy_drawn_down", float(drawn)),
                     (month, "RWH", ALL, "", "", "levy_expired", float(expired)),
                     (month, "RWH", ALL, "", "", "levy_funds_available", float(funds)),
                     (month, "RWH", ALL, "", "", "levy_transferred_out", float(moved))]
    assert rows == approx(sorted(expected))
    assert report.notes == ["read from sheet 'Statement', header on row 4"]


def test_levy_money_formats_and_mixed_signs(tmp_path, config):
    source = tmp_path / "levy.csv"
    source.write_text('Org code,Month,Levy funds in,Paid from levy\n'
                      'RWH,Jan 2025,"£1,000.50",(200)\nRWH,Feb 2025,"£1,000.50",-300\n', encoding="utf-8")
    report, rows = load_into_empty(tmp_path, config, source)
    assert [r[-1] for r in rows if r[5] == "levy_drawn_down"] == [200.0, 300.0]  # all money out: signs dropped
    assert [r[-1] for r in rows if r[5] == "levy_funds_available"] == [1000.5, 1000.5]
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("Org code,Month,Funds in,Payments\nRWH,2025-01,100,-20\nRWH,2025-02,100,30\n", encoding="utf-8")
    with pytest.raises(LoadRejected, match="mixed.csv, row 2, column Payments: '-20.0' is negative"):
        load_files([mixed], config, db_path=tmp_path / "y.duckdb")


# ---------------------------------------------------------------- detection and header matching
@pytest.mark.parametrize("header, expected", [
    (["period", "org_code", "staff_group", "breakdown", "breakdown_value", "measure", "value"], "template"),
    (["Date", "Org code", "Staff Group 1", "Total FTE"], "nhsd_workforce"),
    (["ORG_CODE", "STAFF_GROUP_1", "DATA_MONTH", "FTE"], "nhsd_workforce"),
    (["  org  Code ", "staff group 1", "DATA MONTH", "headcount"], "nhsd_workforce"),
    (["DATE", "ORG_CODE", "FTE_DAYS_LOST", "FTE_DAYS_AVAILABLE", "SICKNESS_ABSENCE_RATE_PERCENT"], "nhsd_sickness"),
    (["Date", "Org code", "FTE Days Sick", "FTE Days Available", "SA Rate (%)"], "nhsd_sickness"),
    (["Org code", "Period", "Joiner", "Leaver", "Denominator at start of period"], "nhsd_turnover"),
    (["Organisation code", "Year", "Responses", "Staff engagement"], "staff_survey"),
    (["Org code", "Month", "Funds in", "Payments", "Transfers out", "Expired funds"], "levy"),
])
def test_detection_from_the_header(header, expected):
    assert adapters.detect(header, "f.csv").name == expected


def test_unrecognised_file_names_every_format_in_a_few_lines(tmp_path, fresh_db_path, config):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("when,where,how many\n2025-01,RWH,3\n", encoding="utf-8")
    checks = check_files([wrong], config, db_path=fresh_db_path)
    message = checks[0].error
    assert message.startswith("wrong.csv: not a recognised format. Its columns are: when, where, how many")
    assert "None of its columns belongs to a format" in message and all(a.name in message for a in adapters.ADAPTERS)
    assert len(message.splitlines()) == 2 and checks[0].format_unknown


def test_a_file_missing_one_column_hears_of_its_own_format_first(tmp_path, fresh_db_path, config):
    # a sickness publication without its FTE days lost column: the message names that format and that column
    # first, the other formats by name only, and (on the Data page) nothing of the command line's --format
    rows = (SAMPLES / "nhsd_sickness.csv").read_text().splitlines()
    cut = tmp_path / "sickness.csv"
    cut.write_text("\n".join(",".join(c for i, c in enumerate(r.split(",")) if i != 6) for r in rows) + "\n")
    message = check_files([cut], config, db_path=fresh_db_path)[0].error
    lines = message.splitlines()
    assert lines[1] == ("It comes closest to NHS Digital sickness absence rates (organisation level) (nhsd_sickness), "
                        "which also needs: fte_days_lost (or fte_days_sick, fte_days_lost_to_sickness) (names are "
                        "matched ignoring case and spaces).")
    assert len(lines) == 3 and "--format" not in message


def test_semicolon_file_gets_a_hint(tmp_path, fresh_db_path, config):
    semi = tmp_path / "semi.csv"
    semi.write_text("period;org_code;staff_group;measure;value\n2025-01;RWH;Midwives;headcount;3\n", encoding="utf-8")
    with pytest.raises(LoadError, match="separated by semicolons"):
        load_files([semi], config, db_path=fresh_db_path)


def test_named_format_that_does_not_fit(tmp_path, fresh_db_path, config):
    with pytest.raises(LoadError) as err:
        load_files([SAMPLES / "template.csv"], config, db_path=fresh_db_path, fmt="nhsd_sickness")
    assert str(err.value).startswith("template.csv: not in the nhsd_sickness format (NHS Digital sickness absence "
                                     "rates (organisation level)) — missing column(s) fte_days_lost")
    with pytest.raises(LoadError, match="unknown format 'sickness'; the formats are: template, nhsd_turnover"):
        load_files([SAMPLES / "template.csv"], config, db_path=fresh_db_path, fmt="sickness")


def test_staff_group_labels(config):
    raw, mapped, skip = map_labels(["005_Nurses & health visitors", "HCHS Doctors", "HCHS doctors – All grades",
                                    "HCHS doctors – Consultant", "Nurses and health visitors", "000_All staff groups",
                                    "Total", "Support to clinical staff", "Nursing", ""], config)
    assert mapped[:3] == [NURSES, DOCTORS, DOCTORS] and skip[:3] == [None, None, None]
    assert skip[3].startswith("a sub-group") and mapped[4] == NURSES
    assert mapped[5] == mapped[6] == ALL and skip[7].startswith("a main staff group subtotal")
    assert (mapped[8], skip[8]) == ("Nursing", None)  # left as written: validation suggests a group


# ---------------------------------------------------------------- how files are read
def test_windows_1252_file_with_en_dash(tmp_path, config):
    source = tmp_path / "cp1252.csv"
    text = ("ORG_CODE,STAFF_GROUP_1,DATA_MONTH,FTE\n"
            "RWH,HCHS doctors – All grades,2025-04-30,10\nRWH,HCHS doctors – Consultant,2025-04-30,4\n")
    source.write_bytes(text.encode("cp1252"))
    report, rows = load_into_empty(tmp_path, config, source)
    assert rows == [("2025-04", "RWH", DOCTORS, "", "", "fte", 10.0)]
    assert "read as Windows-1252 text" in report.notes[0]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_byte_order_marks(tmp_path, config, encoding):
    source = tmp_path / "bom.csv"
    source.write_bytes("period,org_code,staff_group,measure,value\n2025-01,RWH,Midwives,headcount,3\n".encode(encoding))
    report, rows = load_into_empty(tmp_path, config, source)
    assert rows == [("2025-01", "RWH", "Midwives", "", "", "headcount", 3.0)]


def test_rows_keep_their_numbers_with_blank_lines_and_title_rows(tmp_path, fresh_db_path, config):
    source = tmp_path / "gaps.csv"
    source.write_text("Sickness absence, January 2025\n\nDATE,ORG_CODE,FTE_DAYS_LOST,FTE_DAYS_AVAILABLE\n"
                      "2025-01-31,RWH,5,100\n\n2025-01-31,RWG,x5,100\n", encoding="utf-8")
    with pytest.raises(LoadRejected) as err:
        load_files([source], config, db_path=fresh_db_path)
    assert "gaps.csv, row 6, column FTE_DAYS_LOST: 'x5' is not a number" in str(err.value)


def test_truncated_row_names_its_row(tmp_path, fresh_db_path, config):
    source = tmp_path / "cut.csv"
    source.write_text("period,org_code,staff_group,measure,value\n2025-01,RWH,Midwives,headcount,3\n2025-01,RWH\n",
                      encoding="utf-8")
    with pytest.raises(LoadError, match="cut.csv, row 3: 2 cells where the header has 5"):
        load_files([source], config, db_path=fresh_db_path)


def test_template_forgives_spaces_and_case(tmp_path, config):
    source = tmp_path / "typed.csv"
    source.write_text("period,org_code,staff_group,measure,value\n 2025-01 , rwh , Midwives ,HEADCOUNT, 3 \n",
                      encoding="utf-8")
    report, rows = load_into_empty(tmp_path, config, source)
    assert rows == [("2025-01", "RWH", "Midwives", "", "", "headcount", 3.0)]


def test_xlsx_formula_without_a_saved_value_is_reported(tmp_path, fresh_db_path, config):
    book = Workbook()
    sheet = book.active
    sheet.append(["period", "org_code", "staff_group", "measure", "value"])
    sheet.append(["2025-01", "RWH", "Midwives", "headcount", "=SUM(1,2)"])  # openpyxl saves no cached value
    book.save(tmp_path / "formula.xlsx")
    with pytest.raises(LoadRejected, match="formula.xlsx, row 2, column value: '=SUM\\(1,2\\)' is a spreadsheet formula"):
        load_files([tmp_path / "formula.xlsx"], config, db_path=fresh_db_path)


@pytest.mark.parametrize("content, message", [
    (b"", "the file is empty"),
    (codecs.BOM_UTF8 + b"period,org_code,staff_group,measure,value\n", "nothing to load"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "an old-style Excel .xls file"),
    (b"%PDF-1.7\n", "a PDF"),
    (b"PK\x03\x04" + b"\0" * 50, "not a readable XLSX workbook"),
])
def test_files_that_are_not_data(tmp_path, fresh_db_path, config, content, message):
    source = tmp_path / "upload.csv"
    source.write_bytes(content)
    with pytest.raises(LoadError, match=message):
        load_files([source], config, db_path=fresh_db_path)


def test_zip_without_a_workbook_and_decompression_bomb(tmp_path, fresh_db_path, config):
    import time
    import zipfile

    plain_zip = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(plain_zip, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(LoadError, match="a zip file but not an XLSX workbook"):
        load_files([plain_zip], config, db_path=fresh_db_path)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"\0" * (1 << 20)
            for _ in range(300):  # 300 MB of zeros, a few hundred KB packed
                sheet.write(block)
    assert bomb.stat().st_size < 2_000_000
    started = time.monotonic()
    with pytest.raises(LoadError, match="decompression bomb"):
        load_files([bomb], config, db_path=fresh_db_path)
    assert time.monotonic() - started < 2


def test_one_staging_query_runs_every_publication_description():
    """Adding a publication is one description (workforce/ingest/adapters/<name>.py), not another staging query."""
    stage_files = sorted(p.stem for p in (ROOT / "queries" / "ingest" / "stage").glob("stage_*.sql"))
    assert stage_files == ["stage_csv", "stage_frame", "stage_publication"]  # template, demo frame, publications
    for adapter in adapters.ADAPTERS:
        if adapter.name == "template":
            continue
        assert adapter.query == "ingest/stage/stage_publication" and adapter.melts, adapter.name
        assert len(adapter.value_columns()) <= 12 and len(adapter.detail) <= 8 and len(adapter.selectors) <= 5
        measures = {m.measure for m in adapter.melts}
        assert all(c in {col.name for col in adapter.columns} for c in adapter.value_columns()), adapter.name
        assert measures, adapter.name
