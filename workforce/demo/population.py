"""Who is in the demo and how each organisation and staff group behaves (drawn once per build).

An organisation's parameters come from its type (reference.ORG_TYPES); a series — one
organisation × staff group — combines them with its group's profile (reference.GROUPS).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..base.config import Config
from . import reference as ref
from .signals import INTERNATIONAL_RECRUITMENT


@dataclass
class Organisations:
    codes: list[str]
    types: list[str]
    regions: list[str]
    first_ics: list[str]
    headcount: np.ndarray           # at the start
    turnover: np.ndarray            # annual leaver rate aimed for (fraction)
    growth: np.ndarray              # headcount growth a year (fraction)
    first_year: np.ndarray          # cohort first-year leaver rate aimed for (fraction)
    local_pipeline: np.ndarray      # share of joiners from local pipelines
    apprenticeship: np.ndarray      # starts a year per head
    sickness_factor: np.ndarray
    winter_amplitude: np.ndarray    # points, for an average staff group
    cost_per_fte: np.ndarray        # £ a year at the start of the build's first financial year
    agency_share: np.ndarray        # of pay bill before the national path
    nhs: np.ndarray                 # pays the levy and runs the NHS staff survey

    def __len__(self) -> int:
        return len(self.codes)

    def where(self, codes) -> np.ndarray:
        """Boolean mask of the organisations whose code is in `codes`."""
        wanted = set(codes)
        return np.array([c in wanted for c in self.codes])


@dataclass
class Series:
    """One row per organisation × staff group; every array has that length."""

    org: np.ndarray                 # index into Organisations
    group: np.ndarray               # index into group_names
    group_names: list[str]
    headcount: np.ndarray           # at the start
    fte_ratio: np.ndarray
    annual_leave: np.ndarray        # leaver rate a year (fraction)
    first_year_share: np.ndarray    # share of leavers with under 12 months' service
    local_share: np.ndarray         # share of joiners from local pipelines
    apprenticeship: np.ndarray      # starts a year per head
    sickness: np.ndarray            # base monthly sickness rate (fraction)
    winter: np.ndarray              # winter amplitude (fraction)
    vacancy: np.ndarray             # base vacancy rate (fraction)
    rotates: np.ndarray             # bool: resident doctors' August rotation
    nonwhite_odds: np.ndarray       # odds of a non-White ethnicity at the start (region × organisation × group)

    def __len__(self) -> int:
        return len(self.org)

    def profile(self, i: int) -> ref.GroupProfile:
        return ref.GROUPS[self.group_names[self.group[i]]]

    def locate(self, org_index: int, group_name: str) -> int | None:
        if group_name not in self.group_names:
            return None
        hits = np.flatnonzero((self.org == org_index) & (self.group == self.group_names.index(group_name)))
        return int(hits[0]) if len(hits) else None


def _uniform(rng: np.random.Generator, bounds: tuple[float, float], scale: float = 1.0) -> float:
    return float(rng.uniform(*bounds)) * scale


def draw_organisations(config: Config, rng: np.random.Generator) -> Organisations:
    rows: dict[str, list] = {name: [] for name in Organisations.__dataclass_fields__}
    for org in config.organisations:
        kind = ref.ORG_TYPES[org.type]
        ics = org.membership[0][0]
        rows["codes"].append(org.code)
        rows["types"].append(org.type)
        rows["first_ics"].append(ics)
        rows["regions"].append(config.ics_by_code[ics].region)
        low, high = np.log(kind.headcount)
        rows["headcount"].append(float(np.exp(rng.uniform(low, high))))
        rows["turnover"].append(_uniform(rng, kind.turnover_pct, 0.01))
        rows["growth"].append(_uniform(rng, kind.growth_pct, 0.01))
        rows["first_year"].append(_uniform(rng, kind.first_year_pct, 0.01))
        rows["local_pipeline"].append(float(rng.uniform(0.15, 0.33)))
        rows["apprenticeship"].append(_uniform(rng, ref.APPRENTICESHIP_START_PCT, 0.01))
        rows["sickness_factor"].append(_uniform(rng, kind.sickness_factor))
        rows["winter_amplitude"].append(_uniform(rng, ref.SICKNESS_WINTER_AMPLITUDE))
        rows["cost_per_fte"].append(_uniform(rng, kind.cost_per_fte))
        rows["agency_share"].append(_uniform(rng, kind.agency_pct, 0.01))
        rows["nhs"].append(org.type in ref.NHS_ORG_TYPES)
    arrays = {k: (np.array(v) if k not in ("codes", "types", "regions", "first_ics") else v) for k, v in rows.items()}
    return Organisations(**arrays)


def _normalised(factors: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Factors rescaled so that their weighted mean is 1 (the organisation keeps its overall rate)."""
    return factors / (factors * weights).sum() * weights.sum()


