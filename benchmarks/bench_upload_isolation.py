"""Other sessions' page loads while one user's large workbook is checked on the Load data page.

Starts the dashboard (as run.sh does) on a copy of a small database, times a KPI page opened by
fresh browser sessions (Chromium) while idle, then while another browser uploads a large workbook;
with --in-process the check runs in the server process (as before workforce.ingest.isolated), for
comparison. Run both and compare; the machine's other load moves the figures a lot.

Usage: .venv/bin/python benchmarks/bench_upload_isolation.py [--rows 120000] [--port 8616] [--in-process]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

IN_PROCESS = """
import runpy, sys
import workforce.ingest.isolated as isolated
from workforce.ingest import loader
isolated.check_files = lambda *a, timeout=None, **k: loader.check_files(*a, **k)
runpy.run_module("ui.serve", run_name="__main__")
"""


def _workbook(path: Path, rows: int) -> Path:
    from openpyxl import Workbook

    from tests.conftest import COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(COLUMNS)
    for i in range(rows):
        sheet.append([f"{2000 + (i // 1000) % 25}-{i % 12 + 1:02d}", ("RWH", "RWG")[i % 2],
                      "Nurses & health visitors", "", "", "headcount", 100 + i % 50])
    book.save(path)
    return path


def _database(folder: Path) -> Path:
    from tests.conftest import small_rows, write_csv
    from workforce.base.config import load_config
    from workforce.ingest.loader import load_files

    db_path = folder / "bench.duckdb"
    load_files([write_csv(folder / "small.csv", small_rows())], load_config(), db_path=db_path)
    return db_path


def _page_loads(port: int, count: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        for _ in range(count):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            started = time.monotonic()
            page.goto(f"http://127.0.0.1:{port}/kpi?kpi=turnover_rate_12m")
            page.wait_for_selector('[data-testid="stMetric"]', timeout=180_000)
            times.append(time.monotonic() - started)
            context.close()
        browser.close()
    return times


def _upload(port: int, workbook: str, result) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"http://127.0.0.1:{port}/load")
        page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)
        started = time.monotonic()
        page.set_input_files("input[type=file]", [workbook])
        page.wait_for_selector("text=/nothing will be loaded until|This file cannot be loaded|Held as missing/",
                               timeout=1_800_000)
        result.put(time.monotonic() - started)
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=120_000)
    parser.add_argument("--port", type=int, default=8616)
    parser.add_argument("--in-process", action="store_true", help="check in the server process (comparison)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    try:
        workbook = _workbook(folder / "big.xlsx", args.rows)
        env = {**os.environ, "WORKFORCE_DB": str(_database(folder))}
        serve = ["run", "app.py", "--server.headless", "true", "--server.port", str(args.port)]
        env["PYTHONPATH"] = str(ROOT)
        if args.in_process:
            command = [sys.executable, "-c", f"import sys; sys.argv = ['ui.serve', *{serve!r}]\n" + IN_PROCESS]
        else:
            command = [sys.executable, "-m", "ui.serve", *serve]
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        try:
            for _ in range(120):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{args.port}/_stcore/health", timeout=2)
                    break
                except OSError:
                    time.sleep(0.5)
            idle = _page_loads(args.port, 4)
            result = multiprocessing.get_context("spawn").Queue()
            uploader = multiprocessing.get_context("spawn").Process(target=_upload,
                                                                    args=(args.port, str(workbook), result))
            uploader.start()
            time.sleep(6)
            busy = _page_loads(args.port, 4)
            uploader.join()
            checked = result.get(timeout=5)
        finally:
            os.killpg(server.pid, 15)
            server.wait(20)
        where = "the server process" if args.in_process else "a child process"
        print(f"check in {where}: {args.rows:,}-row workbook checked in {checked:.1f} s")
        print(f"KPI page load, idle:   median {statistics.median(idle):.1f} s ({', '.join(f'{t:.1f}' for t in idle)})")
        print(f"KPI page load, during: median {statistics.median(busy):.1f} s ({', '.join(f'{t:.1f}' for t in busy)})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
