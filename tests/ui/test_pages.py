"""Every page runs under AppTest on the small fixture and shows real, hand-checked figures."""

import ast
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def small_app(monkeypatch, small_db_path):
    monkeypatch.setenv("WORKFORCE_DB", str(small_db_path))


def run(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    return at.run()


def registered_pages() -> set[str]:
    tree = ast.parse((ROOT / "app.py").read_text())
    return {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"}


def test_every_page_file_is_registered_and_nothing_else():
    files = {str(p.relative_to(ROOT)) for p in (ROOT / "pages").rglob("*.py")}
    assert registered_pages() == files


def test_no_page_script_sits_directly_in_pages():
    # Streamlit's legacy multipage mode routes a deep link such as /kpi straight to pages/kpi.py,
    # skipping app.py's st.navigation (no layout, wrong menu) when it is the server's first request.
    # Page scripts live one folder down (pages/board/...), which that legacy mode never looks into.
    assert not list((ROOT / "pages").glob("*.py"))


def test_summary_shows_the_hand_worked_figures():
    at = run()
    assert not at.exception
    assert at.title[0].value.startswith("ICS Workforce Transformation Plan")
    assert any("Data as at **December 2024**" in m.value for m in at.markdown)
    retain = next(df.value for df in at.dataframe if "Staff turnover (12-month leaver rate)" in set(df.value["KPI"]))
    row = retain.set_index("KPI").loc["Staff turnover (12-month leaver rate)"]
    assert (row["Value"], row["Target"], row["Difference"]) == ("19.6%", "11.0%", "+8.6 pts worse")  # lower turnover is better
    assert retain.set_index("KPI").loc["Sickness absence rate", "Value"] == "3.8%"  # 3.75% → 3.8%
    assert "kpi?" in row["Open"] and "kpi=turnover_rate_12m" in row["Open"]


def test_summary_filtered_to_one_trust_through_the_widget():
    at = run()
    at.sidebar.multiselect(key="f_orgs").set_value(["RWH"]).run()
    assert not at.exception
    retain = next(df.value for df in at.dataframe if "Sickness absence rate" in set(df.value["KPI"]))
    assert retain.set_index("KPI").loc["Sickness absence rate", "Value"] == "5.0%"  # 50 / 1000
    assert at.query_params["org"] in ("RWH", ["RWH"])  # the link now names the trust


@pytest.mark.parametrize("params, note", [
    ({"ics": "'; DROP TABLE fact; --"}, "ICS"),
    ({"org": "RWH,XX9"}, "organisation 'XX9'"),
    ({"period": "2024-13"}, "not a month"),
    ({"staff_group": "x" * 5000}, "staff group"),
])
def test_bad_link_values_are_dropped_with_a_note(params, note):
    at = run(**params)
    assert not at.exception
    assert any(note in w.value for w in at.warning)
    assert any("Data as at" in m.value for m in at.markdown)


def test_deep_link_to_a_past_month_and_staff_group():
    at = run(period="2024-06", staff_group="Nurses & health visitors")
    assert not at.exception
    assert any("Data as at **June 2024**" in m.value for m in at.markdown)
    assert at.sidebar.selectbox(key="f_staff_group").value == "Nurses & health visitors"


def test_organisation_types_keep_their_capitals():
    types = run().sidebar.selectbox(key="f_type").options
    assert "ICB" in types and "Mental health" in types and "Icb" not in types


def test_kpi_page_shows_definition_and_breakdowns():
    at = run("pages/board/kpi.py", kpi="turnover_rate_12m")
    assert not at.exception
    assert at.title[0].value == "Staff turnover (12-month leaver rate)"
    text = " ".join(m.value for m in at.markdown)
    assert "Leavers from the organisation — 72" in text
    assert "Headcount \\(staff in post\\) — 367" in text
    assert [m.value for m in at.metric][:2] == ["19.6%", "11.0%"]
    charts = at.get("vega_lite_chart")
    assert charts, "the SPC chart is drawn"


def test_kpi_page_unknown_kpi_link():
    at = run("pages/board/kpi.py", kpi="<script>alert(1)</script>")
    assert not at.exception
    assert any("not recognised" in w.value for w in at.warning)


def test_compare_page():
    at = run("pages/board/compare.py")
    assert not at.exception
    assert at.title[0].value == "Compare organisations"
    assert len(at.get("vega_lite_chart")) >= 1


def test_compare_page_names_each_row_after_its_own_figures():
    """Each organisation's row carries its own figures (sickness: RWG 100/3,000 days = 3.3%, RWH 50/1,000 =
    5.0%; agency: RWG 30k/1m = 3.0%, RWH 10k/500k = 2.0%, small fixture), never another's name."""
    at = run("pages/board/compare.py")
    words = next(df.value for df in at.dataframe if "Against target" in df.value.columns)
    value = words.set_index(["Organisation", "KPI"])["Value"]
    west, east = "● West Hertfordshire Teaching Hospitals NHS Trust", "● East and North Hertfordshire Teaching NHS Trust"
    assert value[(west, "Sickness absence rate")] == "3.3%" and value[(east, "Sickness absence rate")] == "5.0%"
    assert value[(west, "Agency spend as % of pay bill")] == "3.0%"
    assert value[(east, "Agency spend as % of pay bill")] == "2.0%"
