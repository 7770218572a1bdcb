"""The suite passes on any date: time is read from the data, never from today's date.

The tests that touch dates (staleness, the as-at month, Data quality windows, the demo's last
month, interventions' due dates, the real publications' months) run again here in a child process
under a clock a year ahead, with Debian's libfaketime (`faketime`; test.sh installs it as root, and
CI runs the whole quick suite under it too: .ci/run). FAKETIME_DONT_FAKE_MONOTONIC is not set: it
breaks time.sleep."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT

FAKETIME = shutil.which("faketime")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(FAKETIME is None, reason="Debian's faketime is not installed (./test.sh installs it as root)"),
    pytest.mark.skipif("FAKETIME" in os.environ, reason="this run is already under a shifted clock (CI's second "
                                                        "run): the whole suite is the check"),
]
DATE_SENSITIVE = ["tests/ui/test_data_pages.py", "tests/views/test_summary_view.py", "tests/cli/test_cli_period.py",
                  "tests/store/test_meetings.py", "tests/base/test_universe.py"]


def a_year_ahead(*command: str, timeout: float = 1500) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return subprocess.run([FAKETIME, "-f", "+365d", *command], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_the_clock_is_really_moved():
    shown = a_year_ahead(sys.executable, "-c", "import datetime; print(datetime.date.today())", timeout=60)
    assert dt.date.fromisoformat(shown.stdout.strip()) == dt.date.today() + dt.timedelta(days=365)


def test_the_date_sensitive_tests_pass_a_year_ahead():
    run = a_year_ahead(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not browser",
                       *DATE_SENSITIVE)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
