"""Finding 3 (issue 12) through the real page: `/present?org=RWG&period=…` showed RWG's
commentary to the viewer scoped to RWH, because the page read `org=` from the URL for the
commentary key while the figures used the scoped selection."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.security.attack_tools import signed_in_app
from workforce.store.records import Store

VIEWER = {"is_logged_in": True, "email": "ann@nhs.net", "name": "Ann Viewer"}   # scoped to RWH
ADMIN = {"is_logged_in": True, "email": "workforce.analytics@example.nhs.uk"}
SECRET = "RWG only: ward closures planned"


@pytest.fixture()
def signed_in(monkeypatch, tmp_path, small_db_path):
    store = Store(signed_in_app(monkeypatch, tmp_path, small_db_path))
    data = yaml.safe_load((ROOT / "config.yaml").read_text())
    for kpi in data["kpis"]:  # on every KPI, so whichever screen opens has it
        store.save_commentary(kpi["id"], "org:RWG", dt.date(2024, 12, 1), who="RWG analyst", what_happened=SECRET)


def present(user, **params):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.user = user
    for key, value in {**params, "screen": "1"}.items():
        at.query_params[key] = value
    at.switch_page("pages/meetings/present.py")
    return at.run()


def page_text(at) -> str:
    return " ".join(str(getattr(e, "value", "")) for e in at.main) + " ".join(
        str(e.proto) for e in at.get("html"))


def test_viewer_cannot_open_another_organisations_commentary_by_url(signed_in):
    at = present(VIEWER, ics="QM7", org="RWG", period="2024-12")
    assert not at.exception
    assert SECRET not in page_text(at)


def test_the_commentary_is_there_for_someone_allowed(signed_in):
    """The attack had a target: an administrator asking for RWG sees it."""
    at = present(ADMIN, ics="QM7", org="RWG", period="2024-12")
    assert not at.exception
    assert SECRET in page_text(at)


def test_a_board_shared_between_sessions_is_never_handed_to_a_viewer_who_may_see_less(signed_in):
    """Meeting views are built once and shared (workforce.meetings.snapshots). The same link opened
    by an administrator and then by a viewer scoped to RWH must give the viewer a board worked out for
    their organisations, not the administrator's."""
    admin = present(ADMIN, ics="QM7", period="2024-12")
    viewer = present(VIEWER, ics="QM7", period="2024-12")
    again = present(ADMIN, ics="QM7", period="2024-12")
    _, admin_board, _ = admin.session_state["meeting_snapshot"]
    _, viewer_board, _ = viewer.session_state["meeting_snapshot"]
    _, second_admin_board, _ = again.session_state["meeting_snapshot"]
    assert second_admin_board is admin_board          # shared between sessions that see the same
    assert viewer_board is not admin_board
    assert {i.view.scope.allowed for i in viewer_board.items} == {("RWH",)}
    assert {i.view.scope.allowed for i in admin_board.items} == {None}
