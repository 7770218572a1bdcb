"""Issue 19, finding 3 (DNS rebinding) and issue 20, item 5 (behind a proxy): the loopback-only local
role (admin by default) must go only to this computer's own browser.

- A page at http://evil.example:PORT whose name resolves to 127.0.0.1 reached the dashboard from
  loopback and was given the local admin role (audit log, uploads); its WebSocket handshake with
  Host/Origin evil.example was accepted, as was one from a local page on another port.
- Behind nginx every browser arrives from 127.0.0.1: a proxied request must never be the local admin.

The local role now needs a loopback peer, no proxy header (X-Forwarded-For, Forwarded, X-Real-IP), a
loopback Host (localhost, 127.0.0.1, [::1]) and an Origin, when sent, on that same host and port; and
with sign-in off and no network_role, Streamlit refuses WebSockets whose Host is not a loopback name.
"""

from __future__ import annotations

import pytest

from tests.browser.browser_server import streamlit_server
from tests.light_client import page_text
from workforce.base.config import Access
from workforce.protect.access import AccessDenied, anonymous_user, is_local_request

LOCAL = {"host": "127.0.0.1:8501", "origin": "http://127.0.0.1:8501"}


@pytest.mark.parametrize("headers", [
    {"host": "evil.example:8501", "origin": "http://evil.example:8501"},       # DNS rebinding
    {"host": "evil.example:8501"},                                            # … without an Origin
    {"host": "127.0.0.1:8501", "origin": "http://127.0.0.1:9000"},            # a local page, another port
    {"host": "localhost:8501", "origin": "http://evil.example:8501"},
    {**LOCAL, "x-forwarded-for": "127.0.0.1"},                                # through a proxy
    {**LOCAL, "forwarded": "for=127.0.0.1"},
    {**LOCAL, "x-real-ip": "127.0.0.1"},
    {"host": "localhost.evil.example:8501"},
    {"origin": "http://127.0.0.1:8501"},                                      # no Host at all
])
def test_not_the_local_user(headers):
    assert not is_local_request("127.0.0.1", headers)
    with pytest.raises(AccessDenied):
        anonymous_user(Access(), "127.0.0.1", headers)
    assert anonymous_user(Access(network_role="viewer"), "127.0.0.1", headers).role == "viewer"


@pytest.mark.parametrize("headers", [
    LOCAL, {"host": "localhost:8501", "origin": "http://localhost:8501"}, {"host": "[::1]:8501"},
    {"Host": "LOCALHOST:8501", "Origin": "http://localhost:8501"}, {},   # {}: no request (AppTest, a script)
])
def test_this_computers_browser_is_local(headers):
    assert anonymous_user(Access(), None if not headers else "127.0.0.1", headers).role == "admin"


# ---------------------------------------------------------------- against a live server
@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The dashboard as ./run.sh starts it (through ui.serve; sign-in off, no network_role)."""
    store = tmp_path_factory.mktemp("rebinding") / "store.sqlite"
    with streamlit_server({"WORKFORCE_STORE": str(store)}) as port:
        yield port


@pytest.mark.slow
def test_rebinding_handshake_refused(server):
    from websockets.exceptions import InvalidStatus

    for origin in ("same", None):
        with pytest.raises(InvalidStatus):
            page_text(server, f"evil.example:{server}", origin)


@pytest.mark.slow
def test_local_page_on_another_port_is_not_admin(server):
    """Streamlit lets a page at localhost (any port) open a WebSocket; the app must not make it admin."""
    page = page_text(server, origin="http://localhost:1")
    assert "Local single-user instance" not in page and "Audit log" not in page
    assert "open only to this computer" in page


@pytest.mark.slow
def test_this_computers_browser_is_still_admin(server):
    assert "Local single-user instance (admin)" in page_text(server)
