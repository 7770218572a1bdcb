"""Sign-in and permissions for the pages (st.login / st.user), on top of workforce.access."""

from __future__ import annotations

import streamlit as st

from workforce.access import AccessDenied, User, local_user, resolve_user
from workforce.config import Config


def _claims() -> dict:
    try:  # without an [auth] section st.user's attributes can raise; read it defensively
        return dict(st.user.to_dict())
    except Exception:
        return {}


def current_user(cfg: Config) -> User:
    """The signed-in user (or the local single-user instance); stops the page for anyone else."""
    if not cfg.access.sign_in:
        return local_user(cfg.access)
    try:
        user = resolve_user(_claims(), cfg)
    except AccessDenied as exc:
        st.error(str(exc))
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


def sidebar_identity(user: User) -> None:
    st.sidebar.caption(f"Signed in: {user.label}" if user.signed_in else user.label)
    if user.signed_in and st.sidebar.button("Sign out"):
        st.logout()
