"""Roles from claims (default deny when sign-in is on) and organisation scope in the query layer."""

import dataclasses

import pytest

from tests.conftest import LAST
from workforce.protect.access import AccessDenied, resolve_user, restrict
from workforce.base.config import Access, RoleRule
from workforce.protect.figures import latest_values
from workforce.measures.selection import Selection


@pytest.fixture()
def signed_in(config):
    access = Access(sign_in=True, rules=[
        RoleRule(role="admin", emails=["Lead@Example.nhs.uk"]),
        RoleRule(role="editor", groups=["ICS-Workforce-Editors"]),
        RoleRule(role="viewer", domains=["nhs.net"], organisations=["RWH"]),
    ])
    return config.model_copy(update={"access": access})


def test_local_instance_without_sign_in(config):
    user = resolve_user({}, config)
    assert (user.role, user.signed_in, user.organisations) == ("admin", False, None)
    assert user.label == "Local single-user instance (admin)"


def test_roles_from_email_group_and_domain(signed_in):
    admin = resolve_user({"is_logged_in": True, "email": "lead@example.nhs.uk"}, signed_in)
    assert admin.role == "admin" and admin.can("audit") and admin.can("rollback")
    editor = resolve_user({"is_logged_in": True, "email": "x@trust.nhs.uk", "groups": ["ICS-Workforce-Editors"]},
                          signed_in)
    assert editor.role == "editor" and editor.can("upload") and not editor.can("rollback")
    viewer = resolve_user({"is_logged_in": True, "email": "ann@nhs.net"}, signed_in)
    assert viewer.role == "viewer" and viewer.organisations == ("RWH",)
    assert not viewer.can("upload") and not viewer.can("comment")


def test_unknown_users_are_refused_and_anonymous_must_sign_in(signed_in):
    with pytest.raises(AccessDenied, match="no role"):
        resolve_user({"is_logged_in": True, "email": "someone@gmail.com"}, signed_in)
    assert resolve_user({"is_logged_in": False}, signed_in) is None


def test_scope_keeps_ics_totals_but_not_other_organisations(small_db, signed_in):
    viewer = resolve_user({"is_logged_in": True, "email": "ann@nhs.net"}, signed_in)
    scope = list(viewer.organisations)
    # the whole ICS: visible to everyone else (72 / 367), but in this small database only RWG adds to it
    # besides RWH, so for the RWH viewer the total minus their own figures would be RWG's: not shown
    _, values = latest_values(small_db, signed_in, Selection(ics="QM7"))
    assert next(v for v in values if v.kpi == "turnover_rate_12m").value == pytest.approx(72 / 367 * 100)
    _, values = latest_values(small_db, signed_in, Selection(ics="QM7"), scope)
    assert all(v.value is None for v in values)
    # a crafted selection of another trust shows nothing of it
    selection, notes = restrict(Selection(ics="QM7", orgs=("RWG",)), viewer, signed_in)
    assert selection.orgs == () and "West Hertfordshire" in notes[0]
    month, values = latest_values(small_db, signed_in, Selection(ics="QM7", orgs=("RWG",)), scope)
    assert all(v.value is None for v in values)
    # an organisation-type subset is limited to the user's own organisations too
    _, values = latest_values(small_db, signed_in, Selection(ics="QM7", org_type="acute"), scope)
    sickness = next(v for v in values if v.kpi == "sickness_absence_rate")
    assert sickness.value == pytest.approx(5.0)  # RWH alone: 50 / 1000
    assert viewer.allowed_detail(["RWH", "RWG"]) == ["RWH"]


def test_a_type_subset_is_named_as_the_users_own_organisations(small_db, signed_in, config):
    # The RWH viewer asking for Hertfordshire and West Essex's acute trusts is shown RWH's figure alone
    # (RWG is the other acute trust): the view once headed it "... — acute organisations", as if it were
    # the total of both; the scope now names RWH and says the total is not shown
    from workforce.measures.selection import selection_label
    from workforce.protect.scope import resolve

    viewer = resolve_user({"is_logged_in": True, "email": "ann@nhs.net"}, signed_in)
    scope = resolve(small_db, signed_in, Selection(ics="QM7", org_type="acute"), list(viewer.organisations))
    assert scope.selection.orgs == ("RWH",) and scope.selection.org_type is None
    assert selection_label(config, scope.selection) == \
        "Hertfordshire and West Essex — East and North Hertfordshire Teaching NHS Trust"
    assert any("acute organisations you may see only your own" in n and "not shown to you" in n for n in scope.notes)
    # an administrator's type subset is the total of the type, unchanged
    admin = resolve(small_db, signed_in, Selection(ics="QM7", org_type="acute"))
    assert admin.selection.org_type == "acute" and not admin.selection.orgs
