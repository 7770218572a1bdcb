"""Export the stored figures in the long template layout (CSV or Parquet), for admins and automation.

    python -m workforce export --out FILE [--format csv|parquet] [--ics CODE] [--org CODE,…]
                               [--from YYYY-MM] [--to YYYY-MM]

The file has the template's columns (period, org_code, staff_group, breakdown, breakdown_value,
measure, value), with 'All staff groups' rows and missing figures (empty values) included, so
loading it into an empty database reproduces every KPI. --ics keeps each organisation's figures
for the months the ICS's figures count it (effective-dated membership in config.yaml; a new
footprint's earlier months hold its members at its start, as workforce.base.config.counted_members). DuckDB writes
the file directly; nothing passes through pandas.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..base.config import Config
from ..base.db import sql

FORMATS = ("csv", "parquet")
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2999, 12, 1)


class ExportError(ValueError):
    """The export could not be made; the message says why."""


@dataclass(frozen=True)
class ExportScope:
    orgs: list[str] | None = None  # None: every organisation
    ics: str | None = None
    start: dt.date = EARLIEST
    end: dt.date = LATEST


def month(text: str, option: str) -> dt.date:
    """'2025-03' → 1 March 2025; ExportError naming the option otherwise."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ExportError(f"{option} '{text}': give a month as YYYY-MM, e.g. 2025-03")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def _parameters(config: Config, scope: ExportScope) -> dict:
    spans = []
    if scope.ics:
        if scope.ics not in {i.code for i in config.icss}:
            known = ", ".join(sorted(i.code for i in config.icss))
            raise ExportError(f"--ics '{scope.ics}': not an ICS in config.yaml (known: {known})")
        spans = config.counted_spans(scope.ics)  # as the ICS's figures count them (a new footprint back-cast)
    if scope.start > scope.end:
        raise ExportError(f"--from {scope.start:%Y-%m} is after --to {scope.end:%Y-%m}")
    return {"all_orgs": scope.orgs is None, "orgs": list(scope.orgs or []),
            "span_org": [s[0] for s in spans], "span_from": [s[1] for s in spans],
            "span_to": [s[2] for s in spans], "start": scope.start, "end": scope.end}


@dataclass(frozen=True)
class Exported:
    figures: int
    outside: int  # organisations not in config.yaml (national peers)

    def summary(self, out: str, fmt: str) -> str:
        text = f"wrote {self.figures:,} figures to {out} ({fmt})"
        if self.outside:
            text += (f"\nnote: {self.outside:,} of its organisations are not in config.yaml (national peers): "
                     "a database accepts their figures once it holds them in its organisation reference, so "
                     "load the national files they came from first")
        return text


def export_facts(db_path: Path, config: Config, out: Path, fmt: str = "csv",
                 scope: ExportScope = ExportScope()) -> Exported:
    """Write the figures in scope to `out` (written beside it, then moved into place)."""
    if fmt not in FORMATS:
        raise ExportError(f"--format '{fmt}': choose csv or parquet")
    if not Path(db_path).exists():
        raise ExportError(f"no database at {db_path}")
    params = _parameters(config, scope)
    out = Path(out)
    if not out.parent.is_dir():
        raise ExportError(f"--out {out}: the folder {out.parent} does not exist")
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    try:
        with duckdb.connect() as con:
            con.execute(f"ATTACH '{_quote(db_path)}' AS wf (READ_ONLY)")
            con.execute("USE wf")
            rows = con.sql(sql("ingest/export/export_facts"), params=params)
            if fmt == "csv":
                rows.write_csv(str(partial), header=True)
            else:
                rows.write_parquet(str(partial))
            figures, outside = con.execute(sql("ingest/export/export_summary"), params | {
                "config_orgs": [o.code for o in config.organisations]}).fetchone()
        os.replace(partial, out)
    except (duckdb.Error, OSError) as exc:
        raise ExportError(f"could not write {out}: {str(exc).strip().splitlines()[0]}") from None
    finally:
        partial.unlink(missing_ok=True)
    return Exported(int(figures), int(outside))


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
