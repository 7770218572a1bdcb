"""Backtest of the year-end forecast (workforce/signals/forecast.py) on the demo's own series.

For every forecast KPI, every organisation and every ICS total, and every month P whose year end
(the next March) is in the data, the forecast is made from the series up to P only and its 95%
interval checked against the March figure that followed. Prints the coverage by KPI (target:
90–98%) and the median interval width.

Run from the repository root: ``.venv/bin/python benchmarks/bench_forecast.py [--db PATH] [--end YYYY-MM]``
(default: a fresh ICS-scale demo built in a temporary folder, seed 20240401, to 2026-10; `--end`
builds it to another month, or names the last month of the demo given with `--db`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workforce.base.config import load_config  # noqa: E402
from workforce.base.db import Database  # noqa: E402
from workforce.signals.forecast import year_end_forecast  # noqa: E402
from workforce.measures.kpi import kpi_frame  # noqa: E402

DEMO_END = dt.date(2026, 10, 1)


def month(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%Y-%m").date()


def set_end(end: dt.date) -> None:
    """The demo's last month: what it is built to and when ICS membership is read."""
    global DEMO_END
    DEMO_END = end


def series_by_unit(db: Database, config, kpi) -> dict[str, pd.DataFrame]:
    """period/value series for each organisation and each ICS as a whole."""
    orgs = [o.code for o in config.organisations]
    frame = kpi_frame(db, config, [kpi], orgs, group_by="org")
    out = {f"org {code}": part[["period", "value"]].reset_index(drop=True)
           for code, part in frame.groupby("grp")}
    for ics in config.icss:
        members = config.ics_members(ics.code, DEMO_END)
        whole = kpi_frame(db, config, [kpi], members)
        if not whole.empty:
            out[f"ics {ics.code}"] = whole[["period", "value"]].reset_index(drop=True)
    return out


def backtest(kpi, series: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = []
    for unit, history in series.items():
        history = history.dropna(subset=["value"]).sort_values("period").reset_index(drop=True)
        actual = dict(zip(history["period"], history["value"]))
        for i in range(len(history)):
            made = history.iloc[: i + 1]
            result = year_end_forecast(kpi, made)
            if result is None or result.period not in actual:
                continue
            truth = actual[result.period]
            rows.append({"unit": unit, "origin": made["period"].iloc[-1], "target": result.period,
                         "hit": result.lower <= truth <= result.upper, "width": result.upper - result.lower,
                         "method": result.method})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing demo database (default: build one in a temp folder)")
    parser.add_argument("--end", type=month, default=DEMO_END, help="the demo's last month (default 2026-10)")
    args = parser.parse_args()
    set_end(args.end)
    config = load_config()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(args.db) if args.db else Path(folder) / "demo.duckdb"
        if not args.db:
            from workforce.demo import build_demo
            build_demo(config, path, end=DEMO_END)
        db = Database(path)
        print(f"Demo to {DEMO_END:%Y-%m}" + (f" ({args.db})" if args.db else ""))
        began = time.perf_counter()
        print(f"{'KPI':34} {'forecasts':>9} {'coverage':>9} {'median width':>13}  methods")
        total = []
        for kpi in config.kpis:
            if kpi.window == "annual":
                continue
            result = backtest(kpi, series_by_unit(db, config, kpi))
            if result.empty:
                print(f"{kpi.id:34} {0:>9}")
                continue
            total.append(result)
            methods = ", ".join(f"{k} {v}" for k, v in result["method"].value_counts().items())
            print(f"{kpi.id:34} {len(result):>9,} {result['hit'].mean():>9.1%} "
                  f"{np.median(result['width']):>13.3g}  {methods}")
        every = pd.concat(total)
        print(f"{'all':34} {len(every):>9,} {every['hit'].mean():>9.1%}   "
              f"({time.perf_counter() - began:.1f} s)")


if __name__ == "__main__":
    main()
