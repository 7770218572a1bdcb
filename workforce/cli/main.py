"""`python -m workforce …`: the core package for automation (demo, load, loads, rollback, kpis, pack, note, spc).

This module builds the parser and dispatches; each command group lives in its own module (kpis, pack,
compare, load, note, spc), and what they share — options, the selection, its Scope — in options.
Every command takes --db PATH and --config PATH. Problems are reported as one clear message on
standard error with a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

from ..base.config import ConfigError
from ..base.db import DataUnavailable
from ..base.text import without_controls
from ..ingest.loader import LoadError
from . import compare as cli_compare, kpis, load as cli_load, note, pack
from .options import (add_area, add_as_user, add_common, allowed_for, config_of, db_path_of, selection_of,
                      universe_of)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m workforce", description="ICS Workforce Dashboard tools")
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="build the synthetic demo database")
    add_common(demo)
    from .. import demo as demo_module
    demo_module.add_arguments(demo)

    cli_load.add_parsers(commands, add_common)  # load, loads, rollback
    cli_compare.add_parser(commands, lambda parser: (add_common(parser), add_as_user(parser),
                                                     add_area(parser, orgs=False)))  # compare

    kpis.add_parser(commands)
    pack.add_parser(commands)
    note.add_parsers(commands, add_common, add_as_user)  # note add, note list

    spc = commands.add_parser("spc", help="SPC for one series (JSON on standard input)")
    from . import spc as spc_cli
    spc_cli.add_arguments(spc)
    return parser


def main(argv: list[str] | None = None, out: io.TextIOBase | None = None, err: io.TextIOBase | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        if args.command == "spc":
            from . import spc as spc_cli
            return spc_cli.run(args, sys.stdin, out, err)
        if args.command == "demo":
            from .. import demo as demo_module
            config = config_of(args)
            return demo_module.run(args, config, Path(args.db) if args.db else config.demo_db_path, out)
        if args.command in cli_load.COMMANDS:
            config = config_of(args)
            return cli_load.COMMANDS[args.command](args, config, db_path_of(args, config), out, err)
        if args.command == "note":
            return note.run(args, config_of(args), out)
        if args.command == "compare":
            config, db = universe_of(args)
            return cli_compare.run(args, config, lambda: db, selection_of(args, config), out,
                                   allowed=allowed_for(args, config))
        return {"kpis": kpis.run, "pack": pack.run}[args.command](args, out)
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
