"""Real browsers against the dashboard: time to a settled page, as a ratio to a bare Streamlit page.

Playwright drives Debian's Chromium (/usr/bin/chromium; never a browser download). The dashboard
(`python -m ui.serve run app.py`, as run.sh starts it) and benchmarks/bare_app.py (a title and one
Altair chart) are served side by side from the same checkout, and every figure is a ratio of the two
measured inside one run, interleaved, so both see the same machine load (the browsers share the
server's cores).

A page is SETTLED when, all at once:
  1. Streamlit's script has run and stopped: `[data-testid=stApp]` has
     data-test-script-state="notRunning" (the "Running…" man is gone) and the connection is up;
  2. the page's own content is there (the summary's matrix and one KPI table per priority — HTML
     tables, table.kpi-table — the KPI chart, the meeting view's matrix; the bare page's chart);
  3. nothing is stale or loading: no [data-stale=true] element, no spinner, no skeleton;
  4. every visible chart has drawn its marks (vega's svg/canvas `.marks`), every visible table
     (st.dataframe) has its canvas, every image has loaded;
  5. the DOM has not changed for --quiet-ms (a MutationObserver installed before the page loads).
The time reported is that of the LAST DOM change (performance.now(), so from the start of the
navigation: connection, scripts, websocket, server run and rendering all count), not the end
of the quiet window.

Measured (fresh browser context for every page load, 1920×1080 by default):
  single   one person at a time: bare, summary, KPI detail, meeting view, interleaved --runs times;
           targets: summary ≤ 1.5×, KPI detail ≤ 1.8×, meeting view ≤ 1.8× the bare page (medians).
  crowd    --crowd pages open the meeting link at the same moment, then as many open the bare page
           at once, alternating --crowd-rounds times; target: median ≤ 1.5× the bare crowd's median.
  cpu      server CPU (utime + stime of the server process from /proc/PID/stat) for one more
           session opening a view someone already has open; target ≤ 0.3 s. Idle CPU over the same
           interval is subtracted.

Usage: .venv/bin/python benchmarks/bench_browser.py [--db data/workforce.duckdb] [--runs 7]
           [--crowd 10] [--crowd-rounds 3] [--only single,crowd,cpu] [--json results.json]
Without --db and no data/workforce.duckdb, the ICS demo is built in a temporary folder. The
commentary store is the demo's own register (seeded into a temporary file), as a new install has.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Installed before any page script: remembers when the DOM last changed.
OBSERVE_JS = """
window.__settle = {last: performance.now(), changes: 0};
new MutationObserver(() => { window.__settle.last = performance.now(); window.__settle.changes++; })
  .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""

# (ready selectors with minimum counts, quiet ms) -> true once the page is settled (see the docstring)
SETTLED_JS = """
([ready, quiet]) => {
  const s = window.__settle;
  if (!s) return false;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!/connected/i.test(app.getAttribute('data-test-connection-state') || '')) return false;
  // drawn on screen: not in a closed expander or an inactive tab (those draw when opened)
  const visible = (el) => el.checkVisibility() && !el.closest('details:not([open])') && el.offsetWidth > 0;
  for (const [selector, count] of ready) {
    if ([...document.querySelectorAll(selector)].filter(visible).length < count) return false;
  }
  if (document.querySelector('[data-stale="true"], [data-testid="stSpinner"], [data-testid="stSkeleton"]'))
    return false;
  for (const chart of document.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
    if (visible(chart) && !chart.querySelector('svg .marks, canvas.marks, svg.marks')) return false;
  }
  for (const table of document.querySelectorAll('[data-testid="stDataFrame"]')) {
    if (!visible(table)) continue;
    const canvas = table.querySelector('canvas');
    if (!canvas || !canvas.width) return false;
  }
  for (const image of document.images) if (!image.complete) return false;
  return performance.now() - s.last >= quiet;
}
"""


@dataclass(frozen=True)
class Target:
    name: str
    server: str       # "bare" | "app"
    path: str         # path and query string
    ready: tuple      # ((selector, minimum visible count), ...)


def targets(priorities: int) -> dict[str, Target]:
    chart = '[data-testid="stVegaLiteChart"]'
    return {
        "bare": Target("bare page", "bare", "/", ((chart, 1),)),
        "summary": Target("summary", "app", "/", (("table.mdc-matrix", 1), ("table.kpi-table", priorities))),
        "kpi": Target("KPI detail", "app", "/kpi", ((chart, 1),)),
        "present": Target("meeting view", "app", "/present", (("table.mv-matrix", 1),)),
    }