def draw_series(config: Config, orgs: Organisations, rng: np.random.Generator) -> Series:
    """Every plausible staff group of every organisation, with its starting size and rates."""
    names = [g for g in config.staff_group_names if g in ref.GROUPS]
    parts: list[dict[str, np.ndarray]] = []
    white = np.array([ref.WHITE_SHARE_BY_REGION.get(r, ref.DEFAULT_WHITE_SHARE) for r in orgs.regions])
    org_odds = (1 - white) / white * rng.uniform(0.85, 1.15, len(orgs))
    for i, org_type in enumerate(orgs.types):
        mix = {g: share for g, share in ref.ORG_TYPES[org_type].staff_mix.items() if g in names}
        groups = list(mix)
        profiles = [ref.GROUPS[g] for g in groups]
        shares = np.array([mix[g] for g in groups]) * rng.uniform(0.85, 1.15, len(groups))
        headcount = np.maximum(np.round(orgs.headcount[i] * shares / shares.sum()), 3)
        leave = _normalised(np.array([p.leaver_factor for p in profiles]), headcount)
        leavers = headcount * leave
        first_year = _normalised(np.array([p.first_year_factor for p in profiles]), leavers)
        local = _normalised(np.array([p.local_pipeline_factor for p in profiles]), headcount)
        apprentices = _normalised(np.array([p.apprenticeship_factor for p in profiles]), headcount)
        annual_leave = orgs.turnover[i] * leave
        # Leavers under a year ≈ first-year rate × joiners, and joiners ≈ leavers + growth.
        joiners_per_leaver = 1 + orgs.growth[i] / orgs.turnover[i]
        group_sickness = np.array([p.sickness_pct for p in profiles]) / 100
        parts.append({
            "org": np.full(len(groups), i),
            "group": np.array([names.index(g) for g in groups]),
            "headcount": headcount,
            "fte_ratio": np.array([p.fte_ratio for p in profiles]) * rng.uniform(0.97, 1.02, len(groups)),
            "annual_leave": annual_leave,
            "first_year_share": np.clip(orgs.first_year[i] * first_year * joiners_per_leaver, 0.08, 0.6),
            "local_share": np.clip(orgs.local_pipeline[i] * local, 0.0, 0.7),
            "apprenticeship": orgs.apprenticeship[i] * apprentices,
            "sickness": group_sickness * orgs.sickness_factor[i] * rng.uniform(0.93, 1.07, len(groups)),
            "winter": orgs.winter_amplitude[i] / 100 * group_sickness / (ref.SICKNESS_REFERENCE_PCT / 100),
            "vacancy": np.array([rng.uniform(*p.vacancy_pct) for p in profiles]) / 100,
            "rotates": np.array([p.rotates for p in profiles]),
            "nonwhite_odds": org_odds[i] * np.array([p.nonwhite_odds for p in profiles]),
        })
    arrays = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    series = Series(group_names=names, **arrays)
    _apply_recruitment_baseline(series, orgs)
    return series


def _apply_recruitment_baseline(series: Series, orgs: Organisations) -> None:
    """The trust that recruits internationally starts with a high nursing vacancy rate."""
    signal = INTERNATIONAL_RECRUITMENT
    if signal.org in orgs.codes:
        row = series.locate(orgs.codes.index(signal.org), signal.staff_group)
        if row is not None:
            series.vacancy[row] = signal.baseline_vacancy_pct / 100
