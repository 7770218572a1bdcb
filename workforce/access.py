"""Who may see and do what: roles from config.yaml mapped from the signed-in user's claims.

viewer reads; editor also uploads data and writes commentary and interventions; admin also rolls
back loads and reads the audit log. A rule may limit organisation-level detail to some
organisations: the scope is applied where organisation lists are built for queries
(`allowed_detail`), so a crafted URL naming another organisation shows nothing of it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass

from .config import Access, Config

ACTIONS = {
    "viewer": {"view"},
    "editor": {"view", "upload", "comment"},
    "admin": {"view", "upload", "comment", "rollback", "audit"},
}
LOCAL_USER = "local user"
NETWORK_USER = "network user"


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
        if self.signed_in:
            return f"{who} ({self.role})"
        if self.name == NETWORK_USER:
            return f"Anyone on the network, no sign-in ({self.role})"
        return f"Local single-user instance ({self.role})"

    def allowed_detail(self, codes: list[str]) -> list[str]:
        """The organisations whose own figures this user may see, of those given."""
        return list(codes) if self.organisations is None else [c for c in codes if c in self.organisations]


class AccessDenied(Exception):
    """Sign-in is on and this user matches no role rule (default deny)."""


def local_user(access: Access) -> User:
    return User(LOCAL_USER, None, access.local_role, None, signed_in=False)


def is_loopback(address: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and IPv4-mapped loopback; False for anything else or malformed."""
    try:
        ip = ipaddress.ip_address(str(address).split("%")[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped and mapped.is_loopback)


def anonymous_user(access: Access, client: str | None) -> User:
    """The user when sign-in is off: local_role for this computer (client None: Streamlit reports
    loopback as None), network_role for another address if deliberately set, else refused."""
    if client is None or is_loopback(client):
        return local_user(access)
    if access.network_role:
        return User(NETWORK_USER, None, access.network_role, None, signed_in=False)
    raise AccessDenied("This dashboard has no sign-in, so it is open only to this computer. "
                       "Ask its administrator to turn sign-in on (docs/access.md).")

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
