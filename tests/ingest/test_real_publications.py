"""Real NHS publication files load as published, with the figures the file itself publishes or implies.

Two sources:
- the real files in ../shared/data/nhs/ (see its README): every one is loaded when the folder is
  there (skipped with the reason when it is not);
- small byte-for-byte slices of them in tests/fixtures/nhs/ (header intact), so the same checks
  always run.
Layouts with no real file here (the 2014 and 2018–22 sickness layouts, the Staff Group and
Organisation CSV, the annual turnover workbook, the apprenticeship service download, the Staff
Survey trust CSV) are tested with small files built to the README's description of them — made by
this project, not published — and say so.

Figures are checked against the file read independently with the csv module: the published
sickness rate (2 dp) against the stored days; turnover leavers and denominators against the file's
own rows (a row left out is 0); HCHS FTE against the sum of the file's rows.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT
from workforce.ingest.loader import LoadError, LoadRejected, check_files, load_files

REAL = ROOT.parent / "shared" / "data" / "nhs"
FIXTURES = ROOT / "tests" / "fixtures" / "nhs"
ALL, DOCTORS, NURSES = "All staff groups", "HCHS doctors", "Nurses & health visitors"
DOCTORS_EXC_RESIDENTS = "HCHS doctors (exc. resident doctors and equivalents)"


def real(pattern: str) -> list[Path]:
    files = sorted(REAL.glob(pattern)) if REAL.is_dir() else []
    if not files:
        pytest.skip(f"no real file {pattern} in {REAL} (the shared folder of real NHS files is absent)")
    return files


def rows_of(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def fresh(tmp_path: Path, name: str) -> Path:
    (tmp_path / name).mkdir()
    return tmp_path / name


def load(tmp_path: Path, config, *files: Path, **options):
    db = tmp_path / "real.duckdb"
    result = load_files(list(files), config, db_path=db, **options)
    with duckdb.connect(str(db), read_only=True) as con:
        facts = con.execute("SELECT strftime(period, '%Y-%m'), org_code, staff_group, measure, value FROM fact "
                            "WHERE breakdown = ''").fetchall()
    return result, {(p, o, g, m): v for p, o, g, m, v in facts}


# ---------------------------------------------------------------- sickness
def check_sickness(tmp_path, config, path: Path) -> None:
    result, facts = load(tmp_path, config, path)
    assert result.files[0].format == "nhsd_sickness"
    published = rows_of(path)
    checked = 0
    for row in published:
        month = row["DATE"][6:10] + "-" + row["DATE"][3:5]  # 30/04/2024
        lost = facts[(month, row["ORG_CODE"], ALL, "fte_days_lost")]
        available = facts[(month, row["ORG_CODE"], ALL, "fte_days_available")]
        if row["SICKNESS_ABSENCE_RATE_PERCENT"].strip():
            assert round(lost / available * 100, 2) == pytest.approx(float(row["SICKNESS_ABSENCE_RATE_PERCENT"])), row
            checked += 1
    assert checked == len(published)  # every organisation in the file kept, every rate reproduced
    assert len({k[1] for k in facts}) == len({r["ORG_CODE"] for r in published})


def test_sickness_slice_rates_match_the_publication(tmp_path, config):
    check_sickness(tmp_path, config, FIXTURES / "sickness_2024-04_first_40_rows.csv")


@pytest.mark.slow
def test_every_real_sickness_file(tmp_path, config):
    for path in real("sickness/*.csv"):
        check_sickness(fresh(tmp_path, path.stem), config, path)


def test_twelve_real_sickness_months_together(tmp_path, config):
    files = real("sickness/*.csv")
    result, facts = load(tmp_path, config, *files)
    assert len(result.files) == len(files) and {k[0] for k in facts} == {f.stem[-7:] for f in files}


# ---------------------------------------------------------------- turnover benchmarking, monthly
def check_turnover_monthly(tmp_path, config, path: Path) -> None:
    result, facts = load(tmp_path, config, path)
    assert result.files[0].format == "nhsd_turnover_monthly"
    published = defaultdict(float)
    groups = set()
    for row in rows_of(path):
        assert row["PERIOD"] == "202509 to 202510"
        published[(row["REPORTING_ORG_CODE"], row["STAFF_GROUP_1_NAME"], row["TYPE"])] += float(row["HC"])
        groups.add((row["REPORTING_ORG_CODE"], row["STAFF_GROUP_1_NAME"]))
    group_of = {"HCHS Doctors (exc. Resident doctors and equivalents)": DOCTORS_EXC_RESIDENTS,  # its own group
                "Unknown classification": "Other staff or those with unknown classification"}
    for org, label in groups:
        group = group_of.get(label, label)
        for kind, month, measure in [("Denominator at start of period", "2025-09", "headcount"),
                                     ("Denominator at end of period", "2025-10", "headcount"),
                                     ("Leavers", "2025-10", "leavers"), ("Joiners", "2025-10", "joiners")]:
            # a type left out of the file is 0 for an organisation and staff group it lists
            assert facts[(month, org, group, measure)] == published.get((org, label, kind), 0.0), (org, label, kind)
    # the organisation's turnover comes from its 'All staff groups' rows, which the file publishes
    for org in {o for o, _ in groups}:
        start, end = published[(org, ALL, "Denominator at start of period")], published[(org, ALL, "Denominator at end of period")]
        rate = facts[("2025-10", org, ALL, "leavers")] / ((facts[("2025-09", org, ALL, "headcount")] +
                                                           facts[("2025-10", org, ALL, "headcount")]) / 2)
        assert rate == pytest.approx(published.get((org, ALL, "Leavers"), 0.0) / ((start + end) / 2))


def test_turnover_monthly_slice(tmp_path, config):
    path = FIXTURES / "turnover_monthly_oct25_RGN.csv"
    check_turnover_monthly(tmp_path, config, path)
    _, facts = load(fresh(tmp_path, "again"), config, path)
    # RGN's 'Unknown classification': 1 at the start, its end row left out (0), 1 leaver — loads
    other = "Other staff or those with unknown classification"
    assert (facts[("2025-09", "RGN", other, "headcount")], facts[("2025-10", "RGN", other, "headcount")],
            facts[("2025-10", "RGN", other, "leavers")]) == (1.0, 0.0, 1.0)


def test_real_turnover_monthly_file(tmp_path, config):
    for path in real("turnover/*monthly*.csv"):
        check_turnover_monthly(tmp_path, config, path)
    _, facts = load(fresh(tmp_path, "again"), config, path)
    # staff-group leavers include moves between staff groups: for RAT they add up to 115, but the
    # organisation lost 114 people (its 'All staff groups' row), which is what is stored and used
    groups = sum(v for (p, o, g, m), v in facts.items() if (p, o, m) == ("2025-10", "RAT", "leavers") and g != ALL)
    assert (groups, facts[("2025-10", "RAT", ALL, "leavers")]) == (115.0, 114.0)
    # and the KPI engine's whole-organisation figure is the published 114, not the sum of groups
    from workforce.base.db import Database
    from workforce.measures.kpi import components

    comp = components(Database(tmp_path / "again" / "real.duckdb"), ["leavers"], ["RAT"])
    assert comp[comp["period"].astype(str).str.startswith("2025-10")]["month_value"].tolist() == [114.0]


# ---------------------------------------------------------------- HCHS workforce statistics
@pytest.mark.parametrize("name, group, fmt", [("hchs_core3_oct25_excerpt.csv", DOCTORS, "hchs_doctors"),
                                              ("hchs_core5_oct25_excerpt.csv", NURSES, "nhsd_workforce")])
def test_hchs_core_excerpts_add_up_to_the_staff_group(tmp_path, config, name, group, fmt):
    path = FIXTURES / name
    result, facts = load(tmp_path, config, path)
    report = result.files[0]
    assert report.format == fmt
    fte = sum(float(r["FTE"]) for r in rows_of(path))  # every row is a part of the staff group
    assert facts == {("2025-10", "RJ1", group, "fte"): pytest.approx(fte)}
    # headcount does not add across grades (a person with two roles counts once): not loaded
    assert "10 rows skipped (first at row 2): their headcount only (their FTE is loaded)" in report.notes[0]


def test_real_hchs_excerpts(tmp_path, config):
    for path in real("hchs/*.csv"):
        checks = check_files([path], config, db_path=tmp_path / "x.duckdb")
        assert checks[0].ok and checks[0].report.rows_in == 1, checks[0].error


def test_core5_repeated_rows_report_every_group_at_its_row(tmp_path, config):
    lines = (FIXTURES / "hchs_core5_oct25_excerpt.csv").read_text(encoding="utf-8").splitlines()
    text = "\n".join(lines + [lines[1], lines[3], lines[1]]) + "\n"  # rows 12, 14 repeat 2; row 13 repeats 4
    path = tmp_path / "core5.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadRejected) as err:
        load_files([path], config, db_path=tmp_path / "x.duckdb")
    message = str(err.value)
    assert "rejected: 1 problem" in message and "core5.csv, row 12, column ORG_CODE" in message
    assert "at rows 2, 12, 14" in message and "at rows 4, 13" in message


# ---------------------------------------------------------------- layouts with no real file here
def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_sickness_older_layouts_and_date_forms(tmp_path, config):
    """Made by this project to the README's description of the 2014, 2018–22 and 2022 layouts."""
    old = write(tmp_path, "2014.csv",
                "Date,HEE_region_code,HEE_region_name,Org Code,Org Name,Org Type,FTE Days Sick,FTE Days Available,SA Rate (%)\n"
                "2014-APR,Y61,East of England,RWH,East and North Herts,Acute,\"4,800.5\",\"100,000\",4.80\n")
    archive = write(tmp_path, "archive.csv",
                    "Month,Tm End Date,Org code,Org name,Cluster group,Benchmark group,NHSE region code,NHSE region name,"
                    "Staff group,FTE days lost,FTE days available,Sickness absence rate (%)\n"
                    "2019-Jan,31/01/2019 00:00,RWH,East and North Herts,Acute,Acute - Large,Y61,East of England,"
                    "Nurses & health visitors,300,6000,5.00\n"
                    "2019-Jan,31/01/2019 00:00,RWH,East and North Herts,Acute,Acute - Large,Y61,East of England,"
                    "All staff groups,900,20000,4.50\n")
    bench = write(tmp_path, "bench.csv",
                  "DATE,NHSE_REGION_CODE,NHSE_REGION_NAME,ORG_CODE,ORG_NAME,CLUSTER_GROUP,BENCHMARK_GROUP,STAFF_GROUP,"
                  "FTE_DAYS_LOST,FTE_DAYS_AVAILABLE,SICKNESS_ABSENCE_RATE_PERCENT\n"
                  "2022-05-31T00:00:00,Y61,East of England,RWH,ENHT,Acute,Acute - Large,All staff groups,10,200,5.00\n"
                  "31/03/2025 00:00,Y61,East of England,RWH,ENHT,Acute,Acute - Large,All staff groups,30,600,5.00\n")
    _, facts = load(tmp_path, config, old, archive, bench)
    assert facts[("2014-04", "RWH", ALL, "fte_days_lost")] == 4800.5  # thousands separators accepted
    assert facts[("2014-04", "RWH", ALL, "fte_days_available")] == 100000.0
    assert facts[("2019-01", "RWH", NURSES, "fte_days_lost")] == 300.0
    assert facts[("2019-01", "RWH", ALL, "fte_days_lost")] == 900.0  # both grains kept, never added
    assert facts[("2022-05", "RWH", ALL, "fte_days_available")] == 200.0
    assert facts[("2025-03", "RWH", ALL, "fte_days_lost")] == 30.0


