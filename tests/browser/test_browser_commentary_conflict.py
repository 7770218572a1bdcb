"""Two people write the first commentary of a KPI and month at once, in real browsers: the second's save
is refused and the refusal is on screen, beside the form with their text (it was hidden inside a closed
form: the form's heading turned from "Write commentary" to "Update the commentary", and an unkeyed
expander with a new heading is a new, closed one)."""

import os

import pytest

from tests.browser.browser_server import streamlit_server
from tests.browser.test_browser import browser_type_launch_args  # noqa: F401 - fixture reused

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists("/usr/bin/chromium"), reason="Debian's chromium is not installed")]
IDLE = '[data-test-script-state="notRunning"]'


def settle(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(300)


def test_the_second_first_writer_sees_the_refusal(browser, small_db_path, tmp_path):
    from workforce.store.records import Store

    store = tmp_path / "store.sqlite"
    with streamlit_server({"WORKFORCE_DB": str(small_db_path), "WORKFORCE_STORE": str(store)}) as port:
        pages, forms = [], []
        for who in ("Alice", "Bob"):  # both open the empty form before either saves
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/kpi?kpi=turnover_rate_12m", timeout=60_000)
            page.get_by_role("heading", name="Exception commentary").wait_for(timeout=60_000)
            settle(page)
            form = page.locator('[data-testid="stExpander"]', has_text="Write commentary")
            form.locator("summary").click()
            form.get_by_label("What happened").fill(f"{who}: leavers after the restructure")
            form.get_by_label("Your name (recorded with the change)").fill(who)
            pages.append(page)
            forms.append(form)
        for form, page in zip(forms, pages):
            form.get_by_role("button", name="Save commentary").click()
            settle(page)
        alice, bob = pages
        assert alice.get_by_text("Commentary saved.").is_visible()
        refusal = bob.get_by_text("was changed by Alice")
        assert refusal.is_visible(), "the refusal is hidden in a closed form"
        assert bob.get_by_label("What happened").input_value() == "Bob: leavers after the restructure"
        for page in pages:
            page.close()
    (entry,) = Store(store).commentary_list("ics:QM7")
    assert entry.what_happened == "Alice: leavers after the restructure"
