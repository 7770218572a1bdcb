"""Findings 10, 13 and 14 (issue 19), each performed as reported.

10: admin, Central East, Senior managers (or Other staff), turnover, October 2026: an IndexError in
    the SPC chart's legend on KPI detail, and the CLI pack exited 1.
13: a link with 4,000 unknown organisation codes rendered 4,000 warnings; 64 KB links were accepted.
14: config accepted `network_role: admin` and `min_other_organisations: 1` without a warning; the
    meeting view kept any number of snapshots per session (about 4 MB and 5–17 s of CPU each);
    `compare --as-user` printed the viewer's own counts unrounded while the app rounds them."""

from __future__ import annotations

import io
import json

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.security.scope_fixtures import VIEWER, demo_config, demo_db, demo_db_path, month  # noqa: F401
from workforce.cli import main as cli
from workforce.base.config import load_config
from workforce.meetings.snapshots import MAX_ENTRIES, SHARED
from workforce.views.detail import kpi_view
from workforce.measures.selection import Selection

OCT = month("2026-10")
CENTRAL = "E54000065"
OTHER = "Other staff or those with unknown classification"


@pytest.mark.parametrize("group", ["Senior managers", OTHER])
def test_10_kpi_detail_draws_a_chart_whose_context_line_is_empty(demo_db, demo_config, group):
    kpi = demo_config.kpi_by_id["turnover_rate_12m"]
    view = kpi_view(demo_db, demo_config, kpi, Selection(ics=CENTRAL, staff_group=group, period=OCT))
    assert view.latest is None or view.chart is None or view.chart.to_dict()


def test_10_the_pack_for_that_selection_is_written(demo_db_path, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["pack", "--format", "pdf", "--out", str(tmp_path / "pack.pdf"), "--ics", CENTRAL,
                     "--staff-group", "Senior managers", "--period", "2026-10", "--db", str(demo_db_path)],
                    out=out, err=err)
    assert code == 0, err.getvalue()
    assert (tmp_path / "pack.pdf").stat().st_size > 10_000


@pytest.fixture()
def small_app(monkeypatch, small_db_path):
    monkeypatch.setenv("WORKFORCE_DB", str(small_db_path))


def run(page: str | None = None, config: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    return at.run()


def test_13_thousands_of_unknown_codes_give_one_note(small_app):
    at = run(org=",".join(f"X{i:04d}" for i in range(4000)))
    assert not at.exception
    notes = [w.value for w in at.warning if "link" in w.value]
    assert len(notes) == 1, f"{len(notes)} warnings for one link"


def test_13_many_unknown_codes_in_a_link_of_ordinary_length_give_one_note(small_app):
    at = run(org=",".join(f"X{i:03d}" for i in range(300)))
    assert not at.exception
    notes = [w.value for w in at.warning if "organisation" in w.value]
    assert len(notes) == 1 and "297 more" in notes[0], notes


def test_13_a_64_kb_link_is_refused_with_one_note(small_app):
    at = run(org=",".join(["RWH"] * 16_000), staff_group="Nurses & health visitors")  # 64 KB, every code valid
    assert not at.exception
    assert any("too long" in w.value for w in at.warning)
    assert at.sidebar.selectbox(key="f_staff_group").value == ""  # nothing in it was used


@pytest.mark.parametrize("setting, key", [({"network_role": "admin"}, "network_role"),
                                          ({"min_other_organisations": 1}, "min_other_organisations")])
def test_14_risky_access_settings_are_warned_about(tmp_path, setting, key):
    data = yaml.safe_load((ROOT / "config.yaml").read_text())
    data["access"].update(setting)
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    config = load_config(path)
    assert any(key in warning for warning in config.warnings)


def test_14_the_warning_is_on_the_page_for_an_administrator(monkeypatch, small_db_path, tmp_path):
    data = yaml.safe_load((ROOT / "config.yaml").read_text())
    data["access"]["min_other_organisations"] = 1
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    monkeypatch.setenv("WORKFORCE_CONFIG", str(path))
    monkeypatch.setenv("WORKFORCE_DB", str(small_db_path))
    at = run()
    said = [w.value.replace("\\", "").replace("\u2060", "") for w in at.warning]
    assert any("min_other_organisations: 1" in text for text in said), said


def test_14_a_session_keeps_a_bounded_number_of_meeting_snapshots(small_app, monkeypatch, tmp_path):
    monkeypatch.setenv("WORKFORCE_STORE", str(tmp_path / "store.sqlite"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["screen"] = "0"
    at.switch_page("pages/meetings/present.py")
    for period in ("2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12"):
        at.query_params["period"] = period
        at.run()
        assert not at.exception
    # a session keeps one frozen board (its latest); the boards themselves are shared and capped
    assert "meeting_snapshots" not in at.session_state
    selection, board, _ = at.session_state["meeting_snapshot"]
    assert dict(selection)["period"] == "2024-12" and board.items
    assert len(SHARED) <= MAX_ENTRIES


def test_14_compare_as_user_rounds_the_viewers_own_counts(demo_db_path, demo_config):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["compare", "--kpi", "turnover_rate_12m", "--as-user", VIEWER, "--ics", CENTRAL, "--period",
                     "2026-10", "--format", "json", "--db", str(demo_db_path)], out=out, err=err)
    assert code == 0, err.getvalue()
    rows = json.loads(out.getvalue())["rows"]
    assert [r["org_code"] for r in rows] == ["RWH"]
    assert all(r["numerator"] % 5 == 0 and r["denominator"] % 5 == 0 for r in rows), rows
    assert all(round(r["value"], 1) == r["value"] for r in rows), rows


def test_14_the_server_says_so_when_it_starts(monkeypatch, tmp_path, capsys):
    from ui import serve

    data = yaml.safe_load((ROOT / "config.yaml").read_text())
    data["access"]["network_role"] = "admin"
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    monkeypatch.setenv("WORKFORCE_CONFIG", str(path))
    serve.listen_safely(["run", "app.py"])
    assert "warning: access.network_role: admin" in capsys.readouterr().err
