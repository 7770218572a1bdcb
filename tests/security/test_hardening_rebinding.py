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

import asyncio
import os
import socket
import subprocess
import time
import urllib.request

import pytest

from tests.conftest import ROOT
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
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """./run.sh as people start it (sign-in off, no network_role) on the small test database."""
    port = _free_port()
    folder = tmp_path_factory.mktemp("rebinding")
    env = {**os.environ, "PORT": str(port), "WORKFORCE_STORE": str(folder / "store.sqlite")}
    process = subprocess.Popen(["./run.sh"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the dashboard did not start")
        yield port
    finally:
        os.killpg(process.pid, 15)
        process.wait(20)


async def _page_text(port: int, host: str, origin: str | None) -> str:
    """Open a session with these handshake headers and run the default page; all it sent, as text.
    Raises websockets' InvalidStatus when the handshake is refused."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async with websockets.connect(f"ws://{host}/_stcore/stream", host="127.0.0.1", port=port,  # Host: `host`
                                  subprotocols=["streamlit"], origin=origin, max_size=None,
                                  open_timeout=60) as ws:
        message = BackMsg()
        message.rerun_script.query_string = ""
        await ws.send(message.SerializeToString())
        texts = []
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await asyncio.wait_for(ws.recv(), 120))
            texts.append(str(forward))
            if forward.WhichOneof("type") == "script_finished":
                return "\n".join(texts)


def test_rebinding_handshake_refused(server):
    from websockets.exceptions import InvalidStatus

    for host, origin in ((f"evil.example:{server}", f"http://evil.example:{server}"),
                         (f"evil.example:{server}", None)):
        with pytest.raises(InvalidStatus):
            asyncio.run(_page_text(server, host, origin))


def test_local_page_on_another_port_is_not_admin(server):
    """Streamlit lets a page at localhost (any port) open a WebSocket; the app must not make it admin."""
    page = asyncio.run(_page_text(server, f"127.0.0.1:{server}", "http://localhost:1"))
    assert "Local single-user instance" not in page and "Audit log" not in page
    assert "open only to this computer" in page


def test_this_computers_browser_is_still_admin(server):
    page = asyncio.run(_page_text(server, f"127.0.0.1:{server}", f"http://127.0.0.1:{server}"))
    assert "Local single-user instance (admin)" in page
