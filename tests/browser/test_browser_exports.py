"""Real browser, offline and exports: no request leaves the machine while the main pages are browsed
(deep links included, with no 404s), and the chart PNG a user downloads is a full landscape image."""

from __future__ import annotations

import io
import shutil
from urllib.parse import urlparse

import pytest
from PIL import Image

from tests.browser.browser_server import streamlit_server

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
CHART = '[data-testid="stVegaLiteChart"] svg, [data-testid="stVegaLiteChart"] canvas'
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAIN_PAGES = ["/", "/kpi?kpi=sickness_absence_rate", "/compare", "/present", "/register", "/quality", "/load",
              "/audit"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": shutil.which("chromium"), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="module")
def server_url(small_db_path):
    with streamlit_server({"WORKFORCE_DB": str(small_db_path)}) as port:
        yield f"http://127.0.0.1:{port}"


def test_no_request_leaves_the_machine_and_deep_links_make_no_404s(page, server_url):
    outside, failed = [], []

    def route(r):  # every request the page makes passes through here; outside ones are logged and stopped
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in LOOPBACK:
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("response", lambda response: response.status >= 400 and failed.append(f"{response.status} {response.url}"))
    for width, height in ((1280, 800), (1920, 1080)):
        page.set_viewport_size({"width": width, "height": height})
        for path in MAIN_PAGES:
            page.goto(server_url + path, timeout=60_000)
            page.locator("h1, .mv-title").first.wait_for(timeout=60_000)
            page.wait_for_timeout(1500)  # late requests: fonts, icons, favicon
    assert outside == [], f"requests left the machine: {sorted(set(outside))}"
    assert failed == [], f"failed requests: {failed}"


def test_chart_png_download_is_a_full_landscape_image(page, server_url, tmp_path):
    page.set_viewport_size({"width": 1280, "height": 800})  # a narrow screen must not shrink the export
    page.goto(f"{server_url}/kpi?kpi=sickness_absence_rate", timeout=60_000)
    page.locator(CHART).first.wait_for(state="visible", timeout=60_000)
    page.get_by_role("tab", name="Data and downloads").click()
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Chart as PNG").click()
    data = open(info.value.path(), "rb").read()
    image = Image.open(io.BytesIO(data)).convert("L")
    width, height = image.size
    assert width >= 1200 and height >= 600 and width > height
    # drawn across the image, not a thin strip: ink in the top (title), bottom (axis, legend) and right
    pixels = image.load()
    def inked(box):  # noqa: E306
        x0, y0, x1, y1 = box
        return sum(pixels[x, y] < 200 for x in range(x0, x1, 3) for y in range(y0, y1))  # thin lines too
    assert inked((0, 0, width // 3, height // 12)) > 20, "no title"
    assert inked((0, height - height // 10, width // 2, height)) > 20, "no legend"
    assert inked((width - width // 10, height // 12, width, height - height // 8)) > 20, "plot cut short"
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Chart as SVG").click()
    svg = open(info.value.path(), encoding="utf-8").read()
    assert "Sickness absence rate (%)" in svg and "Process limits" in svg and "Target" in svg
    assert "Sickness absence rate — " in svg and ", December 2024" in svg  # the title names where and when
