"""Triage queue: which campaigns, clusters, accounts and keys need a decision, one at a time, and what did we decide?"""

from __future__ import annotations

from typing import Any

import streamlit as st

import app_state as state
from components.audit_timeline import render_timeline
from components.display import TIME_NOTE, coded, display_table
from components.triage_allowlist import render_allowlist
from components.triage_bulk import SELECTED, changes_of, render_bulk_form, render_confirmation
from components.triage_filters import DECISION_HELP, QueueView, read_queue_filters
from components.triage_item import render_evidence
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
from radar.cases.bulk import split_decided
from radar.cases.decisions import decide, decide_many
from radar.cases.queue import matching_ids, progress_by_assignee, queue_of
from radar.cases.store import audit_trail, get_case

VISIBLE_ROWS = 200
FIELDS = ("status", "disposition", "assignee", "reason", "notes", "propagate")
#: The common verdicts, one key each: (label, status, disposition, shortcut). Alt+digit keeps plain typing free.
QUICK = (
    ("True positive", "confirmed", "true_positive_extraction", "Alt+1"),
    ("Benign", "dismissed", "benign_positive_allowed", "Alt+2"),
    ("False positive: logic", "dismissed", "false_positive_detection_logic", "Alt+3"),
    ("False positive: data", "dismissed", "false_positive_bad_data", "Alt+4"),
)
TABLE_COLUMNS = ("entity_id", "status", "score", "disposition", "label", "assignee", "campaign_id", "n_accounts", "calls", "output_tokens")

st.title("Triage queue")
state.sidebar_filters()
run_id = state.require_data()
assert run_id is not None
engine = open_cases_or_stop()
me = state.actor()
st.caption(DECISION_HELP)


def _goto(entity_id: str | None) -> None:
    if entity_id:
        st.query_params["id"] = entity_id


def _file_save(etype: str, entity_id: str, advance: bool) -> None:
    fields = {f: st.session_state.get(field_key(f, etype, entity_id)) for f in FIELDS}
    request("triage_save", {"etype": etype, "id": entity_id, "advance": advance} | fields)


def _file_quick(etype: str, entity_id: str, status: str, disposition: str) -> None:
    request(
        "triage_save", {"etype": etype, "id": entity_id, "advance": True, "status": status, "disposition": disposition, "propagate": True}
    )


# --- carry out what the analyst asked for on the previous run, before reading the state it changes ------
save: dict[str, Any] | None = take_request("triage_save")
advance_from: str | None = None
if save is not None:
    s_type, s_id, propagate, advance = save.pop("etype"), save.pop("id"), save.pop("propagate"), save.pop("advance")
    # The checkbox offers the disposition as the item's label (a campaign's reaches its members); clusters carry none.
    own_label = save.get("disposition") if propagate and save.get("disposition") and s_type != "cluster" else None
    try:
        outcome = decide(
            engine,
            state.warehouse_engine(),
            s_type,
            s_id,
            save,
            label=own_label,
            expected_version=st.session_state.get(version_key(s_type, s_id)),
            actor=me,
        )
        st.session_state[version_key(s_type, s_id)] = int(outcome.case.get("version", 0))
        st.success(decision_message(outcome, f"{s_type} {s_id}"))
        advance_from = s_id if advance else None
    except Exception as exc:  # noqa: BLE001
        report_save_error(exc, s_type, s_id)
mine = take_request("assign_me")
if mine is not None:
    try:
        out = decide(engine, state.warehouse_engine(), mine["etype"], mine["id"], {"assignee": me.name}, expected_version=None, actor=me)
        st.session_state[version_key(mine["etype"], mine["id"])] = int(out.case.get("version", 0))
        st.success(f"Assigned {state.md(mine['id'])} to you ({state.md(me.name)}).")
    except Exception as exc:  # noqa: BLE001
        show_case_error(exc)
pending = st.session_state.get("bulk_pending")
if take_request("bulk_confirm") and pending:
    try:
        ids = pending["undecided"] + (pending["decided"] if pending["overwrite"] else [])
        bulk = decide_many(
            engine,
            state.warehouse_engine(),
            pending["etype"],
            ids,
            pending["changes"],
            label=pending["label"],
            actor=me,
            overwrite_decided=pending["overwrite"],
        )
        st.session_state.pop("bulk_pending", None)
        st.success(bulk_message(bulk))
    except Exception as exc:  # noqa: BLE001
        show_case_error(exc)

