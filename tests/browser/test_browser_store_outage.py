"""PostgreSQL stopped while someone writes commentary, in a real browser (issue 20, item 6): the save says
the store is not answering and offers to try again; when the store is back, what was typed is still in the
form (the browser forgets the fields of a page that stopped before drawing them: ui/meetings.py puts them
back) and saving it writes exactly one version."""

import os

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.browser_server import streamlit_server
from tests.browser.test_browser import browser_type_launch_args  # noqa: F401 - fixture reused
from tests.store.store_fixtures import pg_ctl, pg_server, pg_url  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.cluster,
              pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="Debian's chromium is not installed")]
IDLE = '[data-test-script-state="notRunning"]'
TEXT = "Agency shifts moved to the bank from October"


def settle(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(300)


def commentary_form(page):
    form = page.locator('[data-testid="stExpander"]', has_text="commentary").first
    if not form.get_by_label("What happened").is_visible():
        form.locator("summary").click()
    return form


def test_commentary_typed_while_postgresql_is_stopped_is_kept_and_saved_once(page, pg_server, pg_url,
                                                                               small_db_path):
    from workforce.store.records import Store

    _, state = pg_server
    with streamlit_server({"WORKFORCE_DB": str(small_db_path), "WORKFORCE_STORE_URL": pg_url}) as port:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"http://127.0.0.1:{port}/kpi?kpi=agency_spend_pct", timeout=60_000)
        page.get_by_role("heading", name="Exception commentary").wait_for(timeout=60_000)
        settle(page)
        form = commentary_form(page)
        form.get_by_label("What happened").fill(TEXT)
        form.get_by_label("Owner").fill("Director of Nursing")
        form.get_by_label("Your name (recorded with the change)").fill("Ann Smith")
        pg_ctl(state, "stop", "-m", "fast")
        try:
            form.get_by_role("button", name="Save commentary").click()
            settle(page)
            assert "is not answering" in page.locator('[data-testid="stAlertContentError"]').first.inner_text()
            assert page.get_by_label("What happened").count() == 0   # the page stopped before the form
        finally:
            pg_ctl(state, "start")
        page.get_by_role("button", name="Try again").click()
        settle(page)
        form = commentary_form(page)
        assert form.get_by_label("What happened").input_value() == TEXT
        assert form.get_by_label("Owner").input_value() == "Director of Nursing"
        assert form.get_by_label("Your name (recorded with the change)").input_value() == "Ann Smith"
        form.get_by_role("button", name="Save commentary").click()
        settle(page)
        try:
            page.get_by_text("Commentary saved.").wait_for(timeout=30_000)
        except PlaywrightTimeout:  # seen once in a full run: say what the page said instead
            alerts = [a.inner_text() for a in page.locator('[data-testid="stAlert"]').all()]
            pytest.fail(f"no 'Commentary saved.' after the store came back; the page says: {alerts}")
    versions = Store(pg_url).commentary_versions()
    assert [(v["what_happened"], v["owner"]) for v in versions] == [(TEXT, "Director of Nursing")]
