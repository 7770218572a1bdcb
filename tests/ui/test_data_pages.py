"""The Data pages under AppTest (uploads through at.file_uploader), their core helpers, and the
data-quality figures worked out by hand."""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import NURSES, ROOT, write_csv
from workforce.views import quality
from workforce.ingest import uploads
from workforce.base.db import Database
from workforce.ingest.loader import LoadError, load_files

APP = str(ROOT / "app.py")
SAMPLES = ROOT / "data" / "samples"
BAD = b"period,org_code,staff_group,measure,value\n2025-01,RWX1,Nurses,leaverz,ten\n"


@pytest.fixture()
def page_db(monkeypatch, fresh_db_path):
    monkeypatch.setenv("WORKFORCE_DB", str(fresh_db_path))
    return fresh_db_path


def data_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/data/load.py")
    return at.run()


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.get("file_uploader")[0].set_value([(name, content, "application/octet-stream") for name, content in files])
    return at.run()


@pytest.mark.slow
def test_upload_check_and_refuse_a_bad_file(page_db):
    at = data_page()
    assert not at.exception and at.title[0].value == "Load data"
    at = upload(at, ("levy statement.xlsx", (SAMPLES / "levy_statement.xlsx").read_bytes()), ("bad.csv", BAD))
    assert not at.exception
    shown = [m.value for m in at.markdown]
    assert "**Format:** Apprenticeship levy account statement (`levy`)" in shown
    assert [e.value for e in at.error] == ["4 problems: nothing will be loaded until they are fixed. Each names "
                                           "the row and column of the file."]
    # the problems table wraps each problem in full (an HTML table of escaped text, read back here)
    body = next(h.proto.body for h in at.html if "wrapped-rows" in h.proto.body)
    problems = pd.read_html(io.StringIO(body))[0]
    assert problems[["Row", "Column", "Value"]].values.tolist() == [
        [2, "measure", "leaverz"], [2, "org_code", "RWX1"], [2, "staff_group", "Nurses"], [2, "value", "ten"]]
    assert "did you mean 'RWX'?" in problems.set_index("Column").loc["org_code", "Problem"]
    confirm = at.button(key="data_confirm")
    assert confirm.label == "Load 2 files" and confirm.disabled
    with duckdb.connect(str(page_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM load").fetchone()[0] == 1  # nothing written by checking


@pytest.mark.slow
def test_upload_confirm_then_history_and_rollback(page_db):
    at = upload(data_page(), ("levy statement.xlsx", (SAMPLES / "levy_statement.xlsx").read_bytes()))
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"File rows": "3", "Figures": "12", "New": "12", "Changed": "0", "Unchanged": "0",
                       "Held as missing": "0", "Rows skipped": "0"}  # 3 months × 4 measures
    at.button(key="data_confirm").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Done: the dashboard now shows the new figures."]
    assert any("levy statement.xlsx (levy): 3 file rows → 12 figures: 12 new" in t.value for t in at.text)
    history = next(df.value for df in at.dataframe if "Checksum (SHA-256)" in df.value.columns)
    assert history[["Load", "File", "Format", "Loaded", "Who", "Status"]].values.tolist()[0] == \
        [2, "levy statement.xlsx", "levy", 12, "local user", "loaded"]
    # loaded from the page (in a child process): in the store's records; the fixture's load 1 predates them
    assert history[["Load", "Generation", "Recorded in"]].values.tolist() == [[2, "2", "store"], [1, "", "database file"]]
    assert [i.value for i in at.info] == ["Load 1 is not in the store's load records (made before the store kept "
                                          "them, or while it was not answering): shown from the database file's own "
                                          "history."]
    with duckdb.connect(str(page_db), read_only=True) as con:
        assert con.execute("SELECT sum(value) FROM fact WHERE measure = 'levy_funds_available'").fetchone()[0] == 356605
    # roll it back from the page
    at.selectbox(key="data_rollback_pick").set_value(
        next(o for o in at.selectbox(key="data_rollback_pick").options if o.startswith("Load 2:"))).run()
    assert any("would remove 12 figures it added" in t.value for t in at.text)
    assert at.button(key="data_rollback_go").disabled
    at.checkbox(key="data_rollback_sure").check().run()
    at.button(key="data_rollback_go").click().run()
    assert not at.exception
    history = next(df.value for df in at.dataframe if "Checksum (SHA-256)" in df.value.columns)
    assert history.loc[history["Load"] == 2, "Status"].iloc[0].startswith("rolled back")
    with duckdb.connect(str(page_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM fact WHERE load_id = 2").fetchone()[0] == 0


@pytest.mark.slow
def test_file_names_are_shown_as_text(page_db):
    at = upload(data_page(), ("<img src=x onerror=alert(1)>.csv", BAD))
    assert not at.exception
    assert not any("<img" in m.value for m in at.markdown)
    assert any("&lt;img src\\=x onerror\\=alert\\(1\\)&gt;\\.csv" in m.value for m in at.markdown)


def test_size_limit_is_explained(page_db, monkeypatch, tmp_path):
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    assert "max_megabytes: 200" in text
    small = tmp_path / "config.yaml"
    small.write_text(text.replace("max_megabytes: 200", "max_megabytes: 0.0001"), encoding="utf-8")
    monkeypatch.setenv("WORKFORCE_CONFIG", str(small))
    at = upload(data_page(), ("template.csv", (SAMPLES / "template.csv").read_bytes()))
    assert not at.exception
    assert [e.value for e in at.error] == [
        "template\\.csv is 0\\.0 MB, over the 0\\.0001 MB limit for one upload \\(upload\\.max\\_megabytes in "
        "config\\.yaml\\); load it with the command line \\(python \\-m workforce load FILE\\), which has no limit, "
        "or split it"]


@pytest.mark.slow
def test_format_can_be_chosen(page_db):
    at = data_page()
    at.selectbox(key="data_format").set_value(
        next(o for o in at.selectbox(key="data_format").options if o.endswith("(nhsd_sickness)"))).run()
    at = upload(at, ("template.csv", (SAMPLES / "template.csv").read_bytes()))
    assert any(t.value.startswith("template.csv: not in the nhsd_sickness format") for t in at.text)


def test_quality_page_renders(page_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/data/quality.py").run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Stale KPIs", "Implausible jumps in the latest month",
                                               "ICS membership: published files and config.yaml",
                                               "Coverage: who sent what, when"]
    stale = at.dataframe[0].value
    assert "Staff turnover (12-month leaver rate)" in set(stale["KPI"])
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")


def test_quality_page_says_where_a_file_places_an_organisation_in_another_ics(page_db, config):
    # the national sickness file places East of England Ambulance (RYC) in Cambridgeshire and
    # Peterborough (QUE); config.yaml's footprint has it in Hertfordshire and West Essex (QM7)
    april = ROOT.parent / "shared" / "data" / "nhs" / "sickness" / "nhs_sickness_absence_2024-04.csv"
    if not april.exists():
        pytest.skip("the real NHS files (../shared/data/nhs) are not here")
    load_files([april], config, db_path=page_db)
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("pages/data/quality.py").run()
    assert not at.exception
    warnings = [w.value.replace("\\", "") for w in at.warning]  # markdown escapes removed
    assert ("The files place East of England Ambulance Service NHS Trust in QUE Cambridgeshire and Peterborough in "
            "Apr 2024; config.yaml places it in QM7 Hertfordshire and West Essex — the dashboard follows "
            "config.yaml, so ICS figures count it in QM7.") in warnings


# ---------------------------------------------------------------- core helpers
def test_uploads_are_stored_under_generated_names(tmp_path, config):
    saved = uploads.save(tmp_path, "../../etc/passwd", b"period\n", config)
    assert saved.path.parent == tmp_path and saved.path.name.startswith("upload-")
    assert saved.name == "passwd" and saved.size == 7
    assert uploads.display_name("C:\\Users\\ann\\March\x00.csv") == "March.csv"
    with pytest.raises(LoadError, match="the file is empty"):
        uploads.save(tmp_path, "empty.csv", b"", config)


def test_quality_figures(tmp_path, config):
    rows = []
    for i, month in enumerate(["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]):
        rows.append([month, "RWH", NURSES, "", "", "headcount", str(1000 if month != "2025-06" else 1300)])
        rows.append([month, "RWH", NURSES, "", "", "leavers", "10"])
        if month != "2025-03":  # RWG sent nothing for March
            rows.append([month, "RWG", NURSES, "", "", "headcount", "500"])
            rows.append([month, "RWG", NURSES, "", "", "leavers", "*" if month == "2025-05" else "5"])
    for year in ("2023", "2024"):  # annual: expected each October only
        rows.append([f"{year}-10", "RWH", "All staff groups", "", "", "survey_respondents", "50"])
    db_path = tmp_path / "q.duckdb"
    load_files([write_csv(tmp_path / "q.csv", rows)], config, db_path=db_path)
    db = Database(db_path)
    cover = quality.coverage(db, config, ["RWH", "RWG"], months=24, end=dt.date(2025, 6, 1))
    assert cover.gaps[["measure", "org_code", "months_missing", "months"]].values.tolist() == [
        ["headcount", "RWG", 1, "Mar 2025"], ["leavers", "RWG", 1, "Mar 2025"]]
    grid = cover.grid("leavers")
    assert grid.loc["RWG", "May 2025"] == quality.MISSING and grid.loc["RWG", "Mar 2025"] == quality.ABSENT
    assert list(cover.grid("survey_respondents").columns) == ["Oct 2023", "Oct 2024"]
    jumps = quality.jumps(db, config, ["RWH", "RWG"])
    assert jumps[["org_code", "measure", "previous", "latest"]].values.tolist() == [["RWH", "headcount", 1000.0, 1300.0]]
    assert jumps["change"].iloc[0] == pytest.approx(0.3)
    # staleness is read from the data: against the as-at month (30 Sep − 30 Jun = 92 days > 75), never today
    stale = quality.stale_kpis(db, config, ["RWH", "RWG"], as_at=dt.date(2025, 9, 1)).set_index("kpi")
    assert stale.loc["turnover_rate_12m", ["latest month", "days behind", "stale"]].tolist() == ["Jun 2025", 92, True]
    stale = quality.stale_kpis(db, config, ["RWH", "RWG"], as_at=dt.date(2025, 8, 1)).set_index("kpi")
    assert stale.loc["turnover_rate_12m", ["days behind", "stale"]].tolist() == [62, False]  # 31 Aug − 30 Jun
    assert stale.loc["sickness_absence_rate", ["latest month", "stale"]].tolist() == ["no data", True]
    # by default the as-at month is the database's own latest month (June 2025), whatever today is
    stale = quality.stale_kpis(db, config, ["RWH", "RWG"]).set_index("kpi")
    assert stale.loc["turnover_rate_12m", ["days behind", "stale"]].tolist() == [0, False]
    assert quality.coverage(db, config, ["RWH", "RWG"]).cells["period"].max() == dt.date(2025, 6, 1)


@pytest.mark.slow
def test_a_file_naming_no_organisation_takes_it_from_the_page(page_db):
    """The apprenticeship service's transaction download (no organisation code): refused until an
    organisation is chosen on the page, then checked as that organisation's account."""
    content = ("Transaction date,Transaction type,Paid from levy,Total,\n"
               "19/01/2025,Levy,,\"104,500.00\",\n28/01/2025,Payment,-1200.00,-1200.00,\n").encode()
    at = upload(data_page(), ("transactions.csv", content))
    assert not at.exception
    assert any("names no organisation — say whose account it is" in t.value for t in at.text)
    at.selectbox(key="data_org").select(next(o for o in at.selectbox(key="data_org").options if o.startswith("RWH")))
    at = at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["File rows"], metrics["Figures"]) == ("2", "4")  # one month × four levy measures
    assert "**Format:** Apprenticeship service transaction download (`levy_transactions`)" in [m.value for m in at.markdown]


def test_dry_run_tables_read_as_people_write_and_errors_name_the_box_not_the_option(page_db, tmp_path):
    fix = f"period,org_code,staff_group,measure,value\n2024-12,RWG,{NURSES},leavers,4\n".encode()
    at = upload(data_page(), ("fix.csv", fix), ("odd.csv", b"when,where\n1,2\n"))
    assert not at.exception
    changes = next(df.value for df in at.dataframe if "Old value" in df.value.columns)
    # RWG's 3 nurse leavers in December 2024 (the small fixture) become 4
    assert changes[["Row", "Month", "Organisation", "Measure", "Old value", "New value"]].values.tolist() == [
        [2, "Dec 2024", "RWG", "Leavers from the organisation", "3", "4"]]  # the measure by config.yaml's name
    preview = next(df.value for df in at.dataframe if "As written" in df.value.columns)  # the text beside the number
    assert preview[["Row", "Month", "Organisation", "As written", "Value read"]].values.tolist() == [
        [2, "Dec 2024", "RWG", "4", "4"]]
    odd = next(t.value for t in at.text if t.value.startswith("odd.csv: not a recognised format"))
    assert "--format" not in odd
    assert any("choose it in the Format box above" in c.value for c in at.caption)