# ---------------------------------------------------------------- servers
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(args: list[str], env: dict) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", *args, "--server.headless", "true", "--server.address",
                             "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                return proc, port
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"the server ({' '.join(args)}) did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, all its threads (fields 14 and 15 of /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


# ---------------------------------------------------------------- one page load
async def open_settled(browser, url: str, target: Target, quiet_ms: int, size: tuple[int, int],
                       keep: bool = False):
    """Open url in a fresh context; seconds from navigation start to the last DOM change of the
    settled page (and the context, if keep)."""
    context = await browser.new_context(viewport={"width": size[0], "height": size[1]})
    await context.add_init_script(OBSERVE_JS)
    page = await context.new_page()
    try:
        await page.goto(url, wait_until="commit", timeout=300_000)
        await page.wait_for_function(SETTLED_JS, arg=[list(map(list, target.ready)), quiet_ms], polling=50,
                                     timeout=300_000)
        settled_ms = await page.evaluate("window.__settle.last")
    except BaseException:
        await context.close()
        raise
    if keep:
        return settled_ms / 1000, context
    await context.close()
    return settled_ms / 1000, None


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def load_text() -> str:
    return "load average " + " ".join(f"{v:.1f}" for v in os.getloadavg())


# ---------------------------------------------------------------- the three measurements
async def single(browser, urls: dict, chosen: dict[str, Target], runs: int, quiet_ms: int, size) -> dict:
    times: dict[str, list[float]] = {name: [] for name in chosen}
    for name, target in chosen.items():  # once each, not counted: imports, caches, the first snapshot
        await open_settled(browser, urls[target.server] + target.path, target, quiet_ms, size)
    for _ in range(runs):
        for name, target in chosen.items():
            seconds, _ = await open_settled(browser, urls[target.server] + target.path, target, quiet_ms, size)
            times[name].append(seconds)
    floor = median(times["bare"])
    print(f"\nOne person at a time ({runs} interleaved runs, fresh context, {size[0]}×{size[1]}; {load_text()})")
    limits = {"summary": 1.5, "kpi": 1.8, "present": 1.8}
    out = {}
    for name, values in times.items():
        ratio = median(values) / floor
        limit = f" (target ≤ {limits[name]}×)" if name in limits else ""
        print(f"  {chosen[name].name:14s} median {median(values):5.2f} s  (min {min(values):.2f}, max {max(values):.2f})"
              f"  ratio {ratio:.2f}×{limit}")
        out[name] = {"seconds": values, "median": median(values), "ratio": ratio}
    return out


async def crowd(browser, urls: dict, chosen: dict[str, Target], people: int, rounds: int, quiet_ms: int,
                size) -> dict:
    meeting, bare = chosen["present"], chosen["bare"]
    medians: dict[str, list[float]] = {"bare": [], "present": []}
    for _ in range(rounds):
        for name, target in (("bare", bare), ("present", meeting)):
            url = urls[target.server] + target.path
            results = await asyncio.gather(*[open_settled(browser, url, target, quiet_ms, size)
                                             for _ in range(people)])
            medians[name].append(median([seconds for seconds, _ in results]))
    ratio = median(medians["present"]) / median(medians["bare"])
    print(f"\n{people} people opening a link at the same moment ({rounds} alternating rounds; {load_text()})")
    print(f"  bare page     median of the rounds' medians {median(medians['bare']):5.2f} s  {medians['bare']}")
    print(f"  meeting view  median of the rounds' medians {median(medians['present']):5.2f} s  {medians['present']}")
    print(f"  ratio {ratio:.2f}× (target ≤ 1.5×)")
    return {"people": people, "bare": medians["bare"], "present": medians["present"], "ratio": ratio}


async def idle_cpu_rate(pid: int, settle_s: float = 90) -> float:
    """The server's CPU per second while nobody uses it, once its start-up work (the board warm-up
    thread: ui/warmup.py) is over: 3-second samples until one is under 50 ms/s (or settle_s pass)."""
    deadline = time.perf_counter() + settle_s
    while True:
        began, used = time.perf_counter(), cpu_seconds(pid)
        await asyncio.sleep(3)
        rate = (cpu_seconds(pid) - used) / (time.perf_counter() - began)
        if rate < 0.05 or time.perf_counter() > deadline:
            return rate


