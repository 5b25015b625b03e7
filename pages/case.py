"""Case: what is known and decided about one campaign, cluster, account or key, and who changed what when?"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

import app_state as state
from components.figures import titled
from components.triage_state import (
    ENTITY_LABELS,
    STATUS_ICONS,
    decision_message,
    field_key,
    open_cases_or_stop,
    reload_offer,
    remember_version,
    report_save_error,
    request_save,
    show_case_error,
    take_request,
    version_key,
)
from queries import case_schema as cs
from queries import membership
from radar.cases.decisions import decide
from radar.cases.labels import effective_labels, labels_frame
from radar.cases.store import audit_trail, get_case
from radar.stored import decode_object

st.title("Case")
filters = state.sidebar_filters()
run_id = state.require_data()
assert run_id is not None

types = list(ENTITY_LABELS)
etype_url = state.url_value("etype")
c1, c2 = st.columns([1, 3])
etype = c1.selectbox("Entity type", types, index=types.index(etype_url) if etype_url in types else 0, format_func=ENTITY_LABELS.__getitem__)
entity_id = c2.text_input("Entity id", value=state.url_value("id") or "", placeholder="campaign, cluster, account or key id")
state.set_url_value("etype", etype)
state.set_url_value("id", entity_id or None)
if not entity_id:
    st.info("Pick an item on the Triage queue (or type an id above) to open its case.")
    state.page_link("pages/triage.py", "Go to the triage queue", icon=":material/checklist:")
    st.stop()

# A campaign or cluster keeps its case after a later run no longer finds it: its members come from the latest
# run that did, and the analyst is told so.
member_run = run_id
if etype in ("campaign", "cluster"):
    try:
        found = state.query(membership.entity_run, entity_type=etype, entity_id=entity_id).frame
    except Exception as exc:  # noqa: BLE001
        state.show_error(exc)
        found = pl.DataFrame()
    if found.is_empty():
        st.warning(f"No detection run found a {etype} with this id: check it, or label its accounts and keys one by one.")
    elif str(found["run_id"][0]) != run_id:
        member_run = str(found["run_id"][0])
        st.info(
            f"The latest detection run ({state.md(run_id)}) no longer finds this {etype}; its members come from run "
            f"{state.md(member_run)}, the latest that did."
        )

engine = open_cases_or_stop()
me = state.actor()
try:
    current = get_case(engine, etype, entity_id) or {}
except Exception as exc:  # noqa: BLE001
    show_case_error(exc)
    st.stop()
FIELDS = ("status", "disposition", "assignee", "reason", "notes", "label")
NO_LABEL = "(none)"
ver_key = version_key(etype, entity_id)
remember_version(etype, entity_id, int(current.get("version", 0)))

# Carry out a save filed by the form below (on the run after its click), before drawing the state it changes.
edit = take_request(f"save:{etype}:{entity_id}")
if edit is not None:
    label = edit.pop("label")
    try:
        outcome = decide(
            engine,
            state.warehouse_engine(),
            etype,
            entity_id,
            edit,
            label=None if label in (None, NO_LABEL) else label,
            expected_version=st.session_state[ver_key],
            actor=me,
        )
        st.session_state[ver_key] = int(outcome.case.get("version", 0))
        st.success(decision_message(outcome, f"{etype} {entity_id}"))
        current = outcome.case
    except Exception as exc:  # noqa: BLE001
        report_save_error(exc, etype, entity_id)

status = current.get("status", "new")
st.header(f"{STATUS_ICONS.get(status, '')} {ENTITY_LABELS[etype][:-1]} {state.md(entity_id)}")
m = st.columns(4)
m[0].metric("Status", status)
m[1].metric("Disposition", current.get("disposition") or "none")
m[2].metric("Assignee", current.get("assignee") or "none")
m[3].metric("Version", int(current.get("version", 0)))
you = f"you are {state.md(me.name)} ({me.role})"
if current:
    st.caption(f"Last changed by {state.md(current['updated_by'])} at {current['updated_at']:%Y-%m-%d %H:%M:%S UTC} · {you}")
else:
    st.caption(f"No analyst has touched this case yet · {you}")

with st.form(f"case:{etype}:{entity_id}"):
    f = st.columns(3)
    f[0].selectbox("Status", cs.STATUSES, index=cs.STATUSES.index(status), key=field_key("status", etype, entity_id))
    disp_opts = ["", *cs.DISPOSITIONS]
    f[1].selectbox(
        "Disposition", disp_opts, index=disp_opts.index(current.get("disposition") or ""), key=field_key("disposition", etype, entity_id)
    )
    f[2].text_input("Assignee", value=current.get("assignee") or "", key=field_key("assignee", etype, entity_id))
    st.text_input("Reason", value=current.get("reason") or "", key=field_key("reason", etype, entity_id))
    st.text_area("Notes", value=current.get("notes") or "", key=field_key("notes", etype, entity_id))
    st.selectbox(
        "Label",
        [NO_LABEL, *cs.DISPOSITIONS],
        disabled=etype == "cluster",
        help="Campaign labels reach its accounts and keys.",
        key=field_key("label", etype, entity_id),
    )
    st.form_submit_button("Save", type="primary", on_click=request_save, args=(etype, entity_id, FIELDS), disabled=me.read_only)
if me.read_only:
    st.caption("Viewers read only: saving takes the analyst or lead role.")
reload_offer(etype, entity_id)

left, right = st.columns(2)
with left:
    st.subheader("Audit trail")
    trail = audit_trail(engine, etype, entity_id)
    if trail.is_empty():
        st.caption("No change recorded yet.")
    for row in trail.head(100).iter_rows(named=True):
        before, after = decode_object(row["before"]), decode_object(row["after"])
        skip = {"updated_at", "created_at", "labeled_at", "version", "updated_by", "entity_id", "entity_type", "analyst"}
        diff = [
            f"{state.md(k)}: {state.md(before.get(k))} → {state.md(after.get(k))}"
            for k in sorted(set(after) | set(before))
            if k not in skip and before.get(k) != after.get(k)
        ]
        by = state.md(row["who"]) + (f" ({state.md(row['role'])}, {state.md(row['auth'])})" if row.get("auth") else "")
        st.markdown(f"**{row['at']:%Y-%m-%d %H:%M:%S}** · {by} · {state.md(row['action'])}  \n" + ("; ".join(diff) or "no field change"))
with right:
    st.subheader("Activity")
    try:
        act = state.query(
            membership.entity_activity, start=filters.start, end=filters.end, run_id=member_run, entity_type=etype, entity_id=entity_id
        ).frame
    except Exception as exc:  # noqa: BLE001
        state.show_error(exc)
        act = pl.DataFrame()
    if act.is_empty():
        st.caption("No requests in the window.")
    else:
        fig = go.Figure(go.Bar(x=act["day"].to_list(), y=act["calls"].to_list(), name="calls"))
        st.plotly_chart(titled(fig, "Calls per day", "Day (UTC)", "Calls per day", height=280), key="case_activity")

st.subheader("Labels")
if etype == "cluster":
    st.caption("Clusters carry no label; label their campaign or accounts.")
else:
    own = labels_frame(engine, etype).filter(pl.col("entity_id") == entity_id)
    st.dataframe(own.drop("entity_type"), hide_index=True, width="stretch", key="case_labels")
    if etype == "campaign":
        members = labels_frame(engine).filter(pl.col("source") == f"campaign:{entity_id}")
        st.caption(
            f"This campaign's label reaches {members.filter(pl.col('entity_type') == 'account').height:,} accounts and "
            f"{members.filter(pl.col('entity_type') == 'api_key').height:,} keys (source {state.md(f'campaign:{entity_id}')})."
        )
    elif not own.is_empty() or etype in ("account", "api_key"):
        eff = effective_labels(engine, etype).filter(pl.col("entity_id") == entity_id)
        if not eff.is_empty():
            st.caption(f"Label in force: {state.md(eff['label'][0])} (from {state.md(eff['label_source'][0])}).")
