"""Funnel plot limits for comparing organisations (Spiegelhalter 2005), with overdispersion.

An organisation's rate is judged against the rate of all organisations shown together (the
centre, a ratio of sums), with 95% and 99.8% limits that widen as its denominator shrinks.

- Without overdispersion the limits are exact: binomial for proportions (numerator ≤ denominator),
  Poisson for other rates, interpolated between whole counts as in Spiegelhalter (2005, appendix),
  so small denominators get the right asymmetric limits and nothing falls outside 0–100%.
- Real organisations differ more than chance alone allows (sickness counts every FTE day as an
  independent event). Each organisation's z-score on a variance-stabilising scale (arcsine square
  root for proportions, square root for rates) is winsorised at 10% each end; φ is the mean
  squared z-score divided by what that mean is for normal z-scores winsorised the same way
  (0.679: winsorising alone shrinks it by a third, which left 12–16% of trusts outside "95%" limits
  in simulation), and the DerSimonian–Laird between-organisation variance τ² follows from it.
  When τ² > 0 the limits become centre ± z·√(s² + τ²) on that scale (additive random effects),
  transformed back and clipped to the valid range — as in FunnelPlotR and Spiegelhalter (2005b).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

LEVELS = {"95": 0.95, "998": 0.998}
WINSORISE = 0.10


def winsorised_second_moment(share: float = WINSORISE) -> float:
    """E[z²] of a standard normal winsorised at the `share` and 1 − `share` quantiles:
    (1 − 2s) − 2cφ(c) + 2s·c², c = Φ⁻¹(1 − s) (0.679 at 10%)."""
    c = stats.norm.ppf(1 - share)
    return float((1 - 2 * share) - 2 * c * stats.norm.pdf(c) + 2 * share * c * c)


@dataclass
class Funnel:
    centre: float              # on the KPI's scale (e.g. 4.8 for 4.8%)
    kind: str                  # "proportion" (binomial) or "rate" (Poisson)
    phi: float                 # overdispersion ratio from winsorised z-scores (1 = chance alone)
    tau2: float                # between-organisation variance on the transformed scale
    points: pd.DataFrame       # input rows + lower95, upper95, lower998, upper998, z, outlier, position
    curves: pd.DataFrame       # denominator, centre, lower_95, upper_95, lower_998, upper_998

    @property
    def adjusted(self) -> bool:
        return self.tau2 > 0

    @property
    def adjustment_text(self) -> str:
        if not self.adjusted:
            return (f"No overdispersion adjustment: the organisations vary no more than chance predicts "
                    f"(φ = {self.phi:.2f}), so the limits are exact {self._family} limits.")
        return (f"Limits widened for overdispersion: the organisations differ more than chance alone predicts "
                f"(φ = {self.phi:.2f}, observed ÷ expected variance), so a between-organisation variance "
                f"τ² = {self.tau2:.2g} is added (Spiegelhalter's random-effects method; docs/methods.md).")

    @property
    def plain_text(self) -> str:
        """What the limits allow for, in words a board reads (the figures: adjustment_text)."""
        if not self.adjusted:
            return ("The organisations differ from each other no more than chance would explain, so the limits are "
                    "the usual ones for organisations of each size.")
        how_much = f"about {self.phi:.0f} times as much as" if self.phi >= 1.5 else "a little more than"
        return (f"The organisations differ from each other {how_much} chance alone would explain — real differences "
                "in how they work, not only the ups and downs of small numbers — so the limits are widened to "
                "allow for that: an organisation outside them stands out even among organisations that "
                "genuinely differ.")

    @property
    def _family(self) -> str:
        return "binomial" if self.kind == "proportion" else "Poisson"


def _transform(rate: np.ndarray, kind: str) -> np.ndarray:
    """Variance-stabilising scale: arcsine square root (proportions), square root (rates)."""
    rate = np.clip(rate, 0, 1 if kind == "proportion" else None)
    return np.arcsin(np.sqrt(rate)) if kind == "proportion" else np.sqrt(rate)


def _untransform(y: np.ndarray, kind: str) -> np.ndarray:
    if kind == "proportion":
        return np.sin(np.clip(y, 0, np.pi / 2)) ** 2
    return np.clip(y, 0, None) ** 2


def _sd_transformed(denominator: np.ndarray) -> np.ndarray:
    """Standard error on the transformed scale: 1 / (2√n) for both transforms."""
    return 1 / (2 * np.sqrt(denominator))


def overdispersion(numerator, denominator, centre: float, kind: str,
                   winsorise: float = WINSORISE) -> tuple[float, float]:
    """φ (mean squared winsorised z-score, made consistent for normal z-scores) and τ²
    (DerSimonian–Laird, 0 when Iφ ≤ I − 1)."""
    numerator, denominator = np.asarray(numerator, float), np.asarray(denominator, float)
    s = _sd_transformed(denominator)
    z = (_transform(numerator / denominator, kind) - _transform(np.array([centre]), kind)[0]) / s
    low, high = np.quantile(z, [winsorise, 1 - winsorise])
    z = np.clip(z, low, high)
    count = len(z)
    phi = float(np.mean(z ** 2)) / winsorised_second_moment(winsorise)
    weights = 1 / s ** 2
    spread = weights.sum() - (weights ** 2).sum() / weights.sum()
    if count < 2 or count * phi <= count - 1 or spread <= 0:
        return phi, 0.0
    return phi, float((count * phi - (count - 1)) / spread)


def exact_limits(denominator, centre: float, probability: float, kind: str) -> np.ndarray:
    """The `probability` quantile of the rate under chance alone, interpolated between whole counts
    (Spiegelhalter 2005, appendix A.1): (r_p − α) / n with α = (F(r_p) − p) / (F(r_p) − F(r_p − 1))."""
    n = np.maximum(np.rint(np.asarray(denominator, float)), 1)
    if centre <= 0 or (kind == "proportion" and centre >= 1):  # no variation at all: 0% or 100% everywhere
        return np.full(n.shape, float(centre))
    dist = stats.binom(n, centre) if kind == "proportion" else stats.poisson(n * centre)
    r = dist.ppf(probability)
    at, below = dist.cdf(r), dist.cdf(r - 1)
    step = np.where(at > below, at - below, 1.0)
    alpha = np.clip((at - probability) / step, 0, 1)
    limit = (r - alpha) / n
    return np.clip(limit, 0, 1 if kind == "proportion" else None)


def limits(denominator, centre: float, level: float, kind: str, tau2: float) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper limits (as fractions) at `level` (0.95, 0.998) for each denominator."""
    denominator = np.asarray(denominator, float)
    tail = (1 - level) / 2
    if tau2 <= 0:
        return exact_limits(denominator, centre, tail, kind), exact_limits(denominator, centre, 1 - tail, kind)
    z = stats.norm.ppf(1 - tail)
    middle = _transform(np.array([centre]), kind)[0]
    spread = z * np.sqrt(_sd_transformed(denominator) ** 2 + tau2)
    return _untransform(middle - spread, kind), _untransform(middle + spread, kind)


