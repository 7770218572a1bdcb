"""The data commands of `python -m workforce`: load, loads (the history), rollback and export.

    python -m workforce load FILE... [--dry-run] [--format NAME] [--by WHO] [--org CODE]
    python -m workforce loads [--format table|json]   (the store's load records: every machine's loads)
    python -m workforce rollback LOAD_ID [--dry-run] [--by WHO]
    python -m workforce export --out FILE [--format csv|parquet] [--ics CODE] [--org CODE,…] [--from YYYY-MM] [--to YYYY-MM]

Every command takes --db PATH and --config PATH (added by cli/options.py).
"""

from __future__ import annotations

import argparse
import io
import json
import math
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..ingest import adapters
from ..base.config import Config
from ..ingest.fact_export import FORMATS, ExportScope, export_facts, month
from ..base.store_backend import open_backend, store_target
from ..ingest.history import COLUMNS as HISTORY_JSON_FIELDS
from ..ingest.loader import FormatNotRecognised, LoadError, in_date_order, load_files, recorded_history, rollback
from ..ingest.uploads import figures_table

HISTORY_TABLE = ["load_id", "file", "format", "rows_in", "rows_loaded", "rows_rejected", "rows_skipped",
                 "rows_missing", "loaded_at", "loaded_by", "host", "generation", "status"]


def add_parsers(commands: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None]) -> None:
    load = commands.add_parser("load", help="validate and load files (whole or not at all)",
                               description="Validate and load files: all of them or none. The format of "
                                           "each file is detected from its header unless --format names it.")
    common(load)
    load.add_argument("files", nargs="+", help="CSV or XLSX files (long template, NHS Digital workforce, "
                                               "sickness or turnover files, Staff Survey results, levy statements), "
                                               "or folders: every CSV and XLSX file in them, in date order")
    load.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    load.add_argument("--format", choices=adapters.NAMES, help="the files' format (default: detected from the header)")
    load.add_argument("--by", help="who is loading (default: the operating-system user)")
    load.add_argument("--org", default="", metavar="CODE",
                      help="the organisation of a file that names none (the apprenticeship service's "
                           "transaction download), e.g. RWH")

    loads = commands.add_parser("loads", help="the load history (the store's records: every machine's loads)",
                                description="Every load and rollback of the database, from the store's load "
                                            "records (a cluster's PostgreSQL store: every machine's). Loads the "
                                            "store has no record of are listed from the database file's own "
                                            "history, with a note saying which.")
    common(loads)
    loads.add_argument("--format", choices=("table", "json"), default="table")

    undo = commands.add_parser("rollback", help="undo a load: restore the values it replaced",
                               description="Undo one load: remove the figures it added and restore the "
                                           "values it replaced. Refused while a later load still in force "
                                           "changed its figures (roll that one back first).")
    common(undo)
    undo.add_argument("load_id", type=int, help="the load to roll back (see: python -m workforce loads)")
    undo.add_argument("--dry-run", action="store_true", help="say what would be undone; write nothing")
    undo.add_argument("--by", help="who is rolling back (default: the operating-system user)")

    export = commands.add_parser("export", help="the stored figures in the long template layout (CSV or Parquet)",
                                 description="Write the stored figures in the long template layout (period, "
                                             "org_code, staff_group, breakdown, breakdown_value, measure, value), "
                                             "'All staff groups' rows included: loading the file into an empty "
                                             "database reproduces every KPI. For admins and automation.")
    common(export)
    export.add_argument("--out", required=True, help="the file to write")
    export.add_argument("--format", choices=FORMATS, default="csv")
    export.add_argument("--ics", help="only an ICS's organisations, for the months each belonged to it")
    export.add_argument("--org", help="only these organisations (comma-separated codes)")
    export.add_argument("--from", dest="start", metavar="YYYY-MM", help="first month (default: the earliest)")
    export.add_argument("--to", dest="end", metavar="YYYY-MM", help="last month (default: the latest)")


LOADABLE = (".csv", ".xlsx")


