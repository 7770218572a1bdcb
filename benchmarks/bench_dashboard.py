"""Dashboard performance at national scale (issues 2 and 4).

Measures, on a database built by `python -m workforce demo --scale national`:
- every KPI for a whole ICS (the summary's KPI queries), cold and warm (result cache emptied, the
  connection and the OS file cache warm) — target < 200 ms warm;
- the board summary (every KPI with SPC) for one ICS and for all of England, warm — England's
  target ≤ 0.6 s (issue 21); wall and CPU seconds (this process, all threads), with the load average;
- server-side render of the summary page (AppTest) for one ICS and for all of England, and a
  filter change — targets < 1.0 s, < 2.5 s and < 0.5 s warm.
Browser figures (time to a settled page against a bare one-chart page) are benchmarks/bench_browser.py's.

Usage: .venv/bin/python benchmarks/bench_dashboard.py --db data/national.duckdb \
           --config data/national.config.yaml [--ics QM7]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workforce.base.config import load_config  # noqa: E402
from workforce.base.db import Database  # noqa: E402
from workforce.protect.figures import latest_values  # noqa: E402
from workforce.measures.selection import Selection  # noqa: E402
from workforce.views.summary import board_summary  # noqa: E402


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_cpu(fn, repeat: int = 5) -> tuple[list[float], list[float]]:
    walls, cpus = [], []
    for _ in range(repeat):
        start, used = time.perf_counter(), cpu()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(cpu() - used)
    return walls, cpus


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
    for label, sel in ((ics, selection), ("all of England", Selection(ics="ENG"))):
        walls, cpus = timed_cpu(lambda: summary(sel))
        print(f"board summary (KPIs + SPC) for {label}, warm: {ms(walls)}; CPU median "
              f"{statistics.median(cpus) * 1000:.0f} ms (load average {os.getloadavg()[0]:.1f})"
              + (" — target ≤ 600 ms" if sel.ics == "ENG" else ""))


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(ROOT / "data" / "national.duckdb"))
    parser.add_argument("--config", default=str(ROOT / "data" / "national.config.yaml"))
    parser.add_argument("--ics", default="QM7")
    args = parser.parse_args()
    db_path, config_path = Path(args.db), Path(args.config)
    config = load_config(config_path)
    print(f"database {db_path} ({db_path.stat().st_size / 1e6:.0f} MB), {os.cpu_count()} cores")
    bench_queries(db_path, config, args.ics)
    bench_render(db_path, config_path, args.ics)


if __name__ == "__main__":
    main()
