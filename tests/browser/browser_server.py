"""One way for browser tests to start the dashboard: a Streamlit server on a free loopback port."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(env: dict[str, str], *, launcher: str = "ui.serve", address: str = "127.0.0.1",
                     extra: tuple[str, ...] = ()) -> Iterator[int]:
    """Start app.py through `launcher` (ui.serve, as run.sh does, or plain streamlit) with `env` added
    to the environment; yield the port once /_stcore/health answers; stop the server afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", launcher, "run", "app.py", "--server.headless", "true", "--server.address", address,
         "--server.port", str(port), "--browser.gatherUsageStats", "false", *extra],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("the Streamlit server did not start")
    try:
        yield port
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:  # a busy machine: stop it outright rather than fail the test
            server.kill()
            server.wait()
