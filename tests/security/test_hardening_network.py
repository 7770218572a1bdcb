"""Finding 6: with sign-in off (the default) anyone on the network was admin.

`./run.sh` must listen on loopback only; listening elsewhere without sign-in needs an explicit
setting (access.network_role) and shows a banner; local_role applies only to loopback clients.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from workforce.protect.access import AccessDenied, anonymous_user
from workforce.base.config import Access

PORT = 8616


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a socket listening on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table, size in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                raw = bytes.fromhex(address)
                if size == 8:
                    found.add(socket.inet_ntop(socket.AF_INET, raw[::-1]))
                else:
                    words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
                    found.add(socket.inet_ntop(socket.AF_INET6, words))
    return found


def start(args: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(["./run.sh", *args], cwd=ROOT, env={**os.environ, "PORT": str(PORT), **env},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def wait_listening(process: subprocess.Popen, seconds: float = 60) -> set[str]:
    deadline = time.time() + seconds
    while time.time() < deadline and process.poll() is None:
        found = listening_addresses(PORT)
        if found:
            return found
        time.sleep(0.3)
    return set()


def stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        os.killpg(process.pid, 15)
    out, _ = process.communicate(timeout=30)
    return out


@pytest.fixture()
def free_port():
    if listening_addresses(PORT):
        pytest.skip(f"port {PORT} is busy")


@pytest.mark.slow
def test_run_sh_listens_on_loopback_only(free_port, small_db_path):
    process = start([], {"WORKFORCE_DB": str(small_db_path)})
    try:
        found = wait_listening(process)
    finally:
        stop(process)
    assert found, "the server did not start"
    assert found <= {"127.0.0.1", "::1"}, f"listening on {found}"


@pytest.mark.slow
def test_network_address_without_sign_in_is_refused(free_port, small_db_path):
    process = start(["--server.address", "0.0.0.0"], {"WORKFORCE_DB": str(small_db_path)})
    try:
        found = wait_listening(process, seconds=20)
        out = stop(process)
    finally:
        stop(process) if process.poll() is None else None
    assert not found, f"listening on {found}"
    assert process.returncode not in (0, None)
    assert "sign-in" in out and "network_role" in out
    assert "Traceback" not in out


@pytest.mark.slow
def test_network_address_with_explicit_setting_starts(free_port, small_db_path, tmp_path):
    settings = yaml.safe_load((ROOT / "config.yaml").read_text())
    settings["access"]["network_role"] = "viewer"
    config_path = tmp_path / "config.yaml"
    config_path.write_text(yaml.safe_dump(settings))
    process = start(["--server.address", "0.0.0.0"],
                    {"WORKFORCE_DB": str(small_db_path), "WORKFORCE_CONFIG": str(config_path)})
    try:
        found = wait_listening(process)
    finally:
        stop(process)
    assert found == {"0.0.0.0"}


# ------------------------------------------------------------------ who gets local_role
@pytest.mark.parametrize("client", [None, "127.0.0.1", "::1", "127.0.0.5", "::ffff:127.0.0.1"])
def test_local_role_only_for_loopback(client):
    assert anonymous_user(Access(), client).role == "admin"


@pytest.mark.parametrize("client", ["192.0.2.7", "10.0.0.1", "2001:db8::1", "not an address"])
def test_another_address_without_sign_in_gets_no_role(client):
    with pytest.raises(AccessDenied):
        anonymous_user(Access(), client)


def test_explicit_network_role_applies_to_other_addresses():
    user = anonymous_user(Access(network_role="viewer"), "192.0.2.7")
    assert user.role == "viewer" and not user.can("upload")
    assert anonymous_user(Access(network_role="viewer"), "127.0.0.1").role == "admin"


def _app(monkeypatch, small_db_path, client: str | None, config_path: Path | None = None) -> AppTest:
    import ui.access

    monkeypatch.setenv("WORKFORCE_DB", str(small_db_path))
    if config_path:
        monkeypatch.setenv("WORKFORCE_CONFIG", str(config_path))
    monkeypatch.setattr(ui.access, "client_address", lambda: client)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def test_remote_browser_is_refused_in_the_app(monkeypatch, small_db_path):
    at = _app(monkeypatch, small_db_path, "192.0.2.7").run()
    assert not at.exception
    assert any("only to this computer" in e.value for e in at.error)
    assert not at.metric and not at.dataframe


def test_banner_on_every_page_when_open_to_the_network(monkeypatch, small_db_path, tmp_path):
    settings = yaml.safe_load((ROOT / "config.yaml").read_text())
    settings["access"]["network_role"] = "viewer"
    config_path = tmp_path / "config.yaml"
    config_path.write_text(yaml.safe_dump(settings))
    from streamlit import config as st_config

    monkeypatch.setattr(st_config, "get_option",
                        lambda key, _orig=st_config.get_option: "0.0.0.0" if key == "server.address" else _orig(key))
    for page in ("pages/board/summary.py", "pages/board/kpi.py", "pages/meetings/register.py"):
        at = _app(monkeypatch, small_db_path, "192.0.2.7", config_path)
        at.switch_page(page)
        at.run()
        assert not at.exception
        assert any("without sign-in" in w.value for w in at.warning), page