# --- the queue, filtered as the URL says -------------------------------------------------------------
view: QueueView = read_queue_filters(run_id, me.name)
qf, etype = view.filter, view.filter.entity_type
try:
    result = state.query(qf.question, **qf.arguments())
    queue = queue_of(result.frame, engine, qf)
except Exception as exc:  # noqa: BLE001 - reaches the analyst as a sentence
    state.show_error(exc)
    st.stop()

noun = ENTITY_LABELS[etype].lower()
left_n = int((~queue["decided"]).sum()) if queue.height else 0
st.caption(
    f"{queue.height:,} {noun} match the filter · {left_n:,} undecided left"
    + (f" · showing the riskiest {VISIBLE_ROWS}" if queue.height > VISIBLE_ROWS else "")
    + f" · detection run {state.md(run_id)} · you are {state.md(me.name)} ({me.role}) · {TIME_NOTE}"
)
state.show_truncated(result, ENTITY_LABELS[etype])
shown = queue.head(VISIBLE_ROWS)
event = st.dataframe(
    display_table(shown.select([c for c in TABLE_COLUMNS if c in shown.columns])),
    hide_index=True,
    width="stretch",
    key="triage_table",
    on_select="rerun",
    selection_mode="multi-row",
)
picked_rows = [i for i in (event.selection.rows if event is not None else []) if i < shown.height]
selected_ids = [str(shown["entity_id"][i]) for i in picked_rows]
st.caption("Click a row to open it below; tick several for a bulk action.")
# A newly clicked single row opens that item (only when the selection changed, so Next and Previous still move).
if len(selected_ids) == 1 and st.session_state.get("triage_last_pick") != selected_ids[0]:
    _goto(selected_ids[0])
st.session_state["triage_last_pick"] = selected_ids[0] if len(selected_ids) == 1 else None

with st.expander("Progress per assignee"):
    prog = progress_by_assignee(queue)
    st.dataframe(display_table(prog.fill_null("unassigned")), hide_index=True, width="stretch", key="triage_progress")

# --- one item at a time: evidence beside the decision form -----------------------------------------
ids = queue["entity_id"].to_list()
undecided = queue.filter(~queue["decided"])["entity_id"].to_list()
if advance_from is not None:
    # The saved item may have left the filtered queue ("undecided only"): move on in the ranking's order.
    rank = {str(e): i for i, e in enumerate(result.frame["entity_id"].to_list())}
    after = [i for i in ids if rank.get(i, -1) > rank.get(advance_from, len(rank))]
    waiting = set(undecided)
    _goto(next((i for i in after if i in waiting), after[0] if after else (undecided[0] if undecided else None)))
picked = state.url_value("id")
if picked not in ids:
    picked = undecided[0] if undecided else (ids[0] if ids else None)
state.set_url_value("id", picked)

st.subheader("Decide, one item at a time")
if picked is None:
    st.info("Nothing matches the filter.")