async def server_cpu(browser, urls: dict, chosen: dict[str, Target], pid: int, extra: int, quiet_ms: int,
                     size) -> dict:
    """CPU the server spends on one more session opening a view that another session holds open."""
    idle_rate = await idle_cpu_rate(pid)
    out = {}
    print(f"\nServer CPU per additional session (server idle {idle_rate * 1000:.0f} ms/s subtracted; {load_text()})")
    for name, target in chosen.items():
        if target.server != "app":
            continue
        url = urls["app"] + target.path
        began = cpu_seconds(pid)
        _, holder = await open_settled(browser, url, target, quiet_ms, size, keep=True)  # someone has it open
        first = cpu_seconds(pid) - began
        costs = []
        for _ in range(extra):
            await asyncio.sleep(0.5)
            t0, c0 = time.perf_counter(), cpu_seconds(pid)
            _, context = await open_settled(browser, url, target, quiet_ms, size, keep=True)
            await asyncio.sleep(0.3)  # the run's tail (forward messages, session bookkeeping)
            costs.append(cpu_seconds(pid) - c0 - idle_rate * (time.perf_counter() - t0))
            await context.close()
        await holder.close()
        print(f"  {target.name:14s} first session {first:.2f} s; each additional: median {median(costs):.2f} s "
              f"(min {min(costs):.2f}, max {max(costs):.2f}) (target ≤ 0.3 s)")
        out[name] = {"first": first, "additional": costs, "median": median(costs)}
    return out


# ---------------------------------------------------------------- set-up
def demo_database(folder: Path) -> Path:
    path = folder / "demo.duckdb"
    subprocess.run([sys.executable, "-m", "workforce", "demo", "--db", str(path)], cwd=ROOT, check=True,
                   capture_output=True)
    return path


def demo_store(folder: Path, config) -> Path:
    from workforce.demo.register import seed_register

    path = folder / "store.sqlite"
    seed_register(path, config)
    return path


async def run(args, env: dict, chosen: dict[str, Target]) -> dict:
    from playwright.async_api import async_playwright

    app, app_port = serve(["ui.serve", "run", "app.py"], env)
    bare, bare_port = serve(["streamlit", "run", str(Path(__file__).with_name("bare_app.py"))], env)
    urls = {"app": f"http://127.0.0.1:{app_port}", "bare": f"http://127.0.0.1:{bare_port}"}
    size = (args.width, args.height)
    results: dict = {"machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                                 "load_before": os.getloadavg()}}
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            if "cpu" in args.only:  # first: the server has not seen anyone yet
                results["cpu"] = await server_cpu(browser, urls, chosen, app.pid, args.extra_sessions,
                                                  args.quiet_ms, size)
            if "single" in args.only:
                results["single"] = await single(browser, urls, chosen, args.runs, args.quiet_ms, size)
            if "crowd" in args.only and "present" in chosen:
                results["crowd"] = await crowd(browser, urls, chosen, args.crowd, args.crowd_rounds,
                                               args.quiet_ms, size)
            await browser.close()
    finally:
        for server in (app, bare):
            server.terminate()
            server.wait(10)
    results["machine"]["load_after"] = os.getloadavg()
    return results


def main() -> int:
    from workforce.base.config import load_config

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database (default data/workforce.duckdb, else a demo built here)")
    parser.add_argument("--config", default=os.environ.get("WORKFORCE_CONFIG"))
    parser.add_argument("--store", help="commentary store (default: a copy of the demo's register)")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--crowd", type=int, default=10)
    parser.add_argument("--crowd-rounds", type=int, default=3)
    parser.add_argument("--extra-sessions", type=int, default=5)
    parser.add_argument("--quiet-ms", type=int, default=500)
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--height", type=int, default=1080)
    parser.add_argument("--pages", default="summary,kpi,present", help="which dashboard pages")
    parser.add_argument("--only", default="single,crowd,cpu", help="which measurements")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    args.only = set(args.only.split(","))
    config = load_config(args.config)
    chosen_names = ["bare"] + [n for n in args.pages.split(",") if n]
    chosen = {name: target for name, target in targets(len(config.plan.priorities)).items() if name in chosen_names}
    print(f"Browser benchmark — {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{load_text()}")
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        folder = Path(tmp)
        db = Path(args.db) if args.db else ROOT / "data" / "workforce.duckdb"
        if not db.exists():
            db = demo_database(folder)
        store = Path(args.store) if args.store else demo_store(folder, config)
        env = {**os.environ, "WORKFORCE_DB": str(db), "WORKFORCE_STORE": str(store)}
        if args.config:
            env["WORKFORCE_CONFIG"] = str(args.config)
        print(f"database {db} ({db.stat().st_size / 1e6:.0f} MB)")
        results = asyncio.run(run(args, env, chosen))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
