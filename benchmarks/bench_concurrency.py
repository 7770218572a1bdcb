"""50 concurrent sessions viewing and filtering while a data load completes (issue 7).

Each session talks to one live Streamlit server over its websocket exactly as a browser tab does
(Streamlit's own protobuf messages), opening the summary page and changing the selection in a
loop — so the figures measure the server, not 50 Chromium renderers sharing 2 cores. Half-way through, a
corrected file is loaded into the live database by `python -m workforce load` in another process.
Every page rendered must show either all the old figures or all the new ones (its KPI readings) — never a mix —
with no exception, and the load must land.

Usage: .venv/bin/python benchmarks/bench_concurrency.py [--sessions 50] [--rounds 6]

Meeting start (issues 13 and 21): `--meeting` instead has every session open the same link at the same
moment — the meeting view by default (`--page present`; `--page ""` for the summary) — once on a
server nobody has opened yet, then again on the now-warm server, and reports the time to content
(the meeting view's matrix, or the summary's first KPI table) and to the finished page (the script
run over: every element sent), median and 95th percentile. The clock starts when each session asks
for the page, its websocket already open; the browsers' own rendering is not included — that is
benchmarks/bench_browser.py's job.
    .venv/bin/python benchmarks/bench_concurrency.py --meeting --sessions 30
Target on the 2-core machine (issue 13): median time to content <= 2.5 s, 95th percentile <= 5 s.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import asyncio
import socket
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workforce.base.config import load_config  # noqa: E402
from workforce.base.db import Database, sql  # noqa: E402
from workforce.measures.selection import Selection  # noqa: E402

SELECTIONS = [{"ics": "QM7"}, {"ics": "QM7", "org": "RWG"}, {"ics": "QKS"}, {"ics": "QF7", "org": "RHQ"}]


def expected(db_path: Path, config) -> dict[str, list[str]]:
    """Each selection's plain-English KPI readings, exactly as the summary page lists them (the server
    runs with an empty commentary store, so no change point from a register recalculates limits)."""
    from workforce.views.summary import board_summary

    db = Database(db_path)
    out = {}
    for params in SELECTIONS:
        orgs = tuple(params["org"].split(",")) if "org" in params else ()
        _, rows = board_summary(db, config, Selection(ics=params["ics"], orgs=orgs))
        out[_query(params)] = [r.reading for r in rows]
    return out


def _query(params: dict) -> str:
    return "&".join(f"{k}={v}" for k, v in sorted(params.items()))


def correction_file(db_path: Path, folder: Path) -> Path:
    """The latest month's leavers for every organisation, doubled: a visible change everywhere."""
    import duckdb

    with duckdb.connect(str(db_path), read_only=True) as con:
        rows = con.execute(sql("benchmarks/bench_correction_rows")).fetchall()
    path = folder / "correction.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["period", "org_code", "staff_group", "breakdown", "breakdown_value", "measure", "value"])
        writer.writerows(rows)
    return path


def _table_readings(arrow_bytes: bytes) -> list[str]:
    """The Reading column of a KPI table, as the page sent it (Arrow IPC)."""
    import pyarrow as pa

    table = pa.ipc.open_stream(arrow_bytes).read_all()
    if "Reading" not in table.column_names:
        return []
    return [str(v) for v in table.column("Reading").to_pylist()]


