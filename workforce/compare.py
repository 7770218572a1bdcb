"""Comparing organisations fairly: each KPI by organisation with its SPC state, and funnel plots.

A funnel plot judges each organisation's rate against the ICS rate with limits that widen as
the denominator shrinks, so a small organisation is not flagged for what is only noise.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .config import Config, Kpi
from .db import Database
from .formatting import format_value
from .kpi import kpi_frame, performance
from .spc.icons import assurance_text, variation_text
from .summary import analyse_kpi

Z_95, Z_998 = 1.959964, 3.090232
FUNNEL_UNITS = {"people", "FTE days", "FTE"}


def organisation_kpis(db: Database, config: Config, orgs: list[str], month: dt.date,
                      staff_group: str | None = None) -> pd.DataFrame:
    """One row per organisation × KPI at the month: value, target, performance, SPC icons."""
    series = kpi_frame(db, config, config.kpis, orgs, staff_group=staff_group, group_by="org", end=month)
    rows = []
    for (kpi_id, org), history in series.groupby(["kpi", "grp"], sort=False):
        kpi = config.kpi_by_id[kpi_id]
        history = history[history["period"] <= month].sort_values("period")
        if history.empty:
            continue
        last = history.iloc[-1]
        target = kpi.target_at(last["period"], [org])
        result = analyse_kpi(config, kpi, history[["period", "value", "spc_value"]].reset_index(drop=True), [org])
        rows.append({
            "org_code": org, "organisation": config.org_by_code[org].name, "type": config.org_by_code[org].type,
            "kpi": kpi_id, "label": kpi.label, "short_label": kpi.short_label or kpi.label,
            "period": last["period"], "value": float(last["value"]),
            "value_text": format_value(float(last["value"]), kpi.format), "target": target,
            "numerator": last["numerator"], "denominator": last["denominator"],
            "performance": performance(kpi, float(last["value"]), target),
            "variation_icon": result.variation_icon if result else None,
            "assurance_icon": result.assurance_icon if result else None,
            "variation": variation_text(result.variation_icon if result else None),
            "assurance": assurance_text(result.assurance_icon if result else None)})
    return pd.DataFrame(rows)


def funnel_applies(config: Config, kpi: Kpi) -> bool:
    """Funnel limits assume counts: rates of people, FTE or days, not money or scores."""
    return (kpi.scale == 100 and kpi.denominator is not None
            and config.measure_by_id[kpi.denominator.measures[0]].unit in FUNNEL_UNITS)


def funnel(points: pd.DataFrame, kpi: Kpi) -> tuple[float, pd.DataFrame, pd.DataFrame]:
    """The ICS rate, each organisation flagged against 95% / 99.8% limits, and the limit curves.

    points: org_code, organisation, numerator, denominator, value (one KPI, one month).
    """
    points = points.dropna(subset=["numerator", "denominator"])
    points = points[points["denominator"] > 0].copy()
    p = points["numerator"].sum() / points["denominator"].sum()
    sd = np.sqrt(p * (1 - p) / points["denominator"])
    for name, z in (("95", Z_95), ("998", Z_998)):
        points[f"lower_{name}"] = (p - z * sd) * kpi.scale
        points[f"upper_{name}"] = (p + z * sd) * kpi.scale
    points["position"] = np.select(
        [points["value"] > points["upper_998"], points["value"] < points["lower_998"],
         points["value"] > points["upper_95"], points["value"] < points["lower_95"]],
        ["above 99.8% limit", "below 99.8% limit", "above 95% limit", "below 95% limit"], "within limits")
    low, high = points["denominator"].min(), points["denominator"].max()
    n = np.geomspace(max(low * 0.5, 1), high * 1.5, 120)
    curve_sd = np.sqrt(p * (1 - p) / n)
    curves = pd.DataFrame({"denominator": n, "centre": p * kpi.scale,
                           "lower_95": (p - Z_95 * curve_sd) * kpi.scale, "upper_95": (p + Z_95 * curve_sd) * kpi.scale,
                           "lower_998": (p - Z_998 * curve_sd) * kpi.scale,
                           "upper_998": (p + Z_998 * curve_sd) * kpi.scale})
    return p * kpi.scale, points.reset_index(drop=True), curves


def funnel_outliers_text(points: pd.DataFrame, kpi: Kpi) -> str:
    """Plain English naming the organisations outside the 99.8% limits."""
    outside = points[points["position"].str.contains("99.8")]
    if outside.empty:
        return "Every organisation is within the 99.8% limits: differences are consistent with chance."
    better_high = kpi.improvement_direction == "increase"
    parts = []
    for _, row in outside.iterrows():
        high = row["position"].startswith("above")
        verdict = "" if kpi.improvement_direction == "neutral" else \
            (" (better than expected)" if high == better_high else " (worse than expected)")
        parts.append(f"{row['organisation']} at {format_value(row['value'], kpi.format)}{verdict}")
    return "Outside the 99.8% limits: " + "; ".join(parts) + "."
