"""National scale in the publications' own shapes (issue 17): every NHS trust and ICB in England, a year
of monthly sickness, turnover and HCHS staff in post, loaded as a real database would be.

    .venv/bin/python benchmarks/bench_national.py [--folder DIR] [--months 12] [--keep]

1. writes the year (benchmarks/national_publications.py: the real organisations when ../shared is
   here, made-up figures, file names saying SYNTHETIC) and loads the folder with
   `python -m workforce load FOLDER/` into a new database, then marks it synthetic;
2. the universe (config.yaml over the organisation reference), cold;
3. server-side, warm: the board summary (every KPI with SPC) for England, an ICS config.yaml does not
   name, a region and the plan's ICS — target ≤ 1 s — and the summary page itself (AppTest);
4. Compare for England: the organisation × KPI table, cold and warm, and the page (AppTest).
Prints medians with min and max, the machine's cores and the load average.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_dashboard import ms, timed  # noqa: E402
from national_publications import write_year  # noqa: E402

from workforce.base.config import load_config  # noqa: E402
from workforce.base.db import Database, sql  # noqa: E402
from workforce.base.universe import with_reference  # noqa: E402
from workforce.cli.main import main as cli  # noqa: E402
from workforce.ingest.writer import connection  # noqa: E402
from workforce.measures.selection import Selection  # noqa: E402
from workforce.protect.scope import resolve  # noqa: E402
from workforce.views.compare import organisation_kpis  # noqa: E402
from workforce.views.summary import board_summary  # noqa: E402


def cpu_ms(fn, repeat: int = 5) -> str:
    """Median CPU time of the process (every thread, DuckDB's included): steadier than wall time on a
    shared machine."""
    out = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        out.append(time.process_time() - start)
    return f"CPU median {sorted(out)[len(out) // 2] * 1000:.0f} ms"


def load_average() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def build(folder: Path, months: int) -> Path:
    files = write_year(folder / "publications", dt.date(2024, 12, 1), months)
    db_path = folder / "national.duckdb"
    began = time.perf_counter()
    code = cli(["load", str(folder / "publications"), "--db", str(db_path)], out=open(os.devnull, "w"))
    if code:
        raise SystemExit("the load failed")
    print(f"load FOLDER/ of {len(files)} files ({sum(f.stat().st_size for f in files) / 1e6:.1f} MB): "
          f"{time.perf_counter() - began:.1f} s wall, load average {load_average()}")
    with connection(db_path, write=True) as con:  # made-up figures: labelled as the demo is
        con.execute(sql("ingest/apply/set_meta"), {"key": "synthetic", "value": "true"})
    return db_path


def bench_summaries(db: Database, config) -> None:
    kinds = [("England", "ENG"), ("an ICS config.yaml does not name (West Yorkshire)", "QWO"),
             ("a region (North East and Yorkshire)", "Y63"), ("the plan's ICS", config.plan.ics)]
    for label, code in kinds:
        if config.area_kind(code) is None:
            continue
        selection = Selection(ics=code)
        board_summary(db, config, selection)  # warm: the connection, the queries, the reporting month

        def again():
            db._cache.clear()  # our result cache emptied: the queries run again on a warm connection
            board_summary(db, config, selection)
        print(f"board summary, {label}: warm {ms(timed(again))}, {cpu_ms(again)}; result cache "
              f"{ms(timed(lambda: board_summary(db, config, selection)))}  [load {load_average()}]")


def bench_compare(db: Database, config) -> None:
    scope = resolve(db, config, Selection(ics="ENG"))
    start = time.perf_counter()
    table = organisation_kpis(db, config, scope)
    print(f"Compare, England ({table['org_code'].nunique()} organisations × {table['kpi'].nunique()} KPIs): "
          f"first {(time.perf_counter() - start) * 1000:.0f} ms  [load {load_average()}]")


def bench_pages(db_path: Path) -> None:
    os.environ["WORKFORCE_DB"] = str(db_path)
    from streamlit.testing.v1 import AppTest

    def page(path: str | None = None, **params):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        if path:
            at.switch_page(path).run()
        assert not at.exception, at.exception
        return at

    for code in ("ENG", "QWO"):
        page(ics=code)
        print(f"summary page, {code}, warm: {ms(timed(lambda: page(ics=code), repeat=3))}  [load {load_average()}]")
    start = time.perf_counter()
    page("pages/board/compare.py", ics="ENG")
    print(f"Compare page, England, first: {(time.perf_counter() - start) * 1000:.0f} ms")
    print(f"Compare page, England, warm: {ms(timed(lambda: page('pages/board/compare.py', ics='ENG'), repeat=3))}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, help="working folder (default: a temporary one)")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    parser.add_argument("--skip-pages", action="store_true", help="no AppTest page renders")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="bench-national-"))
    print(f"{os.cpu_count()} cores, load average {load_average()}, folder {folder}")
    try:
        db_path = build(folder, args.months)
        db = Database(db_path)
        start = time.perf_counter()
        config = with_reference(load_config(ROOT / "config.yaml"), db)
        print(f"universe: {len(config.organisations)} organisations, {len(config.icss)} ICSs, "
              f"{len(config.regions)} regions, built in {(time.perf_counter() - start) * 1000:.0f} ms (cold)")
        bench_summaries(db, config)
        bench_compare(db, config)
        if not args.skip_pages:
            bench_pages(db_path)
    finally:
        if not args.keep and not args.folder:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
