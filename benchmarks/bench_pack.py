"""Board pack build time (issue 6): one ICS, all 14 KPIs, PowerPoint and PDF — target < 10 s each.

Measures, on the demo database (`python -m workforce demo`, ICS scale):
- the command line, a fresh process each time (`python -m workforce pack …`: start-up, imports,
  queries, 14 chart images, the file) — what a scheduled job sees;
- in a running process (as when a board member clicks "Download board pack"): the board (summary
  and 14 KPI views), the chart images and the file, with the query and image caches emptied each
  time, after one warm-up build that loads vl-convert;
with a store holding commentary on three KPIs (one very long) and three interventions.

Usage: .venv/bin/python benchmarks/bench_pack.py [--db data/workforce.duckdb] [--ics QF7] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workforce.views.board import build_board  # noqa: E402
from workforce.base.config import load_config  # noqa: E402
from workforce.base.db import Database  # noqa: E402
from workforce.store.records import Store  # noqa: E402
from workforce.meetings.pack import _chart_png_cached, build_pack  # noqa: E402
from workforce.meetings.pack_file import render  # noqa: E402
from workforce.measures.selection import Selection  # noqa: E402


def seed_store(path: Path, ics: str, month: dt.date) -> Store:
    store = Store(path)
    store.add_intervention(who="Benchmark", date=dt.date(2024, 3, 15), label="Industrial action", ics=ics,
                           kpis=["sickness_absence_rate", "vacancy_rate"])
    store.add_intervention(who="Benchmark", date=dt.date(2025, 4, 1), label="Flexible working programme launched",
                           ics=ics, change_point=True)
    store.add_intervention(who="Benchmark", date=dt.date(2024, 9, 1), label="International recruitment cohort",
                           ics=ics)
    scope = f"ics:{ics}"
    store.save_commentary("turnover_rate_12m", scope, month, who="Benchmark", what_happened="Long text. " * 360,
                          why="Because. " * 200, actions="Retention clinics. " * 100, owner="Director of People")
    store.save_commentary("sickness_absence_rate", scope, month, who="Benchmark", what_happened="Winter pressures.",
                          actions="Vaccination drive", owner="OH lead", status="in_progress")
    previous = (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    store.save_commentary("vacancy_rate", scope, previous, who="Benchmark", actions="Recruitment campaign",
                          owner="HR director")
    return store


def stats(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(ROOT / "data" / "workforce.duckdb"))
    parser.add_argument("--ics", default="QF7")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    config = load_config()
    db = Database(args.db)
    selection = Selection(ics=args.ics)
    print(f"Board pack benchmark — {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as folder:
        month = build_board(db, config, selection).month
        store = seed_store(Path(folder) / "store.sqlite", args.ics, month)
        warm = build_pack(build_board(db, config, selection, store))
        print(f"{args.ics}: {len(warm.board.items)} KPIs, data as at {month:%B %Y}, {len(warm.pages)} pages "
              f"({sum(p.kind == 'kpi' for p in warm.pages)} KPI pages, {len(warm.charts)} charts)")
        for fmt in ("pptx", "pdf"):
            began = time.perf_counter()
            render(warm, fmt)
            print(f"  {fmt}: warm-up render alone {time.perf_counter() - began:.2f} s")

        print("In a running process (caches emptied each time):")
        for fmt in ("pptx", "pdf"):
            times, parts = [], []
            for _ in range(args.repeat):
                db._cache.clear()
                _chart_png_cached.cache_clear()
                t0 = time.perf_counter()
                board = build_board(db, config, selection, store)
                t1 = time.perf_counter()
                pack = build_pack(board)
                t2 = time.perf_counter()
                data = render(pack, fmt)
                t3 = time.perf_counter()
                times.append(t3 - t0)
                parts.append((t1 - t0, t2 - t1, t3 - t2))
            board_s, images_s, file_s = (statistics.median(p[i] for p in parts) for i in range(3))
            print(f"  {fmt}: {stats(times)} — board {board_s:.2f} s, chart images {images_s:.2f} s, "
                  f"file {file_s:.2f} s; {len(data) / 1e6:.1f} MB")

        print("Command line, a fresh process each time:")
        for fmt in ("pptx", "pdf"):
            times = []
            for _ in range(args.repeat):
                out = Path(folder) / f"pack.{fmt}"
                t0 = time.perf_counter()
                subprocess.run([sys.executable, "-m", "workforce", "pack", "--format", fmt, "--out", str(out),
                                "--db", args.db, "--ics", args.ics, "--store", str(store.path)],
                               cwd=ROOT, check=True, capture_output=True)
                times.append(time.perf_counter() - t0)
            print(f"  {fmt}: {stats(times)}")


if __name__ == "__main__":
    main()
