"""Real-browser journeys: Playwright driving Debian's Chromium against a live Streamlit server."""

import shutil

import pytest

from tests.browser.browser_server import streamlit_server

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
CHART = '[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas'


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": shutil.which("chromium"), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def app_url(small_db_path):
    with streamlit_server({"WORKFORCE_DB": str(small_db_path)}) as port:
        yield f"http://127.0.0.1:{port}"


def test_deep_link_as_first_request_gets_the_full_app(page, app_url):
    # first test on a fresh server: a board paper's link straight to a KPI chart
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{app_url}/kpi?kpi=stability_index&org=RWG", timeout=60_000)
    page.get_by_role("heading", name="Stability index").first.wait_for(timeout=60_000)
    side = page.locator('[data-testid="stSidebar"]')
    side.get_by_role("link", name="Compare organisations").wait_for(timeout=30_000)
    nav = side.inner_text()  # our page list (ui/filters.page_links)
    assert "Board" in nav and "KPI detail" in nav and "kpi" not in nav.split()


def test_home_page_shows_kpi_tables(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(app_url, timeout=60_000)
    page.get_by_role("heading", name="Retain").wait_for(timeout=60_000)
    page.get_by_text("Data as at").first.wait_for()
    tables = page.locator("table.kpi-table")
    tables.nth(1).wait_for(timeout=30_000)  # one KPI table per priority
    turnover = tables.nth(1).get_by_role("row", name="Staff turnover (12-month leaver rate)")
    assert turnover.get_by_role("cell").nth(1).inner_text() == "19.6%"  # value (row header, period, value)
    assert turnover.get_by_role("link").get_attribute("href").startswith("kpi?")  # the name opens its chart
    # every icon and the 24-month line say what they show in words
    alts = [i.get_attribute("alt") for i in turnover.get_by_role("img").all()]
    assert alts and all(alts) and alts[-1].startswith("Last ") and "lowest" in alts[-1]
    # the short reading is shown; the full one waits in the expander below
    assert page.get_by_text("Staff turnover (12-month leaver rate) was 19.6%").first.is_visible()
    assert page.get_by_text("Synthetic demo data").count() == 0  # the fixture is not the demo


def test_journey_filter_matrix_chart_download(page, app_url, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(app_url, timeout=60_000)
    page.get_by_role("heading", name="Retain").wait_for(timeout=60_000)
    # filter to one trust with the sidebar widget
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').click()
    page.get_by_role("option", name="East and North Hertfordshire Teaching NHS Trust (RWH)").click()
    page.keyboard.press("Escape")
    page.wait_for_url("**org=RWH**", timeout=30_000)
    # click a KPI in the Making Data Count matrix
    page.locator("table.mdc-matrix a[href*='org=RWH']", has_text="Sickness absence rate").click()
    page.wait_for_url("**/kpi?**kpi=sickness_absence_rate**", timeout=30_000)
    page.get_by_role("heading", name="Sickness absence rate").first.wait_for(timeout=30_000)
    page.locator(CHART).first.wait_for(state="visible", timeout=30_000)
    assert "org=RWH" in page.url
    # download the CSV of the series
    page.get_by_role("tab", name="Data and downloads").click()
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("sickness_absence_rate_QM7_RWH")
    text = open(download.path(), encoding="utf-8-sig").read()
    assert text.splitlines()[0].startswith("KPI,Where,Month,Sickness absence rate (%),Exact value,"
                                           "Target,Numerator: FTE days lost to sickness (FTE days)")
    assert "Dec 2024,5.0,5.0,4.5,50.0,1000.0" in text  # RWH: 50 days lost of 1,000 available


def test_meeting_view_keyboard_navigation_at_projector_size(page, app_url):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/present?ics=QM7", timeout=60_000)
    title = page.locator(".mv-title").first
    expect(title).to_have_text("ICS Workforce Transformation Plan 2024/25 – 2026/27", timeout=60_000)
    expect(page.locator(".mv-asat").first).to_contain_text("Data as at December 2024")
    assert not page.locator('[data-testid="stSidebar"]').is_visible()  # no sidebar or filters
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.mv-title')).fontSize)") >= 40
    page.keyboard.press("ArrowRight")
    expect(title).to_have_text("Applications to clinical education", timeout=30_000)
    page.keyboard.press("ArrowRight")
    expect(title).to_have_text("Apprenticeship levy utilisation", timeout=30_000)
    page.keyboard.press("ArrowLeft")
    expect(title).to_have_text("Applications to clinical education", timeout=30_000)
    for screen in range(3, 8):  # on to turnover, screen 7
        page.keyboard.press("ArrowRight")
        expect(page.locator(".mv-asat").first).to_contain_text(f"Screen {screen} of 15", timeout=30_000)
    expect(title).to_have_text("Staff turnover (12-month leaver rate)", timeout=30_000)
    expect(page.locator(".mv-figures").first).to_contain_text("19.6%")
    page.locator(CHART).first.wait_for(state="visible", timeout=30_000)
    assert page.evaluate("document.scrollingElement.scrollHeight") <= 1080  # one screen, no scrolling
    assert "screen=6" in page.url
