"""Reliability of `on_course`: the stated chance of meeting the target at the year end against how
often the target was met, KPI by KPI.

1. **Simulations with a known answer** (benchmarks/oncourse_sims.py): simulated units in the KPIs'
   shapes (a 12-month rate of small counts, a 12-month rate, money with a £0 target, a monthly rate,
   a year-to-date rate) under five scenarios (stable, seasonal, shifted, trending, short). For every
   month whose March is simulated, the chance is stated from the data up to that month and compared
   with whether the March figure, as displayed, met the target — and with the true chance (the
   process run on DRAWS times from that month), whose Brier score is the best any forecast could do.
2. **The demo** (seed 20240401, to 2026-10): every targeted KPI with a forecast, every organisation
   and ICS, every month whose March is in the data.

For each: a reliability table per KPI (stated chance in fifths against the share met), the Brier
score, and the Brier score of always stating the base rate (the share met) — a chance worth stating
scores lower. Withheld chances (too little history; a £0 target with unknown months) are counted.

Run from the repository root: ``.venv/bin/python benchmarks/bench_on_course.py [--db PATH]
[--end YYYY-MM] [--units N] [--only sims|demo]`` (about 2 minutes on 2 cores; `--end` as in
bench_forecast.py: the demo's last month).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_forecast  # noqa: E402
from workforce.measures.figure import performance  # noqa: E402
from workforce.measures.kpi import kpi_frame  # noqa: E402
from workforce.signals.forecast import year_end_after, year_end_forecast  # noqa: E402
from workforce.signals.outlook import on_course  # noqa: E402

BINS = 5


def forecast_and_chance(kpi, history: pd.DataFrame):
    """(forecast, OnCourse or None) as the summary states it: the year-end forecast of the headline
    figures, and the chance from it (a £0 target: from the month's own figures, `spc_value`)."""
    forecast = year_end_forecast(kpi, history[["period", "value"]].dropna())
    if forecast is None:
        return None, None
    months = history[["period", "spc_value"]] if "spc_value" in history else None
    return forecast, on_course(forecast, kpi.target_at(forecast.period), kpi.improvement_direction, kpi.format,
                               months, kpi.window)


def stated_chance(kpi, history: pd.DataFrame) -> float | None:
    chance = forecast_and_chance(kpi, history)[1]
    return None if chance is None else chance.probability


def reliability(frame: pd.DataFrame) -> str:
    """Stated chance in fifths: forecasts, mean stated, share met (and the true chance when known)."""
    bins = np.minimum((frame["probability"] * BINS).astype(int), BINS - 1)
    parts = {"forecasts": ("met", "size"), "stated": ("probability", "mean"), "met": ("met", "mean")}
    if "truth" in frame:
        parts["true chance"] = ("truth", "mean")
    table = frame.groupby(bins).agg(**parts)
    step = 100 // BINS
    table.index = [f"{b * step}–{b * step + step}%" for b in table.index]
    percent = "{:.0%}".format
    return table.T.to_string(formatters=None, float_format=lambda v: percent(v) if v <= 1 else f"{v:,.0f}")


def brier(frame: pd.DataFrame, column: str = "probability") -> float:
    return float(((frame[column] - frame["met"].astype(float)) ** 2).mean())


def report(frame: pd.DataFrame, by: str, withheld: pd.Series | None = None) -> None:
    truth = "truth" in frame
    print(f"{'':50} {'forecasts':>9} {'met':>6} {'Brier':>7} {'base rate':>9}"
          + (f" {'true chance':>11}" if truth else "") + (f" {'withheld':>8}" if withheld is not None else ""))
    for name, part in list(frame.groupby(by, sort=False)) + [("all", frame)]:
        base = part["met"].mean()
        line = (f"{name:50} {len(part):9,} {base:6.1%} {brier(part):7.3f} {base * (1 - base):9.3f}"
                + (f" {brier(part, 'truth'):11.3f}" if truth else ""))
        if withheld is not None:
            line += f" {int(withheld.get(name, withheld.sum() if name == 'all' else 0)):8,}"
        print(line + ("   WORSE than the base rate" if brier(part) > base * (1 - base) + 1e-12 else ""))
    for name, part in frame.groupby(by, sort=False):
        print(f"\n{name}: stated chance against the share that met the target\n{reliability(part)}")


def simulations(units: int) -> None:
    from oncourse_sims import SCENARIOS, SHAPES, simulate

    frames = [simulate(shape, scenario, units, 20261207 + i, stated_chance, performance)
              for shape in SHAPES for i, scenario in enumerate(SCENARIOS)]
    every = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    print(f"== Simulations with a known answer ({units} units per shape and scenario, 60 months; short: 30)")
    report(every, "shape")
    print("\nBy scenario (Brier: stated / base rate / true chance)")
    table = every.groupby(["shape", "scenario"], sort=False).apply(
        lambda p: pd.Series({"forecasts": len(p), "stated": brier(p), "base rate": p["met"].mean() * (1 - p["met"].mean()),
                             "true chance": brier(p, "truth")}), include_groups=False)
    print(table.to_string(float_format="{:.3f}".format))
    made = every.groupby(["shape", "scenario"]).size()
    for shape in SHAPES:  # a scenario with no rows: every chance withheld (a short history)
        for scenario in SCENARIOS:
            if (shape, scenario) not in made.index:
                print(f"{shape} / {scenario}: no chance stated (too little history for the forecast's errors)")


def demo_series(db, config, kpi, end) -> dict[str, pd.DataFrame]:
    """period/value/spc_value for each organisation and each ICS as a whole."""
    columns = ["period", "value", "spc_value"]
    frame = kpi_frame(db, config, [kpi], [o.code for o in config.organisations], group_by="org")
    out = {f"org {code}": part[columns].reset_index(drop=True) for code, part in frame.groupby("grp")}
    for ics in config.icss:
        whole = kpi_frame(db, config, [kpi], config.ics_members(ics.code, end))
        if not whole.empty:
            out[f"ics {ics.code}"] = whole[columns].reset_index(drop=True)
    return out


def demo_backtest(kpi, series: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, int]:
    """Every month whose March figure is known: the chance stated then, and whether March met the
    target; and how many of those months stated no chance (withheld)."""
    rows, withheld = [], 0
    for unit, history in series.items():
        history = history.sort_values("period").reset_index(drop=True)
        actual = {p: v for p, v in zip(history["period"], history["value"]) if not pd.isna(v)}
        for i in range(len(history)):
            march = year_end_after(history["period"].iloc[i])
            if pd.isna(history["value"].iloc[i]) or march not in actual:
                continue
            chance = forecast_and_chance(kpi, history.iloc[: i + 1])[1]
            if chance is None:
                withheld += 1
                continue
            met = performance(kpi, actual[march], kpi.target_at(march)) == "meets target"
            rows.append({"kpi": kpi.id, "unit": unit, "probability": chance.probability, "met": met})
    return pd.DataFrame(rows), withheld


def demo(db_path: str | None) -> None:
    from bench_forecast import DEMO_END  # bench_forecast.set_end may have moved it

    from workforce.base.config import load_config
    from workforce.base.db import Database

    config = load_config()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(db_path) if db_path else Path(folder) / "demo.duckdb"
        if not db_path:
            from workforce.demo import build_demo
            build_demo(config, path, end=DEMO_END)
        db = Database(path)
        results = [demo_backtest(kpi, demo_series(db, config, kpi, DEMO_END)) for kpi in config.kpis
                   if kpi.window != "annual" and (kpi.target is not None or kpi.org_targets)]
    every = pd.concat([f for f, _ in results if not f.empty], ignore_index=True)
    withheld = pd.Series({f["kpi"].iloc[0]: n for f, n in results if not f.empty})
    source = f"{db_path}, to {DEMO_END:%Y-%m}" if db_path else f"seed 20240401, to {DEMO_END:%Y-%m}"
    print(f"\n== The demo ({source}; every organisation and ICS)")
    report(every, "kpi", withheld)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing demo database (default: build one in a temp folder)")
    parser.add_argument("--units", type=int, default=24, help="simulated units per shape and scenario")
    parser.add_argument("--only", choices=["sims", "demo"])
    parser.add_argument("--end", type=bench_forecast.month, default=bench_forecast.DEMO_END,
                        help="the demo's last month (default 2026-10)")
    args = parser.parse_args()
    bench_forecast.set_end(args.end)
    began, cpu = time.perf_counter(), time.process_time()
    if args.only != "demo":
        simulations(args.units)
    if args.only != "sims":
        demo(args.db)
    print(f"\n{time.perf_counter() - began:.0f} s wall, {time.process_time() - cpu:.0f} s CPU; "
          f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
