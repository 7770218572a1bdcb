"""How a publication is described: its columns (by normalised header name, for detection), how its
rows melt into measures, how its period is written, which rows are aggregates or finer breakdowns,
which columns carry organisation metadata. One staging query (queries/ingest/stage/stage_publication.sql) runs
every description; the long template alone has its own one-pass query (ingest/stage/stage_csv.sql)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..readers import SOURCE_ROW


def normalise(header: str) -> str:
    """'Org code', 'ORG_CODE' and ' org  Code ' all become 'org_code'."""
    return re.sub(r"[^a-z0-9]+", "_", str(header).replace("\ufeff", "").strip().lower()).strip("_")


@dataclass(frozen=True)
class Column:
    name: str  # the canonical name used in the staging SQL
    aliases: tuple[str, ...]  # accepted header names, after normalisation
    required: bool = True
    help: str = ""

    @property
    def shown(self) -> str:
        """'date (or data_month, month…)': the name to write and what else is accepted."""
        others = self.aliases[1:3]
        more = "…" if len(self.aliases) > 3 else ""
        return self.aliases[0] + (f" (or {', '.join(others)}{more})" if others else "")


@dataclass(frozen=True)
class Melt:
    """One figure a file row gives: read from value column `column`, stored as `measure`.

    type: for a file long by a type column (TYPE, Data Type, Transaction type), the type value
      (lower case) this figure is on; '' for a row with no type column (or a blank type).
    kind: count (as written) | money (£, brackets; a column of money out may be written negative)
      | score (0–10, stored × respondents) | percent (0–100, stored as a share of respondents).
    place: for a period 'A to B': start (month A), end (month B), spread (evenly over the months
      after A up to B); otherwise month.
    """

    column: str
    measure: str
    type: str = ""
    kind: str = "count"
    place: str = "month"


METADATA_COLUMNS = (  # organisation metadata a national file carries: staged as these names (docs/formats.md)
    Column("org_name", ("org_name", "organisation_name", "reporting_org_name", "trust_name"), required=False),
    Column("org_type", ("org_type", "organisation_type"), required=False),
    Column("cluster_group", ("cluster_group",), required=False),
    Column("benchmark_group", ("benchmark_group",), required=False),
    Column("region_code", ("nhse_region_code", "hee_region_code", "region_code"), required=False),
    Column("region_name", ("nhse_region_name", "hee_region_name", "region_name", "region"), required=False),
    Column("ics_code", ("ics_code", "icb_code", "stp_code"), required=False),
    Column("ics_name", ("ics_name", "icb_name", "stp_name"), required=False),
)
MAX_VALUES, MAX_DETAIL, MAX_SELECTORS = 12, 8, 5  # slots the staging query provides


@dataclass(frozen=True)
class Adapter:
    name: str  # --format NAME
    label: str
    columns: tuple[Column, ...]
    melts: tuple[Melt, ...] = ()
    query: str = "ingest/stage/stage_publication"  # queries/<query>.sql creates `staged` (the template: parsed_base)
    one_of: tuple[tuple[str, ...], ...] = ()  # at least one column of each group must be present
    national: bool = False  # a national publication: organisations outside config.yaml are not errors
    sources: dict[str, str] = field(default_factory=dict)  # template field -> canonical column it comes from
    summary: str = ""  # one line for messages and docs
    period: str = "month"  # month | range ('202509 to 202510') | survey_year (2024 → October 2024)
    period_months: int = 0  # range: how many months the period must span
    detail: tuple[str, ...] = ()  # finer breakdown columns whose rows are added up to the staff group
    detail_rows: bool = False  # every row is a part (a transaction): rows are added up by month
    selectors: tuple[str, ...] = ()  # breakdown columns whose 'All …' (or blank) rows alone are loaded
    not_additive: tuple[str, ...] = ("headcount",)  # measures not added up over detail rows
    staff_group: str = ""  # every row is this staff group (the file names only grades)
    absent_is_zero: bool = False  # a type row left out for a listed organisation means zero
    org_at_load: bool = False  # the file names no organisation: it is chosen when the file is loaded
    type_skips: dict[str, str] = field(default_factory=dict)  # type value -> why its rows are not loaded
    labels: dict[str, str] = field(default_factory=dict)  # this file's staff-group labels (labels.key) -> group

    def __post_init__(self) -> None:
        if len(self.value_columns()) > MAX_VALUES or len(self.detail) > MAX_DETAIL or len(self.selectors) > MAX_SELECTORS:
            raise ValueError(f"publication {self.name}: more value, detail or selector columns than "
                             "queries/ingest/stage/stage_publication.sql provides slots for")

    # ---- header matching
    def positions(self, header: list[str]) -> dict[str, int]:
        """Canonical column -> its position in the header (the first match wins)."""
        found: dict[str, int] = {}
        normal = [normalise(h) for h in header]
        for column in self.columns:
            for alias in column.aliases:
                if alias in normal and column.name not in found and normal.index(alias) not in found.values():
                    found[column.name] = normal.index(alias)
                    break
        return found

    def missing(self, header: list[str]) -> list[str]:
        """Descriptions of the required columns (or groups) the header lacks; empty when it matches."""
        present = self.positions(header)
        lacking = [c.shown for c in self.columns if c.required and c.name not in present]
        for group in self.one_of:
            if not any(name in present for name in group):
                lacking.append(" or ".join(self.column(n).aliases[0] for n in group))
        return lacking

    def matches(self, header: list[str]) -> bool:
        return not self.missing(header)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    # ---- the staging query's fixed slots
    def value_columns(self) -> list[str]:
        return list(dict.fromkeys(m.column for m in self.melts))

    def slot_names(self) -> dict[str, str]:
        """Canonical column -> the staging query's slot (v_1…, d_1…, s_1…); others keep their name."""
        slots = {c: f"v_{i + 1}" for i, c in enumerate(self.value_columns())}
        slots.update({c: f"d_{i + 1}" for i, c in enumerate(self.detail)})
        slots.update({c: f"s_{i + 1}" for i, c in enumerate(self.selectors)})
        return slots

    def has_detail(self, present: list[str]) -> bool:
        return self.detail_rows or any(c in present for c in self.detail)

    def staging_params(self, present: list[str]) -> dict:
        """The description as the $parameters of queries/ingest/stage/stage_publication.sql."""
        values = self.value_columns()
        has_type = "type" in present
        return {
            "slot_names": values, "present": present,
            "melt_slot": [values.index(m.column) + 1 for m in self.melts],
            "melt_type": [m.type if has_type else "" for m in self.melts],
            "melt_measure": [m.measure for m in self.melts], "melt_kind": [m.kind for m in self.melts],
            "melt_place": [m.place for m in self.melts],
            "weight_slot": values.index("respondents") + 1 if "respondents" in values else 0,
            "period_kind": self.period, "period_months": self.period_months,
            "detail_rows": self.detail_rows, "has_detail": self.has_detail(present),
            "not_additive": list(self.not_additive), "staff_group_constant": self.staff_group,
            "absent_is_zero": self.absent_is_zero,
            "skip_types": list(self.type_skips), "skip_type_reasons": list(self.type_skips.values()),
        }

    def names(self, header: list[str]) -> list[str]:
        """A unique column name for each position of the header: canonical (or slot) where known."""
        slots = self.slot_names()
        canonical = {pos: slots.get(name, name) for name, pos in self.positions(header).items()}
        out = []
        for i, text in enumerate(header):
            if normalise(text) == normalise(SOURCE_ROW):
                out.append("source_row")
            else:
                out.append(canonical.get(i, f"extra_{i + 1}"))
        return out

    def present(self, header: list[str]) -> list[str]:
        return list(self.positions(header))

    def display(self, header: list[str]) -> dict[str, str]:
        """Canonical column -> the header text the file uses, for messages that name the file's column."""
        return {name: header[pos].strip() for name, pos in self.positions(header).items()}

    def describe(self) -> str:
        required = [c.shown for c in self.columns if c.required]
        required += [" or ".join(self.column(n).aliases[0] for n in g) for g in self.one_of]
        optional = [c.aliases[0] for c in self.columns
                    if not c.required and not any(c.name in g for g in self.one_of)]
        text = f"{self.name} — {self.label}: needs {', '.join(required)}"
        return text + (f" (optional: {', '.join(optional)})" if optional else "")


GEOGRAPHY_ALIASES = ("data_level", "breakdown_type", "geography_level", "geography", "org_level", "level_of_geography")
