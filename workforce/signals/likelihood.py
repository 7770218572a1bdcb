"""Relative likelihood between equality groups, with its direction and a 95% confidence interval.

The relative likelihood of group A against the reference group R is A's rate ÷ R's rate (e.g. the
BME leaver rate ÷ the White leaver rate), as in the NHS Workforce Race Equality Standard. Its 95%
interval is the log (Katz) method: ln RR ± 1.96 × √(1/a − 1/n₁ + 1/c − 1/n₂) for a events among
n₁ in A and c among n₂ in R (Katz et al. 1978). It applies only to counts of people — FTE days or
pounds are not independent events, so those ratios get no interval. No interval with zero events.
"""

from __future__ import annotations

import math

Z_95 = 1.959964

# What the numerator counts, as "… times as likely <phrase> as …" (by the numerator's measure id).
PHRASES = {
    "leavers": "to leave",
    "leavers_under_1yr": "to leave within a year of joining",
    "headcount_stable_12m": "to stay for the year",
    "apprenticeship_starts": "to start an apprenticeship",
    "joiners_local_pipeline": "to join from a local education pipeline",
    "survey_respondents": "to respond to the staff survey",
    "survey_flexible_satisfied": "to be satisfied with flexible working",
}


def katz_interval(a: float, n1: float, c: float, n2: float) -> tuple[float, float, float] | None:
    """(RR, lower, upper) for a of n1 against c of n2, or None when undefined (a zero count)."""
    if min(a, c) <= 0 or min(n1, n2) <= 0 or a > n1 or c > n2:
        return None
    ratio = (a / n1) / (c / n2)
    se = math.sqrt(max(1 / a - 1 / n1 + 1 / c - 1 / n2, 0.0))
    return ratio, ratio * math.exp(-Z_95 * se), ratio * math.exp(Z_95 * se)


def staff_words(group: str, breakdown_id: str) -> str:
    """'BME (all minority ethnic groups)' → 'BME staff'; age bands → 'staff aged 25-34';
    'Not stated' → 'staff whose ethnicity is not stated'; 'Not disabled' → 'non-disabled staff'."""
    name = group.split(" (")[0]
    if breakdown_id == "age_band":
        return f"staff aged {name[:1].lower()}{name[1:]}"
    if name in ("Not stated", "Not declared"):
        return f"staff whose {breakdown_id.replace('_', ' ')} is {name.lower()}"
    if name.startswith("Not "):
        return f"non-{name[4:]} staff"
    return f"{name} staff"


def sentence(group: str, reference: str, breakdown_id: str, ratio: float, interval: tuple | None,
             measure: str, kpi_label: str, no_interval: str = "") -> str:
    """'BME staff were 1.90 times as likely to leave as White staff (95% CI 1.52 to 2.37).'"""
    who, versus = staff_words(group, breakdown_id), staff_words(reference, breakdown_id)
    phrase = PHRASES.get(measure)
    if phrase:
        text = f"{who[:1].upper()}{who[1:]} were {ratio:.2f} times as likely {phrase} as {versus}"
    else:
        text = (f"The {kpi_label[:1].lower()}{kpi_label[1:]} for {who} was {ratio:.2f} times that for {versus}")
    if interval is not None:  # two decimals, as the Workforce Race Equality Standard reports it
        return f"{text} (95% CI {interval[0]:.2f} to {interval[1]:.2f})."
    return f"{text} ({no_interval})." if no_interval else f"{text}."
