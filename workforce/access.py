"""Who may see and do what: roles from config.yaml mapped from the signed-in user's claims.

viewer reads; editor also uploads data and writes commentary and interventions; admin also rolls
back loads and reads the audit log. A rule may limit organisation-level detail to some
organisations: the scope is applied where organisation lists are built for queries
(`allowed_detail`), so a crafted URL naming another organisation shows nothing of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .config import Access, Config

ACTIONS = {
    "viewer": {"view"},
    "editor": {"view", "upload", "comment"},
    "admin": {"view", "upload", "comment", "rollback", "audit"},
}
LOCAL_USER = "local user"


@dataclass(frozen=True)
class User:
    name: str
    email: str | None
    role: str
    organisations: tuple[str, ...] | None   # None: every organisation
    signed_in: bool

    def can(self, action: str) -> bool:
        return action in ACTIONS[self.role]

    @property
    def label(self) -> str:
        who = self.email or self.name
        return f"{who} ({self.role})" if self.signed_in else f"Local single-user instance ({self.role})"

    def allowed_detail(self, codes: list[str]) -> list[str]:
        """The organisations whose own figures this user may see, of those given."""
        return list(codes) if self.organisations is None else [c for c in codes if c in self.organisations]


class AccessDenied(Exception):
    """Sign-in is on and this user matches no role rule (default deny)."""


def local_user(access: Access) -> User:
    return User(LOCAL_USER, None, access.local_role, None, signed_in=False)


def _claim_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, (list, tuple, set)) else []


def resolve_user(claims: Mapping[str, object], config: Config) -> User | None:
    """The user for an identity token's claims; None when not signed in.

    Raises AccessDenied for a signed-in user no rule admits."""
    access = config.access
    if not access.sign_in:
        return local_user(access)
    if not claims.get("is_logged_in"):
        return None
    email = str(claims.get("email") or "").strip().lower()
    domain = email.rsplit("@", 1)[-1] if "@" in email else ""
    groups = {g.lower() for g in _claim_list(claims.get(access.group_claim))}
    for rule in access.rules:
        if (email and email in {e.lower() for e in rule.emails}) or \
                (domain and domain in {d.lower() for d in rule.domains}) or \
                groups & {g.lower() for g in rule.groups}:
            scope = tuple(rule.organisations) if rule.organisations is not None else None
            return User(str(claims.get("name") or email), email or None, rule.role, scope, signed_in=True)
    raise AccessDenied(f"{email or 'This account'} has no role in this dashboard. "
                       "Ask the ICS workforce analytics team for access.")


def restrict(selection, user: User, config: Config):
    """Drop organisations outside the user's scope from a selection, with a note for each."""
    from dataclasses import replace

    if user.organisations is None or not selection.orgs:
        return selection, []
    kept = tuple(c for c in selection.orgs if c in user.organisations)
    notes = [f"You do not have access to {config.org_by_code[c].name if c in config.org_by_code else c}'s "
             "own figures, so it was removed from the selection." for c in selection.orgs if c not in kept]
    return replace(selection, orgs=kept), notes
