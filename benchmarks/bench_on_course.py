"""Reliability of `on_course`: the stated chance of meeting the target at the year end against how
often the target was met.

For every targeted KPI with a forecast, every organisation and every ICS of the demo, and every
month P whose year end (the next March) is in the data: the chance is worked out from the data up
to P only (workforce/signals/outlook.py on the calibrated forecast) and compared with whether the
March figure, as displayed, met the target in force in March. Prints the reliability table (stated
chance in tenths against the share met), the Brier score, and the Brier score of always stating the
base rate (the share met over all forecasts) — a useful chance scores lower than the base rate.

Run from the repository root: ``.venv/bin/python benchmarks/bench_on_course.py [--db PATH]``
(default: a fresh demo built in a temporary folder, seed 20240401, to 2026-10; about two minutes).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_forecast import DEMO_END, series_by_unit  # noqa: E402
from workforce.base.config import load_config  # noqa: E402
from workforce.base.db import Database  # noqa: E402
from workforce.signals.forecast import year_end_forecast  # noqa: E402
from workforce.measures.figure import performance  # noqa: E402
from workforce.signals.outlook import on_course  # noqa: E402


def backtest(kpi, series: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = []
    for unit, history in series.items():
        history = history.dropna(subset=["value"]).sort_values("period").reset_index(drop=True)
        actual = dict(zip(history["period"], history["value"]))
        for i in range(len(history)):
            made = history.iloc[: i + 1]
            forecast = year_end_forecast(kpi, made)
            if forecast is None or forecast.period not in actual:
                continue
            target = kpi.target_at(forecast.period)
            chance = on_course(forecast, target, kpi.improvement_direction, kpi.format)
            if chance is None:
                continue
            met = performance(kpi, actual[forecast.period], target) == "meets target"
            rows.append({"kpi": kpi.id, "unit": unit, "horizon": forecast.horizon,
                         "probability": chance.probability, "met": met})
    return pd.DataFrame(rows)


def reliability(frame: pd.DataFrame) -> pd.DataFrame:
    bins = np.minimum((frame["probability"] * 10).astype(int), 9)
    table = frame.groupby(bins).agg(forecasts=("met", "size"), stated=("probability", "mean"),
                                    met=("met", "mean"))
    table.index = [f"{b * 10}–{b * 10 + 10}%" for b in table.index]
    return table


def brier(frame: pd.DataFrame) -> tuple[float, float]:
    outcome = frame["met"].astype(float)
    base = outcome.mean()
    return float(((frame["probability"] - outcome) ** 2).mean()), float(((base - outcome) ** 2).mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing demo database (default: build one in a temp folder)")
    args = parser.parse_args()
    config = load_config()
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(args.db) if args.db else Path(folder) / "demo.duckdb"
        if not args.db:
            from workforce.demo import build_demo
            build_demo(config, path, end=DEMO_END)
        db = Database(path)
        frames = [backtest(kpi, series_by_unit(db, config, kpi)) for kpi in config.kpis
                  if kpi.window != "annual" and (kpi.target is not None or kpi.org_targets)]
    every = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    print(f"{'KPI':28} {'forecasts':>9} {'met':>6} {'Brier':>7} {'base rate':>9}")
    for kpi_id, part in every.groupby("kpi", sort=False):
        score, base = brier(part)
        print(f"{kpi_id:28} {len(part):9,} {part['met'].mean():6.1%} {score:7.3f} {base:9.3f}")
    score, base = brier(every)
    print(f"{'all':28} {len(every):9,} {every['met'].mean():6.1%} {score:7.3f} {base:9.3f}")
    print("\nReliability (all KPIs): stated chance against the share that met the target")
    table = reliability(every)
    print(table.to_string(formatters={"stated": "{:.0%}".format, "met": "{:.0%}".format}))
    print(f"\n{time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