def test_staff_group_and_organisation_csv(tmp_path, config):
    """Made by this project to the README's description (long by Data Type, value in Total)."""
    head = ("Date,NHSE_Region_Code,NHSE_Region_Name,ICS code,ICS name,Org Code,Org Name,Cluster Group,"
            "Benchmark Group,Staff Group Sort Order,Staff Group,Data Type,Total\n")
    body = ""
    for group, order, fte, hc in [("Total", 1, 5210.4, 5893), ("Professionally qualified clinical staff", 2, 3000, 3100),
                                  ("HCHS Doctors", 3, 702.1, 745), ("HCHS doctors", 4, 702.1, 745),
                                  ("Consultant", 5, 300.5, 310), ("Nurses & health visitors", 6, "1,703.25", 1880)]:
        for kind, value in [("FTE", fte), ("HC", hc)]:
            body += (f"31/03/2025,Y61,East of England,QM7,Herts and West Essex,RWH,ENHT,Acute,Acute - Large,"
                     f"{order},{group},{kind},\"{value}\"\n")
    result, facts = load(tmp_path, config, write(tmp_path, "sgo.csv", head + body))
    assert result.files[0].format == "nhsd_staff_group_org"
    assert facts == {
        ("2025-03", "RWH", ALL, "fte"): 5210.4, ("2025-03", "RWH", ALL, "headcount"): 5893.0,  # the org's own total
        ("2025-03", "RWH", DOCTORS, "fte"): 702.1, ("2025-03", "RWH", DOCTORS, "headcount"): 745.0,
        ("2025-03", "RWH", NURSES, "fte"): 1703.25, ("2025-03", "RWH", NURSES, "headcount"): 1880.0}
    notes = "\n".join(result.files[0].notes)
    assert "'HCHS Doctors' is used" in notes and "a sub-group of a staff group" in notes and "main staff group" in notes


