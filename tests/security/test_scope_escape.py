"""Finding 1 (issue 12): the RWH viewer picks Essex ICS (E54000066), whose only member from April
2026 is RQW, and used to see RQW's own figures (membership clamped to April 2026 for every month).

Each test performs the attack through a public interface and checks that RQW's figures, worked
out independently with an administrator's `org=RQW` view, do not come out."""

from __future__ import annotations

import io
import json

from tests.security.scope_fixtures import OWN, VIEWER, demo_config, demo_db, demo_db_path, month  # noqa: F401
from workforce.cli import main as cli
from workforce.views.board import build_board
from workforce.views.detail import breakdowns, kpi_view
from workforce.protect.figures import latest_values, series
from workforce.protect.scope import resolve
from workforce.measures.selection import Selection

ESSEX = "E54000066"


def rqw_figures(db, config, period):
    """RQW's own figures, as an administrator sees them (the secret the attack wants)."""
    _, values = latest_values(db, config, Selection(ics=ESSEX, orgs=("RQW",), period=period))
    return {(v.kpi, v.numerator, v.denominator) for v in values if v.value is not None}


def test_viewer_picking_the_one_member_ics_gets_a_stated_refusal_and_no_figures(demo_db, demo_config):
    secret = rqw_figures(demo_db, demo_config, month("2026-10"))
    assert len(secret) >= 10  # RQW reports most KPIs: there is something to leak
    scope = resolve(demo_db, demo_config, Selection(ics=ESSEX), OWN)
    assert scope.refusal and "Essex" in scope.refusal and "single organisation" in scope.refusal
    _, values = latest_values(demo_db, demo_config, scope)
    assert all(v.value is None and v.numerator is None for v in values)


def test_every_route_to_the_figures_is_closed(demo_db, demo_config):
    """KPI detail, breakdowns and the board pack are built from the same scope."""
    kpi = demo_config.kpi_by_id["turnover_rate_12m"]
    selection = Selection(ics=ESSEX, period=month("2026-10"))
    view = kpi_view(demo_db, demo_config, kpi, selection, allowed=OWN)
    assert view.series.empty and view.latest is None
    assert breakdowns(demo_db, demo_config, kpi, view) == {}
    board = build_board(demo_db, demo_config, selection, allowed=OWN)
    assert all(item.summary.latest.value is None for item in board.items)
    assert all(item.view.series.empty for item in board.items)


def test_cli_as_user_does_not_show_rqws_figures(demo_db, demo_db_path, demo_config):
    secret = rqw_figures(demo_db, demo_config, month("2026-10"))
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["kpis", "--as-user", VIEWER, "--ics", ESSEX, "--db", str(demo_db_path), "--format", "json"],
                    out=out, err=err)
    assert code == 0, err.getvalue()
    records = json.loads(out.getvalue())
    assert all(r["value"] is None and r["numerator"] is None for r in records)
    shown = {(r["kpi"], r["numerator"], r["denominator"]) for r in records}
    assert not shown & secret


def test_cli_as_user_pack_holds_no_figures(demo_db_path, tmp_path, capsys):
    out = io.StringIO()
    code = cli.main(["pack", "--as-user", VIEWER, "--ics", ESSEX, "--db", str(demo_db_path), "--format", "pdf",
                     "--out", str(tmp_path / "p.pdf")], out=out, err=io.StringIO())
    assert code == 0 and "no data for this selection" in out.getvalue()
    assert "Essex is not shown to you" in capsys.readouterr().err  # the stated reason


def test_cli_as_user_default_deny(demo_db_path):
    err = io.StringIO()
    code = cli.main(["kpis", "--as-user", "someone@gmail.com", "--db", str(demo_db_path)], out=io.StringIO(), err=err)
    assert code == 2 and "has no role" in err.getvalue()


