"""`python -m workforce pack`: the board pack (PowerPoint or PDF) for a selection."""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

from ..meetings.pack import build_pack
from ..meetings.pack_file import render
from ..views.board import build_board
from .options import (add_area, add_as_user, add_common, check_period_in_data, ics_given,
                      print_scope_notes, scope_for, selection_of, store_of, universe_of)


def add_parser(commands) -> None:
    pack = commands.add_parser("pack", help="the board pack (PowerPoint or PDF) for a selection")
    add_common(pack)
    add_as_user(pack)
    pack.add_argument("--format", choices=("pptx", "pdf"), required=True)
    pack.add_argument("--out", required=True, help="file to write")
    add_area(pack)
    pack.add_argument("--staff-group", help="staff group name")
    pack.add_argument("--period", help="reporting month YYYY-MM (default: the latest with data)")
    pack.add_argument("--exceptions-only", action="store_true",
                      help="a page only for KPIs with special-cause concern or consistently failing their target")
    pack.add_argument("--store", help="commentary and interventions store (default: the configured store)")


def run(args: argparse.Namespace, out: io.TextIOBase) -> int:
    began = time.perf_counter()
    config, db = universe_of(args)
    selection = selection_of(args, config)
    selection = check_period_in_data(db, config, selection, ics_given(args))
    store = store_of(args, config)
    scope = scope_for(args, config, db, selection)
    print_scope_notes(scope, sys.stderr)
    pack = build_pack(build_board(db, config, scope, store), args.exceptions_only)
    data = render(pack, args.format)
    target = Path(args.out)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    kpi_pages = sum(p.kind == "kpi" for p in pack.pages)
    as_at = pack.board.as_at_text  # 'Data as at November 2026' mid-sentence: the month keeps its capital
    print(f"{target}: {len(pack.pages)} pages ({kpi_pages} KPI pages), {as_at[:1].lower() + as_at[1:]}, "
          f"{len(data) / 1e6:.1f} MB in {time.perf_counter() - began:.1f} s", file=out)
    return 0
