"""Board pack build time against the chart-render floor (issues 6 and 21): one ICS, 14 KPIs.

Target (issue 21): a pack ≤ 2× the floor — the time vl-convert alone takes to render the same 14
chart images, measured in the same run, interleaved with the packs so both see the same machine.

Measures, on the demo database (`python -m workforce demo`, ICS scale), in a running process (as
when a board member clicks "Download board pack"), after one warm-up build that loads vl-convert:
- floor: the 14 chart specifications the pack renders, through vl_convert.vegalite_to_png alone;
- cold PowerPoint and cold PDF: the board (summary and 14 KPI views), its charts drawn, their images
  rendered and the file written, with the query, chart and image caches all emptied;
- the other format next (the images rendered for the first are reused: PowerPoint then PDF);
- another session's pack in the same data generation (a new board — say after a comment was
  written — whose charts are unchanged: their images are reused);
- the command line, a fresh process each time (`python -m workforce pack …`).
Wall and CPU seconds (this process, all threads) are both printed, with the load average: other
work on the machine slows both sides of each ratio alike.
with a store holding commentary on three KPIs (one very long) and three interventions.

Usage: .venv/bin/python benchmarks/bench_pack.py [--db data/workforce.duckdb] [--ics QF7] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workforce.views.board import build_board, styled_chart  # noqa: E402
from workforce.views.export import marked  # noqa: E402
from workforce.base.config import load_config  # noqa: E402
from workforce.base.db import Database  # noqa: E402
from workforce.store.records import Store  # noqa: E402
from workforce.meetings.pack import CHART_FONT, CHART_IMAGES, CHART_PX, build_pack, chart_png  # noqa: E402
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


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(fn) -> tuple[float, float, object]:
    wall, used = time.perf_counter(), cpu()
    out = fn()
    return time.perf_counter() - wall, cpu() - used, out


def line(label: str, walls: list[float], cpus: list[float], floor: tuple[float, float] | None = None) -> str:
    wall, used = statistics.median(walls), statistics.median(cpus)
    ratio = f"  → {wall / floor[0]:.2f}× the floor (CPU {used / floor[1]:.2f}×)" if floor else ""
    return f"  {label:44s} {wall:6.2f} s wall  {used:6.2f} s CPU{ratio}"


def cold(db: Database) -> None:
    """Every cache the pack could reuse emptied: query results, chart images."""
    db._cache.clear()
    CHART_IMAGES.clear()


def floor_specs(board) -> list[str]:
    """The chart specifications the pack renders (what vl-convert alone is timed on)."""
    return [styled_chart(marked(i.view.chart, board.synthetic), width=CHART_PX[0], height=CHART_PX[1],
                         font=CHART_FONT).to_json(indent=None, validate=False) for i in board.items if i.view.has_chart]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(ROOT / "data" / "workforce.duckdb"))
    parser.add_argument("--ics", default="QF7")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-cli", action="store_true")
    args = parser.parse_args()
    config = load_config()
    db = Database(args.db)
    selection = Selection(ics=args.ics)
    print(f"Board pack benchmark — {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        month = build_board(db, config, selection).month
        store = seed_store(Path(folder) / "store.sqlite", args.ics, month)
        warm = build_pack(build_board(db, config, selection, store))
        specs = floor_specs(warm.board)
        print(f"{args.ics}: {len(warm.board.items)} KPIs, data as at {month:%B %Y}, {len(warm.pages)} pages "
              f"({sum(p.kind == 'kpi' for p in warm.pages)} KPI pages, {len(specs)} charts)")
        runs: dict[str, tuple[list, list]] = {}

        def record(name: str, fn) -> object:
            wall, used, out = timed(fn)
            runs.setdefault(name, ([], []))[0].append(wall)
            runs[name][1].append(used)
            return out

        def pack(fmt: str, board=None) -> bytes:
            return render(build_pack(board or build_board(db, config, selection, store)), fmt)

        for _ in range(args.repeat):  # interleaved: the floor and the packs see the same machine
            record("floor", lambda: [chart_png(spec) for spec in specs])
            for fmt in ("pptx", "pdf"):
                cold(db)
                data = record(f"cold {fmt}", lambda: pack(fmt))
            cold(db)
            board = build_board(db, config, selection, store)
            record("pptx then pdf: pptx", lambda: pack("pptx", board))
            record("pptx then pdf: pdf (images reused)", lambda: pack("pdf", board))
            record("another session, same generation (pdf)", lambda: pack("pdf"))
        floor = tuple(statistics.median(v) for v in runs["floor"])
        print(f"In a running process, median of {args.repeat} "
              f"(load average {' '.join(f'{v:.1f}' for v in os.getloadavg())}):")
        print(line(f"floor: vl-convert alone, {len(specs)} PNGs", *runs["floor"]))
        for name in [n for n in runs if n != "floor"]:
            print(line(name, *runs[name], floor=floor))
        print(f"  target: a cold pack ≤ 2× the floor; last PDF {len(data) / 1e6:.1f} MB")

        if args.skip_cli:
            return
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
            print(f"  {fmt}: median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})")


if __name__ == "__main__":
    main()
