"""Cached resources for the pages: the validated config and the database (one per process).

WORKFORCE_CONFIG and WORKFORCE_DB override the defaults (tests point them at fixtures).
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from workforce.base.config import Config, ConfigError, load_config
from workforce.base.db import DataUnavailable, PinnedDatabase, open_database
from workforce.base.text import escape
from workforce.protect.access import scope_refusals


@st.cache_resource(show_spinner=False)
def _config(path: str | None) -> Config:
    config = load_config(path)
    scope_refusals(config)  # which totals each scoped rule may not see, month by month, worked out once
    return config


def config() -> Config:
    """The plan; a bad config stops the page with the key and problem named."""
    try:
        return _config(os.environ.get("WORKFORCE_CONFIG"))
    except ConfigError as exc:
        st.error(f"The configuration file has a problem, so the dashboard cannot start:\n\n{escape(exc)}")
        st.stop()


def db_path(cfg: Config) -> Path:
    return Path(os.environ.get("WORKFORCE_DB") or cfg.db_path)


def database(cfg: Config) -> PinnedDatabase:
    """The database as it is at the start of this page run, held until the run ends."""
    return open_database(db_path(cfg)).pinned()


def ensure_database(cfg: Config) -> None:
    """Build the synthetic demo on first run, so the run command needs no extra step."""
    path = db_path(cfg)
    if path.exists():
        return
    from workforce import demo

    with st.status("First run: building the synthetic demo database…", expanded=True) as status:
        st.write("Generating five years of synthetic workforce data for six ICSs and loading it. "
                 "This happens once and takes a few seconds.")  # ~3 s here, ~6 s on a busy 2-core machine
        demo.build_demo(cfg, path)
        status.update(label="Demo database built", state="complete", expanded=False)


def meta(db: PinnedDatabase) -> dict[str, str]:
    try:
        return db.meta()
    except DataUnavailable:
        return {}
