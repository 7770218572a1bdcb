"""Simulated KPI series with a known answer, for the reliability of `on_course`.

Each simulated unit is a monthly process of additive components (a numerator and, for a rate, a
denominator), read the way the KPI engine reads the real ones: the headline over the KPI's window
(12-month rolling, financial year to date, or the month) and the month's own figure (`spc_value`).
Because the process is known, so is the answer: the true chance that the March figure, as displayed,
meets the target, given everything up to the forecast's month, is worked out by running the same
process on from that month `DRAWS` times. Stating that chance is the best any forecast could do
(its Brier score is the floor); always stating the base rate is the bar every KPI must clear.

Shapes (the KPIs'): a 12-month rate of small counts (first-year leavers: leavers with under a
year's service ÷ joiners), a 12-month rate of large counts (turnover), money with a £0 target on a
non-negative quantity (levy expired: months with nothing expired come in runs), a monthly rate
(sickness, seasonal), a financial-year-to-date rate (agency spend). Scenarios: stable, seasonal,
shifted (a step at a random month), trending (a steady drift), short (30 months of history).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

START = dt.date(2021, 4, 1)
DRAWS = 400
SCENARIOS = ("stable", "seasonal", "shifted", "trending", "short")


@dataclass(frozen=True)
class SimKpi:
    """What the forecast and the met/missed rule read of a KPI."""
    id: str
    window: str
    improvement_direction: str
    format: str
    target: float

    def target_at(self, period) -> float:
        return self.target


@dataclass
class Shape:
    kpi: SimKpi
    scale: float

    def level(self, rng, n: int, scenario: str) -> np.ndarray:
        """The process's expected monthly figure, month by month (known to the oracle)."""
        raise NotImplementedError

    def draw(self, rng, level: np.ndarray, state, draws: int):
        """(numerator, denominator, state) for the months of `level`, `draws` times: arrays (draws, n)."""
        raise NotImplementedError


