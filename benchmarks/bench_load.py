"""Benchmark: load a large long-template CSV into an empty database through `load_files`.

    .venv/bin/python benchmarks/bench_load.py              # 10 million rows (the target: ≥ 1M rows/s, < 2 GB)
    .venv/bin/python benchmarks/bench_load.py --rows 1000000 --keep
    .venv/bin/python benchmarks/bench_load.py --national   # a national month of NHS Digital files

--national writes a month of NHS Digital-style files for about 220 trusts (the configured ones and
made-up others, which are skipped as outside the dashboard): the 2025 staff-group file with doctors'
grades and totals, an older "staff excluding medical" file by Staff Group 2, AfC band and care setting
(FTE added up to the staff group), the sickness benchmarking file by staff group and the turnover file
by staff group and AfC band in HC and FTE; then dry-runs and loads them together into the ICS demo.

The CSV is written by DuckDB's COPY into a temporary folder (not timed): every configured
organisation × 12 staff groups × (total + 6 ethnicity + 6 age-band rows) × 5 measures per month,
totals larger than their breakdown rows, months from January 2000 onwards. The load runs in a child
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

    from workforce.config import load_config

    config = load_config(ROOT / "config.yaml")
    orgs = [o.code for o in config.organisations]
    groups = config.staff_group_names[:12]
    breakdowns = {b.id: b.values for b in config.breakdowns}
    ethnicity, age = breakdowns["ethnicity"][:6], breakdowns["age_band"][:6]
    measures = ["headcount", "fte", "joiners", "fte_days_available", "pay_bill"]
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
                       CASE WHEN b = 0 THEN 1000 + i % 97 ELSE 10 + i % 7 END AS value
                FROM k)
            TO '{path}' (HEADER, DELIMITER ',')""")


def child(csv_path: str, db_path: str) -> None:
    """Runs in its own process: the load, with stage timings and peak memory."""
    from workforce.config import load_config
    from workforce.loader import load_files

    config = load_config(ROOT / "config.yaml")
    began = time.perf_counter()
    stages = []

    def progress(fraction: float, message: str) -> None:
        stages.append((round(time.perf_counter() - began, 2), message))

    result = load_files([csv_path], config, db_path=db_path, progress=progress, loaded_by="benchmark")
    seconds = time.perf_counter() - began
    report = result.files[0]
    print(json.dumps({"rows": report.rows_in, "seconds": seconds, "rows_loaded": report.rows_loaded,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "stages": stages}))


def write_national(folder: Path) -> list[Path]:
    import duckdb

    from workforce.config import load_config

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
    from workforce import demo
    from workforce.config import load_config
    from workforce.loader import load_files

    config = load_config(ROOT / "config.yaml")
    db_path = folder / "demo.duckdb"
    demo.build_demo(config, db_path)
    files = write_national(folder)
    for path in files:
        print(f"  {path.name}: {sum(1 for _ in open(path, encoding='utf-8')) - 1:,} rows, {path.stat().st_size / 1e6:.1f} MB")
    for dry in (True, False):
        began = time.perf_counter()
        result = load_files(files, config, db_path=db_path, dry_run=dry, loaded_by="benchmark")
        seconds = time.perf_counter() - began
        print(f"{'dry run' if dry else 'load'} of the {len(files)} files into the ICS demo: {seconds:.2f} s")
        for report in result.files:
            print(f"    {report.summary().splitlines()[0]}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--national", action="store_true", help="a national month of NHS Digital files instead")
    parser.add_argument("--keep", action="store_true", help="keep the CSV and database (prints where)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    if args.national:
        try:
            return national(folder)
        finally:
            if not args.keep:
                import shutil
                shutil.rmtree(folder, ignore_errors=True)
    csv_path, db_path = folder / "template.csv", folder / "bench.duckdb"
    began = time.perf_counter()
    write_csv(csv_path, args.rows)
    print(f"wrote {args.rows:,} rows ({csv_path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - began:.1f} s")
    out = subprocess.run([sys.executable, __file__, "--child", str(csv_path), str(db_path)],
                         capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        print(out.stderr, file=sys.stderr)
        return out.returncode
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    rate = figures["rows"] / figures["seconds"]
    print(f"machine: {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"loaded {figures['rows']:,} rows in {figures['seconds']:.1f} s = {rate / 1e6:.2f} million rows/s; "
          f"peak RSS {figures['peak_rss_mb']:,.0f} MB; database {db_path.stat().st_size / 1e6:,.0f} MB")
    for at, message in figures["stages"]:
        print(f"  {at:7.2f} s  {message}")
    if args.keep:
        print(f"kept: {folder}")
    else:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
