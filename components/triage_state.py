"""What do the triage pages share? The case-store engine, the analyst's name and errors told as sentences."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from components import state
from radar.cases.identity import analyst_name
from radar.cases.store import CaseConflict, CaseError, open_case_store

ENTITY_LABELS = {"campaign": "Campaigns", "cluster": "Clusters", "account": "Accounts", "api_key": "API keys"}
STATUS_ICONS = {"new": ":material/fiber_new:", "investigating": ":material/search:", "confirmed": ":material/check_circle:", "dismissed": ":material/block:"}


@st.cache_resource(show_spinner=False)
def _cases(url: str) -> Engine:
    return open_case_store(url)


def cases_engine() -> Engine:
    """The one read-write engine on the case store for this process (the warehouse stays read-only)."""
    return _cases(state.settings().cases)


def who() -> str:
    """Which analyst is at the keyboard? The OpenID Connect login when configured, else RADAR_ANALYST, else the OS user."""
    try:
        user = st.user
    except Exception:  # noqa: BLE001 - no login configured
        user = None
    return analyst_name(user, state.settings())


def show_case_error(exc: BaseException) -> None:
    """Tell the analyst what went wrong with a change, in one sentence."""
    if isinstance(exc, CaseConflict):
        st.error(str(exc), icon=":material/sync_problem:")
    elif isinstance(exc, CaseError | ValueError):
        st.error(str(exc), icon=":material/error:")
    else:
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        st.error(
            f"The case store refused the change ({type(exc).__name__}: {first}); check RADAR_CASES_URL and try again.",
            icon=":material/error:",
        )
