"""The plan in config.yaml: KPIs, measures, targets, organisations — validated at start-up.

A mistake stops the app with a `ConfigError` naming the key and the problem, e.g.
"config.yaml: kpis[3] (turnover_rate_12m) → numerator.measures: unknown measure 'leaverz' (did you mean 'leavers'?)".
"""

from __future__ import annotations

import datetime as dt
import difflib
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

ALL_ENGLAND = "ENG"
DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "config.yaml"
ORG_TYPES = ("acute", "community", "mental health", "ambulance", "ICB", "primary care", "adult social care", "other")
FORMATS = ("percent1", "percent2", "count", "gbp", "score2", "number1")
NHS_TRUST_TYPES = ("acute", "community", "mental health", "ambulance")
# The series SPC is run on (docs/spc.md): the KPI's own monthly value; the month's value of a
# 12-month flow (annualised when a flow is divided by a stock); the 12-month figure itself;
# one point a year (annual KPIs, or non-overlapping 12-month cohorts).
SPC_SERIES = ("monthly", "rolling_12m", "annual")


class ConfigError(ValueError):
    """The configuration is invalid; the message names the key and the problem."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _month(value: object) -> dt.date:
    """Accept 2024-04, 2024-04-01 or a date; return the first of the month."""
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:7] + "-01") if len(text) in (7, 10) else dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a month (YYYY-MM)") from exc


class Priority(Strict):
    id: str
    label: str
    description: str = ""


class Measure(Strict):
    id: str
    label: str
    unit: str
    kind: Literal["flow", "stock"]
    at_most: str | None = None  # a measure this one can never exceed for the same key (leavers ≤ headcount)


class Component(Strict):
    measures: list[str] = Field(min_length=1)
    aggregation: Literal["sum", "end", "start", "mean_start_end"]


class TrajectoryStep(Strict):
    from_: dt.date = Field(alias="from")
    value: float

    @field_validator("from_", mode="before")
    @classmethod
    def _first_of_month(cls, v: object) -> dt.date:
        return _month(v)


class Target(Strict):
    """A fixed value, or a dated trajectory (each step in force from its month)."""

    value: float | None = None
    trajectory: tuple[TrajectoryStep, ...] = ()

    @model_validator(mode="after")
    def _one_kind(self) -> "Target":
        if (self.value is None) == (not self.trajectory):
            raise ValueError("give either a value or a trajectory")
        steps = [s.from_ for s in self.trajectory]
        if steps != sorted(steps):
            raise ValueError("trajectory steps must be in date order")
        return self

    def at(self, period: dt.date) -> float | None:
        """The target in force in a month (None before a trajectory starts)."""
        if self.value is not None:
            return self.value
        in_force = [s.value for s in self.trajectory if s.from_ <= period]
        return in_force[-1] if in_force else None


class Kpi(Strict):
    id: str
    label: str
    short_label: str = ""  # for narrow places: heatmap columns; the label when empty
    priority: str
    description: str
    source: str = ""
    caveats: str = ""
    numerator: Component
    denominator: Component | None = None
    window: Literal["month", "rolling_12m", "fytd", "annual"]  # fytd: April to the month (NHS year)
    spc_series: Literal[SPC_SERIES] | None = None  # type: ignore[valid-type]  # None: the default below
    org_types: tuple[Literal[ORG_TYPES], ...] | Literal["nhs_trusts"] | None = None  # type: ignore[valid-type]
    scale: float = 1
    format: Literal[FORMATS]  # type: ignore[valid-type]
    improvement_direction: Literal["increase", "decrease", "neutral"]
    target: Target | None = None
    org_targets: dict[str, float] = {}
    stale_after_days: int = Field(default=75, gt=0)
    seasonal: bool = False       # seasonal limits on the monthly SPC series (workforce/signals/seasonal.py)
    carries_over: bool = False   # neighbouring months correlated (a stock): moving-centre limits

    @field_validator("target", mode="before")
    @classmethod
    def _number_is_value(cls, v: object) -> object:
        return {"value": v} if isinstance(v, (int, float)) else v

    @model_validator(mode="after")
    def _spc_series_fits(self) -> "Kpi":
        """A month's own value exists for a flow over a window, not for a 12-month cohort stock
        (stability) nor for an annual survey; the 12-month figure needs a 12-month window."""
        if self.spc_series == "monthly" and self.window == "annual":
            raise ValueError("spc_series: an annual KPI has no monthly series (use annual)")
        if self.spc_series == "monthly" and self.window in ("rolling_12m", "fytd") and \
                self.numerator.aggregation != "sum":
            raise ValueError("spc_series: monthly needs a flow summed over the window (numerator "
                             "aggregation sum); a 12-month stock ratio such as stability has no month "
                             "of its own (use annual)")
        if self.spc_series == "rolling_12m" and self.window != "rolling_12m":
            raise ValueError("spc_series: rolling_12m needs window rolling_12m")
        if (self.seasonal or self.carries_over) and self.spc_basis != "monthly":
            raise ValueError("seasonal and carries_over apply to a monthly SPC series (spc_series: monthly)")
        return self

    @property
    def spc_basis(self) -> str:
        """The series SPC is run on: annual KPIs yearly, every other KPI on its monthly value."""
        return self.spc_series or ("annual" if self.window == "annual" else "monthly")

    @property
    def covered_types(self) -> tuple[str, ...]:
        """Organisation types the KPI's figure for several organisations adds up (all when unset)."""
        if self.org_types == "nhs_trusts":
            return NHS_TRUST_TYPES
        return tuple(self.org_types) if self.org_types else ORG_TYPES

    @property
    def annualised(self) -> bool:
        """A month's flow over a stock (or a flow alone) is ×12 on the monthly SPC series, so it
        reads on the same scale as the 12-month headline; a flow over a flow is a share already."""
        return self.window == "rolling_12m" and self.numerator.aggregation == "sum" and (
            self.denominator is None or self.denominator.aggregation != "sum")

    @property
    def measure_ids(self) -> list[str]:
        parts = [self.numerator] + ([self.denominator] if self.denominator else [])
        return list(dict.fromkeys(m for c in parts for m in c.measures))

    def target_at(self, period: dt.date, org_codes: list[str] | None = None) -> float | None:
        """Target in force; a per-organisation override applies when exactly that organisation is selected."""
        if org_codes and len(org_codes) == 1 and org_codes[0] in self.org_targets:
            return self.org_targets[org_codes[0]]
        return self.target.at(period) if self.target else None


