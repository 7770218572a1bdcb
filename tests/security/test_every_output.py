"""Issue 19's generic check: walk every view, download and CLI output — for the RWH viewer and for an
administrator with disclosure control on, on the demo — and find no count of 1–7 people anywhere, and
no rate finer than its published precision wherever counts are rounded.

"Every output" is what the pages, downloads, pack and CLI are built from: the KPI view (series, SPC
chart data, definition), every breakdown (rows, bar chart data, the screen's table, the Excel/CSV
sheets), the summary and the board (meeting view and pack), Compare (table, heatmap, funnel and their
chart data, national peers), and `kpis` / `compare` in JSON and CSV. A figure is rounded (protected)
for a user limited to some organisations, whenever a staff group is chosen, and in every staff-group
or equality cell; an administrator's whole-organisation and ICS figures stay exact, but never 1–7."""

from __future__ import annotations

import io
import json
import math

import pandas as pd
import pytest

from tests.security.scope_fixtures import OWN, VIEWER, demo_config, demo_db, demo_db_path, month  # noqa: F401
from workforce.cli import main as cli
from workforce.protect.precision import DECIMALS
from workforce.protect.scope import resolve
from workforce.measures.selection import Selection
from workforce.views.board import build_board
from workforce.views.charts import breakdown_bars, funnel_chart, heatmap
from workforce.views.compare import funnel_applies, funnel_from_table, organisation_kpis
from workforce.views.detail import breakdown_display, breakdowns, export_tables, kpi_view
from workforce.views.export import for_people
from workforce.views.peers import national_peers, peers_chart

OCT = month("2026-10")
CENTRAL = "E54000065"
VIEWS = [  # (who: the organisations they are limited to, selection)
    (OWN, Selection(ics=CENTRAL, period=OCT)),
    (OWN, Selection(ics=CENTRAL, orgs=("RWH",), period=OCT)),
    (OWN, Selection(ics="ENG", staff_group="Midwives", period=OCT)),
    (None, Selection(ics=CENTRAL, staff_group="Senior managers", period=OCT)),
    (None, Selection(ics=CENTRAL, orgs=("RWH",), staff_group="Midwives", period=OCT)),
    (None, Selection(ics="ENG", period=OCT)),
    (OWN, Selection(ics="Y63", period=OCT)),   # a region (issue 17) the viewer is shown: North East and Yorkshire
    (None, Selection(ics="Y59", staff_group="Midwives", period=OCT)),
]  # finding 1's own views (the viewer's and an admin's Senior managers on Compare) are also read through the
# real pages in test_protected_compare.py


class Findings:
    """What the walk found: counts of 1–7 and over-precise rates, each with where it was."""

    def __init__(self, config):
        self.config, self.small, self.precise, self.looked = config, [], [], 0

    def people(self, kpi, part: str) -> bool:
        component = kpi.numerator if part == "numerator" else kpi.denominator
        return component is not None and self.config.measure_by_id[component.measures[0]].unit == "people"

    def counts(self, where: str, values) -> None:
        for v in values:
            number = _number(v)
            self.looked += 1
            if number is not None and 0 < number <= 7:
                self.small.append((where, number))

    def rates(self, where: str, kpi, values, places: int | None = None) -> None:
        places = DECIMALS.get(kpi.format, 2) if places is None else places
        for v in values:
            number = _number(v)
            self.looked += 1
            if number is not None and abs(round(number, places) - number) > 1e-9:
                self.precise.append((where, number))

    def frame(self, where: str, kpi, frame: pd.DataFrame, protected: bool) -> None:
        """numerator/denominator/value-style columns of a frame of one KPI."""
        for part in ("numerator", "denominator", "spc_numerator", "spc_denominator"):
            if part in frame.columns and self.people(kpi, part.removeprefix("spc_")):
                self.counts(f"{where}.{part}", frame[part])
        if protected:
            for column in ("value", "spc_value", "Exact value"):
                if column in frame.columns:
                    self.rates(f"{where}.{column}", kpi, frame[column])