def test_membership_is_effective_dated_not_clamped(demo_db, demo_config):
    """The cause: clamping made RQW's whole history 'the Essex total' for everyone. Essex began in
    April 2026; its earlier months are back-cast (its members at its start, RQW alone: said on
    screen), which only an unscoped user may see — the RWH viewer is refused Essex in every month.
    With footprint_history effective_dated, even an administrator sees nothing before April 2026."""
    scope = resolve(demo_db, demo_config, Selection(ics=ESSEX))
    assert {s.orgs for s in scope.spans} == {("RQW",)} and scope.history.startswith("Before Apr 2026")
    viewer = resolve(demo_db, demo_config, Selection(ics=ESSEX), OWN)
    assert viewer.spans == () and "Essex is not shown to you" in viewer.refusal
    for early in ("2021-04", "2025-06", "2026-03"):
        refused = resolve(demo_db, demo_config, Selection(ics=ESSEX, period=month(early)), OWN)
        assert refused.orgs == [] and "Essex is not shown to you" in refused.refusal
    strict = demo_config.model_copy(update={"plan": demo_config.plan.model_copy(
        update={"footprint_history": "effective_dated"})})
    scope = resolve(demo_db, strict, Selection(ics=ESSEX))
    frame = series(demo_db, strict, strict.kpis, scope)
    assert not frame.empty and frame["period"].min() >= month("2026-04") and scope.history is None
    # and Hertfordshire and West Essex, which ended in March 2026, has no figures after it
    qm7 = resolve(demo_db, demo_config, Selection(ics="QM7"))
    assert qm7.month == month("2026-03")
    late = resolve(demo_db, demo_config, Selection(ics="QM7", period=month("2026-06")))
    assert late.orgs == [] and "ended in" in late.refusal


def test_a_crafted_org_outside_scope_is_removed_with_a_note(demo_db, demo_config):
    scope = resolve(demo_db, demo_config, Selection(ics="E54000065", orgs=("RWG",)), OWN)
    assert scope.selection.orgs == () and any("West Hertfordshire" in n for n in scope.notes)
    assert "RWG" in scope.orgs and len(scope.orgs) >= 4  # the ICS total stands, not RWG alone


def test_cli_compare_as_user_lists_only_their_own_organisation(demo_db_path):
    """One row per organisation is each organisation's own figure: a scoped user gets theirs only."""
    out = io.StringIO()
    code = cli.main(["compare", "--as-user", VIEWER, "--ics", "E54000065", "--kpi", "turnover_rate_12m",
                     "--db", str(demo_db_path), "--format", "json"], out=out, err=io.StringIO())
    assert code == 0
    assert [r["org_code"] for r in json.loads(out.getvalue())["rows"]] == OWN
    out = io.StringIO()  # the operator sees every organisation of the ICS
    cli.main(["compare", "--ics", "E54000065", "--kpi", "turnover_rate_12m", "--db", str(demo_db_path),
              "--format", "json"], out=out, err=io.StringIO())
    assert len(json.loads(out.getvalue())["rows"]) >= 5


def test_national_peers_hold_only_a_scoped_users_own_organisations(demo_db, demo_config, monkeypatch):
    from workforce.views import peers

    group = peers.pd.DataFrame({"org_code": ["RWH", "RWG", "RQW"], "org_name": ["", "", ""],
                                "ics_code": ["", "", ""], "peer_group": ["Large acute"] * 3})
    monkeypatch.setattr(peers, "_peer_list", lambda db, org, month: group)
    kpi = demo_config.kpi_by_id["turnover_rate_12m"]
    selection = Selection(ics="E54000065", period=month("2026-10"))
    everyone = peers.national_peers(demo_db, demo_config, "RWH", kpi, resolve(demo_db, demo_config, selection))
    assert set(everyone.table["org_code"]) == {"RWH", "RWG", "RQW"}
    mine = peers.national_peers(demo_db, demo_config, "RWH", kpi, resolve(demo_db, demo_config, selection, OWN))
    assert list(mine.table["org_code"]) == OWN
