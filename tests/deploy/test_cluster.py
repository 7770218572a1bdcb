"""deploy/cluster.sh on this machine (issue 20): PostgreSQL, two replicas by ./run.sh, nginx in front.

Sessions spread over the replicas and each browser stays on one; a proxied request is never the
loopback local admin; a load from the command line takes the cluster-wide lock and both replicas
show the new generation without a restart; a replica killed with -9 loses nothing and the site keeps
answering through nginx. (Marked `cluster`: the quick run skips them; CI installs postgresql and nginx.)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, small_rows, write_csv
from tests.browser.browser_server import free_port
from tests.light_client import page_text
from tests.store.store_fixtures import postgres_missing, store_env, workforce

pytestmark = pytest.mark.cluster
CLUSTER = ROOT / "deploy" / "cluster.sh"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, small_db_path):
    if postgres_missing() or not shutil.which("nginx"):
        pytest.skip("needs Debian's postgresql and nginx (CI installs them)")
    home = tmp_path_factory.mktemp("cluster")
    # a folder of its own, not in home (down empties home); set up again when pytest splits the module's
    # tests around others sharing its parameters (the browser tests' chromium), so never a fixed name
    db = tmp_path_factory.mktemp("cluster-data") / "live.duckdb"
    shutil.copyfile(small_db_path, db)
    env = {**os.environ, "WORKFORCE_CLUSTER_HOME": str(home)}
    port = free_port()
    up = subprocess.run([CLUSTER, "up", "--replicas", "2", "--port", str(port), "--db", str(db)], cwd=ROOT,
                        env=env, capture_output=True, text=True, timeout=600)
    assert up.returncode == 0, up.stderr + up.stdout
    try:
        yield {"port": port, "env": env, "home": home, "db": db, **status(env)}
    finally:
        subprocess.run([CLUSTER, "down"], cwd=ROOT, env=env, capture_output=True, timeout=120)


def status(env: dict) -> dict:
    done = subprocess.run([CLUSTER, "status", "--format", "json"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def get(url: str, cookie: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status


def upstreams(home: Path, since: int) -> list[str]:
    lines = (home / "nginx" / "access.log").read_text().splitlines()[since:]
    return [re.search(r"upstream=(\S+)", line).group(1) for line in lines]


def log_length(home: Path) -> int:
    return len((home / "nginx" / "access.log").read_text().splitlines())


def as_at(text: str) -> str:
    return re.search(r"Data as at \*\*(.+?)\*\*", text).group(1)


def test_status_names_the_store_the_data_and_each_replica(cluster):
    assert set(cluster) >= {"store_url", "db", "replicas"}
    assert cluster["store_url"].startswith("postgresql://") and cluster["db"] == str(cluster["db"])
    assert [r["replica"] for r in cluster["replicas"]] == [1, 2]
    for replica in cluster["replicas"]:
        assert get(f"http://127.0.0.1:{replica['port']}/_stcore/health") == 200
        os.kill(replica["pid"], 0)


def test_sessions_spread_and_each_browser_stays(cluster):
    base = f"http://127.0.0.1:{cluster['port']}"
    start = log_length(cluster["home"])
    for _ in range(24):
        get(f"{base}/_stcore/health")                       # no cookie: each a new browser
    assert len(set(upstreams(cluster["home"], start))) == 2
    with urllib.request.urlopen(f"{base}/", timeout=10) as first:
        cookie = first.headers["Set-Cookie"].split(";")[0]
    start = log_length(cluster["home"])
    for _ in range(12):
        get(f"{base}/_stcore/health", cookie)
    assert len(set(upstreams(cluster["home"], start))) == 1


def test_proxied_request_is_not_the_local_admin(cluster):
    through_nginx = page_text(cluster["port"])
    assert "Local single-user instance" not in through_nginx
    assert "Anyone on the network, no sign-in (viewer)" in through_nginx
    forged = page_text(cluster["replicas"][0]["port"], headers={"X-Forwarded-For": "127.0.0.1"})
    assert "Local single-user instance" not in forged


@pytest.mark.parametrize("page", ["", "kpi", "compare", "present", "register", "quality"])
def test_every_page_runs_on_the_postgresql_store(cluster, page):
    # The meeting view once crashed on PostgreSQL only (a store query that did not translate): each page
    # is run through nginx against the cluster's store, as a network viewer would open it
    text = page_text(cluster["port"], page=page)
    assert "exception {" not in text and "Traceback" not in text   # no exception element on the page
    assert "FINISHED_SUCCESSFULLY" in text and "new_element" in text


def test_load_takes_the_cluster_lock_and_replicas_follow(cluster, tmp_path):
    before = [as_at(page_text(r["port"], headers={"X-Real-IP": "127.0.0.1"}))
              for r in cluster["replicas"]]
    january = [["2025-01", *row[1:]] for row in small_rows() if row[0] == "2024-12"]
    fix = write_csv(tmp_path / "jan.csv", january)
    load = subprocess.run([sys.executable, "-m", "workforce", "load", str(fix), "--db", cluster["db"]], cwd=ROOT,
                          env=store_env(cluster["store_url"]), capture_output=True, text=True, timeout=300)
    assert load.returncode == 0, load.stderr
    after = [as_at(page_text(r["port"], headers={"X-Real-IP": "127.0.0.1"}))
             for r in cluster["replicas"]]
    assert before == ["December 2024"] * 2 and after == ["January 2025"] * 2
    assert [r["pid"] for r in status(cluster["env"])["replicas"]] == [r["pid"] for r in cluster["replicas"]]


def test_replica_killed_loses_nothing_and_the_site_answers(cluster):
    """Runs last: it kills replica 1. Notes written before are all there; every request through nginx
    is answered, the killed replica's browsers included (they reconnect to the other)."""
    for i in range(5):
        assert workforce(cluster["store_url"], "note", "add", "--kpi", "vacancy_rate", "--period", "2024-12",
                         "--ics", "QM7", "--text", f"note {i}").returncode == 0
    base = f"http://127.0.0.1:{cluster['port']}"
    victim, survivor = cluster["replicas"]
    cookie = _cookie_for(base, cluster["home"], victim["port"])
    os.kill(victim["pid"], signal.SIGKILL)
    time.sleep(0.5)
    assert all(get(f"{base}/_stcore/health", cookie) == 200 for _ in range(10))
    assert all(get(f"{base}/_stcore/health") == 200 for _ in range(10))
    reconnected = page_text(cluster["port"], headers={"Cookie": cookie})
    assert "Data as at" in reconnected and "Traceback" not in reconnected
    assert [r["replica"] for r in status(cluster["env"])["replicas"]] == [survivor["replica"]]
    listed = workforce(cluster["store_url"], "note", "list", "--all", "--format", "json")
    assert [n["what_happened"] for n in json.loads(listed.stdout)] == [f"note {i}" for i in range(5)]


def _cookie_for(base: str, home: Path, port: int) -> str:
    """A browser's sticky cookie that nginx sends to the replica on `port`."""
    for _ in range(50):
        start = log_length(home)
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=10) as answer:
            cookie = answer.headers["Set-Cookie"].split(";")[0]
        if upstreams(home, start) == [f"127.0.0.1:{port}"]:
            return cookie
    pytest.fail("no cookie found for the replica")