class Region(Strict):
    code: str
    name: str


FOOTPRINT_HISTORY = Literal["current_members", "effective_dated"]


class Ics(Strict):
    code: str
    name: str
    region: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    # Months before valid_from: current_members counts the organisations that are members at
    # valid_from (the footprint "as constituted", as NHS England re-presents back-series on new
    # boundaries); effective_dated shows nothing then. None: plan.footprint_history.
    history: FOOTPRINT_HISTORY | None = None


class Organisation(Strict):
    code: str
    name: str
    type: Literal[ORG_TYPES]  # type: ignore[valid-type]
    # its ICS over time; none: in England only (a national body, or an organisation no ICS counts)
    membership: list[tuple[str, dt.date] | tuple[str, dt.date, dt.date]] = []
    benchmark_group: str = ""   # the publications' peer groups (base.universe)
    cluster_group: str = ""
    source: Literal["config", "publications"] = "config"  # named in config.yaml, or only in the publications
    ceased: dt.date | None = None  # the last day it counts anywhere, England included (a merged trust)


class StaffGroup(Strict):
    name: str
    main_group: str
    definition: str = ""  # what a group published under its own definition counts (said where it is chosen)


class Breakdown(Strict):
    id: str
    label: str
    values: list[str] = Field(min_length=2)
    reference: str

    @model_validator(mode="after")
    def _reference_listed(self) -> "Breakdown":
        if self.reference not in self.values:
            raise ValueError(f"reference '{self.reference}' is not one of its values")
        return self


class Plan(Strict):
    name: str
    ics: str
    priorities: list[Priority] = Field(min_length=1)
    footprint_history: FOOTPRINT_HISTORY = "current_members"   # default for each ICS with valid_from


class Database(Strict):
    path: str = "data/workforce.duckdb"            # the real database: publications loaded with `load`
    store_path: str = "data/app_store.sqlite"
    demo_path: str = "data/demo.duckdb"            # the synthetic demo: its own files, never mixed with real ones
    demo_store_path: str = "data/demo_store.sqlite"


