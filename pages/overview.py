"""Overview: what happened in the window, and which campaigns should the analyst open first?"""

from __future__ import annotations

import polars as pl
import streamlit as st

import app_state as state
from components.campaign_table import top_campaigns_table
from components.figures import render
from components.row_links import open_selected
from components.traffic import traffic_figure
from queries import overview
from queries.schema import ALERT_SCORE
from radar.cases.store import case_statuses


def campaign_statuses() -> dict[str, str] | None:
    """Which triage status does each campaign have in the case store ("new" when it has none)? None: unreachable."""
    try:
        frame = case_statuses(state.cases_engine(), "campaign")
    except Exception:  # noqa: BLE001 - the overview still shows detection when the case store is down
        return None
    return {str(r["entity_id"]): str(r["status"]) for r in frame.iter_rows(named=True)} if frame.height else {}


st.title("Overview")
filters = state.sidebar_filters()
run_id = state.require_data(need_run=False)
st.caption(f"Window: {state.md(filters.label)}" + (f" · detection run {state.md(run_id)}" if run_id else ""))
try:
    kpis = state.query(overview.traffic_kpis, **filters.window(), run_id=run_id).frame.row(0, named=True)
    counts = (
        state.query(overview.flagged_counts, start=filters.start, end=filters.end, run_id=run_id).frame.row(0, named=True)
        if run_id
        else None
    )
    traffic = state.query(overview.traffic_over_time, **filters.window(), run_id=run_id).frame
    top = state.query(overview.top_campaigns, start=filters.start, end=filters.end, run_id=run_id).frame if run_id else pl.DataFrame()
    load = state.query(overview.load_status).frame.row(0, named=True)
except Exception as exc:  # noqa: BLE001
    state.show_error(exc)
    st.stop()

cols = st.columns(6)
cols[0].metric("Requests", f"{kpis['requests']:,}")
cols[1].metric("Active keys", f"{kpis['active_keys']:,}")
cols[2].metric("Active accounts", f"{kpis['active_accounts']:,}")
cols[3].metric(
    "Campaigns", f"{counts['campaigns']:,}" if counts else "–", help="Campaigns the latest detection run found active in the window."
)
cols[4].metric(
    "Flagged keys",
    f"{counts['flagged_keys']:,}" if counts else "–",
    help=f"Keys of flagged accounts: accounts scoring {ALERT_SCORE:g} or more that are neither allowlisted nor dismissed.",
)
harvest_share = (kpis["flagged_output_tokens"] / kpis["output_tokens"]) if kpis["output_tokens"] else 0.0
cols[5].metric(
    "Output tokens harvested",
    f"{kpis['flagged_output_tokens'] / 1e6:,.2f} M",
    delta=f"{harvest_share:.0%} of all output",
    delta_color="off",
    help=f"Output tokens generated for flagged accounts (score {ALERT_SCORE:g} or more, neither allowlisted nor dismissed).",
)

render(traffic_figure(traffic), key="overview_traffic")

st.subheader("Top campaigns by risk")
if run_id is None:
    state.no_run_message()
elif top.is_empty():
    st.success("The latest detection run found no campaign active in this window.")
else:
    statuses = campaign_statuses()
    if statuses is None:
        st.warning("Triage statuses are not shown: the case store (RADAR_CASES_URL) cannot be opened.")
    table = top_campaigns_table(top, statuses or {})
    st.caption(
        "Ordered by risk, the campaign's detection score (0-1: how strongly its accounts' behaviour and shared "
        "infrastructure point to extraction); accounts, exchanges and output tokens beside it show its size. "
        "Click a row to open the campaign."
    )
    picked = st.dataframe(
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "campaign_id": "Campaign",
            "status": "Status",
            "score": st.column_config.ProgressColumn("Risk", min_value=0.0, max_value=1.0, format="%.2f"),
            "n_accounts": st.column_config.NumberColumn("Accounts", format="localized"),
            "n_keys": st.column_config.NumberColumn("Keys", format="localized"),
            "calls": st.column_config.NumberColumn("Exchanges", format="localized"),
            "output_tokens": st.column_config.NumberColumn("Output tokens", format="localized"),
            "first_seen": st.column_config.DatetimeColumn("First seen (UTC)", format="D MMM HH:mm"),
            "last_seen": st.column_config.DatetimeColumn("Last seen (UTC)", format="D MMM HH:mm"),
            "why": "Strongest reason",
            "cluster_id": "Cluster",
        },
        key="overview_campaigns",
    )
    open_selected(picked, table, "campaign_id", "pages/campaign.py", "campaign")

st.subheader("Loads")
c1, c2, c3 = st.columns(3)
c1.metric("Last load finished (UTC)", f"{load['last_load']:%d %b %Y %H:%M}" if load["last_load"] else "never")
c2.metric(
    "Files loaded", f"{load['files']:,}", delta=f"{load['failed_files']} failed" if load["failed_files"] else None, delta_color="inverse"
)
c3.metric(
    "Rows in quarantine",
    f"{load['quarantined']:,}",
    help="Rows that broke the telemetry contract; see the quarantine table for file, row and reason.",
)