def _path(rng, base: float, n: int, scenario: str, season: float, step: float, drift: float) -> np.ndarray:
    months = np.arange(n)
    level = np.full(n, base, dtype=float)
    if scenario == "seasonal":
        level *= 1 + season * np.cos(2 * np.pi * (months + 3) / 12)  # peak in January (month 9 from April)
    if scenario == "shifted":
        level[rng.integers(n // 4, 3 * n // 4):] += step * rng.choice([-1, 1])
    if scenario == "trending":
        level += drift * rng.choice([-1, 1]) * months / 12
    return np.maximum(level, 0.0)


class SmallRate(Shape):
    """First-year leavers: joiners ~ Poisson(J), leavers with under a year ~ Binomial(joiners, p)."""

    def level(self, rng, n, scenario):
        self.joiners = rng.choice([12, 30, 80])
        return _path(rng, rng.uniform(11, 21), n, scenario, 0.25, 4.0, 2.0)

    def draw(self, rng, level, state, draws):
        joiners = rng.poisson(self.joiners, (draws, len(level))).astype(float)
        leavers = rng.binomial(joiners.astype(int), np.clip(level / 100, 0, 1)).astype(float)
        return leavers, joiners, state


class LargeRate(Shape):
    """Turnover: leavers ~ Poisson(headcount × annual rate / 12); the denominator is headcount / 12
    a month, so 12 months add up to the headcount and the month's own figure is annualised."""

    def level(self, rng, n, scenario):
        self.headcount = rng.choice([800, 3000, 9000])
        return _path(rng, rng.uniform(8, 12.5), n, scenario, 0.2, 1.5, 0.8)

    def draw(self, rng, level, state, draws):
        leavers = rng.poisson(self.headcount * level / 100 / 12, (draws, len(level))).astype(float)
        return leavers, np.full(leavers.shape, self.headcount / 12), state


class Expiring(Shape):
    """Levy expired: a month with nothing expired is followed by another with chance `stay`, a month
    with some by one with none with chance `clear`; amounts are log-normal around `level`."""

    def level(self, rng, n, scenario):
        self.stay, self.clear = rng.uniform(0.6, 0.97), rng.uniform(0.2, 0.7)
        return _path(rng, rng.uniform(2_000, 20_000), n, scenario, 0.5, 8_000, 5_000)

    def draw(self, rng, level, state, draws):
        zero = np.empty((draws, len(level)), dtype=bool)
        previous = np.full(draws, True if state is None else state)
        for m in range(len(level)):
            previous = np.where(previous, rng.random(draws) < self.stay, rng.random(draws) < self.clear)
            zero[:, m] = previous
        amount = np.where(zero, 0.0, level * rng.lognormal(-0.5, 1.0, zero.shape))
        return amount, np.full(zero.shape, 1 / 12), zero[:, -1]


class MonthlyRate(Shape):
    """Sickness: days lost ÷ days available; month-to-month noise of a few tenths of a point."""

    def level(self, rng, n, scenario):
        self.noise = rng.choice([0.15, 0.3, 0.6])
        return _path(rng, rng.uniform(4.0, 5.4), n, scenario, 0.12, 0.6, 0.4)

    def draw(self, rng, level, state, draws):
        rate = level + self.noise * rng.standard_normal((draws, len(level)))
        return np.maximum(rate, 0) * 10, np.full(rate.shape, 1000.0), state


class YearToDate(Shape):
    """Agency spend: the month's spend ÷ the month's pay bill; judged on the financial year to date."""

    def level(self, rng, n, scenario):
        self.noise = rng.choice([0.3, 0.6, 1.2])
        return _path(rng, rng.uniform(2.4, 4.0), n, scenario, 0.15, 0.8, 0.5)

    def draw(self, rng, level, state, draws):
        rate = level + self.noise * rng.standard_normal((draws, len(level)))
        return np.maximum(rate, 0) * 1e4, np.full(rate.shape, 1e6), state


SHAPES = {
    "first_year_leavers (12-month rate, small counts)":
        lambda: SmallRate(SimKpi("first_year_leaver_rate", "rolling_12m", "decrease", "percent1", 15), 100),
    "turnover (12-month rate)":
        lambda: LargeRate(SimKpi("turnover_rate_12m", "rolling_12m", "decrease", "percent1", 10), 100),
    "levy_expired (money, £0 target)":
        lambda: Expiring(SimKpi("levy_expired", "rolling_12m", "decrease", "gbp", 0), 1),
    "sickness (monthly rate)":
        lambda: MonthlyRate(SimKpi("sickness_absence_rate", "month", "decrease", "percent1", 4.5), 100),
    "agency (year to date)":
        lambda: YearToDate(SimKpi("agency_spend_pct", "fytd", "decrease", "percent1", 3.2), 100),
}


def headline(kpi: SimKpi, num: np.ndarray, den: np.ndarray, scale: float, first: int = 0) -> np.ndarray:
    """The KPI over its window for each month (last axis), as the engine adds up components;
    `first` is the month index of column 0 counted from START (April), for the financial year."""
    if kpi.window == "month":
        return num / den * scale
    if kpi.window == "rolling_12m":
        cn, cd = np.cumsum(num, -1), np.cumsum(den, -1)
        pad = np.zeros(num.shape[:-1] + (1,))
        cn, cd = np.concatenate([pad, cn], -1), np.concatenate([pad, cd], -1)
        out = np.full(num.shape, np.nan)
        out[..., 11:] = (cn[..., 12:] - cn[..., :-12]) / (cd[..., 12:] - cd[..., :-12]) * scale
        return out
    out = np.full(num.shape, np.nan)  # fytd: April (month index ≡ 0 mod 12) starts a new sum
    sn, sd = np.zeros(num.shape[:-1]), np.zeros(num.shape[:-1])
    for m in range(num.shape[-1]):
        if (first + m) % 12 == 0:
            sn, sd = np.zeros_like(sn), np.zeros_like(sd)
        sn, sd = sn + num[..., m], sd + den[..., m]
        out[..., m] = sn / sd * scale
    return out


def met(kpi: SimKpi, value, performance_rule) -> bool:
    return performance_rule(kpi, float(value), kpi.target) == "meets target"


def months(n: int) -> list[dt.date]:
    return [(pd.Timestamp(START) + pd.DateOffset(months=i)).date() for i in range(n)]


def simulate(name: str, scenario: str, units: int, seed: int, forecast, performance_rule) -> pd.DataFrame:
    """Every March-bound forecast of `units` simulated series: stated chance, true chance, met.
    `forecast(kpi, history) -> probability or None` with history columns period, value, spc_value."""
    rng = np.random.default_rng(seed)
    total = 30 if scenario == "short" else 60
    rows = []
    for unit in range(units):
        shape = SHAPES[name]()
        kpi = shape.kpi
        level = shape.level(rng, total, scenario)
        num, den, _ = shape.draw(rng, level, None, 1)
        num, den = num[0], den[0]
        value = headline(kpi, num, den, shape.scale)
        history = pd.DataFrame({"period": months(total), "value": value, "spc_value": num / den * shape.scale,
                                "spc_denominator": den})
        for t in range(12, total):
            h = (11 - t % 12) % 12 or 12  # months from t to the next March (index ≡ 11 mod 12)
            if t + h >= total:
                break
            stated = forecast(kpi, history.iloc[:t + 1])
            if stated is None:
                continue
            rows.append({"shape": name, "scenario": scenario, "horizon": h, "probability": stated,
                         "truth": _true_chance(shape, level, num, den, t, h),
                         "met": met(kpi, value[t + h], performance_rule)})
    return pd.DataFrame(rows)


def _true_chance(shape: Shape, level, num, den, t: int, h: int) -> float:
    """The process run on from month t for h months DRAWS times: the share whose March figure meets
    the target as displayed. The state carried over (the levy's zero run) is month t's."""
    from workforce.base.formatting import as_displayed

    rng = np.random.default_rng(int(t * 7919 + h))
    kpi = shape.kpi
    state = num[t] == 0 if isinstance(shape, Expiring) else None
    f_num, f_den, _ = shape.draw(rng, level[t + 1:t + h + 1], state, DRAWS)
    start = max(0, t + 1 - 12)
    all_num = np.concatenate([np.tile(num[start:t + 1], (DRAWS, 1)), f_num], 1)
    all_den = np.concatenate([np.tile(den[start:t + 1], (DRAWS, 1)), f_den], 1)
    march = headline(kpi, all_num, all_den, shape.scale, first=start)[:, -1]
    shown, target = np.vectorize(as_displayed)(march, kpi.format), as_displayed(kpi.target, kpi.format)
    return float(np.mean(shown <= target if kpi.improvement_direction == "decrease" else shown >= target))
