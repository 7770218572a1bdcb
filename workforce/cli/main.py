"""`python -m workforce …`: the core package for automation (demo, load, loads, rollback, kpis, pack, spc).

Every command takes --db PATH and --config PATH. Problems are reported as one clear message on
standard error with a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..base.config import Config, ConfigError, load_config
from ..base.db import DataUnavailable, open_database
from ..base.formatting import parse_month
from . import compare as cli_compare, load as cli_load
from ..ingest.loader import LoadError
from ..measures.selection import ALL_ENGLAND, Selection, current_footprint, selection_label
from ..base.text import neutralise_frame, without_controls


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="database file (default: database.path in the config)")
    parser.add_argument("--config", help="config file (default: config.yaml beside the package)")


def _as_user(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-user", metavar="EMAIL",
                        help="show exactly what this signed-in user would see under the config's access rules "
                             "(their organisations, refused totals, disclosure control; unknown users are refused)")


def scope_for(args: argparse.Namespace, config: Config, db, selection: Selection):
    """The selection as --as-user's identity would see it in the app, or in full (the operator)."""
    from ..protect.scope import resolve

    return resolve(db, config, selection, allowed_for(args, config))


def allowed_for(args: argparse.Namespace, config: Config) -> tuple[str, ...] | None:
    """The --as-user identity's organisations (None: every organisation); unknown users refused."""
    from ..protect.access import AccessDenied, user_for_email

    if not getattr(args, "as_user", None):
        return None
    try:
        return user_for_email(config, args.as_user).organisations
    except AccessDenied as exc:
        raise ValueError(f"--as-user: {exc}") from None


def print_scope_notes(scope, err: io.TextIOBase, history: bool = True) -> None:
    """What was removed or refused for the user, and why (standard error: the output stays data);
    with `history`, that a new footprint's earlier months count its members at its start."""
    for note in dict.fromkeys(scope.notes + ((scope.refusal,) if scope.refusal else ())):
        print(f"note: {note}", file=err)
    if history and scope.history:
        print(f"note: {scope.history}", file=err)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m workforce", description="ICS Workforce Dashboard tools")
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="build the synthetic demo database")
    _common(demo)
    from .. import demo as demo_module
    demo_module.add_arguments(demo)

    cli_load.add_parsers(commands, _common)  # load, loads, rollback
    cli_compare.add_parser(commands, lambda parser: (_common(parser), _as_user(parser)))  # compare

    kpis = commands.add_parser("kpis", help="each KPI's value for a selection and month")
    _common(kpis)
    _as_user(kpis)
    kpis.add_argument("--ics", help=f"ICS code (default: the plan's ICS; {ALL_ENGLAND} for every organisation)")
    kpis.add_argument("--org", help="organisation code(s), comma-separated")
    kpis.add_argument("--staff-group", help="staff group name")
    kpis.add_argument("--period", help="reporting month YYYY-MM (default: the latest with data)")
    kpis.add_argument("--format", choices=("table", "csv", "json"), default="table")
    kpis.add_argument("--store", help="interventions store whose change points recalculate SPC limits "
                      "(default: database.store_path)")

    pack = commands.add_parser("pack", help="the board pack (PowerPoint or PDF) for a selection")
    _common(pack)
    _as_user(pack)
    pack.add_argument("--format", choices=("pptx", "pdf"), required=True)
    pack.add_argument("--out", required=True, help="file to write")
    pack.add_argument("--ics", help=f"ICS code (default: the plan's ICS; {ALL_ENGLAND} for every organisation)")
    pack.add_argument("--org", help="organisation code(s), comma-separated")
    pack.add_argument("--staff-group", help="staff group name")
    pack.add_argument("--period", help="reporting month YYYY-MM (default: the latest with data)")
    pack.add_argument("--exceptions-only", action="store_true",
                      help="a page only for KPIs with special-cause concern or consistently failing their target")
    pack.add_argument("--store", help="commentary and interventions store (default: database.store_path)")

    spc = commands.add_parser("spc", help="SPC for one series (JSON on standard input)")
    from . import spc as spc_cli
    spc_cli.add_arguments(spc)
    return parser


