"""Finding 8 (issue 19): another organisation's interventions were visible to a scoped viewer — label
and description in the register (even with "only current filters"), and as an event on the viewer's
own ICS chart. The RWH viewer must not read what RWG's people wrote about RWG; an ICS-wide entry
(about the total they may see) stays visible, and an administrator sees everything."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.security.attack_tools import (ADMIN_CLAIMS, VIEWER_CLAIMS, chart_data, demo_app, open_page,  # noqa: F401
                                         page_text, signed_in_app, tables)
from tests.security.scope_fixtures import demo_config, demo_db_path  # noqa: F401
from workforce.store.records import Store

SECRET_LABEL = "RWG ward closures"
SECRET_TEXT = "RWG plans to close two wards in March"
SHARED_LABEL = "ICS wellbeing programme"


@pytest.fixture()
def small_app(monkeypatch, tmp_path, small_db_path):
    store = Store(signed_in_app(monkeypatch, tmp_path, small_db_path))
    store.add_intervention(who="RWG analyst", date=dt.date(2024, 6, 1), label=SECRET_LABEL, description=SECRET_TEXT,
                           ics="QM7", orgs=["RWG"])
    store.add_intervention(who="ICS lead", date=dt.date(2024, 3, 1), label=SHARED_LABEL, ics="QM7")
    return store


def everything(at) -> str:
    charts = [rows.to_json() for _spec, rows in chart_data(at)] + [json.dumps(spec) for spec, _ in chart_data(at)]
    return page_text(at) + "\n".join(t.to_csv() for t in tables(at)) + "\n".join(charts)


@pytest.mark.parametrize("only_here", [True, False])
def test_8_the_register_does_not_show_another_organisations_interventions(small_app, only_here):
    at = open_page("pages/meetings/register.py", VIEWER_CLAIMS, ics="QM7", period="2024-12")
    assert not at.exception
    if not only_here:
        at.toggle(key="iv_only_here").set_value(False).run()
    text = everything(at)
    assert SHARED_LABEL in text  # the register works: the ICS-wide entry is listed
    assert SECRET_LABEL not in text and SECRET_TEXT not in text


def test_8_the_viewers_ics_chart_does_not_carry_another_organisations_event(demo_app):
    """On the demo, whose Central East total the viewer is shown."""
    store = Store(demo_app)
    store.add_intervention(who="RWG analyst", date=dt.date(2026, 6, 1), label=SECRET_LABEL,
                           description=SECRET_TEXT, ics="E54000065", orgs=["RWG"])
    store.add_intervention(who="ICS lead", date=dt.date(2026, 3, 1), label=SHARED_LABEL, ics="E54000065")
    at = open_page("pages/board/kpi.py", VIEWER_CLAIMS, kpi="turnover_rate_12m", ics="E54000065", period="2026-10")
    assert not at.exception
    text = everything(at)
    assert SHARED_LABEL in text
    assert SECRET_LABEL not in text


def test_8_an_administrator_does_see_it(small_app):
    at = open_page("pages/meetings/register.py", ADMIN_CLAIMS, ics="QM7", period="2024-12")
    assert SECRET_LABEL in everything(at)
