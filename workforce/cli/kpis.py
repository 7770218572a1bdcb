"""`python -m workforce kpis`: each KPI's value for a selection and month (table, CSV or JSON)."""

from __future__ import annotations

import argparse
import io
import json
import sys

import pandas as pd

from ..base.config import Config
from ..base.text import neutralise_frame
from ..measures.selection import Selection, selection_label
from ..protect.access import may_read
from ..protect.scope import Scope, resolve
from ..signals.forecast import year_end_forecast
from ..store.records import Store, annotations
from ..views.summary import board_summary
from ..views.summary_view import difference_words
from .options import (add_area, add_as_user, add_common, check_period_in_data, ics_given,
                      print_scope_notes, scope_for, selection_of, store_of, universe_of)


def add_parser(commands) -> None:
    kpis = commands.add_parser("kpis", help="each KPI's value for a selection and month")
    add_common(kpis)
    add_as_user(kpis)
    add_area(kpis)
    kpis.add_argument("--staff-group", help="staff group name")
    kpis.add_argument("--period", help="reporting month YYYY-MM (default: the latest with data)")
    kpis.add_argument("--format", choices=("table", "csv", "json"), default="table")
    kpis.add_argument("--store", help="interventions store whose change points recalculate SPC limits "
                      "(default: the configured store)")


def kpi_records(db, config: Config, selection: Selection, store: Store | None = None) -> tuple:
    """The reporting month and one record per KPI as `kpis --format json` prints it: the figure,
    its coverage, the SPC icons (on the KPI's SPC series, with the register's change points, as
    on screen and in the pack) and the year-end forecast from data up to the month."""
    scope = selection if isinstance(selection, Scope) else resolve(db, config, selection)
    notes = annotations(store, config, scope.orgs, readable=lambda i: may_read(i.orgs, scope.allowed)) \
        if store is not None else {}
    month, rows = board_summary(db, config, scope, rebase={k: a.rebase_dates for k, a in notes.items()})
    records = []
    for row in rows:
        record = row.latest.as_record()
        record.update(variation_icon=row.variation_icon, assurance_icon=row.assurance_icon,
                      assurance_note=row.assurance_note or None, spc_basis=row.spc_basis,
                      no_variation_icon=None if row.variation_icon else row.variation_words,
                      no_assurance_icon=None if row.assurance_icon else row.assurance_words,
                      variation_words=row.variation_words, assurance_words=row.assurance_words,
                      on_course=row.outlook.as_record() if row.outlook else None,
                      no_on_course=row.outlook_reason or None,  # why a KPI with a target has none
                      orgs_reporting=row.latest.orgs_reporting if row.latest.orgs_reporting is not None else 1,
                      orgs_expected=row.latest.orgs_expected if row.latest.orgs_expected is not None else 1,
                      forecast=_forecast_record(row.kpi, row.latest.history))
        records.append(record)
    return month, rows, records


def _forecast_record(kpi, history: pd.DataFrame) -> dict | None:
    """{period, value, lower, upper} at the end of the financial year, from the history given
    (which ends at the reporting month, so a forecast as at a month uses no later data), by the
    calibrated method the KPI page uses (workforce/signals/forecast.py, docs/methods.md)."""
    result = year_end_forecast(kpi, history[["period", "value"]]) if not history.empty else None
    return None if result is None else result.as_record()


def run(args: argparse.Namespace, out: io.TextIOBase) -> int:
    from ..views.summary import chance_on_the_board, chance_words

    config, db = universe_of(args)
    selection = selection_of(args, config)
    selection = check_period_in_data(db, config, selection, ics_given(args))
    store = store_of(args, config)
    scope = scope_for(args, config, db, selection)
    print_scope_notes(scope, sys.stderr, history=args.format != "table")  # the table says it under its month
    month, rows, records = kpi_records(db, config, scope, store)
    values = [r.latest for r in rows]
    if args.format == "json":
        print(json.dumps(records, indent=2, default=str), file=out)
        return 0
    frame = pd.DataFrame(records)
    if args.format == "csv":
        frame["on_course"] = [r["on_course"]["probability"] if r["on_course"] else None for r in records]
        frame["on_course_period"] = [r["on_course"]["period"] if r["on_course"] else None for r in records]
        neutralise_frame(frame.drop(columns=["forecast"])).to_csv(out, index=False)
        return 0
    shown = pd.DataFrame({
        "priority": frame["priority"], "kpi": frame["label"],
        "period": ["–" if pd.isna(p) else p for p in frame["period"]],  # a KPI with no figure: never 'NaN'
        "value": [v.value_text for v in values], "target": [v.target_text for v in values],
        "vs target": [difference_words(r) for r in rows],
        "variation": [r.variation_icon or "–" for r in rows],
        "assurance": ["–" if pd.isna(p) else r.assurance_icon or r.assurance_reason or "–"  # no figure: no reason
                      for p, r in zip(frame["period"], rows)],
        "on course": [chance_words(r.outlook.probability) if r.outlook else "–" for r in rows],
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
    notes += [f"{r.kpi.label}: {r.outlook_text}" + (" (on the calibrated year-end forecast)." if r.outlook else ".")
              for r in rows if r.outlook_text]
    if notes:
        print("\n" + "\n".join(notes), file=out)
    chance = chance_on_the_board(config, rows)
    if chance.charts:
        print("\n" + chance.text, file=out)
    return 0
