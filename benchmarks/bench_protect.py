"""What the protected path costs a user limited to some organisations (issue 19).

Measures CPU seconds (this process and DuckDB's threads: time.process_time) — wall time on a shared
2-core machine says more about the neighbours than about the code — for:
- the differencing check on every total (all staff), cold: the first page of a scoped user after a load
  unless the server's warm-up thread got there first;
- every staff-group cell and every equality cell (the KPI page's breakdowns and the staff-group filter);
- the KPI page for one KPI: the view, then its breakdowns, cold and then warm (remembered);
- the same view and breakdowns for an administrator (no differencing), for comparison.

Usage: .venv/bin/python benchmarks/bench_protect.py [--db PATH] [--as RWH] [--ics E54000065]
       (default: the demo database built to October 2026 in a temporary folder; a real or national
       database is read with every organisation, ICS and region its publications list, as the pages do)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workforce.base.config import load_config  # noqa: E402
from workforce.base.db import Database  # noqa: E402
from workforce.base.universe import with_reference  # noqa: E402
from workforce.measures.selection import Selection  # noqa: E402
from workforce.protect import differencing  # noqa: E402
from workforce.protect.scope import resolve  # noqa: E402
from workforce.views.detail import breakdowns, kpi_view  # noqa: E402


def cpu(fn) -> float:
    began = time.process_time()
    fn()
    return time.process_time() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db")
    parser.add_argument("--as", dest="own", default="RWH", help="the organisations the user is limited to")
    parser.add_argument("--ics", default="E54000065")
    parser.add_argument("--kpi", default="turnover_rate_12m")
    args = parser.parse_args()
    config = load_config(ROOT / "config.yaml")
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "demo.duckdb"
    if not args.db:
        from workforce.demo import build_demo

        build_demo(config, path, end=dt.date(2026, 10, 1))
    db, own = Database(path), tuple(args.own.split(","))
    config = with_reference(config, db)  # as the pages see it: every organisation, ICS and region listed
    print(f"{len(config.organisations)} organisations, {len(config.icss)} ICSs, {len(config.regions)} regions; "
          f"load average {os.getloadavg()[0]:.1f}; CPU seconds:")
    print(f"  differencing, every total, cold            {cpu(lambda: differencing.figures_refused(db, config, own)):.2f}")
    groups = cpu(lambda: [differencing.figures_refused(db, config, own, (g, '', '')) for g in config.staff_group_names])
    print(f"  every staff-group cell ({len(config.staff_group_names)}), cold         {groups:.2f}")
    values = [(b.id, v) for b in config.breakdowns for v in b.values]
    equality = cpu(lambda: [differencing.figures_refused(db, config, own, (None, b, v)) for b, v in values])
    print(f"  every equality cell ({len(values)}), cold            {equality:.2f}")
    kpi = config.kpi_by_id[args.kpi]
    for who, allowed in (("scoped", own), ("administrator", None)):
        scope = resolve(db, config, Selection(ics=args.ics), allowed)
        view = {}
        first = cpu(lambda: view.setdefault("v", kpi_view(db, config, kpi, scope)))
        parts = cpu(lambda: breakdowns(db, config, kpi, view["v"]))
        again = cpu(lambda: breakdowns(db, config, kpi, kpi_view(db, config, kpi, scope)))
        print(f"  {who:<13} KPI view {first:.2f}, breakdowns {parts:.2f}, both again {again:.2f}")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
