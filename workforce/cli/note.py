"""`python -m workforce note add|list`: commentary from the command line, through the configured store
(SQLite by default, PostgreSQL with store.url / WORKFORCE_STORE_URL).

    note add --kpi ID --period YYYY-MM [--ics CODE | --org CODE] --text TEXT [--as-user EMAIL]
    note list [--all] [--format table|json] [--as-user EMAIL]

`add` writes a new version of the commentary for a KPI, place and month: TEXT replaces what happened;
why, actions, owner, due date and status carry over from the current version; every earlier version is
kept. `list` shows the current commentary; `--all` every version ever written, with who and when.
With `--as-user` the identity's role must allow commentary (editor, admin) and its organisations limit
where: its own organisations, and totals it is shown in that month (the app's rule: an ICS or England
not refused to it). Without it the command is the operator's (every place), writing as the
operating-system user.
"""

from __future__ import annotations

import argparse
import getpass
import io
import json
from collections.abc import Callable

from ..base.config import Config
from ..base.formatting import parse_month
from ..base.text import without_controls
from ..protect.access import AccessDenied, User, refused_aggregates, user_for_email
from ..store.records import ALL_ENGLAND, Commentary, Store, StoreError, scope_label

FIELDS = ("kpi", "scope", "place", "month", "what_happened", "why", "actions", "owner", "status")


def add_parsers(commands: argparse._SubParsersAction, common: Callable[[argparse.ArgumentParser], None],
                as_user: Callable[[argparse.ArgumentParser], None]) -> None:
    note = commands.add_parser("note", help="commentary: write a new version, list the current or every version")
    actions = note.add_subparsers(dest="note_command", required=True)
    add = actions.add_parser("add", help="write a new version of a KPI's commentary for a place and month")
    add.add_argument("--kpi", required=True, help="KPI id (see config.yaml)")
    add.add_argument("--period", required=True, metavar="YYYY-MM", help="the reporting month")
    where = add.add_mutually_exclusive_group()
    where.add_argument("--ics", metavar="CODE", help=f"an ICS, or {ALL_ENGLAND} (default: the plan's ICS)")
    where.add_argument("--org", metavar="CODE", help="one organisation")
    add.add_argument("--text", required=True, help="what happened (replaces the current text)")
    listing = actions.add_parser("list", help="the current commentary (--all: every version)")
    listing.add_argument("--all", action="store_true", help="every version ever written, with who and when")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    for parser in (add, listing):
        common(parser)
        as_user(parser)


def run(args: argparse.Namespace, config: Config, out: io.TextIOBase) -> int:
    user = _user(args, config)
    store = Store.for_config(config)
    if args.note_command == "add":
        return _add(args, config, store, user, out)
    return _list(args, config, store, user, out)


def _user(args: argparse.Namespace, config: Config) -> User | None:
    if not args.as_user:
        return None
    try:
        return user_for_email(config, args.as_user)
    except AccessDenied as exc:
        raise ValueError(f"--as-user: {exc}") from None


def _scope(args: argparse.Namespace, config: Config) -> str:
    if args.org:
        code = args.org.strip().upper()
        if code not in config.org_by_code:
            raise ValueError(f"--org: unknown organisation code '{code}'")
        return f"org:{code}"
    code = (args.ics or config.plan.ics).strip().upper()
    if code == ALL_ENGLAND:
        return ALL_ENGLAND
    if code not in config.ics_by_code:
        raise ValueError(f"--ics: unknown ICS '{code}'; known: {', '.join(config.ics_by_code)}, {ALL_ENGLAND}")
    return f"ics:{code}"


def may_see(user: User | None, config: Config, scope: str, month) -> bool:
    """Whether the user sees commentary on this place and month: their own organisations, and totals not
    refused to them that month (workforce.protect.access); everyone else's is not theirs to read."""
    if user is None or user.organisations is None:
        return True
    kind, _, code = scope.partition(":")
    if kind == "org":
        return code in user.organisations
    return (code or ALL_ENGLAND) not in refused_aggregates(config, user.organisations, month)


def _add(args: argparse.Namespace, config: Config, store: Store, user: User | None, out: io.TextIOBase) -> int:
    kpi = args.kpi.strip()
    if kpi not in {k.id for k in config.kpis}:
        raise ValueError(f"--kpi: unknown KPI '{kpi}'; known: {', '.join(k.id for k in config.kpis)}")
    month = parse_month(args.period)
    scope = _scope(args, config)
    if user is not None:
        if not user.can("comment"):
            raise ValueError(f"--as-user: {args.as_user}'s role ({user.role}) does not allow writing commentary")
        if not may_see(user, config, scope, month):
            raise ValueError(f"--as-user: {args.as_user} has no access to {scope_label(config, scope)}'s "
                             f"commentary for {month:%b %Y}")
    who = user.email if user else f"{getpass.getuser()} (command line)"
    entry = store.write_commentary_text(kpi, scope, month, who=who, text=args.text)
    print(f"commentary {entry.id}: {kpi}, {scope_label(config, scope)}, {month:%b %Y} — version "
          f"{store.version_count(entry.id)} written by {who}", file=out)
    return 0


def _list(args: argparse.Namespace, config: Config, store: Store, user: User | None, out: io.TextIOBase) -> int:
    rows = store.commentary_versions() if args.all else [_current(c) for c in store.commentary_list()]
    rows = [r for r in rows if may_see(user, config, r["scope"], parse_month(r["month"]))]
    for row in rows:
        row["place"] = scope_label(config, row["scope"])
    if args.format == "json":
        print(json.dumps(rows, indent=1), file=out)
        return 0
    if not rows:
        print("No commentary.", file=out)
        return 0
    for row in rows:
        when = f"{row['written_at']} by {row['written_by']}, version {row['version']}" if args.all else \
            f"{row['updated_at']} by {row['updated_by']}"
        text = without_controls(row["what_happened"] or row["why"] or row["actions"]).replace("\n", " ")
        print(f"{row['month']}  {row['kpi']}  {row['place']}  ({when})\n    {text}", file=out)
    return 0


def _current(entry: Commentary) -> dict:
    row = {f: getattr(entry, f) for f in FIELDS if hasattr(entry, f)}
    row.update(id=entry.id, month=f"{entry.month:%Y-%m}", updated_at=entry.updated_at, updated_by=entry.updated_by,
               due_date=entry.due_date.isoformat() if entry.due_date else None,
               closed_month=f"{entry.closed_month:%Y-%m}" if entry.closed_month else None)
    return row
