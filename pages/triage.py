"""Triage queue: which campaigns, clusters, accounts and keys need a decision, and what did we decide?"""

from __future__ import annotations

import polars as pl
import streamlit as st

from components import state
from components.triage_state import ENTITY_LABELS, cases_engine, show_case_error, who
from queries import case_schema as cs
from radar.cases.labels import propagate_campaign_label, set_labels
from radar.cases.queue import QUEUE_BUILDERS, triage_queue
from radar.cases.store import audit_trail, bulk_update, case_statuses, get_case, save_case

VISIBLE_ROWS = 200
ANY = "any"
KEEP = "(keep)"

st.title("Triage queue")
run_id = state.require_data()
assert run_id is not None

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
min_score = f[2].number_input("Minimum risk", min_value=0.0, max_value=1.0, value=min_default, step=0.05)
campaign = f[3].text_input(
    "Campaign", value=state.url_value("campaign") or "", disabled=etype not in ("account", "api_key"), help="Members of one campaign"
)
assignee = f[4].text_input("Assignee", value=state.url_value("assignee") or "")
state.set_url_value("etype", etype)
state.set_url_value("status", None if status == ANY else status)
state.set_url_value("min", f"{min_score:g}" if min_score else None)
state.set_url_value("campaign", campaign if etype in ("account", "api_key") and campaign else None)
state.set_url_value("assignee", assignee or None)

kwargs: dict[str, object] = {"run_id": run_id, "min_score": min_score or None}
if etype in ("account", "api_key") and campaign:
    kwargs["campaign_id"] = campaign
try:
    result = state.query(QUEUE_BUILDERS[etype], **kwargs)
    engine = cases_engine()
    queue = triage_queue(result.frame, case_statuses(engine, etype), status=None if status == ANY else status, assignee=assignee or None)
except Exception as exc:  # noqa: BLE001 - reaches the analyst as a sentence
    state.show_error(exc)
    st.stop()

st.caption(
    f"{queue.height:,} {ENTITY_LABELS[etype].lower()} match the filter"
    + (f"; showing the riskiest {VISIBLE_ROWS}" if queue.height > VISIBLE_ROWS else "")
    + f" · detection run {run_id} · you are {who()}"
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
        picked = st.selectbox("Item", ids[:5000], index=ids.index(picked_url) if picked_url in ids[:5000] else 0, key="one_id")
        state.set_url_value("id", str(picked))
        current = get_case(engine, etype, str(picked)) or {}
        ver_key = f"ver:{etype}:{picked}"
        # The version the analyst is looking at; a save made by someone else since then is a conflict.
        st.session_state.setdefault(ver_key, int(current.get("version", 0)))
        with st.form(f"one:{etype}:{picked}"):
            s_new = st.selectbox("Status", cs.STATUSES, index=cs.STATUSES.index(current.get("status", "new")))
            disp_opts = ["", *cs.DISPOSITIONS]
            d_new = st.selectbox("Disposition", disp_opts, index=disp_opts.index(current.get("disposition") or ""))
            a_new = st.text_input("Assignee", value=current.get("assignee") or "")
            r_new = st.text_input("Reason", value=current.get("reason") or "")
            n_new = st.text_area("Notes", value=current.get("notes") or "")
            propagate = st.checkbox("Label its accounts and keys with the disposition", value=True, disabled=etype != "campaign")
            saved = st.form_submit_button("Save", type="primary")
        if saved:
            try:
                changes = {"status": s_new, "disposition": d_new, "assignee": a_new, "reason": r_new, "notes": n_new}
                after = save_case(engine, etype, str(picked), changes, expected_version=st.session_state[ver_key], who=who())
                st.session_state[ver_key] = int(after["version"])
                msg = f"Saved {etype} {picked} (version {after['version']})."
                if etype == "campaign" and propagate and d_new:
                    n_acc, n_key = propagate_campaign_label(engine, state.warehouse_engine(), str(picked), d_new, who=who(), run_id=run_id)
                    msg += f" Labeled {n_acc:,} accounts and {n_key:,} keys from this campaign."
                st.success(msg)
            except Exception as exc:  # noqa: BLE001
                show_case_error(exc)
                if st.button("Reload the current version"):
                    st.session_state.pop(ver_key, None)
                    st.rerun()
        state.page_link("pages/case.py", "Open the case page", icon=":material/folder_open:", etype=etype, id=str(picked))

# --- bulk action over everything matching the filter ----------------------------------------------
with right, st.container(border=True):
    st.subheader("Bulk action on all matching")
    with st.form("bulk"):
        b_status = st.selectbox("Set status", [KEEP, *cs.STATUSES])
        b_disp = st.selectbox("Set disposition", [KEEP, *cs.DISPOSITIONS])
        b_label = st.selectbox("Set label", [KEEP, *cs.DISPOSITIONS], disabled=etype == "cluster", help="Analyst label on each item")
        b_assignee = st.text_input("Set assignee (empty: keep)")
        asked = st.form_submit_button(f"Apply to all {queue.height:,} matching")
    changes = {k: v for k, v in {"status": b_status, "disposition": b_disp}.items() if v != KEEP}
    if b_assignee:
        changes["assignee"] = b_assignee
    if asked:
        st.session_state["bulk_pending"] = {"etype": etype, "ids": queue["entity_id"].to_list(), "changes": changes, "label": b_label}
    pending = st.session_state.get("bulk_pending")
    if pending and pending["etype"] == etype:
        n = len(pending["ids"])
        what = ", ".join(f"{k} = {v}" for k, v in pending["changes"].items()) or "no case field"
        label_txt = f" and label = {pending['label']}" if pending["label"] != KEEP else ""
        st.warning(
            f"This changes {n:,} {ENTITY_LABELS[etype].lower()} (every item matching the filter, not only the rows shown): {what}{label_txt}."
        )
        c1, c2 = st.columns(2)
        if c1.button(f"Confirm: change {n:,}", type="primary", key="bulk_confirm"):
            try:
                changed = bulk_update(engine, etype, pending["ids"], pending["changes"], who=who()) if pending["changes"] else 0
                labeled = set_labels(engine, etype, pending["ids"], pending["label"], who=who()) if pending["label"] != KEEP else 0
                st.session_state.pop("bulk_pending", None)
                st.success(f"Changed {changed:,} cases and {labeled:,} labels; one audit row each.")
            except Exception as exc:  # noqa: BLE001
                show_case_error(exc)
        if c2.button("Cancel", key="bulk_cancel"):
            st.session_state.pop("bulk_pending", None)
            st.rerun()

st.subheader("Recent changes")
trail = audit_trail(cases_engine(), etype, limit=50)
st.dataframe(
    trail.select("at", "who", "action", "entity_id", "after").with_columns(pl.col("after").str.slice(0, 160)),
    hide_index=True,
    width="stretch",
    key="audit_table",
)
