"""Scale-out (issue 20): sessions per second opening the summary, one replica against two, each pinned
to its own core; and the meeting start, 60 sessions across two replicas.

The cluster is deploy/cluster.sh's (PostgreSQL store, replicas started by ./run.sh, nginx with sticky
sessions) in a temporary folder. Replica 1 is pinned to core 0 and replica 2 to core 1 (taskset, every
thread). Both legs go through an nginx: the cluster's (both replicas) and a second one started here
from the same configuration with replica 1 alone, so the two legs differ only in the replicas behind
them. The legs alternate (one, two, one, two, …) so that other work on the machine falls on both.

A session is what a browser tab opening the dashboard costs the server: a new websocket (so a new
Streamlit session, on the replica nginx's hash picks for a client without a cookie), the summary page
run to its end, close. The light client speaks Streamlit's protocol (benchmarks/bench_concurrency.py's
`view`), so the figures measure the servers, not Chromium. Every session must get its KPI table and no
exception, or it counts as an error.

Usage: .venv/bin/python benchmarks/bench_cluster.py [--seconds 10] [--rounds 6] [--clients 32]
                                                    [--meeting 60] [--db PATH]
Target: two pinned replicas ≥ 1.6× the sessions per second of one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "deploy"))

import cluster  # noqa: E402  deploy/cluster.py: the same nginx configuration as the cluster's
from bench_concurrency import meeting, percentile  # noqa: E402


def sh(*args: str, env: dict | None = None) -> str:
    done = subprocess.run([str(a) for a in args], cwd=ROOT, capture_output=True, text=True, env=env)
    if done.returncode:
        sys.exit(f"{' '.join(map(str, args))} failed: {done.stderr.strip()}")
    return done.stdout


def pin(pid: int, core: int) -> None:
    sh("taskset", "-a", "-cp", str(core), str(pid))  # -a: every thread of the replica


def family(pid: int) -> list[int]:
    """A process and its children (PostgreSQL's backends, nginx's workers)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return [pid, *children]


def prioritise(pids: list[int], niceness: int) -> None:
    """Every thread of these processes, and their scheduler autogroups (one per session: the kernel
    shares the CPU between sessions first), at `niceness`, so the machine's other work yields to the
    cluster while it is measured (Linux keeps a nice value per thread)."""
    for pid in pids:
        try:
            Path(f"/proc/{pid}/autogroup").write_text(str(niceness))
        except OSError:
            pass
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                os.setpriority(os.PRIO_PROCESS, int(task.name), niceness)
            except (OSError, ValueError):
                pass


