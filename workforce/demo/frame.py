"""Assemble the generated arrays into the long template frame the loader takes."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..base.config import Config
from .equality import BreakdownCounts, equality_breakdowns
from .organisation import organisation_measures
from .population import draw_organisations, draw_series
from .staff import staff_group_measures
from .timeline import Timeline

DEFAULT_SEED = 20240401
DEFAULT_START = dt.date(2021, 4, 1)
STAFF_GROUP_MEASURES = ("headcount", "fte", "leavers", "joiners", "leavers_under_1yr", "joiners_local_pipeline",
                        "headcount_stable_12m", "fte_days_lost", "fte_days_available", "vacancies_fte",
                        "establishment_fte", "apprenticeship_starts")
BREAKDOWN_MEASURES = ("headcount", "leavers")
COLUMNS = ("period", "org_code", "staff_group", "breakdown", "breakdown_value", "measure", "value")


def last_complete_month(today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


class _Rows:
    """Collects blocks of rows as small integer codes, then builds one frame with categorical columns.

    A national demo is 13.7 million rows: each block keeps only its months, organisations, staff
    groups and values (16 bytes a row), and a block's constant codes (breakdown, breakdown value,
    measure) are spread once at the end, so the peak stays near twice the finished frame."""

    def __init__(self, config: Config, organisations: list[str], groups: list[str], measures: list[str]):
        self.orgs, self.measures = organisations, measures
        self.groups = groups + [config.all_staff_groups_label]
        self.breakdowns = [""] + [b.id for b in config.breakdowns]
        self.values = list(dict.fromkeys([""] + [v for b in config.breakdowns for v in b.values]))
        self.blocks: list[tuple[np.ndarray, ...]] = []
        self.constants: list[tuple[int, int, int, int]] = []   # rows, breakdown, breakdown value, measure

    def add(self, measure: str, values: np.ndarray, org: np.ndarray, group: np.ndarray,
            breakdown: str = "", breakdown_value: str = "") -> None:
        """values (row × month); org and group give each row's organisation and staff group codes."""
        row, month = np.nonzero(~np.isnan(values))
        self.blocks.append((month.astype(np.int16), org[row].astype(np.int32), group[row].astype(np.int16),
                            values[row, month].astype(float)))
        self.constants.append((len(row), self.breakdowns.index(breakdown), self.values.index(breakdown_value),
                               self.measures.index(measure)))

    def frame(self, periods: np.ndarray) -> pd.DataFrame:
        counts, breakdown, value_code, measure = (np.array(c) for c in zip(*self.constants))
        columns = [np.concatenate([block[i] for block in self.blocks]) for i in range(4)]
        self.blocks = []  # the concatenated columns replace them
        month, org, group, value = columns
        spread = lambda codes: np.repeat(codes.astype(np.int16), counts)  # noqa: E731
        return pd.DataFrame({
            "period": periods[month],
            "org_code": pd.Categorical.from_codes(org, self.orgs),
            "staff_group": pd.Categorical.from_codes(group, self.groups),
            "breakdown": pd.Categorical.from_codes(spread(breakdown), self.breakdowns),
            "breakdown_value": pd.Categorical.from_codes(spread(value_code), self.values),
            "measure": pd.Categorical.from_codes(spread(measure), self.measures),
            "value": value,
        }, columns=list(COLUMNS))


def build_demo_frame(config: Config, *, start: dt.date = DEFAULT_START, end: dt.date | None = None,
                     seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The synthetic demo in the long template: one row per (month, organisation, staff group,
    breakdown, breakdown value, measure). Deterministic: the same config, dates and seed give
    the same frame."""
    timeline = Timeline(start.replace(day=1), (end or last_complete_month()).replace(day=1))
    if timeline.size < 1:
        raise ValueError(f"the demo must end ({timeline.end:%Y-%m}) on or after its start ({timeline.start:%Y-%m})")
    rng = np.random.default_rng(seed)
    orgs = draw_organisations(config, rng)
    series = draw_series(config, orgs, rng)
    staff = staff_group_measures(series, orgs, timeline, rng)
    whole_org = organisation_measures(orgs, series, staff, timeline, rng)
    breakdowns = equality_breakdowns(config.breakdowns, series, orgs, timeline,
                                     staff["headcount"], staff["leavers"], rng)

    known = {m.id for m in config.measures}
    rows = _Rows(config, orgs.codes, series.group_names, [m.id for m in config.measures])
    for measure in STAFF_GROUP_MEASURES:
        if measure in known:
            rows.add(measure, staff[measure].astype(float), series.org, series.group)
    all_groups = np.full(len(orgs), len(series.group_names))
    for measure, values in whole_org.items():
        if measure in known:
            rows.add(measure, values, np.arange(len(orgs)), all_groups)
    _add_breakdowns(rows, breakdowns, series, known)
    return rows.frame(timeline.periods)


def _add_breakdowns(rows: _Rows, breakdowns: list[BreakdownCounts], series, known: set[str]) -> None:
    for counts in breakdowns:
        for k, value in enumerate(counts.values):
            for measure in BREAKDOWN_MEASURES:
                if measure in known:
                    values = getattr(counts, measure)[:, k, :].astype(float)
                    rows.add(measure, values, series.org, series.group, counts.breakdown, value)
