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

from ..base.config import Access, Config

ALL_ENGLAND = "ENG"  # as workforce.measures.selection (which imports this module's callers, not the reverse)

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


PROXY_HEADERS = ("x-forwarded-for", "forwarded", "x-real-ip")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def _host_and_port(value: str) -> tuple[str, str] | None:
    """'LocalHost:8501' → ('localhost', '8501'); '[::1]:8501' → ('::1', '8501'); None if malformed."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(f"//{value.strip()}")
        return (parts.hostname or "").rstrip(".").lower(), str(parts.port or "")
    except ValueError:
        return None


def is_local_request(client: str | None, headers: Mapping[str, str] | None) -> bool:
    """This computer's own browser, and nothing else: a loopback peer (None: Streamlit reports loopback
    so; no headers at all: no request — AppTest, a script — decided by the address alone), not relayed by a proxy (behind nginx every browser comes
    from loopback), addressed to a loopback name (a page at evil.example resolving to 127.0.0.1 — DNS
    rebinding — sends Host evil.example), and, when the browser sends an Origin, one on that same host
    and port (a page on another local port is another site)."""
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    if client is not None and not is_loopback(client):
        return False
    if not headers:
        return True
    if any(h in headers for h in PROXY_HEADERS):
        return False
    host = _host_and_port(headers.get("host", ""))
    if host is None or host[0] not in LOOPBACK_NAMES:
        return False
    if "origin" not in headers:
        return True
    origin = headers["origin"].strip().lower()
    scheme, _, rest = origin.partition("://")
    return scheme in ("http", "https") and _host_and_port(rest) == host


def anonymous_user(access: Access, client: str | None, headers: Mapping[str, str] | None = None) -> User:
    """The user when sign-in is off: local_role for this computer's own browser (is_local_request),
    network_role for anyone else if deliberately set, else refused."""
    if is_local_request(client, headers):
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


def email_verified(claims: Mapping[str, object]) -> bool:
    """False only when the provider sends `email_verified` and it is not true (Entra ID omits it for
    work accounts, whose addresses the organisation issues; docs/security.md lists trusted claims)."""
    if "email_verified" not in claims:
        return True
    flag = claims["email_verified"]
    return flag is True or str(flag).strip().lower() == "true"


def resolve_user(claims: Mapping[str, object], config: Config) -> User | None:
    """The user for an identity token's claims; None when not signed in.

    Raises AccessDenied for a signed-in user no rule admits."""
    access = config.access
    if not access.sign_in:
        return local_user(access)
    if not claims.get("is_logged_in"):
        return None
    email = str(claims.get("email") or "").strip().lower()
    unverified = email and not email_verified(claims)
    if unverified:  # anyone can put any address on an account a provider has not checked
        email = ""
    domain = email.rsplit("@", 1)[-1] if "@" in email else ""
    groups = {g.lower() for g in _claim_list(claims.get(access.group_claim))}
    for rule in access.rules:
        if (email and email in {e.lower() for e in rule.emails}) or \
                (domain and domain in {d.lower() for d in rule.domains}) or \
                groups & {g.lower() for g in rule.groups}:
            scope = tuple(rule.organisations) if rule.organisations is not None else None
            return User(str(claims.get("name") or email), email or None, rule.role, scope, signed_in=True)
    if unverified:
        raise AccessDenied("Your identity provider has not verified this account's email address, so the "
                           "dashboard cannot use it to give you a role. Ask the ICS workforce analytics team.")
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


# ---------------------------------------------------------------- aggregates a scoped user may see
def membership_months(config: Config) -> list:
    """Every month in which some area's membership changes: constant between two of them."""
    return config.membership_change_months()


def visible_aggregates(config: Config, month) -> dict[str, frozenset[str]]:
    """The aggregates anyone can ask for in a month: England and each ICS total with the
    organisations it counts in that month (Config.counted_members, as workforce.protect.scope: a new
    footprint's back-cast months included, so its overlap with the footprint it replaced is checked)."""
    return {code: frozenset(members) for code, members in config.areas_at(month).items()}


_REFUSALS: dict[int, tuple[Config, dict]] = {}


def scope_refusals(config: Config) -> dict:
    """{(a scoped rule's organisations, month membership changes): {total: reason}}: worked out once
    per config, when it is loaded, and kept (membership is constant between those months)."""
    entry = _REFUSALS.get(id(config))
    if entry is None or entry[0] is not config:
        table = {(tuple(rule.organisations), month): _refusals(config, tuple(rule.organisations), month)
                 for rule in config.access.rules if rule.organisations is not None
                 for month in membership_months(config)}
        _REFUSALS[id(config)] = entry = (config, table)
    return entry[1]


