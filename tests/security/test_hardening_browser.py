"""Findings 6 and 7 in a real browser (Chromium) against a live server started as run.sh starts it.

- crafted URL values render as text: no link to evil.example, no image, no icon or colour;
- a browser reaching the server from another address of this machine is refused (the server is
  deliberately bound to every address here; local_role must still apply to loopback only).
"""

from __future__ import annotations

import shutil
import socket
import urllib.parse
import urllib.request

import pytest

from tests.browser.browser_server import streamlit_server

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                 "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": shutil.which("chromium"), "args": CHROMIUM_ARGS}


def _other_address() -> str | None:
    """A non-loopback address of this machine (the route a packet to a documentation address takes)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.123", 9))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


@pytest.fixture(scope="module")
def open_server(small_db_path):
    """Streamlit started directly on every address, bypassing run.sh's guard (what an operator might do)."""
    with streamlit_server({"WORKFORCE_DB": str(small_db_path)}, launcher="streamlit", address="0.0.0.0") as port:
        yield port


def _main_text(page) -> str:
    page.wait_for_selector('[data-testid="stAlert"], [data-testid="stMainBlockContainer"] h1', timeout=30000)
    page.wait_for_timeout(1500)
    return page.inner_html('[data-testid="stMain"]')


@pytest.mark.parametrize("param, value", [
    ("org", "[Sign in again](https://evil.example/)"),
    ("period", "![t](http://evil.example/track.png)"),
    ("staff_group", "see www.evil.example :material/warning: :red[urgent]"),
])
def test_crafted_url_values_render_as_text(page, open_server, param, value):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"http://127.0.0.1:{open_server}/?{param}={urllib.parse.quote(value)}")
    _main_text(page)
    alerts = page.locator('[data-testid="stAlert"]', has_text="evil")
    assert alerts.count() == 1, "the dropped value is reported once"
    shown = alerts.first.inner_text().replace("\u2060", "")
    assert value[:40] in shown, shown     # as typed: no link, image, icon or colour took its place
    links = page.eval_on_selector_all('[data-testid="stMain"] a', "els => els.map(e => e.href)")
    assert not [link for link in links if "evil" in (urllib.parse.urlsplit(link).hostname or "")], links
    images = page.eval_on_selector_all("img", "els => els.map(e => e.src)")
    assert not [src for src in images if "evil" in (urllib.parse.urlsplit(src).hostname or "")], images


def test_browser_from_another_address_is_refused(page, open_server):
    address = _other_address()
    if not address:
        pytest.skip("this machine has no non-loopback address")
    page.goto(f"http://{address}:{open_server}/")
    text = page.inner_text("body") if _main_text(page) is not None else ""
    assert "open only to this computer" in text
    assert "Load data" not in text and "Audit log" not in text


def test_a_forged_forwarded_for_header_does_not_make_a_browser_local(page, open_server):
    """Only a proxy on this machine may name the client (Uvicorn trusts X-Forwarded-For from 127.0.0.1)."""
    address = _other_address()
    if not address:
        pytest.skip("this machine has no non-loopback address")
    page.set_extra_http_headers({"X-Forwarded-For": "127.0.0.1", "X-Real-IP": "127.0.0.1", "Forwarded": "for=127.0.0.1"})
    page.goto(f"http://{address}:{open_server}/")
    _main_text(page)
    text = page.inner_text("body")
    assert "open only to this computer" in text
    assert "Load data" not in text



def test_a_local_proxy_forwarding_a_remote_browser_is_refused(page, open_server):
    """A reverse proxy on this machine that names the client (X-Forwarded-For) gets it refused."""
    page.set_extra_http_headers({"X-Forwarded-For": "192.0.2.7"})
    page.goto(f"http://127.0.0.1:{open_server}/")
    _main_text(page)
    text = page.inner_text("body")
    assert "open only to this computer" in text
    assert "Load data" not in text