def expand_folders(paths: list[str], config: Config) -> list[Path]:
    """Files as given; a folder becomes every CSV and XLSX file in it (and its sub-folders), in the
    order of the months they hold, so publications load oldest first."""
    files: list[Path] = []
    for given in map(Path, paths):
        if not given.is_dir():
            files.append(given)
            continue
        found = [p for p in given.rglob("*") if p.is_file() and p.suffix.lower() in LOADABLE
                 and not p.name.startswith((".", "~$"))]
        if not found:
            raise LoadError(f"{given}: no CSV or XLSX files in it")
        files += in_date_order(found, config)
    return files


def cmd_load(args: argparse.Namespace, config: Config, db_path: Path, out: io.TextIOBase,
             err: io.TextIOBase) -> int:
    try:
        result = load_files(expand_folders(args.files, config), config, db_path=db_path, dry_run=args.dry_run,
                            fmt=args.format, loaded_by=args.by, org=args.org)
    except FormatNotRecognised as exc:
        raise LoadError(f"{exc}\nTo see exactly what a format needs from this file, name it: --format NAME.") from None
    print(result.summary(), file=out)
    if args.dry_run:
        for report in result.files:
            if not report.changes.empty:
                print(f"\nChanged values in {report.file} (old → new), first {len(report.changes):,}:", file=out)
                print(figures_table(report.changes, config).to_string(index=False), file=out)
            if not report.new_rows.empty:
                print(f"\nNew figures in {report.file}, first {min(len(report.new_rows), 20):,}:", file=out)
                print(figures_table(report.new_rows.head(20), config).to_string(index=False), file=out)
    return 0


def history_records(history: pd.DataFrame) -> list[dict]:
    """The load history as JSON-ready objects (timestamps in ISO form, missing as null)."""
    records = []
    for row in history.to_dict(orient="records"):
        record = {}
        for key in HISTORY_JSON_FIELDS:
            value = row.get(key)
            if isinstance(value, pd.Timestamp):
                value = value.isoformat()
            elif value is pd.NaT or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                value = None
            elif hasattr(value, "item"):
                value = value.item()
            record[key] = value
        records.append(record)
    return records


def cmd_loads(args: argparse.Namespace, config: Config, db_path: Path, out: io.TextIOBase,
              err: io.TextIOBase) -> int:
    recorded = recorded_history(db_path, open_backend(store_target(config)))
    for note in recorded.notes:  # standard error: the output stays data
        print(f"note: {note}", file=err)
    history = recorded.loads
    if args.format == "json":
        print(json.dumps(history_records(history), indent=2), file=out)
        return 0
    if history.empty:
        print("No loads yet.", file=out)
        return 0
    shown = history[HISTORY_TABLE].astype(object).where(history[HISTORY_TABLE].notna(), "")
    shown["loaded_at"] = [f"{at:%d/%m/%Y %H:%M}" for at in history["loaded_at"]]
    shown["status"] = [s if pd.isna(at) else f"{s} {at:%d/%m/%Y %H:%M} by {by}"
                       for s, at, by in zip(history["status"], history["rolled_back_at"], history["rolled_back_by"])]
    print(shown.to_string(index=False), file=out)
    return 0


def cmd_rollback(args: argparse.Namespace, config: Config, db_path: Path, out: io.TextIOBase,
                 err: io.TextIOBase) -> int:
    result = rollback(args.load_id, config, db_path=db_path, by=args.by, dry_run=args.dry_run)
    print(result.summary(), file=out)
    return 0


def cmd_export(args: argparse.Namespace, config: Config, db_path: Path, out: io.TextIOBase,
               err: io.TextIOBase) -> int:
    scope = ExportScope(orgs=[c.strip() for c in args.org.split(",") if c.strip()] if args.org else None,
                        ics=args.ics, **{key: month(getattr(args, key), option)
                                         for key, option in (("start", "--from"), ("end", "--to"))
                                         if getattr(args, key)})
    print(export_facts(db_path, config, Path(args.out), args.format, scope).summary(args.out, args.format), file=out)
    return 0


COMMANDS = {"load": cmd_load, "loads": cmd_loads, "rollback": cmd_rollback, "export": cmd_export}