class StoreSettings(Strict):
    """Where commentary, interventions, the audit and load records live: unset, the SQLite file
    database.store_path; a postgresql:// URL for a cluster of replicas (docs/deploy.md)."""
    url: str | None = None

    @field_validator("url")
    @classmethod
    def _postgres_only(cls, value: str | None) -> str | None:
        if value and not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("must be a postgresql:// URL (or left out for the SQLite file database.store_path)")
        return value or None


class Spc(Strict):
    profile: Literal["mdc", "nhsr"] = "mdc"
    overrides: dict[str, object] = {}
    chart_months: int = Field(default=36, ge=13)     # SPC runs on (and charts show) the latest months
    # limits from the first n values after the series starts or the latest change point, held until the
    # next change point (Making Data Count); None: every value since the latest change point
    baseline_months: int | None = Field(default=20, ge=12)


class Coverage(Strict):
    """When a figure for several organisations counts as complete (docs/spc.md)."""
    complete_share: float = Field(default=1.0, gt=0, le=1)  # share of expected organisations reporting
    lookback_months: int = Field(default=12, ge=1)  # reported within this many months = expected
    hold_back_months: int = Field(default=3, ge=0)  # the default month goes back at most this far for a late org


class Disclosure(Strict):
    enabled: bool = True
    hide_counts_up_to: int = Field(default=7, ge=0)
    round_to: int = Field(default=5, ge=1)
    min_denominator: float = Field(default=20, ge=0)
    min_sickness_days_available: float = Field(default=330, ge=0)


class Upload(Strict):
    max_megabytes: float = Field(default=200, gt=0)


ROLES = ("viewer", "editor", "admin")


class RoleRule(Strict):
    """Who gets a role: any listed email, email domain or identity-provider group matches.
    `organisations` limits organisation-level detail to those codes (ICS totals stay visible)."""

    role: Literal[ROLES]  # type: ignore[valid-type]
    emails: list[str] = []
    domains: list[str] = []
    groups: list[str] = []
    organisations: list[str] | None = None

    @model_validator(mode="after")
    def _matches_someone(self) -> "RoleRule":
        if not (self.emails or self.domains or self.groups):
            raise ValueError("a role rule needs at least one of emails, domains or groups")
        return self


class Access(Strict):
    sign_in: bool = False               # True: st.login (OpenID Connect) and roles below; unknown users refused
    provider: str | None = None         # the [auth.<provider>] section of .streamlit/secrets.toml, if named
    group_claim: str = "groups"         # the ID-token claim that lists a user's groups
    local_role: Literal[ROLES] = "admin"  # type: ignore[valid-type]  # the local single-user instance
    # sign-in off: None (default) serves this computer only (run.sh listens on 127.0.0.1, other
    # addresses are refused); a role here deliberately opens the dashboard to the network, every
    # browser on another machine gets that role, and every page says so in a banner
    network_role: Literal[ROLES] | None = None  # type: ignore[valid-type]
    rules: list[RoleRule] = []
    # a user limited to some organisations sees an aggregate only when it holds at least this many
    # organisations besides their own, and differs by at least this many from any other they can see
    min_other_organisations: int = Field(default=3, ge=1)
    # ... and no one organisation may make up more than this share of a group of organisations the
    # figures they see separate (else the group's sum is that organisation's figure, give or take)
    max_single_share: float = Field(default=0.9, gt=0, le=1)


