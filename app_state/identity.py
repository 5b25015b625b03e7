"""Who is at the keyboard, and where do their decisions go? The case store engine and the signed-in actor."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from app_state.data import settings
from components.signin import render_identity, render_sign_in
from components.text import md
from radar.cases.actor import Actor
from radar.cases.identity import NotSignedIn, RolesError, is_loopback, resolve_actor
from radar.cases.store import open_case_store

# --- the case store and the analyst at the keyboard ------------------------------------------------


@st.cache_resource(show_spinner=False)
def _cases(url: str) -> Engine:
    return open_case_store(url)


def cases_engine() -> Engine:
    """The one read-write engine on the case store for this process (the warehouse stays read-only; raises CaseError)."""
    return _cases(settings().cases)


def _user() -> Mapping[str, Any] | None:
    try:
        return st.user.to_dict()
    except Exception:  # noqa: BLE001 - no script context (bare mode): nobody signed in through Streamlit
        return None


def _headers() -> Mapping[str, str]:
    try:
        return dict(st.context.headers)
    except Exception:  # noqa: BLE001 - no request (bare mode, tests): no header to trust
        return {}


def _server_address() -> str | None:
    address = st.get_option("server.address")
    return str(address) if address else None


def actor() -> Actor:
    """Who is at the keyboard, in which role (radar.cases.identity)? Without a sign-in, the sign-in page is drawn and the run stops."""
    try:
        return resolve_actor(settings(), user=_user(), headers=_headers(), server_address=_server_address())
    except NotSignedIn as exc:
        render_sign_in(str(exc), can_sign_in=exc.can_sign_in)
    except RolesError as exc:
        st.title("Distillation Radar")
        st.error(md(str(exc)), icon=":material/error:")
    st.stop()


def _sign_in_page() -> None:
    actor()  # draws why nobody is signed in, with a sign-in button where that helps, and stops


def signed_in() -> Actor:
    """Who is at the keyboard? app.py asks before routing, so a browser that has not signed in reaches no page."""
    try:
        return resolve_actor(settings(), user=_user(), headers=_headers(), server_address=_server_address())
    except (NotSignedIn, RolesError):
        # The only page is the sign-in page; deep links land there too.
        st.navigation([st.Page(_sign_in_page, title="Sign in", url_path="sign-in", icon=":material/login:")], position="hidden").run()
        st.stop()


def show_identity(who: Actor) -> None:
    """Say in the sidebar who is signed in, in which role, and how exposed local mode is."""
    address = _server_address()
    render_identity(who, exposed=not is_loopback(address), address=address)
