"""Time the synthetic demo build at both scales: generation, then validation and loading.

    .venv/bin/python benchmarks/bench_demo.py [--scale ics|national|both] [--out DIR]

Without --out the databases go to a temporary folder that is removed afterwards; with it they
are kept (the national one with its <name>.config.yaml, for other benchmarks to use).
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workforce.base.config import load_config  # noqa: E402
from workforce.demo import build_demo  # noqa: E402


def bench(scale: str, folder: Path) -> None:
    db_path = folder / f"demo_{scale}.duckdb"
    began = time.perf_counter()
    build = build_demo(load_config(), db_path, scale=scale)
    total = time.perf_counter() - began
    size_mb = db_path.stat().st_size / 1e6
    print(f"{scale:8s} {build.start:%Y-%m}..{build.end:%Y-%m}  {build.organisations:4d} orgs  {build.rows:>11,} rows  "
          f"generate {build.generate_seconds:6.1f} s  load {build.load_seconds:6.1f} s  total {total:6.1f} s  "
          f"file {size_mb:7.1f} MB", flush=True)
    if build.config_path:
        print(f"         config: {build.config_path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("ics", "national", "both"), default="both")
    parser.add_argument("--out", type=Path, help="keep the databases in this folder")
    args = parser.parse_args()
    scales = ("ics", "national") if args.scale == "both" else (args.scale,)
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{len(__import__('os').sched_getaffinity(0))} CPUs")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for scale in scales:
            bench(scale, args.out)
    else:
        with tempfile.TemporaryDirectory() as folder:
            for scale in scales:
                bench(scale, Path(folder))
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6
    print(f"peak memory {peak_gb:.1f} GB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