class Config(Strict):
    plan: Plan
    database: Database = Database()
    store: StoreSettings = StoreSettings()
    spc: Spc = Spc()
    coverage: Coverage = Coverage()
    disclosure: Disclosure = Disclosure()
    upload: Upload = Upload()
    access: Access = Access()
    measures: list[Measure] = Field(min_length=1)
    kpis: list[Kpi] = Field(min_length=1)
    regions: list[Region]
    icss: list[Ics] = Field(min_length=1)
    organisations: list[Organisation] = Field(min_length=1)
    staff_groups: list[StaffGroup] = Field(min_length=1)
    all_staff_groups_label: str = "All staff groups"
    breakdowns: list[Breakdown] = []
    source_path: Path | None = None

    # ---- cross-references: every id named must exist
    @model_validator(mode="after")
    def _references(self) -> "Config":
        problems: list[str] = []
        _unique(problems, "measures", [m.id for m in self.measures])
        _unique(problems, "kpis", [k.id for k in self.kpis])
        _unique(problems, "organisations", [o.code for o in self.organisations])
        _unique(problems, "icss", [i.code for i in self.icss])
        measures = {m.id for m in self.measures}
        priorities = {p.id for p in self.plan.priorities}
        icss = {i.code for i in self.icss}
        regions = {r.code for r in self.regions}
        orgs = {o.code for o in self.organisations}
        for i, m in enumerate(self.measures):
            if m.at_most and m.at_most not in measures:
                problems.append(f"measures[{i}] ({m.id}) → at_most: unknown measure '{m.at_most}'{_suggest(m.at_most, measures)}")
        for i, k in enumerate(self.kpis):
            where = f"kpis[{i}] ({k.id})"
            if k.priority not in priorities:
                problems.append(f"{where} → priority: unknown priority '{k.priority}'{_suggest(k.priority, priorities)}")
            for part in ("numerator", "denominator"):
                comp = getattr(k, part)
                for m in comp.measures if comp else []:
                    if m not in measures:
                        problems.append(f"{where} → {part}.measures: unknown measure '{m}'{_suggest(m, measures)}")
            for code in k.org_targets:
                if code not in orgs:
                    problems.append(f"{where} → org_targets: unknown organisation '{code}'{_suggest(code, orgs)}")
        for i, rule in enumerate(self.access.rules):
            for code in rule.organisations or []:
                if code not in orgs:
                    problems.append(f"access.rules[{i}] → organisations: unknown organisation '{code}'"
                                    f"{_suggest(code, orgs)}")
        if self.plan.ics not in icss:
            problems.append(f"plan.ics: unknown ICS '{self.plan.ics}'{_suggest(self.plan.ics, icss)}")
        for i, ics in enumerate(self.icss):
            if ics.region not in regions:
                problems.append(f"icss[{i}] ({ics.code}) → region: unknown region '{ics.region}'")
            if ics.history == "current_members" and ics.valid_from is None:
                problems.append(f"icss[{i}] ({ics.code}) → history: current_members needs valid_from "
                                "(the month the footprint began; an ICS without it has no earlier months to fill)")
            if ics.valid_from and ics.valid_to and ics.valid_to < ics.valid_from:
                problems.append(f"icss[{i}] ({ics.code}) → valid_to: ends before it starts")
        for i, org in enumerate(self.organisations):
            for j, span in enumerate(org.membership):
                if span[0] not in icss:
                    problems.append(f"organisations[{i}] ({org.code}) → membership[{j}]: unknown ICS '{span[0]}'"
                                    f"{_suggest(span[0], icss)}")
                if len(span) == 3 and span[2] < span[1]:
                    problems.append(f"organisations[{i}] ({org.code}) → membership[{j}]: ends before it starts")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def model_copy(self, *, update: dict | None = None, deep: bool = False) -> "Config":
        """A copy with fields replaced, and none of the look-ups below cached on this one (they would
        describe the fields before the update)."""
        copy = super().model_copy(update=update, deep=deep)
        for name, value in vars(type(self)).items():
            if isinstance(value, cached_property):
                copy.__dict__.pop(name, None)
        return copy

    # ---- look-ups
    @cached_property
    def kpi_by_id(self) -> dict[str, Kpi]:
        return {k.id: k for k in self.kpis}

    @cached_property
    def measure_by_id(self) -> dict[str, Measure]:
        return {m.id: m for m in self.measures}

    @cached_property
    def org_by_code(self) -> dict[str, Organisation]:
        return {o.code: o for o in self.organisations}

    @cached_property
    def ics_by_code(self) -> dict[str, Ics]:
        return {i.code: i for i in self.icss}

    @property
    def staff_group_names(self) -> list[str]:
        return [g.name for g in self.staff_groups]

    @property
    def warnings(self) -> list[str]:
        """Settings that are valid but weaken what the dashboard protects, each naming its key: shown to
        administrators on every page and printed when the server starts (docs/security.md)."""
        access, out = self.access, []
        if access.network_role in ("editor", "admin"):
            out.append(f"access.network_role: {access.network_role} gives every browser that can reach the "
                       f"dashboard, without signing in, the {access.network_role} role (it can load data"
                       + (", roll back loads and read the audit log" if access.network_role == "admin" else "")
                       + "). Use viewer, or turn sign-in on.")
        if access.min_other_organisations < 3:
            out.append(f"access.min_other_organisations: {access.min_other_organisations} lets a user limited to "
                       "some organisations see totals that differ from each other, or from their own figures, by "
                       f"{access.min_other_organisations} organisation{'s' if access.min_other_organisations > 1 else ''}"
                       " — that organisation's own figure. The default is 3.")
        if access.max_single_share >= 1:
            out.append("access.max_single_share: 1 turns off the dominance check: a total one organisation "
                       "makes up almost all of is shown, and is that organisation's figure, give or take.")
        if not self.disclosure.enabled:
            out.append("disclosure.enabled: false shows counts of 1–7 people and unrounded figures in every view.")
        return out

    def kpis_for(self, priority: str) -> list[Kpi]:
        return [k for k in self.kpis if k.priority == priority]

    def resolve(self, relative: str) -> Path:
        """A path in the config, relative to the config file's folder."""
        base = self.source_path.parent if self.source_path else DEFAULT_CONFIG.parent
        path = Path(relative)
        return path if path.is_absolute() else base / path

    @property
    def db_path(self) -> Path:
        return self.resolve(self.database.path)

    @property
    def store_path(self) -> Path:
        return self.resolve(self.database.store_path)

    @property
    def demo_db_path(self) -> Path:
        return self.resolve(self.database.demo_path)

    def for_demo(self) -> "Config":
        """The same plan reading and writing the synthetic demo's own database and store."""
        if self.is_demo:
            return self
        files = self.database.model_copy(update={"path": self.database.demo_path,
                                                 "store_path": self.database.demo_store_path})
        return self.model_copy(update={"database": files})

    @property
    def is_demo(self) -> bool:
        return self.database.path == self.database.demo_path

    def shown(self, demo: bool = False) -> "Config":
        """The files the dashboard shows: the real database when there is one (unless the demo is
        asked for), else the synthetic demo's (built on first run)."""
        return self.for_demo() if demo or not self.db_path.exists() else self

    @cached_property
    def _membership_rows(self) -> tuple[tuple[str, str, dt.date, dt.date | None], ...]:
        return tuple((o.code, span[0], span[1], span[2] if len(span) == 3 else None)
                     for o in self.organisations for span in o.membership)

    def membership_rows(self) -> list[tuple[str, str, dt.date, dt.date | None]]:
        return list(self._membership_rows)

    # ---- areas: England, an NHS England region or an ICS (who belongs where, month by month)
    @cached_property
    def region_by_code(self) -> dict[str, Region]:
        return {r.code: r for r in self.regions}

    def area_kind(self, code: str | None) -> str | None:
        """'england', 'region' or 'ics' for an area code; None for a code that names no area."""
        if code in (None, ALL_ENGLAND):
            return "england"
        return "ics" if code in self.ics_by_code else "region" if code in self.region_by_code else None

    def area_name(self, code: str | None) -> str:
        kind = self.area_kind(code)
        if kind == "england":
            return "England"
        return self.ics_by_code[code].name if kind == "ics" else self.region_by_code[code].name if kind else str(code)

    def england_members(self, period: dt.date) -> list[str]:
        """Every organisation in a month: all of them but those that have ceased before it."""
        return [o.code for o in self.organisations if o.ceased is None or period <= o.ceased]

    def region_members(self, region: str, period: dt.date) -> list[str]:
        """The organisations a region counts in a month: the members of its ICSs in that month
        (effective-dated: a new footprint's back-cast history is not counted twice)."""
        return list(dict.fromkeys(org for ics in self.icss_at(period) if ics.region == region
                                  for org in self.ics_members(ics.code, period)))

    def area_members(self, code: str | None, period: dt.date) -> list[str]:
        """The organisations an area counts in a month: England, a region or an ICS (counted_members)."""
        kind = self.area_kind(code)
        if kind == "england":
            return self.england_members(period)
        return self.counted_members(code, period) if kind == "ics" else self.region_members(code, period)

    def areas_at(self, period: dt.date) -> dict[str, list[str]]:
        """Every area anyone can ask for in a month, with the organisations it counts (those with any)."""
        codes = [ALL_ENGLAND] + [r.code for r in self.regions] + [i.code for i in self.icss]
        members = {code: self.area_members(code, period) for code in codes}
        return {code: orgs for code, orgs in members.items() if orgs}

    def membership_change_months(self) -> list[dt.date]:
        """Every month in which some area's membership changes (starts of spans and footprints, the
        month after each ends, the month after an organisation ceased): constant between two of them."""
        def after(day: dt.date) -> dt.date:
            return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)

        months = {dt.date(2000, 1, 1)}
        for _org, _ics, start, end in self._membership_rows:
            months.add(start.replace(day=1))
            if end:
                months.add(after(end))
        for ics in self.icss:
            if ics.valid_from:
                months.add(ics.valid_from.replace(day=1))
            if ics.valid_to:
                months.add(after(ics.valid_to))
        months |= {after(o.ceased) for o in self.organisations if o.ceased}
        return sorted(months)

    def ics_members(self, ics_code: str, period: dt.date) -> list[str]:
        """Organisations in an ICS in a month (effective-dated membership)."""
        return [org for org, ics, start, end in self._membership_rows
                if ics == ics_code and start <= period and (end is None or period <= end)]

    def back_cast_from(self, ics_code: str) -> dt.date | None:
        """The month a new footprint began, when the months before it count its members at that month
        (history current_members); None when the ICS is counted effective-dated throughout."""
        ics = self.ics_by_code.get(ics_code)
        if ics is None:  # England or a region: counted as its ICSs are, month by month
            return None
        basis = ics.history or self.plan.footprint_history
        return ics.valid_from.replace(day=1) if ics.valid_from and basis == "current_members" else None

    def counted_members(self, ics_code: str, period: dt.date) -> list[str]:
        """The organisations an ICS total counts in a month: its members then while the footprint
        exists; before a new footprint began (back_cast_from), its members at that start which
        belonged to some ICS in the month; nothing after an abolished footprint's valid_to.
        The one rule for every ICS figure and for the scoped-user checks (workforce.protect.access)."""
        ics = self.ics_by_code[ics_code]
        if ics.valid_to and period > ics.valid_to:
            return []
        if ics.valid_from and period < ics.valid_from:
            start = self.back_cast_from(ics_code)
            if start is None:
                return []
            existing = {org for org, _ics, begin, end in self.membership_rows()
                        if begin <= period and (end is None or period <= end)}
            return [org for org in self.ics_members(ics_code, ics.valid_from) if org in existing]
        return self.ics_members(ics_code, period)

    def counted_spans(self, ics_code: str) -> list[tuple[str, dt.date, dt.date | None]]:
        """(organisation, from, to) spans an ICS total counts (counted_members as date ranges)."""
        ics = self.ics_by_code[ics_code]
        own = [(org, begin, min(end or ics.valid_to, ics.valid_to) if ics.valid_to else end)
               for org, code, begin, end in self.membership_rows() if code == ics_code]
        start = self.back_cast_from(ics_code)
        if start is None:
            return own
        members = set(self.ics_members(ics_code, ics.valid_from))
        before = ics.valid_from - dt.timedelta(days=1)
        earlier = [(org, begin, min(end or before, before)) for org, _code, begin, end in self.membership_rows()
                   if org in members and begin < ics.valid_from]
        return earlier + own

    def icss_at(self, period: dt.date) -> list[Ics]:
        return [i for i in self.icss
                if (i.valid_from is None or i.valid_from <= period) and (i.valid_to is None or period <= i.valid_to)]


