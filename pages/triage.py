"""Triage queue: which campaigns, clusters, accounts and keys need a decision, and what did we decide?"""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import streamlit as st

import app_state as state
from components.triage_allowlist import render_allowlist
from components.triage_state import (
    ENTITY_LABELS,
    bulk_message,
    decision_message,
    field_key,
    open_cases_or_stop,
    reload_offer,
    remember_version,
    report_save_error,
    request,
    show_case_error,
    take_request,
    version_key,
)
from queries import case_schema as cs
from radar.cases.actor import BULK
from radar.cases.decisions import decide, decide_many
from radar.cases.queue import MEMBER_TYPES, QueueFilter, matching_ids, triage_queue
from radar.cases.store import audit_trail, case_statuses, get_case

VISIBLE_ROWS = 200
ANY = "any"
KEEP = "(keep)"
FIELDS = ("status", "disposition", "assignee", "reason", "notes", "propagate")
BULK_FIELDS = ("b_status", "b_disposition", "b_label", "b_assignee")

st.title("Triage queue")
state.sidebar_filters()
run_id = state.require_data()
assert run_id is not None
engine = open_cases_or_stop()
me = state.actor()


def _file_save(etype: str, entity_id: str) -> None:
    request("triage_save", {"etype": etype, "id": entity_id} | {f: st.session_state.get(field_key(f, etype, entity_id)) for f in FIELDS})


def _file_bulk(etype: str) -> None:
    request("bulk_ask", {"etype": etype} | {f: st.session_state.get(f"{f}:{etype}") for f in BULK_FIELDS})


def _cancel_bulk() -> None:
    st.session_state.pop("bulk_pending", None)


# --- carry out what the analyst asked for on the previous run, before reading the state it changes ------
save: dict[str, Any] | None = take_request("triage_save")
if save is not None:
    s_type, s_id, propagate = save.pop("etype"), save.pop("id"), save.pop("propagate")
    # The checkbox offers the disposition as the campaign's label; the core decides who else it reaches.
    own_label = save.get("disposition") if propagate and save.get("disposition") else None
    try:
        outcome = decide(
            engine,
            state.warehouse_engine(),
            s_type,
            s_id,
            save,
            label=own_label,
            expected_version=st.session_state[version_key(s_type, s_id)],
            actor=me,
        )
        st.session_state[version_key(s_type, s_id)] = int(outcome.case.get("version", 0))
        st.success(decision_message(outcome, f"{s_type} {s_id}"))
    except Exception as exc:  # noqa: BLE001
        report_save_error(exc, s_type, s_id)
pending = st.session_state.get("bulk_pending")
if take_request("bulk_confirm") and pending:
    try:
        bulk_label = None if pending["label"] == KEEP else pending["label"]
        bulk = decide_many(
            engine, state.warehouse_engine(), pending["etype"], pending["ids"], pending["changes"], label=bulk_label, actor=me
        )
        st.session_state.pop("bulk_pending", None)
        st.success(bulk_message(bulk))
    except Exception as exc:  # noqa: BLE001
        show_case_error(exc)

# --- filters, bound to the URL ---------------------------------------------------------------------
types = list(ENTITY_LABELS)
etype_url = state.url_value("etype")
f = st.columns([2, 2, 2, 2, 2])
etype = f[0].selectbox("Queue", types, index=types.index(etype_url) if etype_url in types else 0, format_func=ENTITY_LABELS.__getitem__)
statuses_opt = [ANY, *cs.STATUSES]
status_url = state.url_value("status")
status = f[1].selectbox("Status", statuses_opt, index=statuses_opt.index(status_url) if status_url in statuses_opt else 0)
try:
    min_default = float(state.url_value("min") or 0.0)
except ValueError:
    min_default = 0.0
# "nan" and "inf" parse as floats; a risk is a number from 0 to 1.
min_default = min(max(min_default, 0.0), 1.0) if math.isfinite(min_default) else 0.0
min_score = f[2].number_input("Minimum risk", min_value=0.0, max_value=1.0, value=min_default, step=0.05)
members_of = etype in MEMBER_TYPES
campaign = f[3].text_input("Campaign", value=state.url_value("campaign") or "", disabled=not members_of, help="Members of one campaign")
assignee = f[4].text_input("Assignee", value=state.url_value("assignee") or "")
state.set_url_value("etype", etype)
state.set_url_value("status", None if status == ANY else status)
state.set_url_value("min", f"{min_score:g}" if min_score else None)
state.set_url_value("campaign", campaign if members_of and campaign else None)
state.set_url_value("assignee", assignee or None)

qf = QueueFilter(etype, run_id, min_score or None, campaign or None, None if status == ANY else status, assignee or None)
try:
    result = state.query(qf.question, **qf.arguments())
    queue = triage_queue(result.frame, case_statuses(engine, etype), status=qf.status, assignee=qf.assignee)
except Exception as exc:  # noqa: BLE001 - reaches the analyst as a sentence
    state.show_error(exc)
    st.stop()

st.caption(
    f"{queue.height:,} {ENTITY_LABELS[etype].lower()} match the filter"
    + (f"; showing the riskiest {VISIBLE_ROWS}" if queue.height > VISIBLE_ROWS else "")
    + f" · detection run {state.md(run_id)} · you are {state.md(me.name)} ({me.role})"
)
state.show_truncated(result, ENTITY_LABELS[etype])
shown = queue.head(VISIBLE_ROWS).drop([c for c in ("reasons", "updated_at") if c in queue.columns])
st.dataframe(shown, hide_index=True, width="stretch", key="triage_table")

