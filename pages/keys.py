"""Keys: how does one API key behave against its own history and its peers, and why did it score as it did?"""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

import app_state as state
from components.case_panel import render_case_panel
from components.figures import render
from components.key_charts import (
    active_hours_figure,
    capability_figure,
    compare_bins_figure,
    hourly_volume_figure,
    interarrival_figure,
    template_figure,
)
from components.key_split import split_sentence
from queries import key_baselines, key_split
from radar.stored import decode_reasons

st.title("Keys")
filters = state.sidebar_filters()
run_id = state.require_data()
assert run_id is not None

search = st.text_input(
    "Find a key or account",
    value=state.url_value("q") or "",
    placeholder="api key id or account id (part of it is enough)",
    key="keys_search",
).strip()
state.set_url_value("q", search or None)

try:
    ranked = state.query(key_baselines.flagged_keys, run_id=run_id, search=search or None, include_allowlisted=filters.include_allowlisted)
except Exception as exc:  # noqa: BLE001
    state.show_error(exc)
    st.stop()
table = ranked.frame
selected = state.url_value("key")
if search and table.filter(pl.col("api_key_id") == search).height == 1:
    selected = search

st.subheader("Keys ranked by score" + (f" matching “{state.md(search)}”" if search else ""))
if table.is_empty():
    st.info("No scored key matches; check the id, or widen the search." if search else "The latest run scored no keys.")
else:
    event = st.dataframe(
        table,
        hide_index=True,
        height=260,
        on_select="rerun",
        selection_mode="single-row",
        key=f"keys_table_{search}",  # a new search starts a new selection
        placeholder="",
        column_config={
            "api_key_id": "Key",
            "account_id": "Account",
            "score": st.column_config.ProgressColumn("Score", min_value=0.0, max_value=1.0, format="%.2f"),
            "extraction_share": st.column_config.NumberColumn("Extraction share", format="percent"),
            "calls": st.column_config.NumberColumn("Calls", format="localized"),
            "output_tokens": st.column_config.NumberColumn("Output tokens", format="localized"),
            "cluster_id": "Cluster",
            "campaign_id": "Campaign",
            "allowlisted": "Allowlisted",
        },
    )
    rows = event.selection.rows if hasattr(event, "selection") else []
    if rows:
        selected = str(table["api_key_id"][rows[0]])
    state.show_truncated(ranked, "Keys")
    st.caption("Select a row to open the key.")

state.set_url_value("key", selected)
if not selected:
    st.stop()

profile = state.query(key_baselines.key_profile, run_id=run_id, api_key_id=selected).frame
if profile.is_empty():
    st.warning(f"The latest detection run has no score for key {state.md(selected)}; it may have had no traffic in the run's window.")
    st.stop()
p = profile.row(0, named=True)
st.header(f"Key {state.md(selected)}")
c = st.columns(5)
c[0].metric("Score", f"{p['score']:.2f}")
c[1].metric("Extraction share", f"{(p['extraction_share'] or 0):.0%}")
c[2].metric("Calls (run window)", f"{p['calls'] or 0:,}")
c[3].metric("Output tokens", f"{p['output_tokens'] or 0:,}")
c[4].metric("Revoked (UTC)", f"{p['revoked_at']:%d %b %H:%M}" if p["revoked_at"] else "no")
links = st.columns(3)
with links[0]:
    state.page_link("pages/keys.py", f"All keys of account {state.md(p['account_id'])}", icon=":material/person:", q=p["account_id"])
if p["cluster_id"]:
    with links[1]:
        state.page_link("pages/clusters.py", f"Cluster {state.md(p['cluster_id'])}", icon=":material/hub:", cluster=p["cluster_id"])
if p["campaign_id"]:
    with links[2]:
        state.page_link(
            "pages/campaign.py", f"Campaign {state.md(p['campaign_id'])}", icon=":material/crisis_alert:", campaign=p["campaign_id"]
        )

render_case_panel("api_key", selected)

reasons = decode_reasons(p["reasons"])
split = state.query(key_split.key_split, run_id=run_id, api_key_id=selected).frame
with st.container(border=True):
    st.markdown("**Why this score**")
    st.markdown("\n".join(f"- {state.md(r)}" for r in reasons) if reasons else "The run recorded no reasons for this key.")
    if split.height:
        st.markdown(f"**Traffic split:** {state.md(split_sentence(split.row(0, named=True)))}")

w = filters.window()
#: The key's baselines in three views; only the open one asks its questions and draws its charts (lazy tabs, bound
#: to the URL so a shared link opens the same view).
VIEWS = ("Volume and hours", "Timing and prompt length", "Capabilities and templates")


def _ask(question: Any, **kwargs: Any) -> Any:
    args: dict[str, Any] = {**w, **kwargs}
    return state.query(question, **args).frame


def volume_view() -> None:
    """Calls per hour against the peer band, and the hours of day the key works."""
    hours = _ask(key_baselines.key_baselines, api_key_id=selected)
    if hours.is_empty():
        st.info(f"Key {state.md(selected)} made no calls in {state.md(filters.label)}; widen the window in the sidebar.")
    render(hourly_volume_figure(hours, _ask(key_baselines.peer_hourly_band, run_id=run_id)), key="key_volume")
    render(active_hours_figure(_ask(key_baselines.key_active_hours, api_key_id=selected)), key="key_hours")


def timing_view() -> None:
    """How far apart the key's calls are, and how long its prompts are against all traffic."""
    left, right = st.columns(2)
    with left:
        render(interarrival_figure(_ask(key_baselines.key_interarrival, api_key_id=selected)), key="key_gaps")
    with right:
        lengths = _ask(key_baselines.prompt_lengths, api_key_id=selected)
        render(compare_bins_figure(lengths, _ask(key_baselines.prompt_lengths)), key="key_lengths")


def content_view() -> None:
    """What the key asks for against all traffic, and which templates it reuses."""
    left, right = st.columns(2)
    with left:
        caps = _ask(key_baselines.capability_mix, api_key_id=selected)
        all_caps = _ask(key_baselines.capability_mix)
        title = "Capability mix against all traffic"
        render(capability_figure(caps, all_caps, subject_name="this key", baseline_name="all traffic", title=title), key="key_caps")
    with right:
        render(template_figure(_ask(key_baselines.template_concentration, api_key_id=selected)), key="key_templates")


tabs = st.tabs(VIEWS, key="view", bind="query-params")
for tab, view in zip(tabs, (volume_view, timing_view, content_view), strict=True):
    if tab.open:
        with tab:
            try:
                view()
            except Exception as exc:  # noqa: BLE001
                state.show_error(exc)