def _number(value) -> float | None:
    try:
        number = float(str(value).replace(",", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def chart_rows(chart) -> list[pd.DataFrame]:
    spec = chart.to_dict()
    return [pd.DataFrame(rows) for rows in spec.get("datasets", {}).values()]


def walk_view(found: Findings, db, config, scope, protected: bool) -> None:
    where = f"{scope.allowed or 'admin'}/{scope.selection}"
    for kpi in config.kpis:
        view = kpi_view(db, config, kpi, scope)
        found.frame(f"{where}/{kpi.id}/series", kpi, view.series, protected)
        if view.chart is not None:
            for rows in chart_rows(view.chart):
                if "value" in rows.columns and protected:
                    found.rates(f"{where}/{kpi.id}/spc chart", kpi, rows["value"])
        parts = breakdowns(db, config, kpi, view)
        for name, frame in parts.items():
            cell = protected or name != "organisation"
            found.frame(f"{where}/{kpi.id}/by {name}", kpi, frame, cell)
            if frame.empty:
                continue
            for rows in chart_rows(breakdown_bars(frame, kpi.label)):
                if cell and "value" in rows.columns:
                    found.rates(f"{where}/{kpi.id}/by {name} chart", kpi, rows["value"])
            shown = breakdown_display(frame, kpi, config, name)
            for column in shown.columns[1:]:
                if column in [" + ".join(config.measure_by_id[m].label for m in part.measures)
                              for part in (kpi.numerator, kpi.denominator) if part and
                              config.measure_by_id[part.measures[0]].unit == "people"]:
                    found.counts(f"{where}/{kpi.id}/by {name} table", shown[column])
            if "relative_likelihood" in frame.columns:
                found.rates(f"{where}/{kpi.id}/by {name} likelihood", kpi, frame["relative_likelihood"], places=2)
        if view.series.empty:
            continue
        for sheet, table in for_people(export_tables(kpi, view, parts, config), kpi, config, where).items():
            cell = protected or sheet not in ("Series", "By organisation")
            for column in table.columns:
                if column.startswith(("Numerator", "Denominator")) and column.endswith("(people)"):
                    found.counts(f"{where}/{kpi.id}/download {sheet}", table[column])
                elif cell and (column == "Exact value" or column.startswith(kpi.label)):
                    found.rates(f"{where}/{kpi.id}/download {sheet}.{column}", kpi, table[column])


def walk_compare(found: Findings, db, config, scope, protected: bool) -> None:
    where = f"{scope.allowed or 'admin'}/{scope.selection}/compare"
    table = organisation_kpis(db, config, scope)
    if table.empty:
        return
    for kpi_id, rows in table.groupby("kpi"):
        found.frame(f"{where}/{kpi_id}", config.kpi_by_id[kpi_id], rows, protected)
    order = sorted(table["organisation"].unique())
    for rows in chart_rows(heatmap(table, [k.short_label or k.label for k in config.kpis], order)):
        assert not {"numerator", "denominator", "value"} & set(rows.columns), "heatmap data beyond what it draws"
    for kpi in [k for k in config.kpis if funnel_applies(config, k)]:
        for group in funnel_from_table(table[table["kpi"] == kpi.id], config, kpi, False).groups:
            result = group.funnel  # each organisation type's own funnel, as the page draws them
            found.frame(f"{where}/funnel {kpi.id}", kpi, result.points, protected)
            for rows in chart_rows(funnel_chart(result.points, result.curves, kpi, kpi.label, "denominator")):
                if "denominator" in rows.columns and "position" in rows.columns and kpi.denominator and \
                        found.people(kpi, "denominator"):
                    found.counts(f"{where}/funnel chart {kpi.id}", rows["denominator"])
        peers = national_peers(db, config, "RWH", kpi, scope)
        if not peers.empty:
            found.frame(f"{where}/peers {kpi.id}", kpi, peers.table, protected)
            for rows in chart_rows(peers_chart(peers, kpi.label)):
                assert "numerator" not in rows.columns and "denominator" not in rows.columns


def walk_board(found: Findings, db, config, scope, protected: bool) -> None:
    board = build_board(db, config, scope)
    for item in board.items:
        latest = item.summary.latest
        kpi = item.kpi
        where = f"{scope.allowed or 'admin'}/{scope.selection}/board/{kpi.id}"
        for part in ("numerator", "denominator"):
            if found.people(kpi, part):
                found.counts(f"{where}.{part}", [getattr(latest, part)])
        if protected:
            found.rates(f"{where}.value", kpi, [latest.value])
            found.rates(f"{where}.sparkline", kpi, item.summary.sparkline)


def walk_cli(found: Findings, config, db_path, who, selection) -> None:
    where = f"{who or 'admin'}/{selection}/cli"
    area = "--region" if config.area_kind(selection.ics) == "region" else "--ics"
    base = ["--db", str(db_path), "--period", "2026-10", area, selection.ics]
    if selection.staff_group:
        base += ["--staff-group", selection.staff_group]
    if selection.orgs:
        base += ["--org", ",".join(selection.orgs)]
    if who is not None:
        base += ["--as-user", VIEWER]
    protected = who is not None or bool(selection.staff_group)
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["kpis", "--format", "json", *base], out=out, err=err) == 0, err.getvalue()
    for record in json.loads(out.getvalue()):
        kpi = config.kpi_by_id[record["kpi"]]
        found.frame(f"{where}/kpis json", kpi, pd.DataFrame([record]), protected)
    if selection.orgs:
        return
    for kpi in [k for k in config.kpis if funnel_applies(config, k)]:
        out = io.StringIO()
        compare = ["--db", str(db_path), "--period", "2026-10", area, selection.ics] + \
            (["--as-user", VIEWER] if who is not None else [])  # compare: whole organisations only
        assert cli.main(["compare", "--kpi", kpi.id, "--format", "json", *compare], out=out, err=err) == 0, \
            err.getvalue()
        rows = pd.DataFrame(json.loads(out.getvalue())["rows"])
        if not rows.empty:
            found.frame(f"{where}/compare {kpi.id}", kpi, rows, who is not None)


@pytest.mark.parametrize("who, selection", VIEWS, ids=[f"{'viewer' if w else 'admin'}-{s.ics}-{s.orgs or ''}-"
                                                      f"{s.staff_group or 'all'}" for w, s in VIEWS])
def test_no_small_count_and_no_over_precise_rate_in_any_output(demo_db, demo_db_path, demo_config, who, selection):
    assert demo_config.disclosure.enabled
    found = Findings(demo_config)
    scope = resolve(demo_db, demo_config, selection, who)
    protected = who is not None or bool(selection.staff_group)
    walk_view(found, demo_db, demo_config, scope, protected)
    walk_compare(found, demo_db, demo_config, scope, protected)
    walk_board(found, demo_db, demo_config, scope, protected)
    walk_cli(found, demo_config, demo_db_path, who, selection)
    assert found.looked > 200  # the walk had ground to cover
    assert not found.small, f"{len(found.small)} counts of 1-7, e.g. {found.small[:5]}"
    assert not found.precise, f"{len(found.precise)} rates finer than published, e.g. {found.precise[:5]}"