def _unique(problems: list[str], key: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            problems.append(f"{key}: '{value}' appears more than once")
        seen.add(value)


def _suggest(value: str, known: set[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _location(loc: tuple, data: dict) -> str:
    """'kpis[3] (turnover_rate_12m) → target.value' from a pydantic error location."""
    parts: list[str] = []
    node: object = data
    for item in loc:
        if isinstance(item, int):
            parts[-1] += f"[{item}]"
            node = node[item] if isinstance(node, list) and item < len(node) else None
            if isinstance(node, dict) and "id" in node and len(parts) == 1:
                parts[-1] += f" ({node['id']})"
        else:
            parts.append(str(item))
            node = node.get(item) if isinstance(node, dict) else None
    return " → ".join(parts) if parts else "(top level)"


def load_config(path: str | Path | None = None) -> Config:
    """Read and validate config.yaml; raise ConfigError naming the key and problem."""
    path = Path(path) if path else DEFAULT_CONFIG
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{name}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{name}: expected a mapping of settings at the top level")
    try:
        config = Config(**data, source_path=path.resolve())
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            msg = err["msg"].removeprefix("Value error, ")
            loc = _location(err["loc"], data)
            lines.append(f"{name}: {msg}" if loc == "(top level)" else f"{name}: {loc}: {msg}")
        raise ConfigError("\n".join(lines)) from None
    return config
