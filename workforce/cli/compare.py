"""`python -m workforce compare`: one KPI by organisation with its funnel limits (JSON or CSV).

One row per organisation of the selection: org_code, organisation, group, period, value, numerator,
denominator, lower95, upper95, lower998, upper998 and outlier (above / below / none, against the
99.8% limits), where the limits, centre and overdispersion (phi, tau2) are those of the row's own
group: its organisation type by default (--groups type: like with like), or every type together
(--groups all). JSON lists each group under "groups"; the top-level centre, phi and tau2 are those
of the single funnel when there is one group (null otherwise); CSV has them as columns on every row.
The organisations come from the selection (--ics, --type, --period) through compare.funnel_comparison.
"""

from __future__ import annotations

import argparse
import io
import json
import math
from dataclasses import replace

import pandas as pd

from ..protect.scope import resolve
from ..views.compare import GROUPINGS, FunnelComparison, funnel_applies, funnel_comparison
from ..base.config import Config
from ..measures.selection import Selection
from ..base.text import neutralise_frame
from .options import check_period_in_data

ROW_COLUMNS = ["org_code", "organisation", "group", "period", "value", "numerator", "denominator",
               "lower95", "upper95", "lower998", "upper998", "outlier"]


def add_parser(commands, common) -> None:
    compare = commands.add_parser("compare", help="one KPI by organisation with funnel-plot limits")
    common(compare)
    compare.add_argument("--kpi", required=True, help="KPI id (a percentage of people, FTE or days)")
    compare.add_argument("--period", help="reporting month YYYY-MM (default: the latest with data)")
    compare.add_argument("--type", help="organisation type (e.g. acute), to compare like with like")
    compare.add_argument("--groups", choices=("type", "all"), default="type",
                         help="compare each organisation with its own organisation type (default) or all types together")
    compare.add_argument("--format", choices=("json", "csv"), required=True)
    compare.set_defaults(org=None, staff_group=None)


def selection_for(args: argparse.Namespace, config: Config, base: Selection) -> Selection:
    """The CLI's selection (built as for `kpis`) narrowed to --type."""
    if args.type is None:
        return base
    types = sorted({o.type for o in config.organisations})
    if args.type not in types:
        raise ValueError(f"--type: unknown organisation type '{args.type}'; known: {', '.join(types)}")
    return replace(base, org_type=args.type)


def _number(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)


def rows(result: FunnelComparison) -> pd.DataFrame:
    if not result.groups:
        return pd.DataFrame(columns=ROW_COLUMNS)
    table = result.points[ROW_COLUMNS].copy()
    table["period"] = [p.strftime("%Y-%m") for p in table["period"]]
    return table


def _group_record(name: str, f) -> dict:
    return {"group": name, "organisations": len(f.points), "centre": _number(f.centre), "limits": f.kind,
            "phi": _number(f.phi), "tau2": _number(f.tau2), "overdispersion_adjusted": bool(f.adjusted),
            "adjustment": f.adjustment_text}


def record(result: FunnelComparison) -> dict:
    f = result.funnel
    return {
        "kpi": result.kpi.id, "label": result.kpi.label,
        "period": result.period.strftime("%Y-%m") if result.period else None,
        "group_by": GROUPINGS[result.grouping],
        "centre": _number(f.centre) if f else None, "limits": f.kind if f else None,
        "phi": _number(f.phi) if f else None, "tau2": _number(f.tau2) if f else None,
        "overdispersion_adjusted": bool(f.adjusted) if f else False,
        "adjustment": f.adjustment_text if f else None,
        "groups": [_group_record(g.name, g.funnel) for g in result.groups],
        "left_out": result.left_out,
        "rows": [{k: (_number(v) if isinstance(v, float) else v) for k, v in row.items()}
                 for row in rows(result).to_dict("records")]}


def run(args: argparse.Namespace, config: Config, open_db, base: Selection, out: io.TextIOBase,
        allowed: tuple[str, ...] | None = None) -> int:
    """Options are checked before the database is opened (open_db: a function returning it).
    `allowed`: the organisations of the --as-user identity (one row per organisation: theirs only)."""
    if args.kpi not in config.kpi_by_id:
        raise ValueError(f"--kpi: unknown KPI '{args.kpi}'; known: {', '.join(config.kpi_by_id)}")
    kpi = config.kpi_by_id[args.kpi]
    if not funnel_applies(config, kpi):
        raise ValueError(f"--kpi: {kpi.id} is not a percentage of people, FTE or days, so it has no funnel plot")
    selection = selection_for(args, config, base)
    db = open_db()
    selection = check_period_in_data(db, config, selection, bool(args.ics or args.region))
    result = funnel_comparison(db, config, kpi, resolve(db, config, selection, allowed), getattr(args, "groups", "type"))
    if args.format == "json":
        print(json.dumps(record(result), indent=2, ensure_ascii=False), file=out)
        return 0
    table = rows(result)
    by_group = {g.name: g.funnel for g in result.groups}
    for column in ("centre", "phi", "tau2"):
        table[column] = [getattr(by_group[name], column) for name in table["group"]]
    neutralise_frame(table).to_csv(out, index=False)
    return 0
