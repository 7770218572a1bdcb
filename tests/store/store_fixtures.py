"""A PostgreSQL server for the store tests (Debian's postgresql, started as deploy/cluster.sh does), a
fresh database per test, and a runner for `python -m workforce` against either back end."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "deploy"))
import cluster  # noqa: E402  deploy/cluster.py


def postgres_missing() -> str | None:
    if not (cluster.PG_BIN / "initdb").exists():
        return f"PostgreSQL is not installed ({cluster.PG_BIN}); CI installs it (.ci/run)"
    return None


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory):
    """(url of the maintenance database, state folder): one server for the session."""
    reason = postgres_missing()
    if reason:
        pytest.skip(reason)
    state = tmp_path_factory.mktemp("pg-state")
    url = cluster.start_postgres(state)
    yield url, state
    cluster.stop_postgres(state)


@pytest.fixture
def pg_url(pg_server) -> str:
    """A new, empty database on the session's server."""
    import psycopg

    url, _ = pg_server
    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")  # a fixed pattern: t_ and hex digits
    return url.rsplit("/", 1)[0] + "/" + name


def pg_ctl(state: Path, *args: str) -> None:
    """pg_ctl on the session's server (stop, start, restart), as the user it runs as."""
    pg = cluster.pg_folder(state)
    extra = ["-o", cluster.read(state / "pg_options")] if args[0] in ("start", "restart") else []
    cluster.as_pg([str(cluster.PG_BIN / "pg_ctl"), "-D", str(pg / "data"), "-l", str(pg / "postgres.log"),
                   "-w", "-t", "60", *extra, *args])


def store_env(target: str | Path) -> dict[str, str]:
    """The environment that points the CLI at a store: a PostgreSQL URL or a SQLite file."""
    env = {k: v for k, v in os.environ.items() if k not in ("WORKFORCE_STORE", "WORKFORCE_STORE_URL")}
    key = "WORKFORCE_STORE_URL" if str(target).startswith("postgresql://") else "WORKFORCE_STORE"
    return {**env, key: str(target)}


def workforce(target: str | Path, *args: str, config: Path | None = None) -> subprocess.CompletedProcess:
    """`python -m workforce ARGS` against the store `target`."""
    extra = ["--config", str(config)] if config else []
    return subprocess.run([sys.executable, "-m", "workforce", *args, *extra], cwd=ROOT, env=store_env(target),
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.cluster)])
def store_target(request, tmp_path):
    """Each store test runs on both back ends: a SQLite file, and a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "store.sqlite"
    return request.getfixturevalue("pg_url")
