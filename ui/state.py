"""Cached resources for the pages: the validated config and the database (one per process).

The dashboard shows the real database (database.path) when there is one and the synthetic demo
(database.demo_path, built on first run) otherwise; `?data=demo` in the address, or
WORKFORCE_DATA=demo, shows the demo beside a real database. The config a page gets is the plan over
every organisation, ICS and region that database's publications list (workforce.universe), worked
out once per database generation. WORKFORCE_CONFIG and WORKFORCE_DB override the defaults (tests
point them at fixtures).
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from workforce.base.config import Config, ConfigError, load_config
from workforce.base.db import DataUnavailable, PinnedDatabase, open_database
from workforce.base.text import escape
from workforce.protect.access import scope_refusals
from workforce.base.universe import with_reference


DEMO = "demo"


@st.cache_resource(show_spinner=False)
def _config(path: str | None) -> Config:
    config = load_config(path)
    scope_refusals(config)  # which totals each scoped rule may not see, month by month, worked out once
    return config


@st.cache_resource(show_spinner=False, max_entries=8)
def _universe(_cfg: Config, key: tuple, db_file: str, generation: tuple) -> Config:
    universe = with_reference(_cfg, open_database(db_file))
    scope_refusals(universe)  # as for config.yaml's own: worked out once per database generation
    return universe


def demo_asked() -> bool:
    """The synthetic demo asked for beside a real database (`?data=demo`, or WORKFORCE_DATA=demo)."""
    return st.query_params.get("data") == DEMO or os.environ.get("WORKFORCE_DATA") == DEMO


def plan() -> Config:
    """config.yaml as written, for the files the dashboard shows (the real database or the demo)."""
    try:
        cfg = _config(os.environ.get("WORKFORCE_CONFIG"))
    except ConfigError as exc:
        st.error(f"The configuration file has a problem, so the dashboard cannot start:\n\n{escape(exc)}")
        st.stop()
    return cfg if os.environ.get("WORKFORCE_DB") else cfg.shown(demo_asked())


def config() -> Config:
    """The plan over every organisation, ICS and region the shown database's publications list; a bad
    config stops the page with the key and problem named."""
    cfg = plan()
    path = db_path(cfg)
    try:
        generation = open_database(path).generation
    except DataUnavailable:  # nothing yet (the demo is built on first run): config.yaml's own
        return cfg
    return _universe(cfg, (str(cfg.source_path), cfg.database.path), str(path), generation)


def db_path(cfg: Config) -> Path:
    return Path(os.environ.get("WORKFORCE_DB") or cfg.db_path)


def real_database_exists() -> bool:
    """There is a real database (database.path, not a synthetic one left there by an older version),
    so the demo can link back to it."""
    path = _config(os.environ.get("WORKFORCE_CONFIG")).db_path
    return not os.environ.get("WORKFORCE_DB") and path.exists() and meta(open_database(path)).get("synthetic") != "true"


def database(cfg: Config) -> PinnedDatabase:
    """The database as it is at the start of this page run, held until the run ends."""
    return open_database(db_path(cfg)).pinned()


DEMO_BUILD_SECONDS = 900  # the first run's demo build: 3–10 s, far longer only on a machine in trouble


def ensure_database(cfg: Config) -> None:
    """Build the synthetic demo on first run, so the run command needs no extra step."""
    path = db_path(cfg)
    if path.exists():
        return
    with st.status("No real database yet: building the synthetic demo database…", expanded=True) as status:
        st.write("Generating five years of synthetic workforce data for six ICSs and loading it. "
                 "This happens once and takes about ten seconds.")  # 3–4 s on a quiet 2-core machine, ~10 s busy
        _build_demo_showing_progress(cfg, path, st.progress(0.0, text="Starting"))
        status.update(label="Demo database built", state="complete", expanded=False)


def _build_demo_showing_progress(cfg: Config, path: Path, bar) -> None:
    """The build runs in a child process (ingest.isolated, as uploads are checked): this server's interpreter
    stays free to send the status box's words and progress as the build goes, and other sessions are not
    held up. In a thread of the server the build held the interpreter, and the box's words arrived up to a
    second or more after its label."""
    from workforce import demo
    from workforce.ingest import isolated

    isolated.run(demo.build_demo, cfg, path, timeout=DEMO_BUILD_SECONDS,
                 progress=lambda fraction, text: bar.progress(min(fraction, 1.0), text=text))
    bar.empty()


def meta(db: PinnedDatabase) -> dict[str, str]:
    try:
        return db.meta()
    except DataUnavailable:
        return {}
