"""Funnel limits (workforce/signals/funnel.py): a published PHE worked example, exact limits worked by hand,
overdispersion on simulated organisations whose true spread is known, and the valid range."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from workforce.signals.funnel import exact_limits, funnel, limits

REFERENCE = Path(__file__).parents[1] / "reference"
PHE_BASELINE = 80.642448  # published: sum of numerators / sum of denominators over every PCT
PHE_WORDS = {"above 99.8% limit": "High (0.001)", "below 99.8% limit": "Low (0.001)",
             "above 95% limit": "High (0.025)", "below 95% limit": "Low (0.025)",
             "within limits": "Not significant"}


def frame(numerator, denominator, scale=100) -> pd.DataFrame:
    numerator, denominator = np.asarray(numerator, float), np.asarray(denominator, float)
    return pd.DataFrame({"org_code": [f"O{i}" for i in range(len(numerator))], "numerator": numerator,
                         "denominator": denominator, "value": numerator / denominator * scale})


def test_phe_published_classification_is_reproduced():
    """44 primary care trusts against PHE's published baseline: every one classified as PHE did
    (outside 99.8%, outside 95% only, or not significant, high or low)."""
    pcts = pd.read_csv(REFERENCE / "phe_funnel_proportions.csv", comment="#")
    pcts["value"] = pcts["numerator"] / pcts["denominator"] * 100
    result = funnel(pcts, centre=PHE_BASELINE, adjust=False)
    assert list(result.points["position"].map(PHE_WORDS)) == list(pcts["significance"])
    assert set(pcts["significance"]) == set(PHE_WORDS.values())  # every class is exercised


def test_phe_published_limits_within_a_count_or_two():
    """PHE publishes normal-approximation limits clipped to 0–100%. From n = 1,000 to 110,000 the
    exact binomial limits sit within 1.5 counts (1.5/n: continuity and skew) of them; at n = 5 and 50,
    where the skew matters more, they differ but stay inside 0–100% without clipping."""
    published = pd.read_csv(REFERENCE / "phe_funnel_limits.csv", comment="#")
    for _, row in published.iterrows():
        n = row["population"]
        for level, low_col, high_col in ((0.95, "lower95", "upper95"), (0.998, "lower998", "upper998")):
            low, high = (v[0] * 100 for v in limits([n], PHE_BASELINE / 100, level, "proportion", 0.0))
            assert 0 <= low <= high <= 100
            if n >= 1000:
                assert abs(low - row[low_col]) <= 150 / n and abs(high - row[high_col]) <= 150 / n


def test_exact_binomial_limits_by_hand():
    """n = 10, p = 0.5: F(1) = 11/1024, F(2) = 56/1024, F(7) = 968/1024, F(8) = 1013/1024.
    Lower 2.5%: r = 2, α = (56/1024 − 0.025)/(45/1024) → (2 − α)/10.
    Upper 97.5%: r = 8, α = (1013/1024 − 0.975)/(45/1024) → (8 − α)/10."""
    low_alpha = (56 / 1024 - 0.025) / (45 / 1024)
    high_alpha = (1013 / 1024 - 0.975) / (45 / 1024)
    assert exact_limits([10], 0.5, 0.025, "proportion")[0] == pytest.approx((2 - low_alpha) / 10)
    assert exact_limits([10], 0.5, 0.975, "proportion")[0] == pytest.approx((8 - high_alpha) / 10)


def test_exact_poisson_limits_by_hand_and_clipped_at_zero():
    """Rate 0.3 per unit, n = 10 → λ = 3. Upper 97.5%: F(6) < 0.975 ≤ F(7), so (7 − α)/10.
    Lower 2.5%: F(0) = e⁻³ ≥ 0.025 gives (0 − α)/10 < 0, clipped to 0."""
    cdf = lambda k: sum(math.exp(-3) * 3 ** i / math.factorial(i) for i in range(k + 1))  # noqa: E731
    alpha = (cdf(7) - 0.975) / (cdf(7) - cdf(6))
    assert exact_limits([10], 0.3, 0.975, "rate")[0] == pytest.approx((7 - alpha) / 10)
    assert exact_limits([10], 0.3, 0.025, "rate")[0] == 0


def test_rate_kind_follows_the_data():
    assert funnel(frame([5, 8, 3], [10, 20, 30])).kind == "proportion"
    assert funnel(frame([15, 8, 3], [10, 20, 30])).kind == "rate"


def test_limits_never_leave_the_valid_range():
    """Tiny denominators and a rate near 0% or 100%: no negative percentages, none above 100%."""
    for numerator in ([0, 1, 0, 2, 1], [3, 4, 5, 6, 4]):
        result = funnel(frame(numerator, [3, 5, 8, 12, 6]))
        columns = ["lower95", "upper95", "lower998", "upper998"]
        assert (result.points[columns] >= 0).all().all() and (result.points[columns] <= 100).all().all()
        curves = result.curves[["lower_95", "upper_95", "lower_998", "upper_998"]]
        assert (curves >= 0).all().all() and (curves <= 100).all().all()


def _simulated(rng, tau: float, count: int = 300) -> pd.DataFrame:
    """Organisations with sizes 2,000–200,000 whose true rates spread by `tau` on the arcsine scale
    around 5% (tau = 0: every organisation's true rate is 5%)."""
    n = rng.integers(2_000, 200_000, count)
    theta = np.arcsin(np.sqrt(0.05)) + rng.normal(0, tau, count)
    return frame(rng.binomial(n, np.sin(theta) ** 2), n)


def test_no_adjustment_when_organisations_differ_by_chance_alone():
    rng = np.random.default_rng(11)
    flagged = []
    texts = []
    for _ in range(10):
        result = funnel(_simulated(rng, 0.0))
        # φ is consistent (≈ 1 on chance alone), so the truncated τ² is 0 or a sliver of the truth below
        assert 0.7 < result.phi < 1.3 and result.tau2 < 0.1 * 0.0002
        flagged.append((result.points["outlier"] != "none").mean())
        texts.append(result.adjustment_text)
    assert np.mean(flagged) < 0.01           # nominal 0.2% outside 99.8% limits
    assert any("No overdispersion adjustment" in t for t in texts)


def test_overdispersion_estimated_and_limits_widened():
    """True between-organisation variance τ² = 0.0002. Winsorising shrinks φ a little (by design,
    so real outliers do not inflate the limits), so the estimate is between 0.4 and 1.2 × the truth;
    without the adjustment most organisations would be flagged, with it only a few."""
    rng = np.random.default_rng(12)
    for _ in range(5):
        data = _simulated(rng, math.sqrt(0.0002))
        adjusted, plain = funnel(data), funnel(data, adjust=False)
        assert 0.4 * 0.0002 <= adjusted.tau2 <= 1.2 * 0.0002 and adjusted.phi > 1
        assert (plain.points["outlier"] != "none").mean() > 0.5
        assert (adjusted.points["outlier"] != "none").mean() < 0.05
        assert "φ = " in adjusted.adjustment_text and "τ²" in adjusted.adjustment_text


def test_centre_is_a_ratio_of_sums():
    """(50 + 45) / (100 + 900) = 9.5%, not the mean of 50% and 5% (27.5%)."""
    result = funnel(frame([50, 45], [100, 900]))
    assert result.centre == pytest.approx(9.5)


def test_a_rate_of_0_or_100_percent_everywhere_flags_nobody():
    for numerator in ([0, 0, 0], [10, 20, 30]):
        result = funnel(frame(numerator, [10, 20, 30]))
        assert (result.points["outlier"] == "none").all()
        assert (result.points["lower998"] == result.points["upper998"]).all()