def rate_kind(numerator, denominator) -> str:
    """Binomial when no numerator exceeds its denominator (a proportion), otherwise Poisson."""
    return "proportion" if bool(np.all(np.asarray(numerator) <= np.asarray(denominator))) else "rate"


def funnel(points: pd.DataFrame, scale: float = 100, adjust: bool = True, centre: float | None = None,
           curve_points: int = 120) -> Funnel:
    """Funnel limits for one KPI at one month.

    points: one row per organisation with numerator, denominator and value (= numerator ÷
    denominator × scale); rows without a positive denominator are left out. centre: a fixed
    benchmark on the KPI's scale (e.g. a national figure); default the points' ratio of sums."""
    points = points.dropna(subset=["numerator", "denominator"])
    points = points[points["denominator"] > 0].copy().reset_index(drop=True)
    if points.empty:
        raise ValueError("a funnel plot needs organisations with a numerator and a positive denominator")
    numerator, denominator = points["numerator"].to_numpy(float), points["denominator"].to_numpy(float)
    centre = numerator.sum() / denominator.sum() if centre is None else centre / scale
    kind = rate_kind(numerator, denominator)
    phi, tau2 = overdispersion(numerator, denominator, centre, kind) if len(points) >= 3 else (1.0, 0.0)
    tau2 = tau2 if adjust else 0.0
    for name, level in LEVELS.items():
        low, high = limits(denominator, centre, level, kind, tau2)
        points[f"lower{name}"], points[f"upper{name}"] = low * scale, high * scale
    rate = numerator / denominator
    points["z"] = ((_transform(rate, kind) - _transform(np.array([centre]), kind)[0])
                   / np.sqrt(_sd_transformed(denominator) ** 2 + tau2))
    points["outlier"] = np.select([points["value"] > points["upper998"], points["value"] < points["lower998"]],
                                  ["above", "below"], "none")
    points["position"] = np.select(
        [points["outlier"] == "above", points["outlier"] == "below",
         points["value"] > points["upper95"], points["value"] < points["lower95"]],
        ["above 99.8% limit", "below 99.8% limit", "above 95% limit", "below 95% limit"], "within limits")
    n = np.geomspace(max(denominator.min() * 0.5, 1), denominator.max() * 1.5, curve_points)
    curves = pd.DataFrame({"denominator": n, "centre": centre * scale})
    for name, level in LEVELS.items():
        low, high = limits(n, centre, level, kind, tau2)
        curves[f"lower_{name}"], curves[f"upper_{name}"] = low * scale, high * scale
    return Funnel(centre * scale, kind, phi, tau2, points, curves)