def refused_aggregates(config: Config, own: tuple[str, ...], month) -> dict[str, str]:
    """{aggregate code: reason} for a user limited to `own` organisations in a month (from the table
    made at load; see _refusals)."""
    own = tuple(own)
    start = max((m for m in membership_months(config) if m <= month), default=month)
    table = scope_refusals(config)
    if (own, start) not in table:
        table[(own, start)] = _refusals(config, own, start)
    return table[(own, start)]


def _refusals(config: Config, own: tuple[str, ...], month) -> dict[str, str]:
    """{aggregate code: reason} for a user limited to `own` organisations in a month.

    Every figure the user can reach (their own organisations, and the aggregates left visible)
    is a sum over organisations; any sum, difference or combination of them can resolve no finer
    than the "atoms" those sets cut the organisations into. Each atom outside the user's own must
    hold at least k organisations (access.min_other_organisations), which also means two visible
    aggregates differ by k or more. While an atom is smaller, the smallest aggregate holding it is
    refused — a region before an ICS (the ICS totals are the plan's own view), England last — and
    the atoms are worked out again."""
    k = config.access.min_other_organisations
    sets = visible_aggregates(config, month)
    refused: dict[str, str] = {}

    def refuse(code: str, visible: dict[str, frozenset[str]]) -> None:
        name = config.area_name(code)
        others = len(visible[code] - set(own))
        why = (f"it has {others} organisation{'s' if others != 1 else ''} besides your own, fewer than {k}"
               if others < k else f"taken with another total you can see, it leaves fewer than {k}")
        refused[code] = (f"{name} is not shown to you for this month: its figures could reveal a single "
                         f"organisation you do not have access to ({why}).")

    while True:
        visible = {code: members for code, members in sets.items() if code not in refused}
        too_few = sorted((len(m - set(own)), c) for c, m in visible.items() if len(m - set(own)) < k)
        if too_few:
            refuse(too_few[0][1], visible)
            continue
        small = _small_atom(visible, set(own), k)
        if small is None:
            return refused
        first = lambda c, m: (config.area_kind(c) != "region", len(m), c)  # noqa: E731  regions, then ICSs
        holders = sorted(first(c, m) for c, m in visible.items() if small <= m and c != ALL_ENGLAND)
        if not holders:  # only England holds it: refuse a region or ICS whose refusal merges it, else England
            holders = sorted(first(c, m) for c, m in visible.items()
                             if c != ALL_ENGLAND and _atom_of(small, {x: y for x, y in visible.items() if x != c},
                                                              set(own)) >= k) or [(0, 0, ALL_ENGLAND)]
        refuse(holders[0][-1], visible)


def _atom_of(orgs: frozenset[str], sets: dict[str, frozenset[str]], own: set[str]) -> int:
    """The size of the atom holding `orgs` when only `sets` are visible."""
    codes = sorted(sets)
    key = tuple(next(iter(orgs)) in sets[c] for c in codes)
    universe = set().union(*sets.values()) - own
    return sum(tuple(o in sets[c] for c in codes) == key for o in universe)


def _small_atom(sets: dict[str, frozenset[str]], own: set[str], k: int) -> frozenset[str] | None:
    """The first group of organisations (outside `own`) that every visible set either holds whole
    or not at all, when it has fewer than k organisations; None when there is none."""
    universe = set().union(*sets.values()) - own
    codes = sorted(sets)
    atoms: dict[tuple[bool, ...], set[str]] = {}
    for org in universe:
        atoms.setdefault(tuple(org in sets[c] for c in codes), set()).add(org)
    small = [frozenset(a) for a in atoms.values() if len(a) < k]
    return min(small, key=lambda a: (len(a), sorted(a))) if small else None


def may_read(record_orgs: tuple[str, ...], allowed: tuple[str, ...] | list[str] | None) -> bool:
    """Whether a user limited to `allowed` organisations may read a record of the register (an
    intervention or event) about `record_orgs`: one about a whole ICS or England (no organisations
    named) yes; one about named organisations only when every one of them is theirs — what another
    organisation's people wrote about it is that organisation's."""
    return allowed is None or set(record_orgs) <= set(allowed)


def user_for_email(config: Config, email: str) -> User:
    """The user an email address would be in the app with sign-in on, under the config's role
    rules (default deny: AccessDenied when no rule admits it). For `--as-user` on the CLI."""
    signed_in = config.model_copy(update={"access": config.access.model_copy(update={"sign_in": True})})
    user = resolve_user({"is_logged_in": True, "email": email, "email_verified": True}, signed_in)
    assert user is not None
    return user
