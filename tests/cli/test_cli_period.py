"""Commands taking --period refuse a month outside the data (the small fixture runs Jan 2023 - Dec 2024)
with one clear line and a non-zero exit, instead of printing another month's figures under its name."""

from __future__ import annotations

import io

import pytest

from workforce.cli.main import main


def cli(*args):
    out, err = io.StringIO(), io.StringIO()
    return main(list(args), out=out, err=err), out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", [("kpis",), ("pack", "--format", "pdf"),
                                     ("compare", "--kpi", "turnover_rate_12m", "--format", "csv")])
@pytest.mark.parametrize("month", ["2030-01", "2022-12", "2025-01"])
def test_a_month_outside_the_data_is_refused(small_db_path, tmp_path, command, month):
    extra = ("--out", str(tmp_path / "pack.pdf")) if command[0] == "pack" else ()
    code, out, err = cli(*command, *extra, "--db", str(small_db_path), "--period", month)
    assert code == 2 and out == ""
    assert err.strip().splitlines() == [
        f"error: --period {month} is outside the data, which run from January 2023 to December 2024"]
    assert not (tmp_path / "pack.pdf").exists()


def test_the_first_and_last_months_are_accepted(small_db_path):
    for month, name in (("2023-01", "January 2023"), ("2024-12", "December 2024")):
        code, out, _ = cli("kpis", "--db", str(small_db_path), "--period", month)
        assert code == 0 and out.startswith(f"Data as at {name}")
