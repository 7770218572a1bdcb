"""How many organisations fall outside a funnel's 95% limits when they differ only as the model says.

Simulates national sickness months: about 220 trusts of four types whose true rates differ by type
(ambulance trusts' sickness is structurally higher) and, within a type, by a between-trust spread
on the arcsine-square-root scale; each trust's FTE days lost are binomial on its FTE days available.
Nothing is special, so a calibrated 95% band holds about 95% of the trusts. Compares all types in
one funnel with one funnel per organisation type, each with φ from winsorised z-scores as before
issue 18 and with φ made consistent for winsorising (workforce/funnel.py, docs/methods.md).

Run: ``.venv/bin/python benchmarks/bench_funnel.py`` (seconds).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workforce.signals.funnel import funnel  # noqa: E402

TYPES = {"acute": (120, 0.050, 4000), "mental health": (50, 0.058, 2500), "community": (30, 0.055, 1500),
         "ambulance": (20, 0.070, 3000)}  # trusts, typical rate, typical FTE
TAU = 0.012  # between-trust spread within a type, on the arcsine-square-root scale


def national_month(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for kind, (count, rate, fte) in TYPES.items():
        centre = np.arcsin(np.sqrt(rate))
        true = np.sin(np.clip(centre + rng.normal(0, TAU, count), 0, np.pi / 2)) ** 2
        days = np.round(rng.lognormal(np.log(fte * 30), 0.5, count))
        lost = rng.binomial(days.astype(int), true)
        rows += [{"org_code": f"{kind[:3]}{i}", "type": kind, "numerator": float(n), "denominator": float(d),
                  "value": n / d * 100} for i, (n, d) in enumerate(zip(lost, days))]
    return pd.DataFrame(rows)


def outside_95(points: pd.DataFrame) -> np.ndarray:
    return ((points["value"] > points["upper95"]) | (points["value"] < points["lower95"])).to_numpy()


def shares(months: int, seed: int = 18) -> dict[str, list[float]]:
    rng = np.random.default_rng(seed)
    out: dict[str, list[float]] = {"all types": [], "by type": []}
    for _ in range(months):
        month = national_month(rng)
        out["all types"].append(outside_95(funnel(month).points).mean())
        flags = np.concatenate([outside_95(funnel(part).points) for _, part in month.groupby("type")])
        out["by type"].append(flags.mean())
    return out


def main(months: int = 200) -> None:
    import workforce.signals.funnel as module

    consistent = module.winsorised_second_moment
    print(f"{months} simulated national sickness months, {sum(c for c, _, _ in TYPES.values())} trusts each: "
          "share of trusts outside the 95% limits (5th–95th percentile over months)")
    for label, moment in (("φ from winsorised z-scores (before)", lambda share=0.1: 1.0),
                          ("φ made consistent (issue 18)", consistent)):
        module.winsorised_second_moment = moment
        result = shares(months)
        module.winsorised_second_moment = consistent
        print(f"  {label:36} " + "   ".join(
            f"{group}: {np.mean(v):.1%} ({np.percentile(v, 5):.0%}–{np.percentile(v, 95):.0%})"
            for group, v in result.items()))


if __name__ == "__main__":
    main()
