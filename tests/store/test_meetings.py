"""The commentary and intervention store: audit, carry-forward, plain text, scope rules, change points."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys

import pytest

from tests.conftest import LAST, ROOT
from workforce.views.board import build_board, is_exception
from workforce.views.detail import kpi_view
from workforce.store.records import (ALL_ENGLAND, MAX_TEXT, Store, StoreError, annotations, commentary_scope,
                                first_month_on_or_after, ics_of, scope_label)
from workforce.measures.selection import Selection

OCT, NOV, DEC = dt.date(2024, 10, 1), dt.date(2024, 11, 1), dt.date(2024, 12, 1)


@pytest.fixture()
def store(tmp_path) -> Store:
    return Store(tmp_path / "store.sqlite")


def test_reading_never_creates_the_store(tmp_path):
    store = Store(tmp_path / "missing.sqlite")
    assert store.version() == 0 and store.interventions() == [] and store.commentary_markers("ics:QM7", DEC) == {}
    assert not (tmp_path / "missing.sqlite").exists()


def test_store_is_sqlite_in_wal_mode(store):
    store.add_intervention(who="Ann", date=OCT, label="x")
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_commentary_saved_updated_and_audited(store):
    first = store.save_commentary("turnover_rate_12m", "ics:QM7", DEC, who="Ann Smith", what_happened="Rose",
                                  why="Pay", actions="Retention clinics", owner="Director of People",
                                  due_date=dt.date(2025, 3, 31))
    assert (first.month, first.status, first.created_by) == (DEC, "open", "Ann Smith")
    second = store.save_commentary("turnover_rate_12m", "ics:QM7", DEC, who="Bob Jones", what_happened="Rose again",
                                   status="in_progress")
    assert second.id == first.id and second.what_happened == "Rose again" and second.updated_by == "Bob Jones"
    audit = store.audit()
    assert [(a["who"], a["action"], a["entity"]) for a in audit] == [
        ("Bob Jones", "update", "commentary"), ("Ann Smith", "add", "commentary")]
    assert json.loads(audit[0]["old"])["what_happened"] == "Rose"
    assert json.loads(audit[0]["new"])["what_happened"] == "Rose again"
    assert audit[1]["old"] is None and audit[0]["at"] >= audit[1]["at"]
    assert store.version() == audit[0]["id"]


def test_actions_are_carried_forward_until_closed(store):
    october = store.save_commentary("vacancy_rate", "ics:QM7", OCT, who="Ann", actions="Recruitment drive",
                                    owner="HR")
    assert store.commentary_for("vacancy_rate", "ics:QM7", OCT).carried == ()
    november = store.commentary_for("vacancy_rate", "ics:QM7", NOV)
    assert november.current is None and [c.id for c in november.carried] == [october.id]
    assert store.commentary_markers("ics:QM7", NOV) == {"vacancy_rate": "carried"}
    store.save_commentary("vacancy_rate", "ics:QM7", NOV, who="Ann", what_happened="Better")
    assert store.commentary_markers("ics:QM7", NOV) == {"vacancy_rate": "current"}
    store.close_commentary(october.id, who="Bob", month=DEC)
    december = store.commentary_for("vacancy_rate", "ics:QM7", DEC)
    # November's (still open) and October's, shown once more as closed in the month it closed
    assert [(c.month, c.status_text()) for c in december.carried] == [(NOV, "Open"), (OCT, "Closed (Dec 2024)")]
    assert [c.month for c in store.commentary_for("vacancy_rate", "ics:QM7", dt.date(2025, 1, 1)).carried] == [NOV]
    assert store.audit()[0]["action"] == "close"
    # other scopes and KPIs are separate
    assert not store.commentary_for("vacancy_rate", "org:RWH", NOV)
    assert not store.commentary_for("turnover_rate_12m", "ics:QM7", NOV)


def test_text_is_kept_as_typed_but_limited(store):
    markup = "<script>alert(1)</script> **bold** [link](http://x) <b>b</b>\x00\x07"
    entry = store.save_commentary("vacancy_rate", "ics:QM7", DEC, who="Ann", what_happened=markup)
    assert entry.what_happened == "<script>alert(1)</script> **bold** [link](http://x) <b>b</b>"  # controls removed
    longest = "word " * (MAX_TEXT // 5)
    assert len(store.save_commentary("vacancy_rate", "ics:QM7", NOV, who="Ann", why=longest).why) <= MAX_TEXT
    with pytest.raises(StoreError, match="the most is 4,000"):
        store.save_commentary("vacancy_rate", "ics:QM7", OCT, who="Ann", why="x" * (MAX_TEXT + 1))
    with pytest.raises(StoreError, match="who"):
        store.save_commentary("vacancy_rate", "ics:QM7", OCT, who="  ", why="x")
    with pytest.raises(StoreError, match="at least one"):
        store.save_commentary("vacancy_rate", "ics:QM7", OCT, who="Ann", owner="only an owner")


def test_commentary_scope_rule(config):
    assert commentary_scope(Selection(ics="QM7")) == "ics:QM7"
    assert commentary_scope(Selection(ics="QM7", orgs=("RWH",))) == "org:RWH"
    assert commentary_scope(Selection(ics="QM7", orgs=("RWH", "RWG"))) == "ics:QM7"  # several: the ICS's
    assert commentary_scope(Selection(ics="QM7", staff_group="HCHS doctors")) == "ics:QM7"
    assert commentary_scope(Selection(ics=ALL_ENGLAND)) == ALL_ENGLAND
    # an ICB is an ICS and an organisation with the same code: the prefixes keep them apart
    assert scope_label(config, "ics:QF7") == "South Yorkshire"
    assert scope_label(config, "org:QF7") == "NHS South Yorkshire ICB"


def test_interventions_audited_and_soft_deleted(store):
    added = store.add_intervention(who="Ann", date=dt.date(2024, 3, 15), label="Industrial action", ics="QM7",
                                   kpis=["sickness_absence_rate"])
    changed = store.update_intervention(added.id, who="Bob", label="Industrial action (doctors)", change_point=True)
    assert changed.label == "Industrial action (doctors)" and changed.change_point and changed.kpis == (
        "sickness_absence_rate",)
    store.delete_intervention(added.id, who="Cat")
    assert store.interventions() == []
    assert [(a["who"], a["action"]) for a in store.audit()] == [("Cat", "delete"), ("Bob", "update"), ("Ann", "add")]
    with pytest.raises(StoreError):
        store.update_intervention(added.id, who="Dan", label="again")
    with pytest.raises(StoreError, match="label"):
        store.add_intervention(who="Ann", date=OCT, label="   ")


def test_which_charts_an_intervention_touches_and_rebases(store, config):
    memberships = ics_of(config)
    ics_wide = store.add_intervention(who="A", date=dt.date(2024, 4, 1), label="ICS programme", ics="QM7",
                                      change_point=True)
    one_trust = store.add_intervention(who="A", date=dt.date(2024, 6, 10), label="RWH cohort", ics="QM7",
                                       orgs=["RWH"], change_point=True)
    other_kpi = store.add_intervention(who="A", date=dt.date(2024, 5, 1), label="Levy", ics="QM7",
                                       kpis=["levy_utilisation"])
    elsewhere = store.add_intervention(who="A", date=dt.date(2024, 5, 1), label="Kent", ics="QKS")
    qm7 = ["RWH", "RWG"]
    assert [i.id for i in store.events_for("turnover_rate_12m", qm7, memberships)] == [ics_wide.id, one_trust.id]
    assert other_kpi.id in [i.id for i in store.events_for("levy_utilisation", qm7, memberships)]
    assert elsewhere.id not in [i.id for i in store.events_for("turnover_rate_12m", qm7, memberships)]
    # the trust's change point rebases the trust's chart, not the whole ICS's
    assert store.change_points_for("turnover_rate_12m", qm7, memberships) == [dt.date(2024, 4, 1)]
    assert store.change_points_for("turnover_rate_12m", ["RWH"], memberships) == [dt.date(2024, 4, 1),
                                                                                   dt.date(2024, 7, 1)]
    assert first_month_on_or_after(dt.date(2024, 12, 2)) == dt.date(2025, 1, 1)
    notes = annotations(store, config, qm7)
    assert notes["turnover_rate_12m"].rebase_dates == (dt.date(2024, 4, 1),)
    assert [label for _, label in notes["turnover_rate_12m"].events] == ["ICS programme (change point)",
                                                                         "RWH cohort (change point)"]


def test_a_change_point_recalculates_the_limits_on_screen_and_in_the_board(store, config, small_db):
    selection = Selection(ics="QM7")
    kpi = config.kpi_by_id["sickness_absence_rate"]
    before = kpi_view(small_db, config, kpi, selection)
    assert len(before.spc.groups) == 1
    store.add_intervention(who="A", date=dt.date(2023, 12, 1), label="Wellbeing programme", ics="QM7",
                           change_point=True)
    board = build_board(small_db, config, selection, store)
    item = next(i for i in board.items if i.kpi.id == kpi.id)
    assert len(item.view.spc.groups) == 2 and item.view.spc.groups[1].first_index == 11
    assert len(item.summary.spc.groups) == 2  # the summary's icons come from the same recalculated limits
    assert item.summary.variation_icon == item.view.spc.variation_icon
    assert "Wellbeing programme (change point)" in json.dumps(item.view.chart.to_dict()["datasets"])
    assert board.month == LAST and all(is_exception(i.summary) == i.exception for i in board.items)


@pytest.mark.slow
def test_another_process_reads_while_the_app_writes(store):
    store.add_intervention(who="Ann", date=OCT, label="first")
    code = ("import sys; sys.path.insert(0, %r); from workforce.store.records import Store; "
            "print(len(Store(%r).interventions()))") % (str(ROOT), str(store.path))
    con = sqlite3.connect(store.path)  # a writer holding an open transaction
    con.execute("BEGIN IMMEDIATE")
    con.execute("UPDATE intervention SET label = 'changing'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    con.rollback()
    con.close()
    assert result.stdout.strip() == "1", result.stderr
