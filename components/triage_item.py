"""One queue item's evidence beside its decision form: the figures detection found, its reasons, and where to look further."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from components.display import coded, fmt_float, fmt_int, fmt_share, fmt_time
from components.text import md

#: What the item panel shows for each kind of item, in order: (column, label, formatter).
Formatter = Callable[[Any], str]
FIGURES: dict[str, tuple[tuple[str, str, Formatter], ...]] = {
    "campaign": (
        ("score", "Risk", lambda v: fmt_float(v, 2)),
        ("n_accounts", "Accounts", fmt_int),
        ("n_keys", "Keys", fmt_int),
        ("calls", "Calls", fmt_int),
        ("output_tokens", "Output tokens", fmt_int),
        ("first_seen", "First seen", fmt_time),
        ("last_seen", "Last seen", fmt_time),
    ),
    "cluster": (
        ("score", "Risk", lambda v: fmt_float(v, 2)),
        ("n_accounts", "Accounts", fmt_int),
        ("n_keys", "Keys", fmt_int),
        ("calls", "Calls", fmt_int),
        ("output_tokens", "Output tokens", fmt_int),
    ),
    "account": (
        ("score", "Risk", lambda v: fmt_float(v, 2)),
        ("campaign_id", "Campaign", str),
        ("cluster_id", "Cluster", str),
        ("calls", "Calls", fmt_int),
        ("output_tokens", "Output tokens", fmt_int),
        ("n_keys", "Keys", fmt_int),
    ),
    "api_key": (
        ("score", "Risk", lambda v: fmt_float(v, 2)),
        ("account_id", "Account", str),
        ("campaign_id", "Campaign", str),
        ("extraction_share", "Extraction share", fmt_share),
        ("calls", "Calls", fmt_int),
        ("output_tokens", "Output tokens", fmt_int),
    ),
}


def figures(etype: str, row: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Which figures describe this item, as (label, formatted value), blanks left out?"""
    out = []
    for column, label, fmt in FIGURES.get(etype, ()):
        value = row.get(column)
        if value is None or value == "":
            continue
        out.append((label, fmt(value)))
    return out


def reasons(row: Mapping[str, Any]) -> list[str]:
    """Why detection flagged the item, one sentence each (strongest first, as detection wrote them)."""
    raw = row.get("reasons")
    try:
        value = json.loads(str(raw)) if raw else []
    except ValueError:
        return [str(raw)]
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def decision_line(row: Mapping[str, Any]) -> str:
    """Where the item's case stands, in words (status, disposition, label in force, assignee)."""
    parts = [coded("status", row.get("status") or "new")]
    if row.get("disposition"):
        parts.append(coded("disposition", row["disposition"]))
    if row.get("label"):
        parts.append(f"label in force: {coded('label', row['label'])}")
    parts.append(f"assigned to {row['assignee']}" if row.get("assignee") else "unassigned")
    return " · ".join(parts)


def render_evidence(etype: str, row: Mapping[str, Any]) -> None:
    """Draw the item's figures, its reasons and its decision state (every value escaped: ids come from telemetry)."""
    st.markdown(f"**{md(decision_line(row))}**")
    shown = figures(etype, row)
    cols = st.columns(3)
    for i, (label, value) in enumerate(shown):
        cols[i % 3].markdown(f"{md(label)}  \n**{md(value)}**")
    why = reasons(row)
    if why:
        st.markdown("**Why it was flagged**\n\n" + "\n".join(f"- {md(r)}" for r in why[:6]))
    else:
        st.caption("Detection gave no reason for this item.")
