"""The months of a demo build, and the national paths and seasons evaluated on them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .reference import Path


def month_index(value: dt.date | str) -> int:
    """Months since year 0, so months can be subtracted: 2024-04 → 2024*12 + 3."""
    if isinstance(value, str):
        year, month = int(value[:4]), int(value[5:7])
    else:
        year, month = value.year, value.month
    return year * 12 + month - 1


@dataclass(frozen=True)
class Timeline:
    start: dt.date
    end: dt.date

    @cached_property
    def index(self) -> np.ndarray:
        """Absolute month index of each month in the build."""
        return np.arange(month_index(self.start), month_index(self.end) + 1)

    @property
    def size(self) -> int:
        return len(self.index)

    @cached_property
    def periods(self) -> np.ndarray:
        """First day of each month, as datetime64[s]."""
        years, months = self.index // 12, self.index % 12 + 1
        text = [f"{y:04d}-{m:02d}-01" for y, m in zip(years, months)]
        return np.array(text, dtype="datetime64[D]").astype("datetime64[s]")

    @cached_property
    def month_of_year(self) -> np.ndarray:
        return self.index % 12 + 1

    @cached_property
    def year(self) -> np.ndarray:
        return self.index // 12

    @cached_property
    def financial_year(self) -> np.ndarray:
        """NHS financial years start in April: 2024-03 is in 2023/24 (→ 2023)."""
        return np.where(self.month_of_year >= 4, self.year, self.year - 1)

    @cached_property
    def days(self) -> np.ndarray:
        starts = self.periods.astype("datetime64[M]")
        return ((starts + 1).astype("datetime64[D]") - starts.astype("datetime64[D]")).astype(float)

    @property
    def years_elapsed(self) -> np.ndarray:
        """Years since the first month (0 at the start)."""
        return (self.index - self.index[0]) / 12

    def at(self, month: dt.date | str) -> int | None:
        """Position of a month in the build, or None outside it."""
        position = month_index(month) - self.index[0]
        return position if 0 <= position < self.size else None

    def months_since(self, month: dt.date | str) -> np.ndarray:
        """Months since a date (negative before it)."""
        return self.index - month_index(month)

    def path(self, path: Path) -> np.ndarray:
        """A national path evaluated on every month: linear between knots, flat beyond them."""
        x = [month_index(k) for k, _ in path.knots]
        return np.interp(self.index, x, [v for _, v in path.knots])

    def season(self, factors: dict[int, float], normalise: bool = True) -> np.ndarray:
        """A monthly profile from {month: factor} (other months 1), scaled to average 1 over a year."""
        profile = np.ones(13)
        for month, factor in factors.items():
            profile[month] = factor
        if normalise:
            profile[1:] /= profile[1:].mean()
        return profile[self.month_of_year]

    @cached_property
    def winter(self) -> np.ndarray:
        """+0.5 at the turn of the year, −0.5 in midsummer."""
        return 0.5 * np.cos(2 * np.pi * (self.month_of_year - 0.5) / 12)
