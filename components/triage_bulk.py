"""The triage queue's bulk action: one decision over the selected rows or everything matching, never over a decision unasked.

The form files a request; the page resolves the target ids and splits them into undecided and decided items
(`radar.cases.bulk.split_decided`), and the confirmation states both counts before anything changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from components.display import coded
from components.text import md
from components.triage_state import ENTITY_LABELS, request
from queries import case_schema as cs
from radar.cases.actor import BULK, Actor

KEEP = "(keep)"
FIELDS = ("b_status", "b_disposition", "b_label", "b_assignee", "b_overwrite", "b_target")
SELECTED, MATCHING = "selected", "matching"


def _file(etype: str) -> None:
    request("bulk_ask", {"etype": etype} | {f: st.session_state.get(f"{f}:{etype}") for f in FIELDS})


def _cancel() -> None:
    st.session_state.pop("bulk_pending", None)


def changes_of(ask: Mapping[str, Any], etype: str) -> tuple[dict[str, Any], str | None]:
    """Which case fields and which label does a filed bulk request set (KEEP leaves a field as it is)?"""
    changes = {k: v for k, v in {"status": ask.get("b_status"), "disposition": ask.get("b_disposition")}.items() if v not in (KEEP, None)}
    if ask.get("b_assignee"):
        changes["assignee"] = ask["b_assignee"]
    label = ask.get("b_label")
    return changes, (None if label in (KEEP, None, "") or etype == "cluster" else str(label))


def render_bulk_form(etype: str, *, selected: int, matching: int, truncated: bool, actor: Actor) -> None:
    """Draw the bulk form: target (selected rows or all matching), fields to set, and the explicit overwrite option."""
    if not actor.may(BULK):
        st.caption("Bulk actions are for leads: they change many items at once.")
    with st.form(f"bulk:{etype}"):
        targets = [SELECTED, MATCHING] if selected else [MATCHING]
        st.radio(
            "Apply to",
            targets,
            format_func=lambda t: (
                f"the {selected:,} selected rows" if t == SELECTED else f"all {matching:,}{'+' if truncated else ''} matching"
            ),
            key=f"b_target:{etype}",
            horizontal=True,
        )
        st.selectbox(
            "Set status", [KEEP, *cs.STATUSES], format_func=lambda v: v if v == KEEP else coded("status", v), key=f"b_status:{etype}"
        )
        st.selectbox(
            "Set disposition",
            [KEEP, *cs.DISPOSITIONS],
            format_func=lambda v: v if v == KEEP else coded("disposition", v),
            key=f"b_disposition:{etype}",
        )
        st.selectbox(
            "Set label",
            [KEEP, *cs.DISPOSITIONS],
            format_func=lambda v: v if v == KEEP else coded("label", v),
            disabled=etype == "cluster",
            help="Analyst label on each item (a campaign's reaches its accounts and keys)",
            key=f"b_label:{etype}",
        )
        st.text_input("Set assignee (empty: keep)", key=f"b_assignee:{etype}")
        st.checkbox(
            "Also change decided items",
            key=f"b_overwrite:{etype}",
            help="Off: items already confirmed, dismissed, given a disposition or labeled keep their decision.",
        )
        st.form_submit_button("Review the change", on_click=_file, args=(etype,), disabled=not actor.may(BULK))


def render_confirmation(pending: Mapping[str, Any]) -> None:
    """State what the pending bulk action changes (undecided and decided counts) and offer Confirm and Cancel."""
    etype = pending["etype"]
    noun = ENTITY_LABELS[etype].lower()
    n_undecided, n_decided = len(pending["undecided"]), len(pending["decided"])
    what = ", ".join(f"{k} = {md(coded(k, v))}" for k, v in pending["changes"].items()) or "no case field"
    if pending["label"] is not None:
        what += f" and label = {md(coded('label', pending['label']))}"
        if etype == "campaign":
            what += ", which also reaches each campaign's accounts and keys"
    if pending["overwrite"]:
        n = n_undecided + n_decided
        scope = f"{n_undecided:,} undecided and {n_decided:,} already decided {noun} (you asked to change decided items too)"
    else:
        n = n_undecided
        scope = f"{n_undecided:,} undecided {noun}" + (
            f"; {n_decided:,} already decided keep their decision (tick “Also change decided items” to change them)" if n_decided else ""
        )
    st.warning(f"This changes {scope}: {what}.")
    c1, c2 = st.columns(2)
    c1.button(f"Confirm: change {n:,}", type="primary", key="bulk_confirm", on_click=request, args=("bulk_confirm",), disabled=n == 0)
    c2.button("Cancel", key="bulk_cancel", on_click=_cancel)
