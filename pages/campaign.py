"""Campaign: what did one extraction campaign do, from where, against which capabilities and models, at what cost?"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

import app_state as state
from components.campaign_charts import harvest_figure, model_mix_figure, timeline_figure
from components.figures import render
from components.key_charts import capability_figure
from components.pricing import with_cost
from queries import campaign
from radar.redact import redact_expr
from radar.stored import decode_reasons

MEMBER_COLUMNS: dict[str, Any] = {
    "account_id": "Account",
    "api_key_id": "Key",
    "score": st.column_config.NumberColumn("Score", format="%.2f"),
    "n_keys": "Keys",
    "calls": st.column_config.NumberColumn("Calls", format="localized"),
    "output_tokens": st.column_config.NumberColumn("Output tokens", format="localized"),
    "created_at": st.column_config.DatetimeColumn("Created (UTC)", format="D MMM YYYY HH:mm"),
    "revoked_at": st.column_config.DatetimeColumn("Revoked (UTC)", format="D MMM YYYY HH:mm"),
    "country": "Country",
    "verification": "Verification",
    "email_domain": "E-mail domain",
}

st.title("Campaign")
filters = state.sidebar_filters()
run_id = state.require_data()
assert run_id is not None

campaigns = state.query(campaign.campaign_list, run_id=run_id).frame
if campaigns.is_empty():
    st.info("The latest detection run found no campaign. Clusters that did not reach campaign level are on the Clusters page.")
    st.stop()
ids = [str(c) for c in campaigns["campaign_id"].to_list()]
wanted = state.url_value("campaign")
if wanted and wanted not in ids:
    st.warning(f"Campaign {state.md(wanted)} is not in the latest detection run; showing the riskiest one instead.")
    wanted = None
choice = st.selectbox(
    "Campaign",
    ids,
    index=ids.index(wanted) if wanted else 0,
    format_func=lambda c: f"{c} · {int(campaigns.filter(pl.col('campaign_id') == c)['n_accounts'][0]):,} accounts",
)
selected = str(choice)
state.set_url_value("campaign", selected)

summary = state.query(campaign.campaign_summary, run_id=run_id, campaign_id=selected).frame.row(0, named=True)
st.header(f"Campaign {state.md(selected)}")
m = st.columns(5)
m[0].metric("Risk", f"{summary['score']:.2f}")
m[1].metric("Accounts", f"{summary['n_accounts']:,}")
m[2].metric("Keys", f"{summary['n_keys'] or 0:,}")
m[3].metric("Exchanges", f"{summary['calls'] or 0:,}")
m[4].metric("Output tokens", f"{(summary['output_tokens'] or 0) / 1e6:,.2f} M")
nav = st.columns(3)
with nav[0]:
    state.page_link(
        "pages/clusters.py", f"Cluster graph {state.md(summary['cluster_id'])}", icon=":material/hub:", cluster=summary["cluster_id"]
    )
reasons = decode_reasons(summary["reasons"])
if reasons:
    with st.container(border=True):
        st.markdown("**Why this is a campaign**\n" + "\n".join(f"- {state.md(r)}" for r in reasons))

w = filters.window()
try:
    timeline = state.query(campaign.campaign_timeline, **w, run_id=run_id, campaign_id=selected).frame
    profile = state.query(campaign.campaign_capability_profile, **w, run_id=run_id, campaign_id=selected).frame
    infra = state.query(campaign.campaign_infrastructure, **w, run_id=run_id, campaign_id=selected).frame
    harvest = state.query(campaign.campaign_harvest, **w, run_id=run_id, campaign_id=selected).frame
    mix = state.query(campaign.campaign_model_mix, **w, run_id=run_id, campaign_id=selected).frame
    prompts = state.query(campaign.campaign_sample_prompts, **w, run_id=run_id, campaign_id=selected).frame
    members = state.query(campaign.campaign_members, run_id=run_id, campaign_id=selected)
    keys = state.query(campaign.campaign_keys, run_id=run_id, campaign_id=selected)
except Exception as exc:  # noqa: BLE001
    state.show_error(exc)
    st.stop()

if timeline.is_empty():
    st.info(f"The campaign made no calls in {state.md(filters.label)}; widen the window in the sidebar.")
render(timeline_figure(timeline), key="campaign_timeline")

left, right = st.columns(2)
with left:
    render(
        capability_figure(
            profile.filter(pl.col("population") == "campaign"),
            profile.filter(pl.col("population") == "benign baseline"),
            subject_name="campaign",
            baseline_name="benign baseline",
            title="Capability targeting against the benign baseline",
        ),
        key="campaign_caps",
    )
with right:
    render(model_mix_figure(mix), key="campaign_models")

st.subheader("Harvest accounting")
costed = with_cost(harvest.drop("first_action")) if harvest.height else harvest
first_action = harvest["first_action"][0] if harvest.height else None
st.caption(
    (
        f"First action: a member key was revoked at {first_action:%d %b %Y %H:%M} UTC. "
        if first_action
        else "No member key has been revoked yet. "
    )
    + "Cost is estimated at list price (components/pricing.py)."
)
h1, h2 = st.columns([2, 3])
with h1:
    totals = (
        costed.group_by("phase")
        .agg(pl.col("exchanges").sum(), pl.col("output_tokens").sum(), pl.col("est_cost_usd").sum())
        .sort("phase", descending=True)
        if costed.height
        else costed
    )
    st.dataframe(
        totals,
        hide_index=True,
        column_config={
            "phase": "Phase",
            "exchanges": st.column_config.NumberColumn("Exchanges", format="localized"),
            "output_tokens": st.column_config.NumberColumn("Output tokens", format="localized"),
            "est_cost_usd": st.column_config.NumberColumn("Est. cost (USD)", format="dollar"),
        },
        key="harvest_totals",
    )
with h2:
    render(harvest_figure(costed), key="campaign_harvest")

st.subheader("Infrastructure indicators")
if infra.is_empty():
    st.caption("No infrastructure attributes recorded for the campaign's calls in this window.")
else:
    facet_cols = st.columns(3)
    for i, facet in enumerate(sorted(set(infra["facet"].to_list()))):
        with facet_cols[i % 3]:
            st.markdown(f"**{state.md(facet.replace('_', ' '))}**")
            st.dataframe(
                infra.filter(pl.col("facet") == facet).drop("facet"),
                hide_index=True,
                column_config={
                    "value": "Value",
                    "calls": st.column_config.NumberColumn("Calls", format="localized"),
                    "accounts": "Accounts",
                },
                key=f"infra_{facet}",
            )

st.subheader("Members")
a_col, k_col = st.columns(2)
with a_col:
    st.markdown(f"**Accounts** ({members.frame.height:,})")
    st.dataframe(
        members.frame,
        hide_index=True,
        height=300,
        key="campaign_accounts",
        column_config=MEMBER_COLUMNS,
    )
    state.show_truncated(members, "Accounts")
with k_col:
    st.markdown(f"**Keys** ({keys.frame.height:,})")
    st.dataframe(
        keys.frame,
        hide_index=True,
        height=300,
        key="campaign_keys",
        column_config=MEMBER_COLUMNS,
    )
    state.show_truncated(keys, "Keys")
    if keys.frame.height:
        top_key = str(keys.frame["api_key_id"][0])
        state.page_link("pages/keys.py", f"Open its top key {state.md(top_key)}", icon=":material/key:", key=top_key)

st.subheader("Sample prompts (redacted)")
if prompts.is_empty():
    st.caption("No prompt text is logged for this campaign's calls (content logging may be off).")
else:
    st.dataframe(
        prompts.with_columns(redact_expr("prompt")),  # vectorised: a Python UDF here stalls the server
        hide_index=True,
        key="campaign_prompts",
        column_config={
            "ts": st.column_config.DatetimeColumn("Time (UTC)", format="D MMM HH:mm:ss"),
            "prompt": st.column_config.TextColumn("Prompt (e-mails, phones, keys masked)", width="large"),
        },
    )
