"""Finding 11 (identity and months): role rules must not trust an email the identity provider marks
unverified, and a month with a year below 1000 in a link is refused with a note, not a crash.
"""

from __future__ import annotations

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from workforce.protect.access import AccessDenied, resolve_user
from workforce.base.config import load_config


@pytest.fixture(scope="module")
def signed_in_config(tmp_path_factory):
    settings = yaml.safe_load((ROOT / "config.yaml").read_text())
    settings["access"]["sign_in"] = True
    path = tmp_path_factory.mktemp("cfg") / "config.yaml"
    path.write_text(yaml.safe_dump(settings))
    return load_config(path)


ADMIN = "workforce.analytics@example.nhs.uk"   # an admin by email in config.yaml's rules


@pytest.mark.parametrize("flag", [False, "false", "False", 0])
def test_unverified_email_does_not_match_email_rules(signed_in_config, flag):
    claims = {"is_logged_in": True, "email": ADMIN, "email_verified": flag}
    with pytest.raises(AccessDenied, match="not verified"):
        resolve_user(claims, signed_in_config)


def test_unverified_email_does_not_match_domain_rules(signed_in_config):
    claims = {"is_logged_in": True, "email": "mallory@nhs.net", "email_verified": False}
    with pytest.raises(AccessDenied):
        resolve_user(claims, signed_in_config)


def test_groups_still_apply_when_the_email_is_unverified(signed_in_config):
    claims = {"is_logged_in": True, "email": ADMIN, "email_verified": False, "groups": ["ICS-Workforce-Editors"]}
    user = resolve_user(claims, signed_in_config)
    assert user.role == "editor"


@pytest.mark.parametrize("flag", [True, "true"])
def test_verified_or_absent_flag_is_trusted(signed_in_config, flag):
    assert resolve_user({"is_logged_in": True, "email": ADMIN, "email_verified": flag}, signed_in_config).role == "admin"
    assert resolve_user({"is_logged_in": True, "email": ADMIN}, signed_in_config).role == "admin"


# ------------------------------------------------------------------ years below 1000
@pytest.mark.parametrize("page_file", ["pages/board/summary.py", "pages/board/kpi.py", "pages/board/compare.py",
                                  "pages/meetings/register.py", "pages/meetings/present.py"])
@pytest.mark.parametrize("period", ["0001-01", "0999-12", "999-12"])
def test_ancient_month_in_a_link_is_refused_not_a_crash(monkeypatch, small_db_path, page_file, period):
    monkeypatch.setenv("WORKFORCE_DB", str(small_db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["period"] = period
    at.switch_page(page_file)
    at.run()
    assert not at.exception, at.exception
    assert any("month" in w.value for w in at.warning), [w.value for w in at.warning]


def test_ancient_month_on_the_command_line(small_db_path):
    import io

    from workforce.cli import main as cli

    err = io.StringIO()
    code = cli.main(["kpis", "--db", str(small_db_path), "--period", "0001-01"], io.StringIO(), err)
    assert code == 2 and "month" in err.getvalue() and "Traceback" not in err.getvalue()


@pytest.mark.parametrize("page_file", ["pages/board/summary.py", "pages/board/kpi.py", "pages/board/compare.py",
                                       "pages/meetings/register.py", "pages/meetings/present.py"])
@pytest.mark.parametrize("period", ["1900-01", "9999-12"])
def test_edge_months_in_a_link_do_not_crash(monkeypatch, small_db_path, page_file, period):
    monkeypatch.setenv("WORKFORCE_DB", str(small_db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["period"] = period
    at.switch_page(page_file)
    at.run()
    assert not at.exception, at.exception
