"""Sign-in and permissions for the pages (st.login / st.user), on top of workforce.protect.access."""

from __future__ import annotations

import streamlit as st
from streamlit import config as st_config

from workforce.protect.access import NETWORK_USER, AccessDenied, User, anonymous_user, is_loopback, resolve_user
from workforce.base.config import Config
from workforce.base.text import escape


def _claims() -> dict:
    try:  # without an [auth] section st.user's attributes can raise; read it defensively
        return dict(st.user.to_dict())
    except Exception:
        return {}


def client_address() -> str | None:
    """The browser's address as the server saw it (the TCP peer; None for loopback and in tests)."""
    try:
        address = st.context.ip_address
    except Exception:  # no session (bare script run)
        return None
    return address if isinstance(address, str) else None  # AppTest's stand-in client is a mock


def request_headers() -> dict[str, str]:
    """The headers of the browser's WebSocket handshake (empty in tests and bare script runs)."""
    try:
        return dict(st.context.headers)
    except Exception:  # no session
        return {}


def open_to_network(cfg: Config, user: User) -> bool:
    """Sign-in off, yet serving more than this computer: listening elsewhere or a remote browser."""
    if cfg.access.sign_in:
        return False
    address = st_config.get_option("server.address")  # unset: Streamlit listens on every address
    served = bool(st.context.headers)                  # a real browser request (not a test run)
    return user.name == NETWORK_USER or (served and not is_loopback(address or "::"))


def current_user(cfg: Config) -> User:
    """The signed-in user (or the local single-user instance); stops the page for anyone else."""
    if not cfg.access.sign_in:
        try:
            return anonymous_user(cfg.access, client_address(), request_headers())
        except AccessDenied as exc:
            st.error(escape(exc))
            st.stop()
    try:
        user = resolve_user(_claims(), cfg)
    except AccessDenied as exc:
        st.error(escape(exc))
        if st.button("Sign out"):
            st.logout()
        st.stop()
    if user is None:
        st.title("ICS Workforce Dashboard")
        st.write("Sign in with your organisation account to see the workforce dashboard.")
        if st.button("Sign in", type="primary"):
            st.login(cfg.access.provider) if cfg.access.provider else st.login()
        st.stop()
    return user


def scope(cfg: Config) -> tuple[str, ...] | None:
    """The organisations whose own figures the current user may see (None: all)."""
    return current_user(cfg).organisations


def require(user: User, action: str, what: str) -> None:
    """Stop the page with a plain message when the user's role does not allow an action."""
    if not user.can(action):
        st.error(f"Your role ({user.role}) does not allow you to {what}.")
        st.stop()


def network_banner(cfg: Config, user: User) -> None:
    """On every page while the dashboard is open to the network without sign-in."""
    if not open_to_network(cfg, user):
        return
    role = cfg.access.network_role
    if role:
        text = (f"Open to the network without sign-in: anyone who can reach this address uses it as "
                f"{'an' if role[0] in 'aeiou' else 'a'} {role}. Turn sign-in on before using real data "
                "(docs/access.md).")
    else:
        text = ("Listening on the network without sign-in: browsers on other computers are refused. "
                "Turn sign-in on to share the dashboard (docs/access.md).")
    st.warning(text, icon=":material/public:")


def config_warnings(cfg: Config, user: User) -> None:
    """To those who can change things (administrators), on every page: settings that weaken protection."""
    if user.role != "admin":
        return
    for warning in cfg.warnings:
        st.warning(escape(warning), icon=":material/shield:")


def sidebar_identity(user: User) -> None:
    st.sidebar.caption(f"Signed in: {user.label}" if user.signed_in else user.label)
    if user.signed_in and st.sidebar.button("Sign out"):
        st.logout()
