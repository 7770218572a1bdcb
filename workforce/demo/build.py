"""Build the demo database (and the `python -m workforce demo` command)."""

from __future__ import annotations

import argparse
import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ..base.config import Config, ConfigError, load_config
from ..base.store_backend import store_target
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
    """Generate the synthetic demo and load it, replacing the database at db_path.

    scale="national" first writes <db stem>.config.yaml (the config plus 36 synthetic ICSs)
    beside the database and validates against it. `start` defaults to 2021-04 (ics) or
    2016-11 (national); tests pass a later one for a small build.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {', '.join(SCALES)}, not '{scale}'")
    db_path = Path(db_path)
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
    if scale == "ics" and db_path.resolve() == config.db_path.resolve():  # the app's own demo, not a test's
        seed_register(store_target(config), config)
    progress(1.0, "Done")
    return DemoBuild(db_path, config_path, scale, start, end, len(frame), len(config.organisations),
                     generated - began, loaded - generated, result)


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
