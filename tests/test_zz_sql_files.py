"""Every SQL file in queries/ is exercised by the suite (this module runs last: test_zz_…)."""

import pytest

from tests.conftest import ROOT
from workforce.base.db import SQL_USED, Database


def test_benchmark_query_runs(small_db_path):
    rows = Database(small_db_path).query("benchmarks/bench_correction_rows")
    assert len(rows) == 4  # Dec 2024 total leavers rows: RWH nurses, RWH doctors, RWG, RN7


def test_every_sql_file_was_run(request):
    if not getattr(request.config, "whole_suite", False):
        pytest.skip("only meaningful when the whole suite runs")
    files = {str(p.relative_to(ROOT / "queries").with_suffix("")) for p in (ROOT / "queries").rglob("*.sql")
             if "schema" not in p.parts and "macros" not in p.parts}
    assert sorted(files - SQL_USED) == []
