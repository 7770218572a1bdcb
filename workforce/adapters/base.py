"""What every format adapter declares: its columns (by normalised header name), how it is detected,
and the staging SQL that turns its rows into the long template's additive components."""

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
class Adapter:
    name: str  # --format NAME
    label: str
    query: str  # queries/<query>.sql creates `staged`
    columns: tuple[Column, ...]
    one_of: tuple[tuple[str, ...], ...] = ()  # at least one column of each group must be present
    national: bool = False  # rows outside the configured organisations are skipped; totals skipped beside groups
    sources: dict[str, str] = field(default_factory=dict)  # template field -> canonical column it comes from
    summary: str = ""  # one line for messages and docs

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

    def names(self, header: list[str]) -> list[str]:
        """A unique column name for each position of the header: canonical where known."""
        canonical = {pos: name for name, pos in self.positions(header).items()}
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


GEOGRAPHY_ALIASES = ("breakdown_type", "geography_level", "geography", "org_level", "level_of_geography")
