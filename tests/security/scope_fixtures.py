"""Shared pieces for the scope and disclosure attacks: the synthetic demo database (the one the
attacks in issue 12 were found on: default seed, data to October 2026) and the scoped viewer."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import ROOT
from workforce.base.config import load_config
from workforce.base.db import Database

VIEWER = "ann@nhs.net"          # config.yaml: viewer, nhs.net domain, scoped to RWH
OWN = ["RWH"]
END = dt.date(2026, 10, 1)


@pytest.fixture(scope="session")
def demo_config():
    return load_config(ROOT / "config.yaml")


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory, demo_config):
    from workforce.demo import build_demo

    path = tmp_path_factory.mktemp("security_demo") / "demo.duckdb"
    build_demo(demo_config, path, end=END)
    return path


@pytest.fixture()
def demo_db(demo_db_path) -> Database:
    return Database(demo_db_path)


def month(text: str) -> dt.date:
    return dt.date.fromisoformat(text + "-01")
