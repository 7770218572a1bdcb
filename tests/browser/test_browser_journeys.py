"""Board-ready screens in a real browser (issue 13), at a projector's 1280×800 and a 1920×1080 screen:
filters that follow the sidebar links and Back/Forward with one history entry per change, a meeting view
that fits the screen (navigation and chart inside the viewport, no scrolling), the synthetic-data label on
every route. The server is conftest's demo_url (shared with the accessibility tests): a synthetic demo ending
October 2026, so the plan's own footprint (Hertfordshire and West Essex, abolished March 2026) has a successor
to open on."""

import os

import pytest

from tests.browser.test_browser import CHART, browser_type_launch_args  # noqa: F401 - fixture reused

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="Debian's chromium is not installed")]

SIZES = [pytest.param((1280, 800), id="1280x800"), pytest.param((1920, 1080), id="1920x1080")]
IDLE = '[data-test-script-state="notRunning"]'


def settle(page) -> None:
    """Wait until the script run a click or a navigation started has finished."""
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(300)


def sidebar_box(page, label: str):
    return page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]', has_text=label)


def shown(page, label: str) -> str:
    return sidebar_box(page, label).locator("input").input_value()


def choose(page, label: str, option: str) -> None:
    box = sidebar_box(page, label)
    for _ in range(3):  # a click that lands while the sidebar re-renders opens nothing: try again
        box.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=3_000)
            break
        except Exception:  # noqa: BLE001 - Playwright's timeout; retried
            page.keyboard.press("Escape")
    settle(page)


@pytest.mark.parametrize("size", SIZES)
def test_filters_follow_the_sidebar_links_and_back(page, demo_url, size):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    page.goto(demo_url, timeout=90_000)
    page.get_by_text("Data as at").first.wait_for(timeout=60_000)
    settle(page)
    # opens on the plan's current footprint, named in full
    assert shown(page, "Area: England, region or ICS") == "Central East"
    assert page.get_by_text("Footprint from Apr 2026").is_visible()
    start = page.evaluate("history.length")
    choose(page, "Area: England, region or ICS", "Kent and Medway")
    choose(page, "Staff group", "Nurses & health visitors")
    assert page.evaluate("history.length") == start + 2  # one entry per change of view
    # the sidebar link keeps every filter, in one history entry
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Compare organisations").click()
    page.wait_for_url("**/compare?**", timeout=30_000)
    settle(page)
    assert "ics=QKS" in page.url and "staff_group=Nurses" in page.url
    assert shown(page, "Area: England, region or ICS") == "Kent and Medway"
    assert shown(page, "Staff group") == "Nurses & health visitors"
    assert page.evaluate("history.length") == start + 3
    page.get_by_role("heading", name="Compare organisations").wait_for(timeout=30_000)
    # a copied link reopens the exact view in a fresh session
    copied = page.context.browser.new_page(viewport={"width": width, "height": height})
    copied.goto(page.url, timeout=90_000)
    copied.get_by_role("heading", name="Compare organisations").wait_for(timeout=60_000)
    settle(copied)
    assert shown(copied, "Area: England, region or ICS") == "Kent and Medway"
    assert shown(copied, "Staff group") == "Nurses & health visitors"
    copied.close()
    # KPI detail opens on a monthly KPI with SPC, still filtered
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="KPI detail").click()
    page.wait_for_url("**/kpi?**", timeout=30_000)
    page.get_by_role("heading", name="Sickness absence rate").first.wait_for(timeout=30_000)
    settle(page)
    assert shown(page, "Staff group") == "Nurses & health visitors"
    # another KPI is one more history entry, and Back returns to the first
    kpi_box = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]', has_text="KPI").first
    for _ in range(3):
        kpi_box.click()
        try:
            page.get_by_role("option", name="Vacancy rate", exact=True).click(timeout=3_000)
            break
        except Exception:  # noqa: BLE001 - Playwright's timeout; retried
            page.keyboard.press("Escape")
    page.get_by_role("heading", name="Vacancy rate").first.wait_for(timeout=30_000)
    settle(page)
    assert "kpi=vacancy_rate" in page.url and shown(page, "Staff group") == "Nurses & health visitors"
    page.go_back()
    page.get_by_role("heading", name="Sickness absence rate").first.wait_for(timeout=30_000)
    settle(page)
    # Back and Forward retrace the views exactly
    page.go_back()
    page.wait_for_url("**/compare?**", timeout=30_000)
    settle(page)
    assert shown(page, "Area: England, region or ICS") == "Kent and Medway"
    page.go_back()
    settle(page)
    assert shown(page, "Staff group") == "Nurses & health visitors" and "compare" not in page.url
    page.go_back()
    settle(page)
    assert shown(page, "Staff group") == "All staff groups"
    assert shown(page, "Area: England, region or ICS") == "Kent and Medway"
    page.go_forward()
    settle(page)
    assert shown(page, "Staff group") == "Nurses & health visitors"


def inside(box, width: int, height: int) -> bool:
    return box is not None and box["x"] >= 0 and box["y"] >= 0 and \
        box["x"] + box["width"] <= width + 0.5 and box["y"] + box["height"] <= height + 0.5


@pytest.mark.parametrize("size", SIZES)
def test_meeting_view_fits_the_screen(page, demo_url, size):
    from playwright.sync_api import expect

    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{demo_url}/present", timeout=90_000)
    asat = page.locator(".mv-asat").first
    expect(asat).to_contain_text("Screen 1 of", timeout=60_000)
    screens = int(asat.inner_text().split("Screen 1 of ")[1].split()[0])
    for screen in range(1, screens + 1):
        expect(asat).to_contain_text(f"Screen {screen} of {screens}", timeout=30_000)
        settle(page)
        charted = page.locator(".st-key-mv_chart").count() > 0  # a KPI with no figures has no chart
        if charted:
            page.locator(CHART).first.wait_for(state="visible", timeout=30_000)
        where = f"screen {screen} at {width}×{height}"
        scroll = page.evaluate("[document.scrollingElement.scrollHeight, "
                               "document.querySelector('[data-testid=\"stMain\"]').scrollHeight]")
        assert max(scroll) <= height, f"{where} scrolls: {scroll}"
        nav = [page.locator(f".st-key-present_{name} button").bounding_box() for name in ("previous", "next", "leave")]
        assert all(inside(box, width, height) for box in nav), f"{where}: navigation off-screen {nav}"
        if charted:
            chart = page.locator('[data-testid="stVegaLiteChart"]').first.bounding_box()
            assert inside(chart, width, height), f"{where}: chart off-screen {chart}"
            assert chart["y"] + chart["height"] <= nav[1]["y"], f"{where}: chart under the navigation"
            assert chart["height"] >= 0.45 * height, f"{where}: chart not sized to the screen {chart}"
        if screen == 1:
            matrix = page.locator(".mv-matrix").bounding_box()
            assert inside(matrix, width, height) and matrix["y"] + matrix["height"] <= nav[1]["y"]
        if screen < screens:
            page.keyboard.press("ArrowRight")


ROUTES = ["", "kpi", "compare", "present", "register", "quality", "load", "audit"]


@pytest.mark.parametrize("size", SIZES)
def test_synthetic_label_on_every_route(page, demo_url, size):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    for route in ROUTES:
        page.goto(f"{demo_url}/{route}", timeout=90_000)
        label = page.get_by_text("Synthetic demo data").first
        label.wait_for(state="visible", timeout=60_000)
        box = label.bounding_box()
        assert inside(box, width, height), f"/{route}: the label is off-screen at {width}×{height}"