# --- one item ---------------------------------------------------------------------------------------
left, right = st.columns(2)
with left, st.container(border=True):
    st.subheader("Decide on one item")
    ids = queue["entity_id"].to_list()
    if not ids:
        st.info("Nothing matches the filter.")
    else:
        picked_url = state.url_value("id")
        picked = str(st.selectbox("Item", ids[:5000], index=ids.index(picked_url) if picked_url in ids[:5000] else 0, key="one_id"))
        state.set_url_value("id", picked)
        current = get_case(engine, etype, picked) or {}
        # The version the analyst is looking at; a save made by someone else since then is a conflict.
        remember_version(etype, picked, int(current.get("version", 0)))
        with st.form(f"one:{etype}:{picked}"):
            st.selectbox(
                "Status", cs.STATUSES, index=cs.STATUSES.index(current.get("status", "new")), key=field_key("status", etype, picked)
            )
            disp_opts = ["", *cs.DISPOSITIONS]
            st.selectbox(
                "Disposition",
                disp_opts,
                index=disp_opts.index(current.get("disposition") or ""),
                key=field_key("disposition", etype, picked),
            )
            st.text_input("Assignee", value=current.get("assignee") or "", key=field_key("assignee", etype, picked))
            st.text_input("Reason", value=current.get("reason") or "", key=field_key("reason", etype, picked))
            st.text_area("Notes", value=current.get("notes") or "", key=field_key("notes", etype, picked))
            st.checkbox(
                "Label its accounts and keys with the disposition",
                value=etype == "campaign",
                disabled=etype != "campaign",
                key=field_key("propagate", etype, picked),
            )
            st.form_submit_button("Save", type="primary", on_click=_file_save, args=(etype, picked), disabled=me.read_only)
        if me.read_only:
            st.caption("Viewers read only: saving takes the analyst or lead role.")
        reload_offer(etype, picked)
        state.page_link("pages/case.py", "Open the case page", icon=":material/folder_open:", etype=etype, id=picked)

# --- bulk action over everything matching the filter ----------------------------------------------
with right, st.container(border=True):
    st.subheader("Bulk action on all matching")
    if not me.may(BULK):
        st.caption("Bulk actions are for leads: they change every matching item at once.")
    with st.form(f"bulk:{etype}"):
        st.selectbox("Set status", [KEEP, *cs.STATUSES], key=f"b_status:{etype}")
        st.selectbox("Set disposition", [KEEP, *cs.DISPOSITIONS], key=f"b_disposition:{etype}")
        st.selectbox(
            "Set label", [KEEP, *cs.DISPOSITIONS], disabled=etype == "cluster", help="Analyst label on each item", key=f"b_label:{etype}"
        )
        st.text_input("Set assignee (empty: keep)", key=f"b_assignee:{etype}")
        st.form_submit_button(
            f"Apply to all {queue.height:,}{'+' if result.truncated else ''} matching",
            on_click=_file_bulk,
            args=(etype,),
            disabled=not me.may(BULK),
        )
    ask = take_request("bulk_ask")
    if ask is not None and ask["etype"] == etype:
        changes = {k: v for k, v in {"status": ask["b_status"], "disposition": ask["b_disposition"]}.items() if v not in (KEEP, None)}
        if ask.get("b_assignee"):
            changes["assignee"] = ask["b_assignee"]
        label = ask["b_label"] if ask["b_label"] and etype != "cluster" else KEEP
        # Every item matching the filter at the time of asking, not only the rows drawn above (nor the page's row cap).
        try:
            ids = matching_ids(engine, state.warehouse_engine(), qf)
            st.session_state["bulk_pending"] = {"etype": etype, "ids": ids, "changes": changes, "label": label}
        except Exception as exc:  # noqa: BLE001 - a sentence, not a traceback
            state.show_error(exc)
    pending = st.session_state.get("bulk_pending")
    if pending and pending["etype"] == etype:
        n = len(pending["ids"])
        what = ", ".join(f"{k} = {state.md(v)}" for k, v in pending["changes"].items()) or "no case field"
        label_txt = f" and label = {state.md(pending['label'])}" if pending["label"] != KEEP else ""
        if label_txt and etype == "campaign":
            label_txt += ", which also reaches each campaign's accounts and keys"
        st.warning(
            f"This changes {n:,} {ENTITY_LABELS[etype].lower()} (every item matching the filter, not only the rows shown): {what}{label_txt}."
        )
        c1, c2 = st.columns(2)
        c1.button(f"Confirm: change {n:,}", type="primary", key="bulk_confirm", on_click=request, args=("bulk_confirm",))
        c2.button("Cancel", key="bulk_cancel", on_click=_cancel_bulk)

render_allowlist(engine, me)

st.subheader("Recent changes")
trail = audit_trail(engine, etype, limit=50)
st.dataframe(
    trail.select("at", "who", "action", "entity_id", "after").with_columns(pl.col("after").str.slice(0, 160)),
    hide_index=True,
    width="stretch",
    key="audit_table",
)