def test_annual_turnover_workbook_sheet_grade(tmp_path, config):
    """Made by this project to the README's description of the annual organisation workbook."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Grade")
    sheet.append(["Type", "Org code", "Organisation name", "Period", "Care setting", "AfC band", "Joiner", "Leaver",
                  "Joiner rate", "Leaver rate", "Stability index", "Denominator at start of period",
                  "Denominator at end of period", "Cluster group", "Benchmark group"])
    sheet.append(["HC", "RWH", "ENHT", "202203 to 202303", "All care settings", "All AfC bands", 600, 540, 0.1, 0.09,
                  ".", 5800, 5900, "Acute", "Acute - Large"])
    sheet.append(["FTE", "RWH", "ENHT", "202203 to 202303", "All care settings", "All AfC bands", 500, 450, 0.1, 0.09,
                  ".", 5000, 5100, "Acute", "Acute - Large"])
    sheet.append(["HC", "RWH", "ENHT", "202203 to 202303", "All care settings", "Band 5", 60, 54, 0.1, 0.09,
                  ".", 580, 590, "Acute", "Acute - Large"])
    book.save(tmp_path / "turnover.xlsx")
    result, facts = load(tmp_path, config, tmp_path / "turnover.xlsx")
    assert result.files[0].format == "nhsd_turnover"
    leavers = {p: v for (p, o, g, m), v in facts.items() if m == "leavers"}
    assert len(leavers) == 12 and sum(leavers.values()) == pytest.approx(540.0)  # Apr 2022 – Mar 2023
    assert (facts[("2022-03", "RWH", ALL, "headcount")], facts[("2023-03", "RWH", ALL, "headcount")]) == (5800, 5900)


LEVY_HEAD = ("Transaction date,Transaction type,Description,Payroll scheme,Payroll month,Levy declared,English %,"
             "10% top up,Training provider,Unique learner number,Apprentice,Apprenticeship training course,"
             "Course level,Paid from levy,Your contribution,Government contribution,Total,\n")


def test_levy_transaction_download_summed_by_month(tmp_path, config):
    """Made by this project to the README's description: one row per transaction, trailing commas,
    dd/MM/yyyy, no organisation code."""
    path = write(tmp_path, "transactions.csv", LEVY_HEAD +
                 "19/01/2025,Levy,Levy,123/AB456,2024-25 P09,\"100,000.00\",95.00%,\"9,500.00\",,,,,,,,,\"104,500.00\",\n"
                 "28/01/2025,Payment,Training,,,,,,College A,1234567890,A. Person,Nursing,6,-1200.00,0,0,-1200.00,\n"
                 "28/01/2025,Payment,Training,,,,,,College B,1234567891,B. Person,Business,3,-300.50,0,0,-300.50,\n"
                 "19/02/2025,Levy,Levy,123/AB456,2024-25 P10,\"100,000.00\",95.00%,\"9,500.00\",,,,,,,,,\"104,500.00\",\n"
                 "20/02/2025,Transfer,To employer X,,,,,,,,,,,,,,-2000.00,\n"
                 "21/02/2025,Expired funds,Expired,,,,,,,,,,,,,,-150.25,\n")
    with pytest.raises(LoadError, match="transactions.csv: an Apprenticeship service transaction download names no "
                                        "organisation — say whose account it is \\(--org CODE"):
        load_files([path], config, db_path=tmp_path / "x.duckdb")
    result, facts = load(tmp_path, config, path, org="RWH")
    assert result.files[0].format == "levy_transactions"
    assert facts == {
        ("2025-01", "RWH", ALL, "levy_funds_available"): 104500.0, ("2025-01", "RWH", ALL, "levy_drawn_down"): 1500.5,
        ("2025-01", "RWH", ALL, "levy_transferred_out"): 0.0, ("2025-01", "RWH", ALL, "levy_expired"): 0.0,
        ("2025-02", "RWH", ALL, "levy_funds_available"): 104500.0, ("2025-02", "RWH", ALL, "levy_drawn_down"): 0.0,
        ("2025-02", "RWH", ALL, "levy_transferred_out"): 2000.0, ("2025-02", "RWH", ALL, "levy_expired"): 150.25}
    import io

    from workforce.cli.main import main

    out = io.StringIO()
    code = main(["load", str(path), "--org", "RWG", "--dry-run", "--db", str(tmp_path / "cli.duckdb"),
                 "--config", str(ROOT / "config.yaml")], out=out, err=io.StringIO())
    assert code == 0 and "transactions.csv (levy_transactions): 6 file rows → 8 figures: 8 new" in out.getvalue()


def test_staff_survey_trust_csv_with_ods_code(tmp_path, config):
    """Made by this project (a trust-level CSV keyed by `ODS code`)."""
    path = write(tmp_path, "survey.csv", "ODS code,Trust name,Survey year,Number of respondents,Number eligible,"
                                          "Staff engagement theme score,q4d\nRWH,ENHT,2024,2950,6120,6.85,52.5\n")
    result, facts = load(tmp_path, config, path)
    assert result.files[0].format == "staff_survey"
    assert facts[("2024-10", "RWH", ALL, "survey_respondents")] / facts[("2024-10", "RWH", ALL, "survey_eligible")] \
        == pytest.approx(2950 / 6120)  # response rate = respondents ÷ eligible
    assert facts[("2024-10", "RWH", ALL, "survey_engagement_sum")] == pytest.approx(6.85 * 2950)
    assert facts[("2024-10", "RWH", ALL, "survey_flexible_satisfied")] == pytest.approx(0.525 * 2950)


# ---------------------------------------------------------------- numbers and headers
def test_decimal_comma_is_refused_naming_file_row_and_column(tmp_path, config):
    path = write(tmp_path, "comma.csv", "ORG_CODE,STAFF_GROUP_1,DATA_MONTH,FTE\n"
                                        "RWH,Midwives,2025-03,\"1,210.5\"\nRWH,Nurses & health visitors,2025-03,\"1210,5\"\n"
                                        "RWG,Midwives,2025-03,\"0,5\"\n")
    with pytest.raises(LoadRejected) as err:
        load_files([path], config, db_path=tmp_path / "x.duckdb")
    text = str(err.value)
    assert "rejected: 2 problems" in text
    assert "comma.csv, row 3, column FTE: '1210,5' has a decimal comma" in text
    assert "comma.csv, row 4, column FTE: '0,5' has a decimal comma" in text


def test_repeated_header_column_is_refused(tmp_path, config):
    path = write(tmp_path, "twice.csv", "ORG_CODE,DATE,FTE_DAYS_LOST,FTE_DAYS_AVAILABLE,Org code\n"
                                        "RWH,2025-01-31,1,10,RWG\n")
    with pytest.raises(LoadError, match="twice.csv: the header names a column more than once "
                                        "\\('ORG_CODE' in columns 1, 5\\)"):
        load_files([path], config, db_path=tmp_path / "x.duckdb")


def survey_workbook(path: Path) -> Path:
    """Made by this project to the README's description of the "detailed spreadsheets organisational
    results" workbook: many sheets, question text merged on row 1, headers on row 5 (identifier
    columns up to Weighting), data from row 6, a composite organisation code."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book["Notes"].append(["NHS Staff Survey 2024 – detailed spreadsheets, organisational results"])
    ids = ["Org code", "Org name", "Benchmarking group", "Weighting"]

    def sheet(title: str, questions: list[tuple[str, list[str]]], rows: list[list]) -> None:
        ws = book.create_sheet(title)
        column = len(ids) + 1
        for text, headers in questions:  # the question's text, merged over its columns on row 1
            ws.cell(row=1, column=column, value=text)
            ws.merge_cells(start_row=1, start_column=column, end_row=1, end_column=column + len(headers) - 1)
            column += len(headers)
        ws.cell(row=3, column=1, value="Results are weighted by occupation group")
        for i, text in enumerate(ids + [h for _, hs in questions for h in hs], start=1):
            ws.cell(row=5, column=i, value=text)
        for r, row in enumerate(rows, start=6):
            for c, value in enumerate(row, start=1):
                ws.cell(row=r, column=c, value=value)

    orgs = [("RWH", "ENHT", "Acute"), ("RWG", "WHTH", "Acute"), ("01T/01V", "Two CCGs together", "CCG")]
    sheet("RESPONSE RATE", [("Response rate", ["Completed questionnaires", "Eligible staff", "Response rate"])],
          [[*o, "Unweighted", n, e, round(n / e * 100, 1)] for o, n, e in zip(orgs, (2950, 2400, 300), (6120, 5300, 700))])
    sheet("YOUR JOB Q4", [("Q4c - How satisfied are you with … The recognition I get for good work",
                           ["% Satisfied", "% Very satisfied", "Base (number of responses)"]),
                          ("Q4d - How satisfied are you with … The opportunities for flexible working patterns",
                           ["% Very dissatisfied", "% Dissatisfied", "% Neither", "% Satisfied", "% Very satisfied",
                            "Base (number of responses)"])],
          [[*orgs[0], "Unweighted", 40, 10, 2900, 9, 14, 25, 38, 14, 2900],  # unweighted beside weighted: not used
           [*orgs[0], "Weighted", 41, 11, 2900, 8, 15, 24.5, 37.5, 15, 2900],
           [*orgs[1], "Weighted", 45, 12, 2380, 6, 12, 24, 40, 18, 2380],
           [*orgs[2], "Weighted", 50, 9, 290, 5, 10, 25, 40, 20, 290]])
    sheet("THEMES", [("Staff engagement", ["Score", "Base (number of responses)"]),
                     ("We work flexibly", ["Score", "Base (number of responses)"])],
          [[*orgs[0], "Weighted", 6.85, 2940, 6.1, 2930], [*orgs[1], "Weighted", 7.1, 2390, 6.4, 2380],
           [*orgs[2], "Weighted", 7.0, 295, 6.2, 290]])
    book.save(path)
    return path


