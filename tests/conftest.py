"""Shared fixtures: a small hand-made database whose KPI figures are worked out by hand in the tests."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from pathlib import Path

import pytest

from workforce.base.config import load_config
from workforce.base.db import Database
from workforce.ingest.loader import load_files

ROOT = Path(__file__).resolve().parent.parent


def app_page(monkeypatch, db, path: str | None = None, **params):
    """The dashboard on database `db` as AppTest runs it: URL parameters set, the page at `path` (e.g.
    "pages/board/compare.py"; default the summary) run once, and no exception."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("WORKFORCE_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    for key, value in params.items():
        at.query_params[key] = value
    if path:
        at.switch_page(path)
    at.run()
    assert not at.exception, at.exception
    return at
COLUMNS = ["period", "org_code", "staff_group", "breakdown", "breakdown_value", "measure", "value"]
NURSES, DOCTORS, ALL = "Nurses & health visitors", "HCHS doctors", "All staff groups"


def months(start: str = "2023-01", count: int = 24) -> list[str]:
    year, month = map(int, start.split("-"))
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def small_rows() -> list[list]:
    """24 months (Jan 2023 – Dec 2024) for RWH and RWG (Hertfordshire and West Essex) and RN7
    (Kent and Medway). Month i (0-based): RWH nurses' headcount is 100 + i, split White 70 + i and
    Asian 30; everything else is constant. See test_kpi.py for the figures worked out by hand."""
    rows = []
    for i, period in enumerate(months()):
        def add(org, group, measure, value, breakdown="", breakdown_value=""):
            rows.append([period, org, group, breakdown, breakdown_value, measure, value])
        add("RWH", NURSES, "headcount", 100 + i)
        add("RWH", NURSES, "leavers", 2)
        add("RWH", NURSES, "headcount", 70 + i, "ethnicity", "White")
        add("RWH", NURSES, "headcount", 30, "ethnicity", "Asian or Asian British")
        add("RWH", NURSES, "leavers", 1, "ethnicity", "White")
        add("RWH", NURSES, "leavers", 1, "ethnicity", "Asian or Asian British")
        add("RWH", DOCTORS, "headcount", 50)
        add("RWH", DOCTORS, "leavers", 1)
        add("RWG", NURSES, "headcount", 200)
        add("RWG", NURSES, "leavers", 3)
        add("RN7", NURSES, "headcount", 80)
        add("RN7", NURSES, "leavers", 1)
        add("RWH", NURSES, "fte_days_lost", 50)
        add("RWH", NURSES, "fte_days_available", 1000)
        add("RWG", NURSES, "fte_days_lost", 100)
        add("RWG", NURSES, "fte_days_available", 3000)
        add("RWH", ALL, "agency_spend", 10000)
        add("RWH", ALL, "pay_bill", 500000)
        add("RWG", ALL, "agency_spend", 30000)
        add("RWG", ALL, "pay_bill", 1000000)
        if period.endswith("-10"):
            add("RWH", ALL, "survey_respondents", 50)
            add("RWH", ALL, "survey_engagement_sum", 350)
            add("RWG", ALL, "survey_respondents", 150)
            add("RWG", ALL, "survey_engagement_sum", 975)
    return rows


def write_csv(path: Path, rows: list[list], columns: list[str] = COLUMNS) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


_stores = itertools.count()


@pytest.fixture(scope="session", autouse=True)
def session_store(tmp_path_factory):
    """The session's fixtures record their loads in a store of the session's, never the checkout's
    data/app_store.sqlite (a PostgreSQL store named by WORKFORCE_STORE_URL is left alone)."""
    folder = tmp_path_factory.mktemp("stores")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WORKFORCE_STORE", str(folder / "session.sqlite"))
        yield folder


@pytest.fixture(autouse=True)
def own_store(monkeypatch, session_store):
    """Each test its own store: load records are keyed by the database file's id, which copies of one
    fixture database share, so tests sharing a store would see each other's loads."""
    monkeypatch.setenv("WORKFORCE_STORE", str(session_store / f"test-{next(_stores)}.sqlite"))


@pytest.fixture(scope="session")
def config():
    return load_config(ROOT / "config.yaml")


@pytest.fixture(scope="session")
def small_db_path(tmp_path_factory, config) -> Path:
    folder = tmp_path_factory.mktemp("small")
    source = write_csv(folder / "small.csv", small_rows())
    db_path = folder / "small.duckdb"
    load_files([source], config, db_path=db_path)
    return db_path


@pytest.fixture()
def small_db(small_db_path) -> Database:
    return Database(small_db_path)


@pytest.fixture()
def fresh_db_path(tmp_path, small_db_path) -> Path:
    """A private copy of the small database, for tests that load into it."""
    target = tmp_path / "copy.duckdb"
    target.write_bytes(small_db_path.read_bytes())
    return target


@pytest.fixture(scope="session")
def demo_url(tmp_path_factory, config):
    """The dashboard on a synthetic demo ending October 2026 (the plan's own footprint, abolished March
    2026, has a successor to open on), with its own empty store: one server for every browser module."""
    from tests.browser.browser_server import streamlit_server
    from workforce.demo import build_demo

    folder = tmp_path_factory.mktemp("demo_browser")
    db_path, store = folder / "demo.duckdb", folder / "store.sqlite"
    env = {"WORKFORCE_DB": str(db_path), "WORKFORCE_STORE": str(store)}
    build_demo(config, db_path, end=dt.date(2026, 10, 1))  # a test's demo: no register seeded, own store
    with streamlit_server(env, extra=("--server.runOnSave", "false")) as port:
        yield f"http://127.0.0.1:{port}"


LAST = dt.date(2024, 12, 1)


# fixtures that build the synthetic demo database (seconds each): a test using one is slow
DEMO_FIXTURES = {"demo", "demo_db", "demo_db_path", "demo_path", "demo_url"}


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(session, config, items):
    """Note whether every test file was collected (the SQL coverage check needs the whole suite), and
    run that check last: the tests sit in package folders (tests/views/ …), some sorting after it."""
    collected = {item.path for item in items}
    every = {p for p in (ROOT / "tests").rglob("test_*.py") if "node_modules" not in p.parts}
    config.whole_suite = every <= collected and not config.getoption("-k") and not config.getoption("-m")
    items.sort(key=lambda item: item.path.name == "test_zz_sql_files.py")  # stable: the rest keep their order
    for item in items:
        if DEMO_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
