"""Case: what is known and decided about one campaign, cluster, account or key, and who changed what when?"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import streamlit as st

import app_state as state
from components.audit_timeline import render_timeline
from components.display import TIME_NOTE, coded, display_table, fmt_time
from components.figures import titled
from components.triage_filters import DECISION_HELP
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
from queries import campaign, clusters, key_baselines, membership
from queries import case_schema as cs
from radar.cases.decisions import decide
from radar.cases.labels import effective_labels, labels_frame
from radar.cases.store import audit_trail, get_case

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
NO_LABEL = "(keep)"
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
label_now = pl.DataFrame()
if etype != "cluster":
    label_now = effective_labels(engine, etype).filter(pl.col("entity_id") == entity_id)
st.header(f"{STATUS_ICONS.get(status, '')} {ENTITY_LABELS[etype][:-1]} {state.md(entity_id)}")
facts = {
    "Status": coded("status", status),
    "Disposition": coded("disposition", current.get("disposition")) or "None yet",
    "Label in force": "Clusters carry none"
    if etype == "cluster"
    else (coded("label", label_now["label"][0]) if label_now.height else "None yet"),
    "Assignee": current.get("assignee") or "Unassigned",
}
# Text, not st.metric: a metric cuts long values ("True positive…") where this wraps.
for col, (name, value) in zip(st.columns(4), facts.items(), strict=True):
    col.markdown(f"{name}  \n**{state.md(value)}**")
you = f"you are {state.md(me.name)} ({me.role})"
if current:
    st.caption(
        f"Version {int(current.get('version', 0))}, last changed by {state.md(current['updated_by'])} at "
        f"{fmt_time(current['updated_at'])} UTC · {you}"
    )
else:
    st.caption(f"No analyst has touched this case yet · {you}")
if label_now.height:
    src = str(label_now["label_source"][0])
    st.caption(f"The label comes from {state.md('campaign ' + src.split(':', 1)[1] if src.startswith('campaign:') else 'an analyst')}.")
# Where the item sits in the run it comes from: its campaign, cluster and keys, each one click away.
ties: dict[str, str | None] = {"campaign": None, "cluster": None, "account": None}
try:
    if etype == "campaign":
        found_c = state.query(campaign.campaign_summary, run_id=member_run, campaign_id=entity_id).frame
        ties = {"campaign": entity_id, "cluster": found_c["cluster_id"][0] if found_c.height else None, "account": None}
    elif etype == "cluster":
        found_k = state.query(clusters.cluster_summary, run_id=member_run, cluster_id=entity_id).frame
        ties = {"campaign": found_k["campaign_id"][0] if found_k.height else None, "cluster": entity_id, "account": None}
    elif etype == "api_key":
        prof = state.query(key_baselines.key_profile, run_id=run_id, api_key_id=entity_id).frame
        if prof.height:
            ties = {"campaign": prof["campaign_id"][0], "cluster": prof["cluster_id"][0], "account": prof["account_id"][0]}
    else:
        own_keys = state.query(key_baselines.flagged_keys, run_id=run_id, search=entity_id, include_allowlisted=True).frame
        own_keys = own_keys.filter(pl.col("account_id") == entity_id)
        ties = {
            "campaign": own_keys["campaign_id"][0] if own_keys.height else None,
            "cluster": own_keys["cluster_id"][0] if own_keys.height else None,
            "account": entity_id,
        }
except Exception as exc:  # noqa: BLE001
    state.show_error(exc)
if label_now.height and str(label_now["label_source"][0]).startswith("campaign:") and not ties["campaign"]:
    # An account or key labeled by a campaign the latest run no longer holds links back to that campaign.
    ties["campaign"] = str(label_now["label_source"][0]).split(":", 1)[1]
links = st.columns(5)
with links[0]:
    state.page_link("pages/triage.py", "Back to the triage queue", icon=":material/checklist:", etype=etype, id=entity_id)
if ties["campaign"]:
    with links[1]:
        state.page_link(
            "pages/campaign.py", f"Campaign {state.md(ties['campaign'])}", icon=":material/crisis_alert:", campaign=ties["campaign"]
        )
    if etype != "campaign":
        with links[4]:
            state.page_link("pages/case.py", "The campaign's case", icon=":material/folder_open:", etype="campaign", id=ties["campaign"])
if ties["cluster"]:
    with links[2]:
        state.page_link("pages/clusters.py", f"Cluster {state.md(ties['cluster'])}", icon=":material/hub:", cluster=ties["cluster"])
with links[3]:
    if etype == "api_key":
        state.page_link("pages/keys.py", "Open the key page", icon=":material/key:", key=entity_id)
    elif etype == "account":
        state.page_link("pages/keys.py", "The account's keys", icon=":material/key:", q=entity_id)
    elif etype == "campaign":
        state.page_link("pages/campaign.py", "Its accounts and keys", icon=":material/key:", campaign=entity_id, section="Members")
st.caption(DECISION_HELP)

with st.form(f"case:{etype}:{entity_id}"):
    f = st.columns(3)
    f[0].selectbox(
        "Status",
        cs.STATUSES,
        index=cs.STATUSES.index(status),
        format_func=lambda v: coded("status", v),
        key=field_key("status", etype, entity_id),
    )
    disp_opts = ["", *cs.DISPOSITIONS]
    f[1].selectbox(
        "Disposition",
        disp_opts,
        index=disp_opts.index(current.get("disposition") or ""),
        format_func=lambda v: coded("disposition", v) or "(none yet)",
        key=field_key("disposition", etype, entity_id),
    )
    f[2].text_input("Assignee", value=current.get("assignee") or "", key=field_key("assignee", etype, entity_id))
    st.text_input("Reason", value=current.get("reason") or "", key=field_key("reason", etype, entity_id))
    st.text_area("Notes", value=current.get("notes") or "", key=field_key("notes", etype, entity_id))
    st.selectbox(
        "Label",
        [NO_LABEL, *cs.DISPOSITIONS],
        format_func=lambda v: "(keep the label as it is)" if v == NO_LABEL else coded("label", v),
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
    st.caption(TIME_NOTE)
    render_timeline(audit_trail(engine, etype, entity_id), limit=100)
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
    if own.is_empty():
        st.caption("No label on this item yet.")
    else:
        st.dataframe(
            display_table(
                own.select("label", "source", "analyst", "labeled_at").with_columns(pl.col("source").str.replace("^campaign:", "campaign "))
            ),
            hide_index=True,
            width="stretch",
            key="case_labels",
        )
    if etype == "campaign":
        members = labels_frame(engine).filter(pl.col("source") == f"campaign:{entity_id}")
        st.caption(
            f"This campaign's label reaches {members.filter(pl.col('entity_type') == 'account').height:,} accounts and "
            f"{members.filter(pl.col('entity_type') == 'api_key').height:,} keys."
        )
