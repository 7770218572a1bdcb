"""Commentary versions in-process on both store back ends: every save is a new version, numbered per
commentary, the current text is the last one, and concurrent writers of one entry each build on the
one before (PostgreSQL queues them on an advisory lock; SQLite on BEGIN IMMEDIATE)."""

from __future__ import annotations

import datetime as dt
import threading

from tests.store.store_fixtures import pg_server, pg_url, store_target  # noqa: F401
from workforce.store.records import Store

DEC = dt.date(2026, 10, 1)


def test_each_save_is_a_version_and_the_last_is_current(store_target):
    store = Store(store_target)
    first = store.write_commentary_text("agency_spend_pct", "ics:QM7", DEC, who="Ann", text="Agency up")
    store.write_commentary_text("agency_spend_pct", "ics:QM7", DEC, who="Bob", text="Agency down")
    versions = [v for v in store.commentary_versions() if v["commentary_id"] == first.id]
    assert [(v["written_by"], v["version"], v["what_happened"]) for v in versions] == [("Ann", 1, "Agency up"), ("Bob", 2, "Agency down")]
    assert store.version_count(first.id) == 2
    assert [c.what_happened for c in store.commentary_list("ics:QM7")] == ["Agency down"]


def test_concurrent_writers_of_one_entry_all_kept(store_target):
    store = Store(store_target)
    store.save_commentary("vacancy_rate", "ics:QM7", DEC, who="Ann", what_happened="start", actions="Drive")
    writers = [threading.Thread(target=store.write_commentary_text,
                                args=("vacancy_rate", "ics:QM7", DEC), kwargs={"who": f"w{i}", "text": f"t{i}"})
               for i in range(8)]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    (entry,) = store.commentary_list("ics:QM7")
    assert store.version_count(entry.id) == 9          # the first save and eight writers, none lost
    assert entry.actions == "Drive"                     # carried over by every writer, never dropped
    assert entry.what_happened in {f"t{i}" for i in range(8)}


def test_open_actions_are_carried_into_the_next_month(store_target):
    # The meeting view and the pack read carried actions for every KPI: on PostgreSQL this query once failed
    # to translate (an apostrophe in its header comment hid its parameters), so every meeting view crashed
    store = Store(store_target)
    september, october = dt.date(2026, 9, 1), dt.date(2026, 10, 1)
    store.save_commentary("sickness_rate", "ics:QM7", september, who="Ann", what_happened="Winter plan",
                          actions="Flu clinics", status="open")
    store.save_commentary("sickness_rate", "ics:QM7", dt.date(2026, 8, 1), who="Ann", what_happened="Done",
                          actions="Closed before", status="closed")
    view = store.commentary_for("sickness_rate", "ics:QM7", october)
    assert view.current is None
    assert [c.actions for c in view.carried] == ["Flu clinics"]
    assert store.commentary_for("sickness_rate", "ics:QWO", october).carried == ()
