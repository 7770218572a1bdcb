"""Work out the default board before anyone asks, for each generation of the data.

When a meeting starts, everyone opens the same link within seconds. The first of them would
otherwise pay for the queries and the reporting month on a just-started server or a just-loaded
file while the others queue behind the interpreter lock. A background thread in the server
process runs the default summary once per database generation (start-up, then after each load),
filling the process-wide query cache and the remembered reporting month that every session
shares. It never changes anything stored, and a failure only means the first page does the work.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path

CHECK_EVERY_S = 5.0


def default_selection(config, db):
    """The selection a bare link opens on: the plan's footprint as it is in the latest month."""
    from workforce.measures.selection import Selection, current_footprint

    periods = db.query("measures/periods", {"orgs": [o.code for o in config.organisations]})["period"]
    latest = periods.max() if len(periods) else None
    as_at = latest.date() if hasattr(latest, "date") else latest or dt.date.today().replace(day=1)
    return Selection(ics=current_footprint(config, config.plan.ics, as_at))


def warm_once(config, db) -> None:
    from workforce.base.universe import with_reference
    from workforce.protect.differencing import warm
    from workforce.views.summary import board_summary, chance_on_the_board

    config = with_reference(config, db)  # as the pages see it: every organisation the publications list
    _, rows = board_summary(db, config, default_selection(config, db))
    chance_on_the_board(config, rows)  # the rules' false-alarm rate, simulated once per process
    for rule in config.access.rules:  # what each scoped rule's users may see (the differencing check)
        if rule.organisations:
            warm(db, config, tuple(rule.organisations))


def shown(config_path: str | None):
    """The config and database file the dashboard opens (ui/state: the real database when there is
    one, else the demo; WORKFORCE_DB names a file)."""
    from workforce.base.config import load_config

    config = load_config(config_path)
    if os.environ.get("WORKFORCE_DB"):
        return config, Path(os.environ["WORKFORCE_DB"])
    config = config.shown(os.environ.get("WORKFORCE_DATA") == "demo")
    return config, config.db_path


def _loop(config_path: str | None) -> None:
    from workforce.base.db import file_signature, open_database

    done = None
    while True:
        try:
            config, db_path = shown(config_path)
            if db_path.exists():
                signature = file_signature(db_path)
                if signature != done:
                    warm_once(config, open_database(db_path).pinned())
                    done = signature
        except Exception:  # noqa: BLE001 - the first page will do the work itself
            pass
        time.sleep(CHECK_EVERY_S)


def start() -> None:
    """Start the warm-up thread (daemon: it ends with the server)."""
    config_path = os.environ.get("WORKFORCE_CONFIG")
    try:
        shown(config_path)
    except Exception:  # noqa: BLE001 - a bad config is reported by the app itself
        return
    threading.Thread(target=_loop, args=(config_path,), name="board-warmup", daemon=True).start()