async def one_session(port: int) -> bool:
    """Open the summary in a new session; True when its KPI table came and no exception. (Lighter than
    bench_concurrency.view: the tables are not decoded, so the client takes less of the shared cores.)"""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, open_timeout=60, compression=None) as ws:
        message = BackMsg()
        message.rerun_script.query_string = ""
        await ws.send(message.SerializeToString())
        content = failed = False
        while True:
            forward = ForwardMsg.FromString(await ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "script_finished":
                return content and not failed
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element.WhichOneof("type")
                content = content or element == "dataframe"
                failed = failed or element == "exception"


async def throughput(port: int, clients: int, seconds: float) -> tuple[int, int, float]:
    """(sessions completed, errors, wall seconds): `clients` loops opening sessions until time is up."""
    deadline = time.perf_counter() + seconds
    done = errors = 0

    async def client() -> None:
        nonlocal done, errors
        while time.perf_counter() < deadline:
            try:
                ok = await one_session(port)
            except Exception:  # noqa: BLE001 - counted
                ok = False
            done, errors = done + ok, errors + (not ok)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return done, errors, time.perf_counter() - started


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def start_single_nginx(folder: Path, port: int, replica_port: int) -> subprocess.Popen:
    prefix = folder / "nginx-one"
    (prefix / "temp").mkdir(parents=True)
    (prefix / "nginx.conf").write_text(cluster.nginx_conf(prefix, port, [replica_port], "127.0.0.1"))
    command = [cluster.NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log"),
               "-g", "daemon off;"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cluster.wait_http(f"http://127.0.0.1:{port}/_stcore/health", 30, "the single-replica nginx")
    return process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="length of each throughput leg")
    parser.add_argument("--rounds", type=int, default=6, help="legs of each kind, alternating")
    parser.add_argument("--clients", type=int, default=32, help="concurrent light clients in each leg (enough to "
                        "keep two replicas busy: nginx splits them at random, not evenly)")
    parser.add_argument("--meeting", type=int, default=60, help="sessions opening the summary at once")
    parser.add_argument("--db", help="DuckDB file (default: the demo, built if missing)")
    parser.add_argument("--nice", type=int, help="run the cluster, its store and this client at this nice value "
                                                 "(e.g. -10 on a machine shared with other work; needs root)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "WORKFORCE_CLUSTER_HOME": str(folder / "cluster")}
        port = cluster.free_port(18700, set())
        up = [ROOT / "deploy" / "cluster.sh", "up", "--replicas", "2", "--port", str(port)]
        sh(*up, *(["--db", args.db] if args.db else []), env=env)
        single = None
        try:
            status = json.loads(sh(ROOT / "deploy" / "cluster.sh", "status", "--format", "json", env=env))
            replicas = status["replicas"]
            for core, replica in enumerate(replicas):
                pin(replica["pid"], core)
            single_port = cluster.free_port(port + 10, {r["port"] for r in replicas})
            single = start_single_nginx(folder, single_port, replicas[0]["port"])
            others = {"nginx": cluster.pid_in(folder / "cluster" / "nginx.master.pid"), "single nginx": single.pid,
                      "PostgreSQL": cluster.pid_in(cluster.pg_folder(folder / "cluster") / "data" / "postmaster.pid")}
            if args.nice is not None:
                cluster_pids = [r["pid"] for r in replicas] + [m for pid in others.values() for m in family(pid)]
                prioritise(cluster_pids + [os.getpid()], args.nice)
            print(f"{os.cpu_count()} cores; replicas {[r['port'] for r in replicas]} pinned to cores 0 and 1; "
                  f"store {cluster.redact(status['store_url'])}; data {status['db']}")
            run_meeting(port, args.meeting)
            run_throughput(port, single_port, [r["pid"] for r in replicas], others, args)
        finally:
            if single:
                single.terminate()
                single.wait(10)
            sh(ROOT / "deploy" / "cluster.sh", "down", env=env)


def run_meeting(port: int, sessions: int) -> None:
    # The summary link first (the replicas just started), then the meeting view's own link
    for page, name in (("", "summary"), ("present", "meeting view")):
        for label in ("first open", "already open"):
            meeting_round(port, sessions, page, f"{name}, {label}")


def meeting_round(port: int, sessions: int, page: str, label: str) -> None:
    out, errors, wall = asyncio.run(meeting(port, sessions, "", page))
    content = [c for c, _ in out]
    if content:
        print(f"meeting start, {sessions} sessions across 2 replicas ({label}): time to content median "
              f"{statistics.median(content):.2f} s, 95th percentile {percentile(content, 0.95):.2f} s; "
              f"wall {wall:.1f} s; errors {len(errors)}; load average {load()}")
    for line in errors[:3]:
        print("   ", line)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (every thread) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def family_cpu(pid: int) -> float:
    total = 0.0
    for member in family(pid):
        try:
            total += cpu_seconds(member)
        except (OSError, IndexError):
            pass
    return total


def run_throughput(two_port: int, one_port: int, pids: list[int], others: dict[str, int], args) -> None:
    """Alternating legs; each round's ratio is two's rate over the one-replica leg just before it, so
    a change in the machine's other work between rounds falls on both sides of a ratio."""
    asyncio.run(throughput(one_port, 2, 3))  # warm both replicas' caches before timing
    asyncio.run(throughput(two_port, 4, 3))
    ratios, rates = [], {"one": [], "two": []}
    for round_ in range(args.rounds):
        for leg, port in (("one", one_port), ("two", two_port)):
            before, cpu_before = load(), [cpu_seconds(p) for p in pids]
            others_before = {name: family_cpu(pid) for name, pid in others.items()}
            client_before = time.process_time()
            done, errors, wall = asyncio.run(throughput(port, args.clients, args.seconds))
            cpu = [cpu_seconds(p) - c for p, c in zip(pids, cpu_before)]
            rates[leg].append(done / wall)
            print(f"round {round_ + 1}, {leg} replica{'s' if leg == 'two' else ''}: {done} sessions in {wall:.1f} s "
                  f"= {done / wall:.2f}/s, errors {errors}; replica CPU {' + '.join(f'{c:.1f}' for c in cpu)} s, "
                  f"client CPU {time.process_time() - client_before:.1f} s, "
                  + ", ".join(f"{name} {family_cpu(pid) - others_before[name]:.1f} s" for name, pid in others.items())
                  + f"; load average {before} → {load()}")
        ratios.append(rates["two"][-1] / rates["one"][-1])
    one, two = statistics.median(rates["one"]), statistics.median(rates["two"])
    print(f"sessions per second (median of {args.rounds} rounds): one replica {one:.2f}, two replicas {two:.2f}; "
          f"ratio of medians {two / one:.2f}×, median of the rounds' ratios {statistics.median(ratios):.2f}× "
          f"(rounds: {', '.join(f'{r:.2f}' for r in ratios)}; target ≥ 1.6×)")


if __name__ == "__main__":
    main()
