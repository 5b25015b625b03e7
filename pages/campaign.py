"""Campaign: what did one extraction campaign do, from where, against which capabilities and models, at what cost?

Everything is read from the summaries the scoring run stored (never the requests table). The timeline and profile
sit above the fold; harvest, infrastructure, members and prompts are lazy tabs: only the open one queries and draws.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

import app_state as state
from components.campaign_charts import harvest_figure, harvest_totals, model_mix_figure, timeline_figure
from components.case_panel import render_case_panel
from components.figures import render
from components.key_charts import capability_figure
from components.pricing import with_cost
from components.row_links import open_selected
from queries import campaign
from queries.run import Result
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
render_case_panel("campaign", selected)
reasons = decode_reasons(summary["reasons"])
if reasons:
    with st.container(border=True):
        st.markdown("**Why this is a campaign**\n" + "\n".join(f"- {state.md(r)}" for r in reasons))

w = filters.window()
SECTIONS = ("Harvest", "Infrastructure", "Members", "Sample prompts")


def _ask(question: Any, **kwargs: Any) -> Any:
    """The question's result for the selected campaign, or a sentence for the analyst (and the run stops)."""
    try:
        return state.query(question, run_id=run_id, campaign_id=selected, **kwargs)
    except Exception as exc:  # noqa: BLE001
        state.show_error(exc)
        st.stop()


if _ask(campaign.campaign_summarised).frame.is_empty():
    st.warning(
        "This detection run was scored before campaign summaries were kept, so its timeline, harvest and indicators "
        "are not stored: run `python -m radar score` again, then reload this page."
    )
    st.stop()

timeline = _ask(campaign.campaign_timeline, **w).frame
if timeline.is_empty():
    st.info(f"The campaign made no calls in {state.md(filters.label)}; widen the window in the sidebar.")
render(timeline_figure(timeline), key="campaign_timeline")

left, right = st.columns(2)
with left:
    profile = _ask(campaign.campaign_capability_profile, **w).frame
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
    render(model_mix_figure(_ask(campaign.campaign_model_mix, **w).frame), key="campaign_models")


@st.fragment
def harvest_section() -> None:
    """Harvest accounting: exchanges, tokens and list-price cost before and after the first key revocation."""
    harvest = _ask(campaign.campaign_harvest, **w).frame
    costed = with_cost(harvest.drop("first_action")) if harvest.height else harvest
    first_action = harvest["first_action"][0] if harvest.height else None
    st.caption(
        (
            f"First action: a member key was revoked at {first_action:%d %b %Y %H:%M} UTC (as known when the run was scored). "
            if first_action
            else "No member key had been revoked when the run was scored. "
        )
        + "Cost is estimated at list price (the deployment's RADAR_PRICES table, else the built-in list)."
    )
    h1, h2 = st.columns([2, 3])
    with h1:
        st.dataframe(harvest_totals(costed), hide_index=True, column_config=HARVEST_COLUMNS, key="harvest_totals")
    with h2:
        render(harvest_figure(costed), key="campaign_harvest")


@st.fragment
def infrastructure_section() -> None:
    """Infrastructure indicators over the run's window: the top values per facet, with the member accounts behind each."""
    infra = _ask(campaign.campaign_infrastructure, model=filters.model).frame
    infra = state.label_asns(infra, kind="facet")
    st.caption("Over the detection run's whole window" + (f", model {state.md(filters.model)}." if filters.model else ", every model."))
    if infra.is_empty():
        st.caption("No infrastructure attributes recorded for the campaign's calls.")
        return
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


@st.fragment
def _clickable_members(result: Result, title: str, noun: str, *, key: str, id_column: str, param: str) -> None:
    """One member table (accounts or keys) whose clicked row opens that member on the Keys page."""
    st.markdown(f"**{title}** ({result.frame.height:,}) · click a row to open the {noun}")
    picked = st.dataframe(
        result.frame,
        hide_index=True,
        height=300,
        key=key,
        column_config=MEMBER_COLUMNS,
        placeholder="",
        on_select="rerun",
        selection_mode="single-row",
    )
    open_selected(picked, result.frame, id_column, "pages/keys.py", param)
    state.show_truncated(result, title)


def members_section() -> None:
    """The campaign's accounts and keys, riskiest first (rows sent to the browser as it scrolls)."""
    members, keys = _ask(campaign.campaign_members), _ask(campaign.campaign_keys)
    a_col, k_col = st.columns(2)
    with a_col:
        _clickable_members(members, "Accounts", "account", key="campaign_accounts", id_column="account_id", param="q")
    with k_col:
        _clickable_members(keys, "Keys", "key", key="campaign_keys", id_column="api_key_id", param="key")
        if keys.frame.height:
            top_key = str(keys.frame["api_key_id"][0])
            state.page_link("pages/keys.py", f"Open its top key {state.md(top_key)}", icon=":material/key:", key=top_key)


@st.fragment
def prompts_section() -> None:
    """Sample prompts, redacted when the run stored them (e-mails, phones, keys and secrets masked)."""
    prompts = _ask(campaign.campaign_sample_prompts, model=filters.model).frame
    if prompts.is_empty():
        st.caption("No prompt text is logged for this campaign's calls (content logging may be off).")
        return
    st.dataframe(
        prompts,
        hide_index=True,
        key="campaign_prompts",
        placeholder="",
        column_config={
            "ts": st.column_config.DatetimeColumn("Time (UTC)", format="D MMM HH:mm:ss"),
            "account_id": "Account",
            "model": "Model",
            "capability": "Capability",
            "template_fp": "Prompt template",
            "prompt": st.column_config.TextColumn("Prompt (e-mails, phones, keys masked)", width="large"),
        },
    )


HARVEST_COLUMNS: dict[str, Any] = {
    "phase": "Phase",
    "exchanges": st.column_config.NumberColumn("Exchanges", format="localized"),
    "output_tokens": st.column_config.NumberColumn("Output tokens", format="localized"),
    "est_cost_usd": st.column_config.NumberColumn("Est. cost (USD)", format="dollar"),
}

# Lazy tabs, bound to the URL: only the open tab's section runs its queries and sends its elements.
tabs = st.tabs(SECTIONS, key="section", bind="query-params")
for tab, section in zip(tabs, (harvest_section, infrastructure_section, members_section, prompts_section), strict=True):
    if tab.open:
        with tab:
            section()
