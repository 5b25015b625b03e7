"""What changed on a case, by whom, when? The audit trail as a readable timeline of field changes (no raw JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import polars as pl
import streamlit as st

from components.display import ACTION_NAMES, CODED, coded, column_name, fmt_time
from components.text import md

#: Bookkeeping fields every change touches; the timeline names who and when once instead.
BOOKKEEPING = frozenset(
    {"version", "updated_at", "created_at", "labeled_at", "updated_by", "entity_id", "entity_type", "analyst", "provenance"}
)
#: Field names as a change reads.
FIELD_NAMES = {"source": "label from", "label": "label", "campaign_id": "campaign"}


@dataclass(frozen=True)
class Entry:
    """One change on the timeline: when (UTC), who (and how they signed in), what happened, and the fields it changed."""

    when: str
    who: str
    what: str
    changes: tuple[str, ...]


def _state(raw: object) -> dict[str, Any]:
    if raw is None or raw == "":
        return {}
    try:
        parsed = json.loads(str(raw))
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _value(field: str, value: object) -> str:
    if field in CODED:
        return coded(field, value)
    if field == "source" and isinstance(value, str) and value.startswith("campaign:"):
        return f"campaign {value.split(':', 1)[1]}"
    return str(value)


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    """Which fields did one change set, change or clear, in words ("Status: New → Confirmed", "Assignee set to ana")?"""
    out: list[str] = []
    for field in sorted(set(before) | set(after)):
        if field in BOOKKEEPING or field == "campaign_id":
            continue
        old, new = before.get(field), after.get(field)
        if old == new or (old in (None, "") and new in (None, "")):
            continue
        name = FIELD_NAMES.get(field, column_name(field))
        name = name[:1].upper() + name[1:]
        if old in (None, ""):
            out.append(f"{name} set to {_value(field, new)}")
        elif new in (None, ""):
            out.append(f"{name} cleared (was {_value(field, old)})")
        else:
            out.append(f"{name}: {_value(field, old)} → {_value(field, new)}")
    return tuple(out)


def timeline(trail: pl.DataFrame) -> list[Entry]:
    """The audit rows as timeline entries, in the trail's order (newest first)."""
    entries: list[Entry] = []
    for row in trail.iter_rows(named=True):
        before, after = _state(row.get("before")), _state(row.get("after"))
        what = ACTION_NAMES.get(str(row["action"]), coded("action", row["action"]))
        source = str(after.get("source") or before.get("source") or "")
        via = after.get("campaign_id") or before.get("campaign_id") or (source.split(":", 1)[1] if source.startswith("campaign:") else None)
        if via and row["action"] in ("case.resolve", "label.propagate"):
            what += f" (campaign {via})"
            # The campaign is named once in the heading; "label from: campaign X" would repeat it.
            after.pop("source", None)
            before.pop("source", None)
        who = str(row["who"]) + (f" ({row['role']}, signed in via {row['auth']})" if row.get("auth") else "")
        changes = field_changes(before, after)
        if not changes and row["action"] in ("case.create", "label.clear", "allowlist.remove"):
            changes = ("no field set",) if row["action"] == "case.create" else ()
        entries.append(Entry(when=fmt_time(row["at"]), who=who, what=what, changes=changes))
    return entries


def render_timeline(trail: pl.DataFrame, *, limit: int = 50) -> None:
    """Draw the newest `limit` changes, one line each: when · who · what, then the fields it changed."""
    entries = timeline(trail.head(limit))
    if not entries:
        st.caption("No change recorded yet.")
        return
    for e in entries:
        detail = "; ".join(md(c) for c in e.changes)
        st.markdown(f"**{md(e.when)}** · {md(e.who)} · {md(e.what)}" + (f"  \n{detail}" if detail else ""))
    if trail.height > limit:
        st.caption(f"Showing the newest {limit:,} of {trail.height:,} changes.")
