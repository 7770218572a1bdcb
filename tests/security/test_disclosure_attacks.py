"""Findings 3, 4 and 5 (issue 12), each performed as the attack and checked to fail.

3: the meeting view read `org=` from the URL for the commentary key, so `/present?org=RWG`
   showed RWG's commentary to the RWH viewer.
4: choosing staff_group=Senior managers showed the cell the staff-group breakdown hides.
5: hidden equality cells were recoverable: chart data carried the unrounded counts, sex never got
   secondary suppression, and the BME row let a lone hidden group be worked out."""

from __future__ import annotations

import json

import pandas as pd

from tests.security.scope_fixtures import OWN, demo_config, demo_db, demo_db_path, month  # noqa: F401
from workforce.protect import disclosure
from workforce.views.board import build_board
from workforce.views.charts import breakdown_bars
from workforce.views.detail import BME, breakdowns, export_tables, kpi_view
from workforce.store.records import Store
from workforce.measures.selection import Selection

OCT = month("2026-10")
CENTRAL = "E54000065"   # RWH's ICS from April 2026


def test_3_meeting_view_commentary_follows_the_scoped_selection(demo_db, demo_config, tmp_path):
    store = Store(tmp_path / "store.sqlite")
    store.save_commentary("turnover_rate_12m", "org:RWG", OCT, who="RWG analyst",
                          what_happened="RWG secret: ward closures planned")
    board = build_board(demo_db, demo_config, Selection(ics=CENTRAL, orgs=("RWG",), period=OCT), store,
                        allowed=OWN)
    assert board.scope != "org:RWG" and board.selection.orgs == ()
    assert any("West Hertfordshire" in n for n in board.notes)
    texts = [i.commentary.current.what_happened for i in board.items if i.commentary.current]
    assert not any("RWG secret" in t for t in texts)
    # an administrator asking for RWG does see it (the commentary exists: the attack had a target)
    admin = build_board(demo_db, demo_config, Selection(ics=CENTRAL, orgs=("RWG",), period=OCT), store)
    assert any(i.commentary.current and "RWG secret" in i.commentary.current.what_happened for i in admin.items)


def test_4_a_staff_group_filter_does_not_show_what_the_breakdown_hides(demo_db, demo_config):
    kpi = demo_config.kpi_by_id["turnover_rate_12m"]
    whole = Selection(ics=CENTRAL, orgs=("RWH",), period=OCT)
    view = kpi_view(demo_db, demo_config, kpi, whole, allowed=OWN)
    by_group = breakdowns(demo_db, demo_config, kpi, view)["staff group"]
    hidden = set(by_group.loc[by_group["suppressed"], "group"])
    assert "Senior managers" in hidden  # the precondition the issue describes
    for group in hidden:
        filtered = kpi_view(demo_db, demo_config, kpi, Selection(ics=CENTRAL, orgs=("RWH",), staff_group=group,
                                                                  period=OCT), allowed=OWN)
        shown_months = set(filtered.series["period"])
        assert OCT not in shown_months, group  # no headline, definition panel or Series row for it
        sheets = export_tables(kpi, filtered, {}, demo_config) if not filtered.series.empty else {}
        for frame in sheets.values():
            for column in [c for c in frame.columns if "umerator" in c or "enominator" in c]:
                values = pd.to_numeric(frame[column], errors="coerce").dropna()
                assert (values % 5 == 0).all(), (group, column)  # rounded to 5, never the exact count


def test_4_series_numbers_for_a_scoped_user_are_rounded(demo_db, demo_config):
    kpi = demo_config.kpi_by_id["turnover_rate_12m"]
    view = kpi_view(demo_db, demo_config, kpi, Selection(ics=CENTRAL, period=OCT), allowed=OWN)
    assert not view.series.empty
    assert (view.series["numerator"] % 5 == 0).all() and (view.series["denominator"] % 5 == 0).all()


def test_5a_breakdown_chart_data_carry_no_counts(demo_db, demo_config):
    kpi = demo_config.kpi_by_id["turnover_rate_12m"]
    selection = Selection(ics=CENTRAL, orgs=("RWH",), period=OCT)
    view = kpi_view(demo_db, demo_config, kpi, selection, allowed=OWN)
    parts = breakdowns(demo_db, demo_config, kpi, view)
    for name in ("sex", "ethnicity", "staff group"):
        spec = json.dumps(breakdown_bars(parts[name], kpi.label).to_dict())
        assert "numerator" not in spec and "denominator" not in spec, name
        for label in parts[name].loc[parts[name]["suppressed"], "label"]:
            assert f'"label": "{label}"' not in spec  # hidden groups are not in the data at all


def _frame(rows):
    return pd.DataFrame(rows, columns=["group", "numerator", "denominator", "value"])


def test_5b_two_group_breakdowns_get_secondary_suppression(demo_config):
    kpi = demo_config.kpi_by_id["turnover_rate_12m"]
    out = disclosure.apply(_frame([["Female", 19, 186.5, 10.2], ["Male", 6, 40, 15.0]]), kpi, demo_config.disclosure)
    assert out["suppressed"].tolist() == [True, True]  # Male = total 25 − 19 otherwise


def test_5c_bme_row_and_total_cannot_reveal_a_lone_hidden_group(demo_config):
    kpi = demo_config.kpi_by_id["turnover_rate_12m"]
    ethnicity = next(b for b in demo_config.breakdowns if b.id == "ethnicity")
    rows = [["White", 60, 600, 10], ["Asian or Asian British", 20, 150, 13], ["Black or Black British", 12, 90, 13],
            ["Mixed", 9, 60, 15], ["Other ethnic group", 10, 50, 20], ["Not stated", 3, 30, 10]]
    rows.append([BME, 51, 350, 14.6])
    members = [v for v in ethnicity.values if v not in ("White", "Not stated")]
    relations = [list(ethnicity.values), ["White", BME, "Not stated"], [BME, *members]]
    out = disclosure.apply(_frame(rows), kpi, demo_config.disclosure, relations=relations)
    hidden = dict(zip(out["group"], out["suppressed"]))
    assert hidden["Not stated"]
    for relation in relations:  # the attacker's equations: none has exactly one unknown
        assert sum(hidden[g] for g in relation) != 1, relation


