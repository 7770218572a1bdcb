"""Time analyse() over 1,000 monthly series of 120 points (target: under 1 s in total).

Run from the repository root: ``.venv/bin/python benchmarks/bench_spc.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workforce.signals.spc import analyse, profile_from  # noqa: E402

N_SERIES, N_POINTS = 1_000, 120


def make_series(rng: np.random.Generator) -> np.ndarray:
    """Noise around a level, with a step change and a few outliers in some series."""
    values = rng.normal(10.0, 1.0, N_POINTS)
    if rng.random() < 0.5:
        values[rng.integers(20, 100):] += rng.choice([-1.0, 1.0]) * rng.uniform(1, 3)
    outliers = rng.integers(0, N_POINTS, rng.integers(0, 3))
    values[outliers] += 5.0
    return values


def main() -> None:
    rng = np.random.default_rng(20261125)
    months = np.arange(np.datetime64("2016-04"), np.datetime64("2016-04") + N_POINTS)
    dates = months.astype("datetime64[D]")
    series = [make_series(rng) for _ in range(N_SERIES)]
    targets = rng.uniform(8, 12, N_SERIES)
    runs = [("mdc", dates), ("nhsr", dates), ("mdc, dates as datetime.date", dates.tolist())]
    for label, run_dates in runs:
        profile = profile_from(label.split(",")[0])
        analyse(series[0], run_dates, profile=profile)  # warm up
        start = time.perf_counter()
        for values, target in zip(series, targets):
            analyse(values, run_dates, "decrease", float(target), profile=profile)
        seconds = time.perf_counter() - start
        print(f"{label}: {N_SERIES} series x {N_POINTS} points in {seconds:.3f} s "
              f"({seconds / N_SERIES * 1e3:.3f} ms per series)")


if __name__ == "__main__":
    main()
