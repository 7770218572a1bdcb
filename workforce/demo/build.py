"""Build the demo database (and the `python -m workforce demo` command)."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..base.config import Config, ConfigError, load_config
from ..base.db import sql
from ..base.store_backend import is_postgres, store_target
from ..ingest.loader import LoadError, LoadResult, Progress, load_frame
from .frame import DEFAULT_SEED, DEFAULT_START, build_demo_frame, last_complete_month
from .national import NATIONAL_START, write_national_config
from .register import seed_register

SCALES = ("ics", "national")


@dataclass
class DemoBuild:
    """What a demo build produced, and how long it took."""

    db_path: Path
    config_path: Path | None        # the written config (national scale), else None
    scale: str
    start: dt.date
    end: dt.date
    rows: int
    organisations: int
    generate_seconds: float
    load_seconds: float
    result: LoadResult

    def summary(self) -> str:
        lines = [f"Synthetic demo data ({self.scale} scale, {self.start:%Y-%m} to {self.end:%Y-%m}): "
                 f"{self.rows:,} rows for {self.organisations} organisations → {self.db_path}",
                 f"Generated in {self.generate_seconds:.1f} s, validated and loaded in {self.load_seconds:.1f} s."]
        if self.config_path:
            lines.append(f"Config with the synthetic organisations: {self.config_path} "
                         f"(pass --config {self.config_path})")
        return "\n".join(lines)


def build_demo(config: Config, db_path: str | Path, *, scale: str = "ics", end: dt.date | None = None,
               seed: int = DEFAULT_SEED, progress: Progress | None = None,
               start: dt.date | None = None) -> DemoBuild:
    """Generate the synthetic demo and load it, replacing the database at db_path (the demo's own
    file, database.demo_path, for the app: real files are never loaded into it).

    scale="national" first writes <db stem>.config.yaml (the config plus 36 synthetic ICSs)
    beside the database and validates against it. `start` defaults to 2021-04 (ics) or
    2016-11 (national); tests pass a later one for a small build.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}, not '{scale}'")
    db_path = Path(db_path)
    _refuse_real(db_path, config)
    progress = progress or (lambda fraction, message: None)
    end = (end or last_complete_month()).replace(day=1)
    if end > last_complete_month():
        raise ValueError(f"the demo can end no later than the last complete month, {last_complete_month():%Y-%m}")
    config_path = None
    start = (start or (NATIONAL_START if scale == "national" else DEFAULT_START)).replace(day=1)
    if scale == "national":
        progress(0.0, "Writing the national config")
        config_path = write_national_config(config, db_path, start)
        config = load_config(config_path)

    progress(0.05, f"Generating {scale}-scale synthetic data, {start:%Y-%m} to {end:%Y-%m}")
    began = time.perf_counter()
    frame = build_demo_frame(config, start=start, end=end, seed=seed)
    generated = time.perf_counter()
    progress(0.4, f"Validating and loading {len(frame):,} rows")
    result = load_frame(frame, config, db_path=db_path, name="synthetic demo data", fmt="demo", fresh=True,
                        meta={"synthetic": "true", "demo_scale": scale, "demo_start": f"{start:%Y-%m}",
                              "demo_end": f"{end:%Y-%m}", "demo_seed": str(seed)})
    loaded = time.perf_counter()
    demo_store = store_target(config.for_demo())
    if scale == "ics" and db_path.resolve() == config.demo_db_path.resolve() and not is_postgres(demo_store):
        seed_register(demo_store, config)  # the app's own demo (not a test's), into its own store file
    progress(1.0, "Done")
    return DemoBuild(db_path, config_path, scale, start, end, len(frame), len(config.organisations),
                     generated - began, loaded - generated, result)


def _refuse_real(db_path: Path, config: Config) -> None:
    """The demo replaces the file it is built into: never a database holding real figures."""
    if not db_path.exists():
        return
    import duckdb

    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            synthetic = con.execute(sql("base/is_synthetic")).fetchone()[0]
            figures = not con.execute(sql("ingest/apply/fact_is_empty")).fetchone()[0]
    except duckdb.Error:
        return  # not a database the dashboard made: the load names the problem
    if figures and not synthetic:
        raise LoadError(f"{db_path} holds real figures, and the synthetic demo never replaces them; the demo has "
                        f"its own file: python -m workforce demo (it writes {config.demo_db_path})")


# ---------------------------------------------------------------- command line
def _month(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{text.strip()[:7]}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a month (YYYY-MM)") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", choices=SCALES, default="ics",
                        help="ics: the configured ICSs from 2021-04 (default); national: 42 ICSs, "
                             "~220 trusts from 2016-11, for benchmarks")
    parser.add_argument("--end", type=_month, default=None, metavar="YYYY-MM",
                        help="last month of data (default: the last complete month)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"random seed; the same seed gives the same data (default {DEFAULT_SEED})")


def run(args: argparse.Namespace, config: Config, db_path: Path, stdout: TextIO) -> int:
    """`python -m workforce demo`: build the demo database; 0 on success, 1 with a message if not."""
    def report(fraction: float, message: str) -> None:
        print(f"… {message}", file=stdout, flush=True)

    try:
        build = build_demo(config, db_path, scale=args.scale, end=args.end, seed=args.seed, progress=report)
    except (LoadError, ConfigError, ValueError) as exc:
        print(f"demo: {exc}", file=stdout)
        return 1
    print(build.summary(), file=stdout)
    return 0
