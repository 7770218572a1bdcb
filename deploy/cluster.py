"""deploy/cluster.sh: PostgreSQL, N dashboard replicas and nginx on this machine (issue 20).

    up --replicas N --port P [--db PATH] [--network-role ROLE]   start everything, wait until it answers
    status [--format json|text]                                     what runs: store URL, data file, replicas
    down                                                            stop everything `up` started

Everything lives in one temporary folder (its path is kept in .cluster at the repository's root, or
set WORKFORCE_CLUSTER_HOME to choose the folder, as the tests do): PostgreSQL's data, socket and log
(run as root: in a folder of their own owned by the `postgres` user, as initdb refuses root), each
replica's pid and log,
nginx's prefix (configuration, pid, logs, temporary files) and the replicas' config.yaml. Standard
library only: the store's own schema is applied by the replicas and the CLI on first use.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("WORKFORCE_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_USER = "postgres"           # Debian's postgresql package creates it; made here when missing
STORE_DB = STORE_ROLE = "workforce"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
POINTER = ROOT / ".cluster"


class ClusterError(RuntimeError):
    """Something the operator must fix; printed as one line."""


# ---------------------------------------------------------------- the state folder
def state_folder(create: bool = False) -> Path | None:
    chosen = os.environ.get("WORKFORCE_CLUSTER_HOME")
    if chosen:
        folder = Path(chosen)
        if create:
            folder.mkdir(parents=True, exist_ok=True)
        return folder if folder.exists() else None
    if create:
        folder = Path(tempfile.mkdtemp(prefix="workforce-cluster-"))
        POINTER.write_text(str(folder) + "\n")
        return folder
    if POINTER.exists():
        folder = Path(POINTER.read_text().strip())
        return folder if folder.exists() else None
    return None


def read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        return None


def alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (killed, not yet reaped by its parent) is not serving
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def pid_in(path: Path) -> int | None:
    text = read(path)
    return int(text.split()[0]) if text else None


def free_port(start: int, taken: set[int]) -> int:
    for port in range(start, start + 200):
        if port in taken:
            continue
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers bind
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise ClusterError(f"no free port from {start} to {start + 199}")


def wait_http(url: str, seconds: float, what: str, pid: int | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if pid is not None and not alive(pid):
            raise ClusterError(f"{what} exited during start-up (see its log)")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise ClusterError(f"{what} did not answer {url} within {seconds:.0f} s")


# ---------------------------------------------------------------- PostgreSQL
def pg_user() -> str | None:
    """The unprivileged user PostgreSQL runs as when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(PG_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", PG_USER],
                       check=True)
    return PG_USER


