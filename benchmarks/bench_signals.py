"""How often each SPC signal fires when nothing changes, and whether a real change stays flagged.

Simulated trusts in the publications' additive shape (tests/signal_fixtures.py) are loaded through
the public loader and read back through the KPI path; every trust is then read "as at" each month
of the last two years, as a board would have seen it that month, by
- the method before issue 18 (limits over the latest 36 months, monthly limits for every target,
  no seasonal limits), and
- the method of issue 18 (limits from a held baseline of 20 values, seasonal limits for seasonal
  KPIs, a 12-month target judged against the limits of the 12-month figure).

Prints, per scenario: the share of trust-months whose latest point is a special cause, the
assurance icons, and for a sustained shift the share of months still flagged after it. The figures
in docs/spc.md come from this script. Run: ``.venv/bin/python benchmarks/bench_signals.py``
(about two minutes on 2 cores; ``--quick`` for fewer trusts).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.signal_fixtures import Trust, load_trusts, month  # noqa: E402
from workforce.base.config import load_config  # noqa: E402
from workforce.measures.kpi import kpi_frame  # noqa: E402
from workforce.signals.assurance import analyse_kpi_series  # noqa: E402
from workforce.signals.spc import analyse, profile_from  # noqa: E402
from workforce.views.summary import sustained_shift  # noqa: E402

MONTHLY_KPIS = ("turnover_rate_12m", "first_year_leaver_rate", "sickness_absence_rate", "vacancy_rate",
                "agency_spend_pct")
SEASONAL = {"sickness_absence_rate"}
CARRIES_OVER = {"vacancy_rate"}


def histories(db, config, kpi, codes) -> dict[str, pd.DataFrame]:
    frame = kpi_frame(db, config, [kpi], codes, group_by="org")
    return {code: part[["period", "value", "spc_value"]].reset_index(drop=True) for code, part in frame.groupby("grp")}


def read_old(config, kpi, history, profile):
    """The method before issue 18: the latest 36 values of the SPC series from the first 12-month
    figure on, limits over all of them, the target against the monthly limits."""
    points = history.dropna(subset=["value", "spc_value"]).tail(config.spc.chart_months)
    if points.empty:
        return None, None
    target = kpi.target_at(history["period"].iloc[-1])
    result = analyse(points["spc_value"].tolist(), list(points["period"]), kpi.improvement_direction, target,
                     profile=profile)
    if not result.limits_shown:
        return None, None
    withheld = sustained_shift(result) is not None
    return result.point_type[result.last_index], None if withheld else result.assurance_icon


def read_new(config, kpi, history, profile, seasonal=None):
    points = history.dropna(subset=["spc_value"])
    target = kpi.target_at(history["period"].iloc[-1])
    signals = analyse_kpi_series(
        points["spc_value"].to_numpy(float), list(points["period"]), improvement_direction=kpi.improvement_direction,
        target=target, months_in_figure=12 if kpi.window in ("rolling_12m", "fytd") else 1,
        seasonal=kpi.id in SEASONAL if seasonal is None else seasonal, display_points=config.spc.chart_months,
        profile=profile, carries_over=kpi.id in CARRIES_OVER)
    result = signals.result
    if not result.limits_shown:
        return None, None
    withheld = sustained_shift(result) is not None
    return result.point_type[result.last_index], None if withheld else result.assurance_icon


def as_at_months(history: pd.DataFrame, first: int) -> list[pd.DataFrame]:
    """The history as known at each month from the data's month `first` (0-based) on."""
    return [history[history["period"] <= p] for p in history["period"] if p >= month(first)]


def readings(config, db, codes, kpi_ids, first_month, profile):
    """{(method, kpi): [(code, as-at index, point type, assurance)]} over every trust and as-at month."""
    out: dict[tuple[str, str], list] = {}
    for kpi_id in kpi_ids:
        kpi = config.kpi_by_id[kpi_id]
        for code, history in histories(db, config, kpi, codes).items():
            for i, part in enumerate(as_at_months(history, first_month)):
                old = read_old(config, kpi, part, profile)
                new = read_new(config, kpi, part, profile)
                out.setdefault(("before", kpi_id), []).append((code, i, *old))
                out.setdefault(("issue 18", kpi_id), []).append((code, i, *new))
    return out


def special_share(rows) -> float:
    shown = [r for r in rows if r[2] is not None]
    return sum(r[2] != "common_cause" for r in shown) / max(len(shown), 1)


def flip_share(rows) -> float:
    """Share of months whose variation differs from the month before (same trust)."""
    by_trust: dict[str, list] = {}
    for code, _, kind, _ in rows:
        by_trust.setdefault(code, []).append(kind)
    flips = [a != b for kinds in by_trust.values() for a, b in zip(kinds, kinds[1:])]
    return sum(flips) / max(len(flips), 1)


def assurance_mix(rows) -> str:
    counts = Counter(r[3] or "none/withheld" for r in rows if r[2] is not None)
    total = sum(counts.values()) or 1
    return ", ".join(f"{k} {v / total:.0%}" for k, v in counts.most_common())


def scenario(config, trusts, n_months, seed, folder, name):
    return load_trusts(config, trusts, Path(folder) / f"{name}.duckdb", n_months, seed)


