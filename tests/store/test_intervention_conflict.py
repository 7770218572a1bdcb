"""Intervention lost update, on both store back ends: two editors change the same intervention; the
second's change used to replace the first's unseen (only the audit kept it). A change or removal is
refused when the intervention is no longer as its editor opened it, even when they save at the same
moment (PostgreSQL queues writers of one record on an advisory lock; SQLite on BEGIN IMMEDIATE)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from tests.store.store_fixtures import pg_server, pg_url, store_target  # noqa: F401
from workforce.store.records import InterventionConflict, Store


def registered(store: Store):
    return store.add_intervention(who="Ann", date=dt.date(2026, 4, 1), label="Rota change", description="",
                                  ics="QM7", orgs=[], kpis=[], change_point=False)


def test_a_change_based_on_an_older_intervention_is_refused(store_target):
    store = Store(store_target)
    opened = registered(store)                                   # Alice and Bob both open it
    alice = store.update_intervention(opened.id, who="Alice", label="Rota change (all wards)", opened=opened)
    with pytest.raises(InterventionConflict, match="changed by Alice") as refused:
        store.update_intervention(opened.id, who="Bob", description="Bank staff first", opened=opened)
    assert refused.value.current == alice
    assert store.get_intervention(opened.id).label == "Rota change (all wards)"   # Alice's change kept
    with pytest.raises(InterventionConflict):
        store.delete_intervention(opened.id, who="Bob", opened=opened)
    bob = store.update_intervention(opened.id, who="Bob", description="Bank staff first", opened=alice)  # seen
    assert (bob.label, bob.description) == ("Rota change (all wards)", "Bank staff first")
    store.delete_intervention(opened.id, who="Alice", opened=bob)
    with pytest.raises(InterventionConflict, match="removed"):
        store.update_intervention(opened.id, who="Bob", label="Too late", opened=bob)
    assert [a["action"] for a in store.audit() if a["entity"] == "intervention"] == ["delete", "update", "update",
                                                                                      "add"]  # refusals write nothing


def test_editors_saving_at_once_one_wins_the_rest_are_refused(store_target):
    store = Store(store_target)
    opened = registered(store)
    outcomes: list[str] = []

    def change(i: int) -> None:
        try:
            store.update_intervention(opened.id, who=f"w{i}", label=f"label {i}", opened=opened)
            outcomes.append(f"label {i}")
        except InterventionConflict:
            outcomes.append("refused")

    editors = [threading.Thread(target=change, args=(i,)) for i in range(8)]
    for e in editors:
        e.start()
    for e in editors:
        e.join()
    saved = [o for o in outcomes if o != "refused"]
    assert len(saved) == 1 and outcomes.count("refused") == 7
    assert store.get_intervention(opened.id).label == saved[0]
