"""What do the triage pages share? Edit-form keys, requests that survive a rerun, and outcomes and errors told as sentences.

The case-store engine and the signed-in actor are app state (`app_state.cases_engine`, `app_state.actor`). Every
sentence that carries an id, a name or a store's message goes through `md`, so it shows as text.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlalchemy import Engine

import app_state as state
from components.text import md
from radar.cases.actor import PermissionDenied
from radar.cases.decisions import BulkOutcome, Outcome
from radar.cases.store import CaseConflict, CaseError

ENTITY_LABELS = {"campaign": "Campaigns", "cluster": "Clusters", "account": "Accounts", "api_key": "API keys"}
STATUS_ICONS = {
    "new": ":material/fiber_new:",
    "investigating": ":material/search:",
    "confirmed": ":material/check_circle:",
    "dismissed": ":material/block:",
}


def show_case_error(exc: BaseException) -> None:
    """Tell the analyst what went wrong with a change, in one sentence."""
    if isinstance(exc, PermissionDenied):
        st.error(md(exc), icon=":material/lock:")
    elif isinstance(exc, CaseConflict):
        st.error(md(exc), icon=":material/sync_problem:")
    elif isinstance(exc, CaseError | ValueError):
        st.error(md(exc), icon=":material/error:")
    else:
        first = (str(exc).strip().splitlines() or [""])[0][:200]
        st.error(
            f"The case store refused the change ({type(exc).__name__}: {md(first)}); check RADAR_CASES_URL and try again.",
            icon=":material/error:",
        )


def field_key(field: str, etype: str, entity_id: str) -> str:
    """The widget key of one case field in one entity's edit form.

    Explicit keys keep the analyst's input when another save changes the defaults between two runs of the page;
    without them the widgets would be re-created and the click on Save silently lost.
    """
    return f"case_{field}:{etype}:{entity_id}"


def version_key(etype: str, entity_id: str) -> str:
    """Where the page keeps the case version the analyst is editing from."""
    return f"ver:{etype}:{entity_id}"


def remember_version(etype: str, entity_id: str, version: int) -> int:
    """Which version is this analyst editing from (set the first time the page shows the case)?"""
    return int(st.session_state.setdefault(version_key(etype, entity_id), version))


def report_save_error(exc: BaseException, etype: str, entity_id: str) -> None:
    """Show why a save failed; after a conflict, offer to reload the current version on the next runs too."""
    show_case_error(exc)
    if isinstance(exc, CaseConflict):
        st.session_state[f"conflict:{etype}:{entity_id}"] = True


def _reload(etype: str, entity_id: str) -> None:
    for name in list(st.session_state.keys()):
        if str(name).startswith("case_") and str(name).endswith(f":{etype}:{entity_id}"):
            del st.session_state[name]
    st.session_state.pop(version_key(etype, entity_id), None)
    st.session_state.pop(f"conflict:{etype}:{entity_id}", None)


def reload_offer(etype: str, entity_id: str) -> None:
    """After a conflict: a button that drops the stale version and the form's input so the current state shows."""
    if st.session_state.get(f"conflict:{etype}:{entity_id}"):
        st.button(
            "Reload the current version",
            key=f"reload:{etype}:{entity_id}",
            icon=":material/refresh:",
            on_click=_reload,
            args=(etype, entity_id),
        )


# --- actions survive a rerun -------------------------------------------------------------------------
# A button's click lives for one script run only; a page may be re-run (routing, a filter written to the URL)
# before it reaches the code that acts on the click. Buttons therefore file a request in session state from their
# callback, and the page carries it out when it gets to it, exactly once.


def request(name: str, payload: object = True) -> None:
    """File an action for the page to carry out (called from a button's on_click)."""
    st.session_state[f"req:{name}"] = payload


def take_request(name: str) -> Any:
    """The action filed under `name`, removed so it runs once (None when there is none)."""
    return st.session_state.pop(f"req:{name}", None)


def request_save(etype: str, entity_id: str, fields: tuple[str, ...]) -> None:
    """File a save of the edit form's current values (on_click of the form's Save button)."""
    request(f"save:{etype}:{entity_id}", {f: st.session_state.get(field_key(f, etype, entity_id)) for f in fields})


def open_cases_or_stop() -> Engine:
    """The case-store engine, or a sentence saying why it cannot be reached (and the page stops there)."""
    try:
        return state.cases_engine()
    except Exception as exc:  # noqa: BLE001 - a sentence, not a traceback
        if isinstance(exc, CaseError):
            st.error(f"{md(exc)} Check RADAR_CASES_URL.", icon=":material/error:")
        else:
            show_case_error(exc)
        st.stop()


# --- outcomes as sentences ------------------------------------------------------------------------


def decision_message(outcome: Outcome, what: str) -> str:
    """What one sentence tells the analyst a decision on `what` (e.g. "campaign C1") was saved, and what it labeled (Markdown-safe)?"""
    what = md(what)
    version = outcome.case.get("version")
    msg = (
        f"Saved {what} (version {version})."
        if outcome.case_changed
        else f"{what[:1].upper()}{what[1:]} unchanged (version {version or 0})."
    )
    if outcome.member_run is not None:
        msg += f" Labeled the campaign, {outcome.accounts:,} accounts and {outcome.keys:,} keys (members in run {md(outcome.member_run)})."
    elif outcome.labeled:
        msg += " Label saved."
    if outcome.resolved or outcome.kept:
        msg += f" Resolved {outcome.resolved:,} member cases with it"
        msg += f"; {outcome.kept:,} members an analyst had already decided keep their decision." if outcome.kept else "."
    return msg


def bulk_message(outcome: BulkOutcome) -> str:
    """What one sentence tells the analyst what a bulk action changed?"""
    msg = f"Changed {outcome.cases:,} cases and {outcome.labels:,} labels; one audit row each."
    if outcome.accounts or outcome.keys:
        msg += f" Their campaigns' labels reached {outcome.accounts:,} accounts and {outcome.keys:,} keys."
    if outcome.resolved:
        msg += f" Resolved {outcome.resolved:,} member cases."
    if outcome.skipped:
        msg += f" Left {outcome.skipped:,} already decided items as they were."
    return msg
