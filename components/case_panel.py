"""Where does this item's case stand, and what one click decides it? The case strip of the investigation pages.

The campaign, cluster and key pages show the item's status, disposition, label and assignee in words, a link to
its case, "Assign to me", and the common verdicts. Every verdict goes through `radar.cases.decisions.decide`, as on
the triage queue: one transaction, one audit row per change, a campaign's verdict resolving its undecided members.
The dashboard's warehouse engine is only read (campaign membership); writes go to the case store alone.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

import app_state as state
from components.display import coded
from components.text import md
from components.triage_item import decision_line
from components.triage_state import decision_message, request, show_case_error, take_request
from radar.cases.decisions import decide
from radar.cases.labels import effective_labels
from radar.cases.store import get_case

#: The common verdicts offered beside the evidence: (button, status, disposition). The disposition is also the label
#: (a campaign's reaches its accounts and keys), as the queue's quick verdicts do.
VERDICTS = (
    ("Confirm: extraction", "confirmed", "true_positive_extraction"),
    ("Dismiss: benign", "dismissed", "benign_positive_allowed"),
    ("Dismiss: false positive", "dismissed", "false_positive_detection_logic"),
)
NOUNS = {"campaign": "campaign", "cluster": "cluster", "account": "account", "api_key": "key"}


def _request_name(etype: str, entity_id: str) -> str:
    return f"panel:{etype}:{entity_id}"


def panel_changes(action: dict[str, Any], me: str) -> tuple[dict[str, Any], str | None, int | None]:
    """Which case fields, which label and which expected version does a filed panel action carry?"""
    if action["kind"] == "assign":
        # Taking an item never races a verdict: it applies to whatever version is current.
        return {"assignee": me}, None, None
    label = None if action["etype"] == "cluster" else str(action["disposition"])
    return {"status": action["status"], "disposition": action["disposition"]}, label, int(action["version"])


def _carry_out(etype: str, entity_id: str) -> None:
    action = take_request(_request_name(etype, entity_id))
    if action is None:
        return
    me = state.actor()
    changes, label, version = panel_changes(action, me.name)
    try:
        outcome = decide(
            state.cases_engine(), state.warehouse_engine(), etype, entity_id, changes, label=label, expected_version=version, actor=me
        )
    except Exception as exc:  # noqa: BLE001 - a sentence, not a traceback
        show_case_error(exc)
        return
    if action["kind"] == "assign":
        st.success(f"Assigned {md(NOUNS[etype])} {md(entity_id)} to you ({md(me.name)}).")
    else:
        st.success(decision_message(outcome, f"{NOUNS[etype]} {entity_id}"))


def _label_in_force(etype: str, entity_id: str) -> str | None:
    if etype == "cluster":
        return None
    labels = effective_labels(state.cases_engine(), etype).filter(pl.col("entity_id") == entity_id)
    return str(labels["label"][0]) if labels.height else None


def render_case_panel(etype: str, entity_id: str) -> None:
    """Draw the item's case status in words, the link to its case, "Assign to me" and the verdict buttons."""
    try:
        _carry_out(etype, entity_id)
        case = get_case(state.cases_engine(), etype, entity_id) or {}
        label = _label_in_force(etype, entity_id)
    except Exception:  # noqa: BLE001 - investigation still works when the case store is down
        st.caption("Case status is not shown: the case store (RADAR_CASES_URL) cannot be opened.")
        return
    me = state.actor()
    version = int(case.get("version", 0))
    with st.container(border=True, key=f"case_panel_{etype}"):
        line = decision_line(
            {"status": case.get("status"), "disposition": case.get("disposition"), "label": label, "assignee": case.get("assignee")}
        )
        st.markdown(f"**Case:** {md(line)}")
        cols = st.columns([2, 2, *([3] * len(VERDICTS))])
        with cols[0]:
            state.page_link("pages/case.py", "Open case", icon=":material/folder_open:", etype=etype, id=entity_id)
        cols[1].button(
            "Assign to me",
            key=f"panel_assign:{etype}:{entity_id}",
            on_click=request,
            args=(_request_name(etype, entity_id), {"kind": "assign", "etype": etype}),
            disabled=me.read_only or case.get("assignee") == me.name,
        )
        for col, (title, status, disposition) in zip(cols[2:], VERDICTS, strict=True):
            current = case.get("status") == status and case.get("disposition") == disposition
            col.button(
                title,
                key=f"panel_{disposition}:{etype}:{entity_id}",
                on_click=request,
                args=(
                    _request_name(etype, entity_id),
                    {"kind": "verdict", "etype": etype, "status": status, "disposition": disposition, "version": version},
                ),
                disabled=me.read_only or current,
                help=f"{coded('status', status)} as {coded('disposition', disposition)}"
                + (", which also resolves its undecided accounts and keys" if etype == "campaign" else ""),
            )
        if me.read_only:
            st.caption("Viewers read only: deciding takes the analyst or lead role.")
