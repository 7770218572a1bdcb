"""Dashboard performance at national scale (issues 2 and 4).

Measures, on a database built by `python -m workforce demo --scale national`:
- every KPI for a whole ICS (the summary's KPI queries), cold and warm (result cache emptied, the
  connection and the OS file cache warm) — target < 200 ms warm;
- server-side render of the summary page (AppTest) for one ICS and for all of England, and a
  filter change — targets < 1.0 s, < 2.5 s and < 0.5 s warm;
- browser load of the summary page against a bare one-chart Streamlit page in the same run
  (headless Chromium, fresh context each load) — target within 1.3×.

Usage: .venv/bin/python benchmarks/bench_dashboard.py --db data/national.duckdb \
           --config data/national.config.yaml [--ics QM7] [--skip-browser]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workforce.base.config import load_config  # noqa: E402
from workforce.base.db import Database  # noqa: E402
from workforce.protect.scope import latest_values  # noqa: E402
from workforce.measures.selection import Selection  # noqa: E402
from workforce.views.summary import board_summary  # noqa: E402


def timed(fn, repeat: int = 5) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.0f} ms (min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})"


def bench_queries(db_path: Path, config, ics: str) -> None:
    db = Database(db_path)
    selection = Selection(ics=ics)
    cold = timed(lambda: latest_values(db, config, selection), repeat=1)
    print(f"every KPI for {ics}, first query after open: {cold[0] * 1000:.0f} ms")

    def uncached():
        db._cache.clear()  # the connection stays warm; only our result cache is emptied
        latest_values(db, config, selection)
    print(f"every KPI for {ics}, warm (no result cache): {ms(timed(uncached))}")
    print(f"every KPI for {ics}, warm (result cache): {ms(timed(lambda: latest_values(db, config, selection)))}")

    def summary(sel):
        db._cache.clear()
        board_summary(db, config, sel)
    print(f"board summary (KPIs + SPC) for {ics}: {ms(timed(lambda: summary(selection)))}")
    print(f"board summary for all of England: {ms(timed(lambda: summary(Selection(ics='ENG')), repeat=3))}")


def bench_render(db_path: Path, config_path: Path, ics: str) -> None:
    os.environ["WORKFORCE_DB"], os.environ["WORKFORCE_CONFIG"] = str(db_path), str(config_path)
    from streamlit.testing.v1 import AppTest

    def page(**params):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
        return at

    first = page(ics=ics)
    start = time.perf_counter()
    first.run()
    print(f"summary render, {ics}, first (cold caches): {(time.perf_counter() - start) * 1000:.0f} ms")
    print(f"summary render, {ics}, warm: {ms(timed(lambda: page(ics=ics).run()))}")
    england = page(ics="ENG")
    start = time.perf_counter()
    england.run()
    print(f"summary render, England, first: {(time.perf_counter() - start) * 1000:.0f} ms")
    print(f"summary render, England, warm: {ms(timed(lambda: page(ics='ENG').run(), repeat=3))}")
    at = page(ics=ics).run()
    orgs = at.sidebar.multiselect(key="f_orgs").options
    groups = at.sidebar.selectbox(key="f_staff_group").options[1:]
    changes = []
    for i in range(5):  # a new selection each time: nothing cached for it
        widget = at.sidebar.selectbox(key="f_staff_group") if i % 2 else at.sidebar.multiselect(key="f_orgs")
        value = groups[i] if i % 2 else [orgs[i]]
        start = time.perf_counter()
        widget.set_value(value).run()
        changes.append(time.perf_counter() - start)
    print(f"filter change (uncached selection), {ics}: {ms(changes)}")


BARE_PAGE = """
import altair as alt, pandas as pd, streamlit as st
st.title("Bare page")
frame = pd.DataFrame({"x": range(100), "y": [i % 7 for i in range(100)]})
st.altair_chart(alt.Chart(frame).mark_line().encode(x="x:Q", y="y:Q"), width="stretch")
"""


def _serve(script: Path, port: int, env: dict) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
                             "--server.address", "127.0.0.1", "--server.port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                return proc
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server did not start")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_browser(db_path: Path, config_path: Path, ics: str) -> None:
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
    env = {**os.environ, "WORKFORCE_DB": str(db_path), "WORKFORCE_CONFIG": str(config_path)}
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE_PAGE)
        ports = (_port(), _port())
        servers = [_serve(bare, ports[0], env), _serve(ROOT / "app.py", ports[1], env)]
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=args)

                def load(url: str, ready: str) -> float:
                    context = browser.new_context(viewport={"width": 1280, "height": 800})
                    page = context.new_page()
                    start = time.perf_counter()
                    page.goto(url)
                    page.locator(ready).first.wait_for(state="attached", timeout=120_000)
                    elapsed = time.perf_counter() - start
                    context.close()
                    return elapsed

                bare_ready = '[data-testid="stVegaLiteChart"] svg'
                app_ready = 'table.mdc-matrix'
                load(f"http://127.0.0.1:{ports[0]}/", bare_ready)  # warm both servers once
                load(f"http://127.0.0.1:{ports[1]}/?ics={ics}", app_ready)
                bare_times, app_times = [], []
                for _ in range(5):  # interleaved, so both see the same machine load
                    bare_times.append(load(f"http://127.0.0.1:{ports[0]}/", bare_ready))
                    app_times.append(load(f"http://127.0.0.1:{ports[1]}/?ics={ics}", app_ready))
                browser.close()
        finally:
            for server in servers:
                server.terminate()
    ratio = statistics.median(app_times) / statistics.median(bare_times)
    print(f"browser load, bare one-chart page: {ms(bare_times)}")
    print(f"browser load, summary page ({ics}, to the MDC matrix): {ms(app_times)}")
    print(f"ratio summary / bare: {ratio:.2f} (target ≤ 1.3)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(ROOT / "data" / "national.duckdb"))
    parser.add_argument("--config", default=str(ROOT / "data" / "national.config.yaml"))
    parser.add_argument("--ics", default="QM7")
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args()
    db_path, config_path = Path(args.db), Path(args.config)
    config = load_config(config_path)
    print(f"database {db_path} ({db_path.stat().st_size / 1e6:.0f} MB), {os.cpu_count()} cores")
    bench_queries(db_path, config, args.ics)
    bench_render(db_path, config_path, args.ics)
    if not args.skip_browser:
        bench_browser(db_path, config_path, args.ics)


if __name__ == "__main__":
    main()
