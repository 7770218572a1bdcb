"""Publication descriptions: each turns one kind of file into the long template's additive components.

A publication is detected from the file's header (names compared case- and space-insensitively,
e.g. 'Org code' = 'ORG_CODE' = 'org_code') or named with --format. Each module is a short
declarative description (workforce/ingest/adapters/base.py: columns, melts, period, detail and
aggregate rows, organisation metadata) run by one staging query, queries/ingest/stage/stage_publication.sql;
adding a publication is one module here, its entry below and its tests. See docs/formats.md.
"""

from __future__ import annotations

from . import (hchs_doctors, levy, levy_transactions, nhsd_sickness, nhsd_staff_group_org, nhsd_turnover,
               nhsd_turnover_monthly, nhsd_workforce, staff_survey, template)
from .base import Adapter, Column, Melt, normalise
from ...base.text import clip

# Detection order: the most specific first (the workforce file's columns are the loosest).
ADAPTERS: tuple[Adapter, ...] = (
    template.ADAPTER,
    nhsd_turnover.ADAPTER,
    nhsd_turnover_monthly.ADAPTER,
    nhsd_sickness.ADAPTER,
    staff_survey.ADAPTER,
    levy_transactions.ADAPTER,
    levy.ADAPTER,
    hchs_doctors.ADAPTER,
    nhsd_staff_group_org.ADAPTER,
    nhsd_workforce.ADAPTER,
)
BY_NAME = {a.name: a for a in ADAPTERS}
NAMES = tuple(BY_NAME)


class UnknownFormat(ValueError):
    """The file's columns match no format (or not the one asked for); the message lists what each needs."""


def recognises(header: list[str]) -> bool:
    return any(a.matches(header) for a in ADAPTERS)


def by_name(name: str) -> Adapter:
    try:
        return BY_NAME[name]
    except KeyError:
        raise UnknownFormat(f"unknown format '{name}'; the formats are: {', '.join(NAMES)}") from None


def detect(header: list[str], file: str) -> Adapter:
    for adapter in ADAPTERS:
        if adapter.matches(header):
            return adapter
    raise UnknownFormat(unrecognised_message(header, file))


def choose(header: list[str], file: str, name: str | None) -> Adapter:
    """The adapter named (checked against the header), or the one the header matches."""
    if not name:
        return detect(header, file)
    adapter = by_name(name)
    missing = adapter.missing(header)
    if missing:
        raise UnknownFormat(f"{file}: not in the {adapter.name} format ({adapter.label}) — missing column(s) "
                            f"{', '.join(missing)}.\nIts columns are: {_columns(header)}\n{adapter.describe()}")
    return adapter


def _columns(header: list[str]) -> str:
    """The file's header as echoed in a message: at most 30 cells of 60 characters, 800 in all."""
    shown = [clip(h.strip(), 60) for h in header[:30] if h.strip()]
    return clip(", ".join(shown) + (" …" if len(header) > 30 else ""), 800) if shown else "(none)"


def closest(header: list[str]) -> list[Adapter]:
    """The formats, the one the header comes nearest first: fewest required columns missing, then most
    of its columns present."""
    return sorted(ADAPTERS, key=lambda a: (len(a.missing(header)), -len(a.positions(header))))


def unrecognised_message(header: list[str], file: str) -> str:
    """What a file lacks for the format it comes closest to, first and short; the other formats by name.
    Says nothing of how to name a format: the command line and the Data page each add their own way."""
    lines = [f"{file}: not a recognised format. Its columns are: {_columns(header)}"]
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t", "|")):
        lines.append("It looks separated by semicolons, tabs or bars: save it as a comma-separated CSV.")
    nearest, *others = closest(header)
    if not nearest.positions(header):
        lines.append(f"None of its columns belongs to a format the dashboard reads ({', '.join(NAMES)}); the "
                     "columns each needs are in docs/formats.md (names are matched ignoring case and spaces).")
        return "\n".join(lines)
    lines.append(f"It comes closest to {nearest.label} ({nearest.name}), which also needs: "
                 f"{', '.join(nearest.missing(header))} (names are matched ignoring case and spaces).")
    lines.append(f"The other formats: {', '.join(a.name for a in others)} — the columns each needs are in "
                 "docs/formats.md.")
    return "\n".join(lines)


__all__ = ["ADAPTERS", "Adapter", "BY_NAME", "Column", "Melt", "NAMES", "UnknownFormat", "by_name", "choose", "closest",
           "detect", "normalise", "recognises", "unrecognised_message"]