def test_staff_survey_detailed_spreadsheets_workbook(tmp_path, config):
    result, facts = load(tmp_path, config, survey_workbook(tmp_path / "NSS24 detailed spreadsheets.xlsx"))
    report = result.files[0]
    assert report.format == "staff_survey" and "Staff Survey results workbook" in report.notes[0]
    assert any("several organisations together" in n for n in report.notes)  # 01T/01V
    for org, respondents, eligible, engagement, satisfied in [("RWH", 2950, 6120, 6.85, 52.5),
                                                               ("RWG", 2400, 5300, 7.1, 58.0)]:
        assert facts[("2024-10", org, ALL, "survey_respondents")] == respondents
        assert facts[("2024-10", org, ALL, "survey_eligible")] == eligible  # response rate = respondents ÷ eligible
        assert facts[("2024-10", org, ALL, "survey_engagement_sum")] == pytest.approx(engagement * respondents)
        # flexible working: % Satisfied + % Very satisfied of the weighted row (37.5 + 15 for RWH)
        assert facts[("2024-10", org, ALL, "survey_flexible_satisfied")] == pytest.approx(satisfied / 100 * respondents)
    assert not any(k[1] == "01T/01V" for k in facts)


def test_hchs_core1_aggregate_rows_skipped_headcount_from_its_own_rows(tmp_path, config):
    """Made by this project to the README's description of Core 1 (England, region, ICS and
    organisation rows, told apart by DATA_LEVEL): one row per staff group, so headcount is loaded
    as published — the organisation's total row counts a person with two roles once."""
    head = ("DATA_MONTH,DATA_LEVEL,NHSE_REGION_CODE,NHSE_REGION_NAME,ICS_CODE,ICS_NAME,ORG_CODE,ORG_NAME,"
            "MAIN_STAFF_GROUP,STAFF_GROUP_1,FTE,HEADCOUNT\n")
    rows = [("England", "", "", "", "", "ENG", "England", "000_Total", "000_All staff groups", "1,400,000.5", "1,500,000"),
            ("Region", "Y61", "East of England", "", "", "Y61", "East of England", "000_Total", "000_All staff groups", 150000, 160000),
            ("ICS", "Y61", "East of England", "QM7", "Herts and West Essex", "QM7", "Herts and West Essex",
             "000_Total", "000_All staff groups", 20000, 21500),
            ("Organisation", "Y61", "East of England", "QM7", "Herts and West Essex", "RWH", "ENHT",
             "000_Total", "000_All staff groups", 5210.4, 5893),
            ("Organisation", "Y61", "East of England", "QM7", "Herts and West Essex", "RWH", "ENHT",
             "001_Professionally qualified clinical staff", "002_Nurses & health visitors", 1703.25, 1880),
            ("Organisation", "Y61", "East of England", "QM7", "Herts and West Essex", "RWH", "ENHT",
             "001_Professionally qualified clinical staff", "001_HCHS doctors", 702.1, 745)]
    body = "".join("2025-10-31," + ",".join(f'"{v}"' if "," in str(v) else str(v) for v in row) + "\n" for row in rows)
    result, facts = load(tmp_path, config, write(tmp_path, "core1.csv", head + body))
    report = result.files[0]
    assert report.format == "nhsd_workforce"
    assert facts == {("2025-10", "RWH", ALL, "fte"): 5210.4, ("2025-10", "RWH", ALL, "headcount"): 5893.0,
                     ("2025-10", "RWH", NURSES, "fte"): 1703.25, ("2025-10", "RWH", NURSES, "headcount"): 1880.0,
                     ("2025-10", "RWH", DOCTORS, "fte"): 702.1, ("2025-10", "RWH", DOCTORS, "headcount"): 745.0}
    assert "3 rows skipped (first at row 2): an England, region or ICS aggregate row" in report.notes[0]


def test_survey_workbook_without_a_year_and_levy_types_not_loaded(tmp_path, config):
    nameless = survey_workbook(tmp_path / "results.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(nameless)
    book["Notes"]["A1"] = "Detailed spreadsheets, organisational results"  # no year anywhere
    book.save(nameless)
    with pytest.raises(LoadError, match="results.xlsx: a Staff Survey results workbook, but its survey year is not "
                                        "in its Notes sheet or its name"):
        load_files([nameless], config, db_path=tmp_path / "x.duckdb")
    path = write(tmp_path, "t.csv", LEVY_HEAD +
                 "19/01/2025,Levy,Levy,123/AB456,2024-25 P09,100,95.00%,9.5,,,,,,,,,104.50,\n"
                 "20/01/2025,Adjustment,Late declaration,,,,,,,,,,,,,,12.00,\n")
    result, facts = load(tmp_path, config, path, org="rwh")
    assert facts[("2025-01", "RWH", ALL, "levy_funds_available")] == 104.5
    assert "1 row skipped (first at row 3): a row type the dashboard does not load ('adjustment')" in result.files[0].notes
