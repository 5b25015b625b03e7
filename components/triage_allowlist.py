"""Who must never alert? The allowlist section of the triage queue: list, add, remove, import a CSV file.

Everyone may read the list; its controls are drawn for leads only (the core refuses anyone else all the same).
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from components.display import display_table
from components.text import md
from components.triage_state import request, show_case_error, take_request
from queries import case_schema as cs
from radar.cases.actor import ALLOWLIST, Actor
from radar.cases.allowlist import add_allowlist, allowlist_frame, import_allowlist_text, remove_allowlist


def _file_add() -> None:
    request(
        "allow_add",
        (st.session_state.get("allow_type"), (st.session_state.get("allow_id") or "").strip(), st.session_state.get("allow_reason")),
    )


def _file_remove() -> None:
    request("allow_remove", st.session_state.get("allow_pick"))


def _file_import() -> None:
    upload = st.session_state.get("allow_csv")
    if upload is not None:
        request("allow_import", (upload.name, upload.getvalue()))


def _carry_out(engine: Engine, actor: Actor) -> None:
    """Hand what the analyst asked for on the previous run to the core (each change audited there), and say what happened."""
    try:
        if (add := take_request("allow_add")) is not None:
            kind, ident, reason = add
            n = add_allowlist(engine, [(kind, ident, reason or None)], actor=actor)
            what = f"{md(kind)} {md(ident)}"
            st.success(f"Allowlisted {what}." if n else f"{what} was already allowlisted with that reason.")
        if (pick := take_request("allow_remove")) is not None:
            kind, _, ident = str(pick).partition(" ")
            if remove_allowlist(engine, kind, ident, actor=actor):
                st.success(f"Removed {md(kind)} {md(ident)} from the allowlist.")
        if (upload := take_request("allow_import")) is not None:
            name, data = upload
            n = import_allowlist_text(engine, data, name=name, actor=actor)
            st.success(f"Imported {md(name)}: {n:,} allowlist entries added or changed.")
    except Exception as exc:  # noqa: BLE001 - a sentence, not a traceback
        show_case_error(exc)


def render_allowlist(engine: Engine, actor: Actor) -> None:
    """Draw the allowlist, with its add, remove and import controls for a lead."""
    _carry_out(engine, actor)
    with st.expander("Allowlist: allowed distillation, evaluation partners, internal traffic", icon=":material/verified_user:"):
        frame = allowlist_frame(engine)
        if frame.is_empty():
            st.caption("Nothing is allowlisted.")
        else:
            st.dataframe(
                display_table(frame, names={"added_at": "Added", "added_by": "Added by"}),
                hide_index=True,
                width="stretch",
                key="allowlist_table",
            )
        if not actor.may(ALLOWLIST):
            st.caption("Only a lead changes the allowlist: an allowlisted account stops alerting in the next detection run.")
            return
        c1, c2 = st.columns(2)
        with c1.form("allow_add_form", clear_on_submit=True):
            st.selectbox("Entity type", [t for t in cs.ALLOWLIST_TYPES if t != "campaign"], key="allow_type")
            st.text_input("Id", key="allow_id")
            st.text_input("Reason", key="allow_reason")
            st.form_submit_button("Allowlist", on_click=_file_add)
        with c2:
            entries = [f"{k} {i}" for k, i in frame.select("entity_type", "entity_id").iter_rows()]
            if entries:
                st.selectbox("Entry", entries, key="allow_pick")
                st.button("Remove from the allowlist", key="allow_remove_btn", on_click=_file_remove)
            st.file_uploader("Import a CSV (entity_type, entity_id, reason)", type=["csv"], key="allow_csv")
            st.button("Import", key="allow_import_btn", on_click=_file_import)