def report_stable(config, folder, n, profile, winter=0.0, carry=0.0, title="stable"):
    trusts = [Trust(f"S{i:03d}", winter=winter, vacancy_carry=carry) for i in range(n)]
    sim, db = scenario(config, trusts, 60, 1, folder, title)
    rows = readings(sim, db, [t.code for t in trusts], MONTHLY_KPIS, 36, profile)
    print(f"\n## {title} ({n} trusts of 5,000 staff, 60 months; as at each of months 37–60)")
    print(f"{'KPI':28} {'method':9} {'special cause':>13} {'flips':>6}  assurance")
    for kpi_id in MONTHLY_KPIS:
        for method in ("before", "issue 18"):
            part = rows[(method, kpi_id)]
            print(f"{kpi_id:28} {method:9} {special_share(part):13.1%} {flip_share(part):6.1%}  {assurance_mix(part)}")
    return rows


def board_months(rows, kpi_ids) -> float:
    """Share of (trust, month) boards with at least one special-cause icon among the KPIs."""
    flagged: dict[tuple, bool] = {}
    for kpi_id in kpi_ids:
        for code, i, kind, _ in rows[("issue 18", kpi_id)]:
            if kind is not None:
                flagged[(code, i)] = flagged.get((code, i), False) or kind != "common_cause"
    return sum(flagged.values()) / max(len(flagged), 1)


def report_shift(config, folder, n, profile):
    """Turnover +2 points (monthly leave probability up by 0.02/12) at 15,000-staff trusts, from month 36."""
    step = np.r_[np.full(36, 0.0095), np.full(30, 0.0095 + 0.02 / 12)]
    trusts = [Trust(f"H{i:03d}", headcount=15000, leave=step) for i in range(n)]
    sim, db = scenario(config, trusts, 66, 2, folder, "shift")
    kpi = sim.kpi_by_id["turnover_rate_12m"]
    buckets = {"months 1–5": range(1, 6), "months 6–17": range(6, 18), "months 18–24": range(18, 25),
               "months 25–30": range(25, 31)}
    print(f"\n## sustained shift: turnover +2 points from month 36 ({n} trusts of 15,000 staff); share of "
          "trust-months whose latest point is special cause (concern), and assurance withheld")
    for method, read in (("before", lambda h: read_old(sim, kpi, h, profile)),
                         ("issue 18", lambda h: read_new(sim, kpi, h, profile))):
        hits = {b: [] for b in buckets}
        withheld = {b: [] for b in buckets}
        for code, history in histories(db, sim, kpi, [t.code for t in trusts]).items():
            for after in range(1, 31):
                part = history[history["period"] <= month(35 + after)]
                kind, icon = read(part)
                for b, span in buckets.items():
                    if after in span:
                        hits[b].append(kind == "special_cause_concern")
                        withheld[b].append(icon is None)
        print(f"  {method:9} " + "  ".join(f"{b}: {np.mean(hits[b]):.0%} flagged, {np.mean(withheld[b]):.0%} withheld"
                                          for b in buckets))


def report_far_from_target(config, folder, n, profile):
    """First-year leavers at 22.8% of joiners against a 15% target, stable: the 12-month figure never meets it."""
    trusts = [Trust(f"F{i:03d}", headcount=size, first_year_share=0.228)
              for i, size in enumerate(np.linspace(3000, 15000, n).astype(int))]
    sim, db = scenario(config, trusts, 60, 3, folder, "far")
    print(f"\n## far from target: first-year leavers 22.8% against 15% ({n} trusts of 3,000–15,000 staff), "
          "assurance as at months 37–60")
    rows = readings(sim, db, [t.code for t in trusts], ("first_year_leaver_rate", "turnover_rate_12m"), 36, profile)
    for kpi_id in ("first_year_leaver_rate", "turnover_rate_12m"):
        for method in ("before", "issue 18"):
            print(f"  {kpi_id:24} {method:9} {assurance_mix(rows[(method, kpi_id)])}")


def report_trend(config, folder, n, profile):
    """Turnover falling steadily by 1 point a year from month 30 (5,000 staff)."""
    path = np.r_[np.full(30, 0.0095), 0.0095 - np.arange(1, 31) * (0.01 / 12) / 12]
    trusts = [Trust(f"T{i:03d}", leave=path) for i in range(n)]
    sim, db = scenario(config, trusts, 60, 4, folder, "trend")
    kpi = sim.kpi_by_id["turnover_rate_12m"]
    print(f"\n## trend: turnover falling 1 point a year from month 30 ({n} trusts); share flagged improvement")
    for method, read in (("before", lambda h: read_old(sim, kpi, h, profile)),
                         ("issue 18", lambda h: read_new(sim, kpi, h, profile))):
        by_after = {}
        for code, history in histories(db, sim, kpi, [t.code for t in trusts]).items():
            for after in (6, 12, 18, 24, 30):
                kind, _ = read(history[history["period"] <= month(29 + after)])
                by_after.setdefault(after, []).append(kind == "special_cause_improvement")
        print(f"  {method:9} " + "  ".join(f"{a} months on: {np.mean(v):.0%}" for a, v in by_after.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer trusts")
    args = parser.parse_args()
    config = load_config()
    profile = profile_from(config.spc.profile, **config.spc.overrides)
    n = 20 if args.quick else 60
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        stable = report_stable(config, folder, n, profile)
        print(f"  boards (5 monthly charts) with at least one special cause: {board_months(stable, MONTHLY_KPIS):.0%}")
        report_stable(config, folder, n, profile, winter=0.006, title="seasonal sickness (±0.6 points, peak January)")
        report_stable(config, folder, n, profile, carry=0.7, title="vacancies carrying over (AR(1) 0.7)")
        report_shift(config, folder, max(n // 2, 10), profile)
        report_far_from_target(config, folder, max(n // 3, 10), profile)
        report_trend(config, folder, max(n // 2, 10), profile)
    print(f"\n{time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