def _config(args: argparse.Namespace) -> Config:
    return load_config(args.config) if getattr(args, "config", None) else load_config()


def _db_path(args: argparse.Namespace, config: Config) -> Path:
    return Path(args.db) if args.db else config.db_path


def _selection(args: argparse.Namespace, config: Config) -> Selection:
    """A Selection from CLI options, with the same checks as the URL."""
    ics = args.ics or (None if args.org else config.plan.ics)
    if ics and ics != ALL_ENGLAND and ics not in config.ics_by_code:
        raise ValueError(f"--ics: unknown ICS '{ics}'; known: {', '.join(config.ics_by_code)}, {ALL_ENGLAND}")
    orgs = tuple(o.strip().upper() for o in (args.org or "").split(",") if o.strip())
    unknown = [o for o in orgs if o not in config.org_by_code]
    if unknown:
        raise ValueError(f"--org: unknown organisation code(s) {', '.join(unknown)}")
    if args.staff_group and args.staff_group not in config.staff_group_names:
        raise ValueError(f"--staff-group: unknown staff group '{args.staff_group}'")
    period = parse_month(args.period) if args.period else None
    return Selection(ics=ics or ALL_ENGLAND, orgs=orgs, staff_group=args.staff_group, period=period)


def check_period_in_data(db, config: Config, selection: Selection, ics_given: bool = True) -> Selection:
    """--period must be a month the data cover: a later or earlier month would print another
    month's figures under its name. Without --ics or --org, the plan's footprint as at that month
    (or the latest month), as the app opens on it: after a boundary change, its successor."""
    months = db.query("measures/periods", {"orgs": list(config.org_by_code)})["period"]
    if months.empty:
        return selection  # nothing loaded: the command says so itself
    first, last = pd.Timestamp(months.min()).date(), pd.Timestamp(months.max()).date()
    if selection.period is not None and not first <= selection.period <= last:
        raise ValueError(f"--period {selection.period:%Y-%m} is outside the data, which run from "
                         f"{first:%B %Y} to {last:%B %Y}")
    if ics_given:
        return selection
    return replace(selection, ics=current_footprint(config, config.plan.ics, selection.period or last))


def _ics_given(args: argparse.Namespace) -> bool:
    return bool(args.ics or args.org)


def kpi_records(db, config: Config, selection: Selection, store_path: Path | None = None) -> tuple:
    """The reporting month and one record per KPI as `kpis --format json` prints it: the figure,
    its coverage, the SPC icons (on the KPI's SPC series, with the register's change points, as
    on screen and in the pack) and the year-end forecast from data up to the month."""
    from ..measures.kpi import resolve_scope
    from ..store.records import Store, annotations
    from ..views.summary import board_summary

    _, orgs = resolve_scope(db, config, selection)
    notes = annotations(Store(store_path), config, orgs) if store_path else {}
    month, rows = board_summary(db, config, selection, rebase={k: a.rebase_dates for k, a in notes.items()})
    records = []
    for row in rows:
        record = row.latest.as_record()
        record.update(variation_icon=row.variation_icon, assurance_icon=row.assurance_icon,
                      assurance_note=row.assurance_note or None, spc_basis=row.spc_basis,
                      orgs_reporting=row.latest.orgs_reporting if row.latest.orgs_reporting is not None else 1,
                      orgs_expected=row.latest.orgs_expected if row.latest.orgs_expected is not None else 1,
                      forecast=_forecast_record(row.kpi, row.latest.history))
        records.append(record)
    return month, rows, records


def _forecast_record(kpi, history: pd.DataFrame) -> dict | None:
    """{period, value, lower, upper} at the end of the financial year, from the history given
    (which ends at the reporting month, so a forecast as at a month uses no later data), by the
    calibrated method the KPI page uses (workforce/signals/forecast.py, docs/methods.md)."""
    from ..signals.forecast import year_end_forecast

    result = year_end_forecast(kpi, history[["period", "value"]]) if not history.empty else None
    return None if result is None else result.as_record()


