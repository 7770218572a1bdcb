"""Deterministic synthetic demo data for the dashboard (clearly flagged as synthetic).

    frame = build_demo_frame(config, start=date(2021, 4, 1), end=None, seed=20240401)
    build = build_demo(config, db_path, scale="ics" | "national", end=None, progress=None)

Realistic ranges from /work/shared/reference/domain.md §2, planted signals in `signals`,
described in docs/demo-data.md. Modules: reference (parameters), population (organisations
and staff groups), staff (stock-flow simulation), organisation (finance, levy, survey,
applications), equality (breakdowns), frame (assembly), national (benchmark scale), build.

May import: base, ingest (it loads through the loader), store (the register it seeds), measures, signals.
"""

from .build import DemoBuild, add_arguments, build_demo, run
from .frame import DEFAULT_SEED, build_demo_frame, last_complete_month

__all__ = ["DEFAULT_SEED", "DemoBuild", "add_arguments", "build_demo", "build_demo_frame", "last_complete_month", "run"]