async def view(ws, query: str, timings: dict | None = None, page: str = "") -> tuple[float, list[str], list[str]]:
    """One page run over Streamlit's websocket, as a browser asks for it: (seconds, readings, exceptions).
    ``page``: the page's URL path ('' the summary, 'present' the meeting view). ``timings`` gets
    "content": seconds to the page's content — the first KPI table (a dataframe), or the meeting
    view's matrix."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_script_hash = ""
    message.rerun_script.page_name = page
    started = time.perf_counter()
    await ws.send(message.SerializeToString())
    readings, exceptions = [], []
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(await ws.recv())
        kind = forward.WhichOneof("type")
        if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            if element.WhichOneof("type") == "markdown" and element.markdown.body.startswith("- "):
                readings += [re.sub(r"\\(.)", r"\1", line[2:]) for line in element.markdown.body.splitlines()]
            elif element.WhichOneof("type") == "exception":
                exceptions.append(element.exception.message)
            elif element.WhichOneof("type") == "html" and "mv-matrix" in element.html.body:
                if timings is not None:
                    timings.setdefault("content", time.perf_counter() - started)
            elif element.WhichOneof("type") == "dataframe":
                if timings is not None:
                    timings.setdefault("content", time.perf_counter() - started)
                readings += _table_readings(element.dataframe.arrow_data.data)
        elif kind == "script_finished":
            return time.perf_counter() - started, readings, exceptions


async def session(port: int, index: int, rounds: int, old: dict, new: dict, results: list, errors: list) -> None:
    """One browser session: open the summary, then change the selection each round."""
    import websockets

    try:
        async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, open_timeout=120) as ws:
            for r in range(rounds):
                params = SELECTIONS[(index + r) % len(SELECTIONS)]
                key = _query(params)
                elapsed, readings, exceptions = await view(ws, key)
                if exceptions:
                    errors.append(f"session {index}: {exceptions[0]}")
                    continue
                readings = [line.replace("\u2060", "") for line in readings]  # the escaping's word joiners
                # a reading may appear twice (short line and in full): compare the sets of readings shown
                shown = {line for line in readings if line in old[key] or line in new[key]}
                which = "old" if shown == set(old[key]) else "new" if shown == set(new[key]) else "MIXED"
                results.append((which, elapsed))
    except Exception as exc:  # noqa: BLE001 - counted and reported
        errors.append(f"session {index}: {type(exc).__name__}: {str(exc).splitlines()[0]}")


async def run_sessions(port: int, sessions: int, rounds: int, old: dict, new: dict, load_cmd: list[str]):
    results: list = []
    errors: list = []
    tasks = [asyncio.create_task(session(port, i, rounds, old, new, results, errors)) for i in range(sessions)]
    while len(results) + len(errors) < sessions and not all(t.done() for t in tasks):
        await asyncio.sleep(0.2)  # every session has shown a page: now the analyst loads a corrected file
    load = await asyncio.create_subprocess_exec(*load_cmd, cwd=ROOT, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    out, err = await load.communicate()
    await asyncio.gather(*tasks)
    return results, errors, load.returncode, (out or err).decode().strip()


async def meeting_session(port: int, query: str, page: str, start: asyncio.Event, out: list, errors: list) -> None:
    """One board member opening the meeting link: connect, wait for everyone, then ask for the page."""
    import websockets

    try:
        async with websockets.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, open_timeout=120) as ws:
            await start.wait()
            timings: dict = {}
            finished, readings, exceptions = await view(ws, query, timings, page)
            if exceptions:
                errors.append(exceptions[0])
            elif "content" not in timings:
                errors.append("no KPI table or matrix on the page")
            else:
                out.append((timings["content"], finished))
    except Exception as exc:  # noqa: BLE001 - counted and reported
        errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")


async def meeting(port: int, sessions: int, query: str, page: str) -> tuple[list, list, float]:
    start = asyncio.Event()
    out: list = []
    errors: list = []
    tasks = [asyncio.create_task(meeting_session(port, query, page, start, out, errors)) for _ in range(sessions)]
    await asyncio.sleep(1.0)  # every websocket connected
    began = time.perf_counter()
    start.set()
    await asyncio.gather(*tasks)
    return out, errors, time.perf_counter() - began


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run_meeting(args) -> None:
    """Every session opens the same summary link at once: a cold server, then a warm one."""
    port = _port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ui.serve", "run", "app.py", "--server.headless", "true", "--server.address",
         "127.0.0.1", "--server.port", str(port)], cwd=ROOT,
        env={**os.environ, "WORKFORCE_DB": args.source, "WORKFORCE_STORE": args.store},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_healthy(port)
        print(f"{args.sessions} sessions open '/{args.page}?{args.query}' at the same moment ({os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f})")
        for label in ("cold server (first opening since start)", "warm server (opened again)"):
            out, errors, wall = asyncio.run(meeting(port, args.sessions, args.query, args.page))
            content, finished = [c for c, _ in out], [f for _, f in out]
            if content:
                print(f"{label}: time to content median {statistics.median(content):.2f} s, "
                      f"95th percentile {percentile(content, 0.95):.2f} s; page finished median "
                      f"{statistics.median(finished):.2f} s, 95th {percentile(finished, 0.95):.2f} s; "
                      f"wall {wall:.1f} s; errors {len(errors)}")
            for line in errors[:5]:
                print("  ", line)
    finally:
        server.terminate()
        server.wait(10)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(port: int) -> None:
    for _ in range(200):
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--source", default=str(ROOT / "data" / "workforce.duckdb"))
    parser.add_argument("--meeting", action="store_true",
                        help="every session opens the same summary link at once (no load, one view each)")
    parser.add_argument("--query", default="", help="the meeting link's query string (default: the app's default)")
    parser.add_argument("--page", default="present",
                        help="with --meeting: the page everyone opens ('present', the meeting view, by default; "
                             "'' for the summary)")
    args = parser.parse_args()
    if args.meeting:
        with tempfile.TemporaryDirectory() as tmp:
            if not Path(args.source).exists():  # a fresh clone: build the demo the app would build
                args.source = str(Path(tmp) / "demo.duckdb")
                subprocess.run([sys.executable, "-m", "workforce", "demo", "--db", args.source], cwd=ROOT,
                               check=True, capture_output=True)
            args.store = str(Path(tmp) / "store.sqlite")  # an empty commentary store
            run_meeting(args)
        return
    config = load_config()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        live = folder / "live.duckdb"
        shutil.copyfile(args.source, live)
        after = folder / "after.duckdb"
        shutil.copyfile(args.source, after)
        fix = correction_file(live, folder)
        subprocess.run([sys.executable, "-m", "workforce", "load", str(fix), "--db", str(after)], cwd=ROOT,
                       check=True, capture_output=True)
        old, new = expected(live, config), expected(after, config)
        assert old != new
        port = _port()
        server = subprocess.Popen(
            [sys.executable, "-m", "ui.serve", "run", "app.py", "--server.headless", "true", "--server.address",
             "127.0.0.1", "--server.port", str(port)], cwd=ROOT,
            env={**os.environ, "WORKFORCE_DB": str(live), "WORKFORCE_STORE": str(folder / "store.sqlite")},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_healthy(port)
            started = time.perf_counter()
            results, errors, code, message = asyncio.run(run_sessions(
                port, args.sessions, args.rounds, old, new,
                [sys.executable, "-m", "workforce", "load", str(fix), "--db", str(live)]))
            total = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(10)
    counts = {k: sum(1 for w, _ in results if w == k) for k in ("old", "new", "MIXED")}
    times = [t for _, t in results]
    print(f"{args.sessions} concurrent sessions × {args.rounds} page views; load exit {code}: {message}")
    print(f"pages rendered: {len(results)} (old figures {counts['old']}, new {counts['new']}, "
          f"mixed {counts['MIXED']}); errors: {len(errors)}")
    if times:
        print(f"page load under load: median {statistics.median(times):.2f} s, "
              f"95th percentile {sorted(times)[int(0.95 * (len(times) - 1))]:.2f} s; wall {total:.1f} s")
    for line in errors[:10]:
        print("  ", line)


if __name__ == "__main__":
    main()
