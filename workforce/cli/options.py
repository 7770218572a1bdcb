"""What the commands share: --db and --config, --as-user, the selection they make from their options
(checked as the URL is), and the Scope it is seen through."""

from __future__ import annotations

import argparse
import io
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ..base.config import Config, load_config
from ..base.db import Database, open_database
from ..base.formatting import parse_month
from ..base.universe import with_reference
from ..measures.selection import ALL_ENGLAND, Selection, current_footprint
from ..protect.access import AccessDenied, scope_refusals, user_for_email
from ..protect.scope import resolve
from ..store.records import Store


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="database file (default: database.path in the config)")
    parser.add_argument("--config", help="config file (default: config.yaml beside the package)")


def add_area(parser: argparse.ArgumentParser, orgs: bool = True) -> None:
    """--ics, --region (and --org): any the database's publications list, or config.yaml names."""
    parser.add_argument("--ics", help=f"ICS code, any in the database's publications or config.yaml (default: the "
                                      f"plan's ICS; {ALL_ENGLAND} for every organisation in England)")
    parser.add_argument("--region", help="NHS England region code, e.g. Y63 (North East and Yorkshire)")
    if orgs:
        parser.add_argument("--org", help="organisation code(s), comma-separated: any the database's "
                                          "publications list, or config.yaml names")


def add_as_user(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-user", metavar="EMAIL",
                        help="show exactly what this signed-in user would see under the config's access rules "
                             "(their organisations, refused totals, disclosure control; unknown users are refused)")


def scope_for(args: argparse.Namespace, config: Config, db, selection: Selection):
    """The selection as --as-user's identity would see it in the app, or in full (the operator)."""
    return resolve(db, config, selection, allowed_for(args, config))


def allowed_for(args: argparse.Namespace, config: Config) -> tuple[str, ...] | None:
    """The --as-user identity's organisations (None: every organisation); unknown users refused."""
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


def config_of(args: argparse.Namespace) -> Config:
    config = load_config(args.config) if getattr(args, "config", None) else load_config()
    scope_refusals(config)  # which totals each scoped rule may not see, month by month, worked out once
    return config


def db_path_of(args: argparse.Namespace, config: Config) -> Path:
    return Path(args.db) if args.db else config.db_path


def store_of(args: argparse.Namespace, config: Config) -> Store:
    """--store FILE, else the configured store (store.url / WORKFORCE_STORE_URL, or the SQLite file)."""
    return Store(args.store) if getattr(args, "store", None) else Store.for_config(config)


def universe_of(args: argparse.Namespace) -> tuple[Config, Database]:
    """config.yaml's plan over every organisation, ICS and region the database's publications list
    (base.universe), and the database."""
    config = config_of(args)
    db = open_database(db_path_of(args, config))
    universe = with_reference(config, db)
    scope_refusals(universe)
    return universe, db


def selection_of(args: argparse.Namespace, config: Config) -> Selection:
    """A Selection from CLI options, with the same checks as the URL."""
    if args.ics and args.region:
        raise ValueError("give --ics or --region, not both")
    if args.region and config.area_kind(args.region) != "region":
        raise ValueError(f"--region: unknown region '{args.region}'; known: "
                         f"{', '.join(r.code for r in config.regions)}")
    ics = args.region or args.ics or (None if args.org else config.plan.ics)
    if args.ics and ics != ALL_ENGLAND and ics not in config.ics_by_code:
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


def ics_given(args: argparse.Namespace) -> bool:
    return bool(args.ics or args.region or getattr(args, "org", None))