def cmd_kpis(args: argparse.Namespace, out: io.TextIOBase) -> int:
    config = _config(args)
    selection = _selection(args, config)
    db = open_database(_db_path(args, config))
    selection = check_period_in_data(db, config, selection, _ics_given(args))
    store = Path(args.store) if args.store else config.store_path
    scope = scope_for(args, config, db, selection)
    print_scope_notes(scope, sys.stderr, history=args.format != "table")  # the table says it under its month
    month, rows, records = kpi_records(db, config, scope, store)
    values = [r.latest for r in rows]
    if args.format == "json":
        print(json.dumps(records, indent=2, default=str), file=out)
        return 0
    frame = pd.DataFrame(records)
    if args.format == "csv":
        neutralise_frame(frame.drop(columns=["forecast"])).to_csv(out, index=False)
        return 0
    shown = pd.DataFrame({
        "priority": frame["priority"], "kpi": frame["label"], "period": frame["period"],
        "value": [v.value_text for v in values], "target": [v.target_text for v in values],
        "difference": [v.difference_text for v in values],
        "variation": [r.variation_icon or "–" for r in rows], "assurance": [r.assurance_icon or "–" for r in rows],
        "organisations": [f"{r['orgs_reporting']} of {r['orgs_expected']}" for r in records]})
    where = selection_label(config, selection)
    if month is None:  # nothing to show (none loaded, or every month withheld: the notes say why)
        print(f"No data for this selection ({where})", file=out)
        return 0
    print(f"Data as at {month:%B %Y} · {where}", file=out)
    if scope.history:
        print(scope.history, file=out)
    print(shown.to_string(index=False), file=out)
    notes = [f"{r.kpi.label}: {r.assurance_note}" for r in rows if r.assurance_note]
    if notes:
        print("\n" + "\n".join(notes), file=out)
    return 0


def cmd_pack(args: argparse.Namespace, out: io.TextIOBase) -> int:
    import time

    from ..views.board import build_board
    from ..store.records import Store
    from ..meetings.pack import build_pack, render

    began = time.perf_counter()
    config = _config(args)
    selection = _selection(args, config)
    db = open_database(_db_path(args, config))
    selection = check_period_in_data(db, config, selection, _ics_given(args))
    store = Store(args.store or config.store_path)
    scope = scope_for(args, config, db, selection)
    print_scope_notes(scope, sys.stderr)
    pack = build_pack(build_board(db, config, scope, store), args.exceptions_only)
    data = render(pack, args.format)
    target = Path(args.out)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    kpi_pages = sum(p.kind == "kpi" for p in pack.pages)
    print(f"{target}: {len(pack.pages)} pages ({kpi_pages} KPI pages), {pack.board.as_at_text.lower()}, "
          f"{len(data) / 1e6:.1f} MB in {time.perf_counter() - began:.1f} s", file=out)
    return 0


def main(argv: list[str] | None = None, out: io.TextIOBase | None = None, err: io.TextIOBase | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        if args.command == "spc":
            from . import spc as spc_cli
            return spc_cli.run(args, sys.stdin, out, err)
        if args.command == "demo":
            from .. import demo as demo_module
            config = _config(args)
            return demo_module.run(args, config, _db_path(args, config), out)
        if args.command in cli_load.COMMANDS:
            config = _config(args)
            return cli_load.COMMANDS[args.command](args, config, _db_path(args, config), out)
        if args.command == "compare":
            config = _config(args)
            return cli_compare.run(args, config, lambda: open_database(_db_path(args, config)),
                                   _selection(args, config), out, allowed=allowed_for(args, config))
        return {"kpis": cmd_kpis, "pack": cmd_pack}[args.command](args, out)
    except (ConfigError, LoadError, DataUnavailable, ValueError) as exc:
        print(f"error: {without_controls(exc)}", file=err)
        return 2
    except BrokenPipeError:  # output piped into `head`: not an error
        sys.stdout = open(os.devnull, "w")
        return 0
    except Exception as exc:  # noqa: BLE001 - the promise is a clear message, never a traceback
        print(f"error: {type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''} "
              "(an unexpected problem; nothing was changed — please report it)", file=err)
        return 1