def as_pg(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL program as its user, from / (every path given is absolute; the unprivileged user
    may not be able to enter the current folder, e.g. a clone under /root)."""
    user = pg_user()
    full = ["runuser", "-u", user, "--", *command] if user else command
    return subprocess.run(full, check=True, capture_output=True, text=True, cwd="/", **kwargs)


def pg_folder(state: Path, create: bool = False) -> Path:
    """PostgreSQL's own folder. Run as root, a folder of its own in the system's temporary folder,
    owned by the unprivileged user (it may not be able to pass through the state folder's parents)."""
    if not create:
        return Path(read(state / "pg_folder") or state / "pg")
    folder = Path(tempfile.mkdtemp(prefix="workforce-pg-")) if pg_user() else state / "pg"
    folder.mkdir(exist_ok=True)
    (state / "pg_folder").write_text(f"{folder}\n")
    return folder


def start_postgres(state: Path) -> str:
    """initdb and start a PostgreSQL cluster; return the store URL."""
    if not (PG_BIN / "initdb").exists():
        raise ClusterError(f"PostgreSQL is not installed ({PG_BIN}/initdb): apt-get install postgresql")
    pg = pg_folder(state, create=True)
    (pg / "run").mkdir(exist_ok=True)
    password = secrets.token_hex(16)
    (pg / "pwfile").write_text(password + "\n")
    (pg / "pwfile").chmod(0o600)
    user = pg_user()
    if user:
        for path in (pg, pg / "run", pg / "pwfile"):
            shutil.chown(path, user, user)
    as_pg([str(PG_BIN / "initdb"), "-D", str(pg / "data"), "-U", STORE_ROLE, "--auth=scram-sha-256",
           f"--pwfile={pg / 'pwfile'}", "-E", "UTF8", "--no-locale", "--no-sync"])
    (pg / "pwfile").unlink()
    port = free_port(15432, set())
    options = (f"-p {port} -k {pg / 'run'} -c listen_addresses=127.0.0.1 -c max_connections=300 "
               "-c shared_buffers=64MB")
    (state / "pg_options").write_text(options + "\n")
    as_pg([str(PG_BIN / "pg_ctl"), "-D", str(pg / "data"), "-l", str(pg / "postgres.log"), "-w", "-t", "60",
           "-o", options, "start"])
    env = {**os.environ, "PGPASSWORD": password}
    subprocess.run([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", STORE_ROLE, STORE_DB],
                   check=True, capture_output=True, text=True, env=env)
    url = f"postgresql://{STORE_ROLE}:{password}@127.0.0.1:{port}/{STORE_DB}"
    (state / "store_url").write_text(url + "\n")
    (state / "store_url").chmod(0o600)
    return url


def stop_postgres(state: Path) -> None:
    pg = pg_folder(state)
    if (pg / "data" / "postmaster.pid").exists():
        try:
            as_pg([str(PG_BIN / "pg_ctl"), "-D", str(pg / "data"), "-m", "fast", "-w", "-t", "60", "stop"])
        except subprocess.CalledProcessError as exc:
            print(f"PostgreSQL did not stop cleanly: {exc.stderr.strip()}", file=sys.stderr)
    if pg != state / "pg":
        shutil.rmtree(pg, ignore_errors=True)


# ---------------------------------------------------------------- replicas
def replica_config(state: Path, network_role: str) -> Path:
    """config.yaml for the replicas: the project's, with paths made absolute and, unless sign-in is
    on, `access.network_role` set — behind nginx every browser is a proxied (network) request, never
    the loopback-only local role (docs/deploy.md)."""
    import yaml  # the venv's PyYAML: cluster.sh runs this with .venv/bin/python

    source = Path(os.environ.get("WORKFORCE_CONFIG") or ROOT / "config.yaml").resolve()
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    database = data.setdefault("database", {})
    for key in ("path", "store_path"):
        if key in database:
            database[key] = str((source.parent / database[key]).resolve())
    access = data.setdefault("access", {})
    if not access.get("sign_in") and not access.get("network_role"):
        access["network_role"] = network_role
    target = state / "config.yaml"
    target.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def default_db(config: Path) -> Path:
    import yaml

    database = yaml.safe_load(config.read_text(encoding="utf-8")).get("database", {})
    return Path(os.environ.get("WORKFORCE_DB") or database.get("path") or ROOT / "data" / "workforce.duckdb")


def ensure_data(db: Path, config: Path, env: dict) -> None:
    """Build the demo once, before the replicas start (each would otherwise try to at once); its
    register of interventions goes into the cluster's store."""
    if db.exists():
        return
    print(f"building the synthetic demo database {db} …")
    subprocess.run([sys.executable, "-m", "workforce", "demo", "--db", str(db), "--config", str(config)],
                   cwd=ROOT, check=True, env=env)


def start_replica(state: Path, index: int, port: int, env: dict) -> int:
    log = open(state / f"replica-{index}.log", "ab")
    process = subprocess.Popen(["./run.sh", "--server.address", "127.0.0.1"], cwd=ROOT,
                               env={**env, "PORT": str(port)}, stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    (state / f"replica-{index}.pid").write_text(f"{process.pid}\n")
    (state / f"replica-{index}.port").write_text(f"{port}\n")
    return process.pid


def replicas(state: Path) -> list[dict]:
    out = []
    for pid_file in sorted(state.glob("replica-*.pid"), key=lambda p: int(p.stem.split("-")[1])):
        index = int(pid_file.stem.split("-")[1])
        pid = pid_in(pid_file)
        if alive(pid):
            out.append({"replica": index, "pid": pid, "port": int(read(state / f"replica-{index}.port"))})
    return out


def stop_process(pid: int | None, grace: float = 10) -> None:
    if not alive(pid):
        return
    try:
        os.killpg(pid, signal.SIGTERM)  # run.sh's python and anything it started (own session)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if alive(pid):
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# ---------------------------------------------------------------- nginx
def nginx_conf(prefix: Path, port: int, upstreams: list[int], listen: str) -> str:
    template = (ROOT / "deploy" / "nginx" / "cluster.conf.template").read_text(encoding="utf-8")
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in upstreams)
    worker_user = ""
    if os.geteuid() == 0:  # workers drop root; they write no file (proxy.conf: no temporary files)
        worker_user = "user www-data;" if _user_exists("www-data") else "user nobody;"
    return (template.replace("@PREFIX@", str(prefix)).replace("@DEPLOY@", str(ROOT / "deploy"))
            .replace("@LISTEN@", f"{listen}:{port}").replace("@SERVERS@", servers).replace("@USER@", worker_user))


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def start_nginx(state: Path, port: int, upstreams: list[int], listen: str) -> int:
    prefix = state / "nginx"
    temp = prefix / "temp"
    temp.mkdir(parents=True, exist_ok=True)
    (prefix / "nginx.conf").write_text(nginx_conf(prefix, port, upstreams, listen), encoding="utf-8")
    command = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    if check.returncode != 0:
        raise ClusterError(f"nginx refused its configuration: {check.stderr.strip()}")
    log = open(prefix / "nginx.out", "ab")
    process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    (state / "nginx.master.pid").write_text(f"{process.pid}\n")
    (state / "nginx.port").write_text(f"{port}\n")
    return process.pid


# ---------------------------------------------------------------- commands
def up(args) -> None:
    state = state_folder()
    if state and (replicas(state) or alive(pid_in(state / "nginx.master.pid"))):
        raise ClusterError(f"a cluster is already running (state in {state}): deploy/cluster.sh down first")
    if args.replicas < 1:
        raise ClusterError("--replicas must be at least 1")
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((args.listen, args.port))
        except OSError:
            raise ClusterError(f"port {args.port} is in use: choose another with --port") from None
    state = state_folder(create=True)
    try:
        config = replica_config(state, args.network_role)
        db = Path(args.db).resolve() if args.db else default_db(config)
        url = start_postgres(state)
        env = {**os.environ, "WORKFORCE_DB": str(db), "WORKFORCE_STORE_URL": url, "WORKFORCE_CONFIG": str(config)}
        env.pop("WORKFORCE_STORE", None)
        ensure_data(db, config, env)
        (state / "db").write_text(f"{db}\n")
        ports: list[int] = []
        pids = []
        for index in range(1, args.replicas + 1):
            ports.append(free_port(args.port + index, {args.port, *ports}))
            pids.append(start_replica(state, index, ports[-1], env))
        for index, (pid, port) in enumerate(zip(pids, ports), start=1):
            wait_http(f"http://127.0.0.1:{port}/_stcore/health", 180, f"replica {index}", pid)
        start_nginx(state, args.port, ports, args.listen)
        wait_http(f"http://127.0.0.1:{args.port}/_stcore/health", 30, "nginx")
    except BaseException:
        down(None, quiet=True)
        raise
    print(f"cluster up: http://{args.listen}:{args.port}/ → {args.replicas} replica(s) on ports "
          f"{', '.join(map(str, ports))}; store {redact(url)}; data {db}; state {state}")


def redact(url: str) -> str:
    scheme, _, rest = url.partition("://")
    who, at, where = rest.rpartition("@")
    return f"{scheme}://{who.split(':')[0]}:…@{where}" if at else url


def status(args) -> None:
    state = state_folder()
    if state is None or not (state / "db").exists():
        raise ClusterError("no cluster is running (deploy/cluster.sh up --replicas N --port P)")
    report = {"store_url": read(state / "store_url"), "db": read(state / "db"), "replicas": replicas(state)}
    if args.format == "json":
        print(json.dumps(report))
        return
    nginx = pid_in(state / "nginx.master.pid")
    print(f"nginx: {'port ' + read(state / 'nginx.port') if alive(nginx) else 'not running'}")
    print(f"store: {redact(report['store_url'] or '')}\ndata: {report['db']}")
    for replica in report["replicas"]:
        print(f"replica {replica['replica']}: pid {replica['pid']}, port {replica['port']}")


def down(args, quiet: bool = False) -> None:
    state = state_folder()
    if state is None:
        if not quiet:
            print("no cluster is running")
        return
    stop_process(pid_in(state / "nginx.master.pid"))
    for pid_file in state.glob("replica-*.pid"):
        stop_process(pid_in(pid_file))
    stop_postgres(state)
    if os.environ.get("WORKFORCE_CLUSTER_HOME"):
        for child in state.iterdir():  # the caller's folder stays; what we made in it goes
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    else:
        shutil.rmtree(state, ignore_errors=True)
        POINTER.unlink(missing_ok=True)
    if not quiet:
        print("cluster stopped")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="deploy/cluster.sh", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("up", help="start PostgreSQL, N replicas and nginx")
    start.add_argument("--replicas", type=int, required=True)
    start.add_argument("--port", type=int, required=True, help="nginx's port (the address people use)")
    start.add_argument("--db", help="the DuckDB file the replicas read (default: config.yaml's database.path)")
    start.add_argument("--network-role", default="viewer", choices=("viewer", "editor", "admin"),
                       help="what a browser gets without sign-in (default viewer; ignored with sign-in on)")
    start.add_argument("--listen", default="127.0.0.1", help="nginx's address (default 127.0.0.1)")
    show = commands.add_parser("status", help="what is running")
    show.add_argument("--format", choices=("json", "text"), default="text")
    commands.add_parser("down", help="stop everything up started")
    args = parser.parse_args(argv)
    try:
        {"up": up, "status": status, "down": down}[args.command](args)
    except ClusterError as exc:
        print(f"cluster: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or exc.stdout or "").strip().splitlines()
        print(f"cluster: {' '.join(map(str, exc.cmd))} failed: {detail[-1] if detail else exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
