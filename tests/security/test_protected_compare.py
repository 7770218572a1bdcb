"""Finding 1 (issue 19): the staff-group filter undid disclosure on Compare and on the KPI page's
"By organisation" table. The RWH viewer choosing Senior managers in Central East (October 2026) was
told KPI detail's figure is withheld, yet Compare showed RWH's rate and sent its leavers and
headcount in the chart data; an administrator's Compare sent cells of 1–7 people, and "By
organisation" was neither rounded nor suppressed. Each test opens the real page as the user and
reads everything the browser receives."""

from __future__ import annotations

import pandas as pd

from tests.security.attack_tools import (ADMIN_CLAIMS, VIEWER_CLAIMS, chart_data, counts_people, demo_app,  # noqa: F401
                                         open_page, page_text, small_counts, tables)
from tests.security.scope_fixtures import demo_config, demo_db, demo_db_path, month  # noqa: F401
from workforce.measures.kpi import kpi_frame

OCT = month("2026-10")
CENTRAL = "E54000065"
MANAGERS = "Senior managers"
TURNOVER = "turnover_rate_12m"


def rwh_managers_turnover(db, config) -> pd.Series:
    """RWH's own Senior managers turnover in October 2026, from the raw components (the secret)."""
    frame = kpi_frame(db, config, [config.kpi_by_id[TURNOVER]], ["RWH"], staff_group=MANAGERS, end=OCT)
    return frame[frame["period"] == OCT].iloc[0]


def test_1_compare_shows_nothing_kpi_detail_withholds(demo_app, demo_db, demo_config):
    secret = rwh_managers_turnover(demo_db, demo_config)
    assert 0 < secret["numerator"] <= 7  # a handful of leavers: the precondition of the finding
    detail = open_page("pages/board/kpi.py", VIEWER_CLAIMS, kpi=TURNOVER, ics=CENTRAL, org="RWH",
                       staff_group=MANAGERS, period="2026-10")
    assert not detail.exception
    assert "withheld" in page_text(detail)

    compare = open_page("pages/board/compare.py", VIEWER_CLAIMS, ics=CENTRAL, staff_group=MANAGERS,
                        period="2026-10")
    assert not compare.exception
    charts = chart_data(compare)
    for spec, rows in charts:
        if {"kpi", "org_code", "value"} <= set(rows.columns):
            leaked = rows[(rows["kpi"] == TURNOVER) & (rows["org_code"] == "RWH")]["value"].dropna()
            assert leaked.empty, f"RWH's withheld turnover sent as {list(leaked)}"
    for spec, rows in charts:
        assert not {"numerator", "denominator"} & set(rows.columns), "counts sent to the browser"
    for table in tables(compare):  # the sortable table: a turnover column, if any, holds nothing for RWH
        for label in [c for c in table.columns if str(c).startswith("Staff turnover")]:
            rwh = table[table.iloc[:, 0].astype(str).str.startswith("East and North Hertfordshire")]
            assert rwh[label].isna().all(), f"RWH's withheld turnover shown as {list(rwh[label])}"


def _drawn_fields(spec: dict) -> set[str]:
    """Fields a chart's marks or tooltips use (encodings, text, filters and transforms)."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("field"), str):
                found.add(node["field"].split(".")[0])
            for key, value in node.items():
                if key in ("filter", "calculate", "test", "expr") and isinstance(value, str):
                    found.update(w.split(".")[1] for w in value.replace("(", " ").replace(")", " ").split()
                                 if w.startswith("datum."))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in spec.items() if k != "datasets"})
    return found


def test_1_compare_chart_data_carry_only_what_is_drawn(demo_app):
    compare = open_page("pages/board/compare.py", ADMIN_CLAIMS, ics=CENTRAL, period="2026-10")
    assert not compare.exception
    charts = chart_data(compare)
    assert charts
    for spec, rows in charts:
        extra = set(rows.columns) - _drawn_fields(spec) - {"__index_level_0__", "index"}
        assert not extra, f"chart data carry fields nothing draws: {sorted(extra)}"


def test_1_admin_compare_sends_no_count_of_1_to_7(demo_app, demo_config):
    compare = open_page("pages/board/compare.py", ADMIN_CLAIMS, ics=CENTRAL, staff_group=MANAGERS,
                        period="2026-10")
    assert not compare.exception
    found = []
    for _spec, rows in chart_data(compare):
        if "kpi" not in rows.columns:
            continue
        for part in ("numerator", "denominator"):
            if part in rows.columns:
                people = rows[[counts_people(demo_config, k, part) for k in rows["kpi"]]]
                found += small_counts(people[part])
    assert not found, f"{len(found)} cells of 1-7 people sent to the browser"


def test_1_admin_by_organisation_under_a_staff_group_is_rounded_and_suppressed(demo_app, demo_config):
    """KPI page, By organisation tab, with Senior managers chosen: each row is a cell of the staff-group
    breakdown of one organisation, so it is protected like every other cell."""
    found, unrounded = [], []
    for kpi in (TURNOVER, "apprenticeship_starts_pct", "stability_index"):
        page = open_page("pages/board/kpi.py", ADMIN_CLAIMS, kpi=kpi, ics=CENTRAL, staff_group=MANAGERS,
                         period="2026-10")
        assert not page.exception
        for table in tables(page):
            if "Organisation" not in table.columns:
                continue
            numerator = [c for c in table.columns if c.startswith(("Leavers", "Apprenticeship starts",
                                                                    "Staff in post 12"))]
            for column in numerator:
                values = pd.to_numeric(table[column].astype(str).str.replace(",", ""), errors="coerce").dropna()
                found += small_counts(values)
                unrounded += [v for v in values if v % 5]
    assert not found, f"{len(found)} organisation rows of 1-7 people"
    assert not unrounded, f"counts not rounded to 5: {unrounded[:10]}"