def test_5_no_hidden_equality_cell_is_recoverable_in_the_demo(demo_db, demo_config):
    """The issue counted 10 exactly recoverable hidden cells in one month across RWH, QM7 and Essex:
    every relation (the total, and for ethnicity BME) must have no lone hidden cell."""
    kpi = demo_config.kpi_by_id["turnover_rate_12m"]
    checked = 0
    for selection in (Selection(ics=CENTRAL, orgs=("RWH",), period=OCT), Selection(ics="QM7", period=month("2026-03")),
                      Selection(ics="E54000066", period=OCT)):
        view = kpi_view(demo_db, demo_config, kpi, selection)
        parts = breakdowns(demo_db, demo_config, kpi, view)
        for b in demo_config.breakdowns:
            frame = parts.get(b.id)
            if frame is None or frame.empty:
                continue
            hidden = dict(zip(frame["group"], frame["suppressed"]))
            relations = [[g for g in b.values if g in hidden]]
            if BME in hidden:
                members = [v for v in b.values if v not in (b.reference, "Not stated")]
                relations += [[b.reference, BME, "Not stated"], [BME, *members]]
            for relation in relations:
                checked += 1
                assert sum(hidden.get(g, False) for g in relation) != 1, (selection, b.id, relation)
    assert checked >= 10


def test_4_monthly_spc_points_do_not_give_back_a_small_months_count(demo_db, demo_config):
    """The SPC chart of a 12-month KPI plots each month's own rate; times the (rounded) headcount it
    gives the month's leavers back, so a month with 1-7 leavers is not charted or exported."""
    from workforce.measures.kpi import kpi_frame

    kpi = demo_config.kpi_by_id["turnover_rate_12m"]
    selection = Selection(ics="QM7", orgs=("RWH",), staff_group="Managers", period=month("2026-03"))
    view = kpi_view(demo_db, demo_config, kpi, selection, allowed=OWN)
    monthly = kpi_frame(demo_db, demo_config, [kpi.model_copy(update={"window": "month"})], ["RWH"],
                        staff_group="Managers", end=month("2026-03"))
    small = {p.strftime("%Y-%m") for p, n in zip(monthly["period"], monthly["numerator"]) if 1 <= n <= 7}
    assert len(small) >= 12  # a small staff group: most months have a handful of leavers
    series = export_tables(kpi, view, {}, demo_config)["Series"]
    shown = series[series["month"].isin(small)]
    assert shown["spc_value"].isna().all()
    assert view.spc is None or not small & {d.strftime("%Y-%m") for d in view.spc.dates}


def test_a_group_only_one_other_trust_feeds_is_not_shown(demo_db, demo_config):
    """Central East has two acute trusts (RWH, RWG) and one ambulance trust (RYC): its Midwives row
    minus the viewer's own RWH would be RWG's, and its Ambulance staff row is RYC's own."""
    acute = [o for o in demo_config.ics_members(CENTRAL, OCT) if demo_config.org_by_code[o].type == "acute"]
    assert sorted(acute) == ["RWG", "RWH"]
    kpi = demo_config.kpi_by_id["turnover_rate_12m"]
    selection = Selection(ics=CENTRAL, period=OCT)
    view = kpi_view(demo_db, demo_config, kpi, selection, allowed=OWN)
    groups = breakdowns(demo_db, demo_config, kpi, view)["staff group"].set_index("group")
    for group in ("Midwives", "Ambulance staff", "Support to ambulance staff"):
        assert groups.loc[group, "suppressed"], group
    assert not groups.loc["Nurses & health visitors", "suppressed"]  # every trust has nurses
    for group in ("Midwives", "Ambulance staff"):  # nor through the staff-group filter
        filtered = kpi_view(demo_db, demo_config, kpi, Selection(ics=CENTRAL, staff_group=group, period=OCT),
                            allowed=OWN)
        assert OCT not in set(filtered.series["period"]), group
    admin = breakdowns(demo_db, demo_config, kpi, kpi_view(demo_db, demo_config, kpi, selection))
    assert not admin["staff group"].set_index("group").loc["Midwives", "suppressed"]  # a real figure to protect


def test_a_withheld_figure_says_why(demo_db, demo_config):
    kpi = demo_config.kpi_by_id["turnover_rate_12m"]
    view = kpi_view(demo_db, demo_config, kpi, Selection(ics=CENTRAL, orgs=("RWH",), staff_group="Senior managers",
                                                          period=OCT), allowed=OWN)
    assert view.latest is None and "withheld to protect" in view.withheld_text


def test_a_withheld_group_gets_secondary_suppression_under_the_filter_too(demo_config):
    """One thin group (withheld) and none small: the breakdown hides the next smallest too, and the
    staff-group filter must hide that one as well (total minus the others would give the thin one)."""
    kpi = demo_config.kpi_by_id["turnover_rate_12m"]
    frame = pd.DataFrame({"period": [OCT] * 3, "grp": ["Midwives", "Managers", "Nurses"],
                          "numerator": [40.0, 20.0, 90.0], "denominator": [400.0, 200.0, 900.0]})
    hidden = disclosure.hidden_cells(frame, kpi, demo_config.disclosure, True,
                                     pd.Series([True, False, False]))
    assert hidden.tolist() == [True, True, False]
