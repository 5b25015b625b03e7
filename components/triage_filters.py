"""The triage queue's filters, bound to the URL: kind of item, status, disposition, assignee, risk range, decided or not."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

import app_state as state
from components.display import coded
from components.triage_state import ENTITY_LABELS
from queries import case_schema as cs
from radar.cases.queue import MEMBER_TYPES, NO_DISPOSITION, QueueFilter

ANY = "any"
#: Status, disposition and label in one breath: shown on the triage and case pages.
DECISION_HELP = (
    "**Status** is where the work stands (New → Investigating → Confirmed or Dismissed). **Disposition** is the verdict's "
    "kind (true positive, benign, false positive). The **label** is what exports and the next detection run learn from: "
    "saving a disposition labels the item, and a campaign's label and verdict reach its accounts and keys. An item is "
    "*decided* once confirmed, dismissed, given a disposition or labeled; bulk actions leave decided items alone unless asked."
)


@dataclass(frozen=True)
class QueueView:
    """The filter the analyst set, as the queue applies it."""

    filter: QueueFilter


def _risk(name: str, default: float) -> float:
    try:
        value = float(state.url_value(name) or default)
    except ValueError:
        return default
    # "nan" and "inf" parse as floats; a risk is a number from 0 to 1.
    return min(max(value, 0.0), 1.0) if math.isfinite(value) else default


def _pick(label: str, options: list[str], url_name: str, col: DeltaGenerator, fmt: Callable[[Any], str] = str) -> str:
    current = state.url_value(url_name)
    return str(col.selectbox(label, options, index=options.index(current) if current in options else 0, format_func=fmt))


def read_queue_filters(run_id: str, my_name: str) -> QueueView:
    """Draw the queue's filters from the URL and write the analyst's choices back to it."""
    types = list(ENTITY_LABELS)
    f = st.columns([2, 2, 3, 2])
    etype = _pick("Queue", types, "etype", f[0], ENTITY_LABELS.__getitem__)
    status = _pick("Status", [ANY, *cs.STATUSES], "status", f[1], lambda v: "Any status" if v == ANY else coded("status", v))
    disposition = _pick(
        "Disposition",
        [ANY, NO_DISPOSITION, *cs.DISPOSITIONS],
        "disp",
        f[2],
        lambda v: {"any": "Any disposition", NO_DISPOSITION: "None yet"}.get(v) or coded("disposition", v),
    )
    assignee = f[3].text_input("Assignee", value=state.url_value("assignee") or "", placeholder=f"e.g. {my_name}")
    g = st.columns([3, 2, 2, 3])
    lo, hi = g[0].slider("Risk range", 0.0, 1.0, (_risk("min", 0.0), _risk("max", 1.0)), step=0.05)
    undecided = g[1].checkbox("Undecided only", value=state.url_value("undecided") == "1")
    members_of = etype in MEMBER_TYPES
    no_campaign = g[2].checkbox(
        "Not in a campaign", value=state.url_value("nocampaign") == "1", disabled=not members_of, help="Accounts and keys no campaign holds"
    )
    campaign = g[3].text_input(
        "Campaign", value=state.url_value("campaign") or "", disabled=not members_of or no_campaign, help="Members of one campaign"
    )
    state.set_url_value("etype", etype)
    state.set_url_value("status", None if status == ANY else status)
    state.set_url_value("disp", None if disposition == ANY else disposition)
    state.set_url_value("assignee", assignee or None)
    state.set_url_value("min", f"{lo:g}" if lo > 0 else None)
    state.set_url_value("max", f"{hi:g}" if hi < 1 else None)
    state.set_url_value("undecided", "1" if undecided else None)
    state.set_url_value("nocampaign", "1" if members_of and no_campaign else None)
    state.set_url_value("campaign", campaign if members_of and campaign and not no_campaign else None)
    qf = QueueFilter(
        etype,
        run_id,
        min_score=lo or None,
        campaign_id=(campaign or None) if members_of and not no_campaign else None,
        status=None if status == ANY else status,
        assignee=assignee or None,
        max_score=hi if hi < 1 else None,
        undecided_only=undecided,
        without_campaign=members_of and no_campaign,
        disposition=None if disposition == ANY else disposition,
    )
    return QueueView(filter=qf)
