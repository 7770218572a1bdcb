"""Benchmark: load a large long-template CSV into an empty database through `load_files`, side by
side with DuckDB's own read_csv into a table of a database file on the same CSV.

    .venv/bin/python benchmarks/bench_load.py              # 1 and 10 million rows (target: ≤ 3× DuckDB, ≤ 1 GB)
    .venv/bin/python benchmarks/bench_load.py --rows 2000000 --keep
    .venv/bin/python benchmarks/bench_load.py --national   # a national month of NHS Digital files
    .venv/bin/python benchmarks/bench_load.py --real       # the real monthly sickness files (../shared/data/nhs)

--national writes a month of NHS Digital-style files for about 220 trusts (the configured ones and
made-up others, kept as national peers): the 2025 staff-group file with doctors'
grades and totals, an older "staff excluding medical" file by Staff Group 2, AfC band and care setting
(FTE added up to the staff group), the sickness benchmarking file by staff group and the turnover file
by staff group and AfC band in HC and FTE; loads each alone into a real database (holding the real
sickness files when ../shared is there; never the synthetic demo), then dry-runs and loads them together.

The CSV is written by DuckDB's COPY into a temporary folder (not timed): every configured
organisation × 12 staff groups × (total + 6 ethnicity + 6 age-band rows) × 5 measures per month —
headcount, leavers, FTE, FTE days lost and available, so the "at most" checks (leavers ≤ headcount,
days lost ≤ days available) run as on the real files — totals larger than their breakdown rows,
months from January 2000 onwards. The load runs in a child
process so its peak memory (ru_maxrss) is the load's alone. Prints rows/s, peak RSS and the time of
each stage reported by the progress callback.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write_csv(path: Path, rows: int) -> None:
    import duckdb

    from workforce.base.config import load_config

    config = load_config(ROOT / "config.yaml")
    orgs = [o.code for o in config.organisations]
    groups = config.staff_group_names[:12]
    breakdowns = {b.id: b.values for b in config.breakdowns}
    ethnicity, age = breakdowns["ethnicity"][:6], breakdowns["age_band"][:6]
    # the shape of the real files: leavers beside headcount and days lost beside days available, so the
    # loader's "at most" check (leavers ≤ headcount …) runs as it does on them; every figure is within
    # its limit and every breakdown adds up to less than its total
    measures = ["headcount", "leavers", "fte", "fte_days_lost", "fte_days_available"]
    limited = [measures.index("leavers"), measures.index("fte_days_lost")]
    per_month = len(orgs) * 12 * 13 * 5
    with duckdb.connect() as con:
        con.execute(f"""
            COPY (
                WITH k AS (
                    SELECT i, i % 5 AS m, (i // 5) % 13 AS b, (i // 65) % 12 AS g,
                           (i // 780) % {len(orgs)} AS o, i // {per_month} AS p
                    FROM range({rows}) t(i))
                SELECT strftime(DATE '2000-01-01' + to_months(CAST(p AS INTEGER)), '%Y-%m') AS period,
                       {orgs}[o + 1] AS org_code, {groups}[g + 1] AS staff_group,
                       CASE WHEN b = 0 THEN '' WHEN b <= 6 THEN 'ethnicity' ELSE 'age_band' END AS breakdown,
                       CASE WHEN b = 0 THEN '' WHEN b <= 6 THEN {ethnicity}[b] ELSE {age}[b - 6] END AS breakdown_value,
                       {measures}[m + 1] AS measure,
                       CASE WHEN m IN ({limited[0]}, {limited[1]}) THEN
                                 CASE WHEN b = 0 THEN 20 + (i // 5) % 13 ELSE (i // 5) % 3 END
                            ELSE CASE WHEN b = 0 THEN 1000 + (i // 5) % 97 ELSE 10 + (i // 5) % 7 END END AS value
                FROM k)
            TO '{path}' (HEADER, DELIMITER ',')""")


def child(csv_path: str, db_path: str) -> None:
    """Runs in its own process: the load, with stage timings and peak memory."""
    from workforce.base.config import load_config
    from workforce.ingest.loader import load_files

    config = load_config(ROOT / "config.yaml")
    began, cpu_began = time.perf_counter(), _cpu()
    stages = []

    def progress(fraction: float, message: str) -> None:
        stages.append((round(time.perf_counter() - began, 2), message))

    result = load_files([csv_path], config, db_path=db_path, progress=progress, loaded_by="benchmark")
    seconds = time.perf_counter() - began
    report = result.files[0]
    print(json.dumps({"rows": report.rows_in, "seconds": seconds, "rows_loaded": report.rows_loaded,
                      "cpu_seconds": _cpu() - cpu_began,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "stages": stages}))


def baseline(csv_path: str, db_path: str) -> None:
    """Runs in its own process: DuckDB alone reads the CSV into a table of a new database file."""
    import duckdb

    began, cpu_began = time.perf_counter(), _cpu()
    with duckdb.connect(db_path) as con:
        con.execute(f"CREATE TABLE fact AS SELECT * FROM read_csv('{csv_path}', header = true)")
        con.execute("CHECKPOINT")
    seconds = time.perf_counter() - began
    print(json.dumps({"seconds": seconds, "cpu_seconds": _cpu() - cpu_began,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def _cpu() -> float:
    """CPU seconds used by this process (all threads): steadier than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_child(mode: str, csv_path: Path, db_path: Path) -> dict:
    db_path.unlink(missing_ok=True)
    out = subprocess.run([sys.executable, __file__, mode, str(csv_path), str(db_path)],
                         capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def side_by_side(folder: Path, rows: int, stages: bool) -> None:
    """One size: write the CSV, then DuckDB's read_csv and the loader, each in a fresh process."""
    csv_path = folder / f"template-{rows}.csv"
    began = time.perf_counter()
    write_csv(csv_path, rows)
    print(f"\n{rows:,} rows ({csv_path.stat().st_size / 1e6:,.0f} MB), written in {time.perf_counter() - began:.1f} s")
    duck = run_child("--baseline", csv_path, folder / "duckdb.duckdb")
    ours = run_child("--child", csv_path, folder / "bench.duckdb")
    ratio = ours["seconds"] / duck["seconds"]
    print(f"  DuckDB read_csv into a table: {duck['seconds']:6.2f} s wall, {duck['cpu_seconds']:6.2f} s CPU, "
          f"peak RSS {duck['peak_rss_mb']:,.0f} MB")
    print(f"  workforce loader, end to end: {ours['seconds']:6.2f} s wall, {ours['cpu_seconds']:6.2f} s CPU, "
          f"peak RSS {ours['peak_rss_mb']:,.0f} MB ({ours['rows'] / ours['seconds'] / 1e6:.2f} million rows/s)")
    print(f"  ratio {ratio:.2f}× wall, {ours['cpu_seconds'] / duck['cpu_seconds']:.2f}× CPU (target ≤ 3×); "
          f"peak memory {'within' if ours['peak_rss_mb'] <= 1024 else 'ABOVE'} 1 GB")
    if stages:
        for at, message in ours["stages"]:
            print(f"  {at:7.2f} s  {message}")
    csv_path.unlink()


def real_sickness() -> int:
    """The real monthly sickness files, one national month each, loaded together into an empty database."""
    from workforce.base.config import load_config
    from workforce.ingest.loader import load_files

    folder = ROOT.parent / "shared" / "data" / "nhs" / "sickness"
    files = sorted(folder.glob("*.csv"))
    if not files:
        print(f"no files in {folder}")
        return 1
    config = load_config(ROOT / "config.yaml")
    with tempfile.TemporaryDirectory(prefix="bench-real-") as work:
        began, cpu_began = time.perf_counter(), _cpu()
        load_files(files[:1], config, db_path=Path(work) / "one.duckdb", loaded_by="benchmark")
        one, one_cpu = time.perf_counter() - began, _cpu() - cpu_began
        began, cpu_began = time.perf_counter(), _cpu()
        result = load_files(files, config, db_path=Path(work) / "all.duckdb", loaded_by="benchmark")
        together, together_cpu = time.perf_counter() - began, _cpu() - cpu_began
    rows = sum(r.rows_in for r in result.files)
    print(f"one national month ({files[0].name}): {one:.2f} s wall, {one_cpu:.2f} s CPU (target ≤ 5 s)")
    print(f"{len(files)} monthly files together ({rows:,} figures): {together:.2f} s wall, {together_cpu:.2f} s CPU "
          "(target for twelve ≤ 10 s)")
    return 0


def write_national(folder: Path) -> list[Path]:
    import duckdb

    from workforce.base.config import load_config

    config = load_config(ROOT / "config.yaml")
    ours = [o.code for o in config.organisations if o.type not in ("ICB", "primary care", "adult social care")]
    others = [f"R{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(220 - len(ours))]
    orgs = ours + [o for o in others if o not in ours]
    groups = [f"{i + 1:03d}_{g}" for i, g in enumerate(config.staff_group_names)]
    grades = ["Consultant", "Specialty Registrar", "Core Training", "Foundation Doctor Year 1"]
    bands = [f"Band {b}" for b in range(2, 10)] + ["Non-AfC", "Unknown"]
    files = []
    with duckdb.connect() as con:
        con.execute("CREATE TABLE orgs AS SELECT unnest($o) AS org", {"o": orgs})
        con.execute("CREATE TABLE groups AS SELECT unnest($g) AS grp", {"g": groups})
        core = folder / "Core 1 staff group org.csv"
        con.execute(f"""COPY (
            SELECT org AS ORG_CODE, 'Main' AS MAIN_STAFF_GROUP, grp AS STAFF_GROUP_1, '2025-09-30' AS DATA_MONTH,
                   round(50 + random() * 900, 2) AS FTE FROM orgs, groups
            UNION ALL SELECT org, 'All', 'All staff groups', '2025-09-30', 5000 FROM orgs
            UNION ALL SELECT org, 'Prof', 'HCHS doctors – ' || g, '2025-09-30', 40
            FROM orgs, (SELECT unnest({grades}) AS g)) TO '{core}' (HEADER)""")
        legacy = folder / "staff excluding medical.csv"
        con.execute(f"""COPY (
            SELECT '30/09/2025' AS "Date", org AS "Org code", 'Main' AS "Main Staff Group", grp AS "Staff Group 1",
                   'SG2 ' || s AS "Staff Group 2", band AS "AfC Band", setting AS "Care Setting",
                   round(random() * 40, 2) AS "Total FTE"
            FROM orgs, groups, range(3) t(s), (SELECT unnest({bands}) AS band),
                 (SELECT unnest(['Acute', 'Community', 'Mental health', 'Other']) AS setting)
        ) TO '{legacy}' (HEADER)""")
        sickness = folder / "sickness benchmarking.csv"
        con.execute(f"""COPY (
            SELECT '2025-09-30' AS DATE, org AS ORG_CODE, substr(grp, 5) AS STAFF_GROUP,
                   round(100 + random() * 400, 1) AS FTE_DAYS_LOST, round(5000 + random() * 20000, 1) AS FTE_DAYS_AVAILABLE,
                   NULL AS SICKNESS_ABSENCE_RATE_PERCENT FROM orgs, groups
        ) TO '{sickness}' (HEADER)""")
        turnover = folder / "turnover org.csv"
        con.execute(f"""COPY (
            SELECT org AS "Org code", '202409 to 202509' AS "Period", t AS "Type", substr(grp, 5) AS "Staff group",
                   band AS "AfC band", 40 + (hash(org, grp, band) % 20) AS "Joiner", 30 + (hash(grp, org, band) % 20) AS "Leaver",
                   800 AS "Denominator at start of period", 820 AS "Denominator at end of period"
            FROM orgs, groups, (SELECT unnest(['HC', 'FTE']) AS t),
                 (SELECT unnest(['All AfC bands'] || {bands}) AS band)
        ) TO '{turnover}' (HEADER)""")
        files = [core, legacy, sickness, turnover]
    return files


def national(folder: Path) -> int:
    from workforce.base.config import load_config
    from workforce.ingest.loader import load_files

    config = load_config(ROOT / "config.yaml")
    db_path = folder / "real.duckdb"  # a real database (files are never loaded into the synthetic demo)
    sickness = sorted((ROOT.parent / "shared" / "data" / "nhs" / "sickness").glob("*.csv"))
    if sickness:  # holding the real sickness files, so each load is compared with figures already there
        load_files(sickness, config, db_path=db_path, loaded_by="benchmark")
    files = write_national(folder)
    for path in files:
        print(f"  {path.name}: {sum(1 for _ in open(path, encoding='utf-8')) - 1:,} rows, {path.stat().st_size / 1e6:.1f} MB")
    import shutil

    print("each file alone into a copy of a real database holding the real sickness files "
          "(target: a national month of a publication ≤ 5 s):")
    for path in files:
        copy = folder / "copy.duckdb"
        copy.unlink(missing_ok=True)
        if db_path.exists():
            shutil.copyfile(db_path, copy)
        began, cpu_began = time.perf_counter(), _cpu()
        load_files([path], config, db_path=copy, loaded_by="benchmark")
        print(f"    {path.name}: {time.perf_counter() - began:.2f} s wall, {_cpu() - cpu_began:.2f} s CPU")
    for dry in (True, False):
        began, cpu_began = time.perf_counter(), _cpu()
        result = load_files(files, config, db_path=db_path, dry_run=dry, loaded_by="benchmark")
        seconds = time.perf_counter() - began
        print(f"{'dry run' if dry else 'load'} of the {len(files)} files together into that database: {seconds:.2f} s "
              f"wall, {_cpu() - cpu_began:.2f} s CPU")
        for report in result.files:
            print(f"    {report.summary().splitlines()[0]}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--national", action="store_true", help="a national month of NHS Digital files instead")
    parser.add_argument("--real", action="store_true", help="the real monthly sickness files instead")
    parser.add_argument("--stages", action="store_true", help="print the time of each stage of the load")
    parser.add_argument("--keep", action="store_true", help="keep the working folder (prints where)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    if args.baseline:
        baseline(*args.baseline)
        return 0
    if args.real:
        return real_sickness()
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        if args.national:
            return national(folder)
        print(f"machine: {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
              f"load average {os.getloadavg()[0]:.1f} (other work on the machine slows both sides)")
        for rows in args.rows:
            side_by_side(folder, rows, args.stages)
        return 0
    finally:
        if args.keep:
            print(f"kept: {folder}")
        else:
            import shutil
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
