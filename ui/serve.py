"""Start the Streamlit server with app.py's st.navigation as the only page router.

Streamlit keeps its legacy `pages/` folder routing switched on until the first script run calls
st.navigation, so a deep link (e.g. /kpi?kpi=…) as a fresh server's first request shows a
"Page not found" dialog before app.py takes over. Switching the legacy mode off before the
server starts removes that. Usage: python -m ui.serve run app.py [streamlit options]

Deep links without 404s: on /kpi the browser guesses that the app might live under /kpi and asks
for /kpi/_stcore/health and /kpi/_stcore/host-config first (two 404s in every log) before trying
/. The served index.html tells it where the server is (window.__streamlit.BACKEND_BASE_URL, the
embedding setting Streamlit reads), so it asks the right place first time.
"""

import atexit
import os
import shutil
import sys
import tempfile

import streamlit.file_util as file_util
from streamlit import config as st_config
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web.cli import main

PagesManager.uses_pages_directory = False

_BASE_SCRIPT = ('<script>window.__streamlit = Object.assign({}, window.__streamlit, '
                '{BACKEND_BASE_URL: window.location.origin + "/%s"});</script>')


def static_dir_with_base_url(static_dir: str, base_path: str) -> str:
    """A copy of Streamlit's static folder (links to its files) whose index.html names the
    server's base URL; removed when the server exits."""
    mirror = tempfile.mkdtemp(prefix="workforce-static-")
    atexit.register(shutil.rmtree, mirror, ignore_errors=True)
    for name in os.listdir(static_dir):
        if name != "index.html":
            os.symlink(os.path.join(static_dir, name), os.path.join(mirror, name))
    with open(os.path.join(static_dir, "index.html"), encoding="utf-8") as source:
        html = source.read()
    script = _BASE_SCRIPT % (base_path.strip("/") + "/" if base_path.strip("/") else "")
    with open(os.path.join(mirror, "index.html"), "w", encoding="utf-8") as target:
        target.write(html.replace("<head>", "<head>\n    " + script, 1))
    return mirror


def _serve_known_base_url() -> None:
    original = file_util.get_static_dir
    made: dict[str, str] = {}

    def get_static_dir() -> str:
        if "dir" not in made:
            made["dir"] = static_dir_with_base_url(original(), st_config.get_option("server.baseUrlPath") or "")
        return made["dir"]

    file_util.get_static_dir = get_static_dir


def _address_argument(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--server.address" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--server.address="):
            return arg.split("=", 1)[1]
    return os.environ.get("STREAMLIT_SERVER_ADDRESS")


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def listen_safely(argv: list[str]) -> list[str]:
    """Safe by default: with sign-in off, listen on 127.0.0.1 unless told otherwise, and refuse
    another address unless access.network_role deliberately opens the dashboard to the network.
    With sign-in off and no network_role, Streamlit also accepts WebSockets only for loopback Host
    names (server.allowedHosts): a page at evil.example resolving to 127.0.0.1 (DNS rebinding) is
    refused at the handshake (the app's own check, workforce.protect.access.is_local_request, is the second)."""
    from workforce.protect.access import is_loopback
    from workforce.base.config import ConfigError, load_config

    try:
        config = load_config(os.environ.get("WORKFORCE_CONFIG"))
    except ConfigError as exc:
        sys.exit(f"The configuration file has a problem: {exc}")
    access = config.access
    for warning in config.warnings:  # settings that weaken what the dashboard protects, said at start
        print(f"warning: {warning}", file=sys.stderr)
    address = _address_argument(argv)
    if address is None:
        argv = [*argv, "--server.address", "127.0.0.1"]
    elif not is_loopback(address) and not access.sign_in and not access.network_role:
        sys.exit(f"Refusing to listen on {address}: sign-in is off, so anyone on the network would get in. "
                 "Turn sign-in on, or set access.network_role in config.yaml to open it deliberately "
                 "(docs/access.md).")
    if not access.sign_in and not access.network_role and not _hosts_given(argv):
        argv = [*argv, *(arg for host in LOOPBACK_HOSTS for arg in ("--server.allowedHosts", host))]
    return argv


def _hosts_given(argv: list[str]) -> bool:
    return any(a.split("=")[0] == "--server.allowedHosts" for a in argv) or \
        bool(os.environ.get("STREAMLIT_SERVER_ALLOWED_HOSTS"))


def _import_before_serving() -> None:
    """Import the libraries and project modules the pages use before the first browser arrives, so
    the first page after a start (often a whole board opening the meeting link) does not wait
    ~1-2 s for pandas, Altair and DuckDB to load while holding the interpreter lock."""
    import importlib

    for name in ("pandas", "pyarrow", "duckdb", "altair", "workforce.views.summary", "workforce.views.board",
                 "workforce.views.detail", "ui.layout", "ui.filters", "ui.meetings"):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the page that needs it will report the problem itself
            pass


if __name__ == "__main__":
    _serve_known_base_url()
    _import_before_serving()
    if sys.argv[1:2] == ["run"]:
        sys.argv = listen_safely(sys.argv)
        from ui import warmup

        warmup.start()  # the default board is worked out before the first browser arrives
    sys.exit(main(prog_name="streamlit"))