else:
    pos = ids.index(picked)
    row = queue.row(pos, named=True)
    current = get_case(engine, etype, picked) or {}
    remember_version(etype, picked, int(current.get("version", 0)))
    nav = st.columns([1, 1, 1, 4])
    nav[0].button("Previous", key="q_prev", on_click=_goto, args=(ids[pos - 1] if pos else None,), disabled=pos == 0, shortcut="Alt+P")
    nav[1].button(
        "Next",
        key="q_next",
        on_click=_goto,
        args=(ids[pos + 1] if pos + 1 < len(ids) else None,),
        disabled=pos + 1 >= len(ids),
        shortcut="Alt+N",
    )
    nav[2].button(
        "Assign to me",
        key="q_assign",
        on_click=request,
        args=("assign_me", {"etype": etype, "id": picked}),
        disabled=me.read_only or current.get("assignee") == me.name,
    )
    nav[3].markdown(
        f"**{ENTITY_LABELS[etype][:-1]} {state.md(picked)}** · item {pos + 1:,} of {len(ids):,} · {len(undecided):,} undecided left"
    )
    evidence, form = st.columns([3, 2])
    with evidence, st.container(border=True):
        render_evidence(etype, row)
        state.page_link(
            "pages/case.py", "Open the case page (audit trail, labels, activity)", icon=":material/folder_open:", etype=etype, id=picked
        )
        if etype == "campaign":
            state.page_link("pages/campaign.py", "Open the campaign page", icon=":material/crisis_alert:", campaign=picked)
        elif row.get("campaign_id"):
            state.page_link(
                "pages/campaign.py",
                f"Open campaign {state.md(row['campaign_id'])}",
                icon=":material/crisis_alert:",
                campaign=str(row["campaign_id"]),
            )
        if etype == "api_key":
            state.page_link("pages/keys.py", "Open the key page", icon=":material/key:", key=picked)
    with form, st.container(border=True):
        with st.form(f"one:{etype}:{picked}"):
            st.selectbox(
                "Status",
                cs.STATUSES,
                index=cs.STATUSES.index(current.get("status", "new")),
                format_func=lambda v: coded("status", v),
                key=field_key("status", etype, picked),
            )
            disp_opts = ["", *cs.DISPOSITIONS]
            st.selectbox(
                "Disposition",
                disp_opts,
                index=disp_opts.index(current.get("disposition") or ""),
                format_func=lambda v: coded("disposition", v) or "(none yet)",
                key=field_key("disposition", etype, picked),
            )
            st.text_input("Assignee", value=current.get("assignee") or "", key=field_key("assignee", etype, picked))
            st.text_input("Reason", value=current.get("reason") or "", key=field_key("reason", etype, picked))
            st.text_area("Notes", value=current.get("notes") or "", key=field_key("notes", etype, picked), height=80)
            st.checkbox(
                "Label it with the disposition" + (" (reaches its accounts and keys)" if etype == "campaign" else ""),
                value=etype != "cluster",
                disabled=etype == "cluster",
                key=field_key("propagate", etype, picked),
            )
            b1, b2 = st.columns(2)
            b1.form_submit_button("Save", on_click=_file_save, args=(etype, picked, False), disabled=me.read_only)
            b2.form_submit_button(
                "Complete and next",
                type="primary",
                on_click=_file_save,
                args=(etype, picked, True),
                disabled=me.read_only,
                shortcut="Alt+Enter",
            )
        quick = st.columns(len(QUICK))
        for col, (title, status, disp, key) in zip(quick, QUICK, strict=True):
            col.button(
                title,
                key=f"quick:{disp}",
                on_click=_file_quick,
                args=(etype, picked, status, disp),
                disabled=me.read_only,
                shortcut=key,
                help=f"{coded('status', status)} as {coded('disposition', disp)}, then the next item ({key})",
            )
        if me.read_only:
            st.caption("Viewers read only: saving takes the analyst or lead role.")
        reload_offer(etype, picked)

# --- bulk action over the selected rows or everything matching -------------------------------------
st.subheader("Bulk action")
render_bulk_form(etype, selected=len(selected_ids), matching=queue.height, truncated=result.truncated, actor=me)
ask = take_request("bulk_ask")
if ask is not None and ask["etype"] == etype:
    changes, b_label = changes_of(ask, etype)
    try:
        # The selected rows, or every item matching the filter now (not only the rows drawn above, nor the row cap).
        target = selected_ids if ask.get("b_target") == SELECTED and selected_ids else matching_ids(engine, state.warehouse_engine(), qf)
        split = split_decided(engine, etype, target)
        st.session_state["bulk_pending"] = {
            "etype": etype,
            "undecided": split.undecided,
            "decided": split.decided,
            "changes": changes,
            "label": b_label,
            "overwrite": bool(ask.get("b_overwrite")),
        }
    except Exception as exc:  # noqa: BLE001 - a sentence, not a traceback
        state.show_error(exc)
pending = st.session_state.get("bulk_pending")
if pending and pending["etype"] == etype:
    render_confirmation(pending)

render_allowlist(engine, me)

st.subheader("Recent changes")
render_timeline(audit_trail(engine, etype, limit=20), limit=20)
