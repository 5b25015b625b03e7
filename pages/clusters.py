"""Clusters: which groups of accounts share infrastructure, and what exactly ties each group together?"""

from __future__ import annotations

import streamlit as st

import app_state as state
from components.graph import MAX_ACCOUNTS_DRAWN, aggregate_graph_html, legend_markdown, member_graph_html, render_graph
from queries import clusters
from radar.stored import decode_reasons


@st.cache_data(ttl=state.CACHE_TTL_S, show_spinner=False, max_entries=64)
def graph_html(warehouse: str, run_id: str, cluster_id: str, edge_types: tuple[str, ...] | None, n_accounts: int) -> str:
    """The cluster's graph page, built once per warehouse, run, cluster and edge-type choice."""
    if n_accounts <= MAX_ACCOUNTS_DRAWN:
        links = state.query(clusters.cluster_links, run_id=run_id, cluster_id=cluster_id, edge_types=edge_types).frame
        return member_graph_html(links, state.query(clusters.cluster_keys, run_id=run_id, cluster_id=cluster_id).frame)
    attrs = state.query(clusters.cluster_attributes, run_id=run_id, cluster_id=cluster_id, edge_types=edge_types).frame
    overlap = state.query(clusters.attribute_overlap, run_id=run_id, cluster_id=cluster_id, edge_types=edge_types).frame
    return aggregate_graph_html(attrs, overlap, n_accounts)


st.title("Clusters")
filters = state.sidebar_filters()
run_id = state.require_data()
assert run_id is not None

try:
    ranked = state.query(clusters.cluster_ranking, run_id=run_id, include_allowlisted=filters.include_allowlisted)
except Exception as exc:  # noqa: BLE001
    state.show_error(exc)
    st.stop()
table = ranked.frame
selected = state.url_value("cluster")

st.subheader("Clusters ranked by score")
if table.is_empty():
    st.info("The latest detection run found no account clusters.")
    st.stop()
event = st.dataframe(
    table.drop("reasons"),
    hide_index=True,
    height=220,
    on_select="rerun",
    selection_mode="single-row",
    key="clusters_table",
    column_config={
        "cluster_id": "Cluster",
        "score": st.column_config.ProgressColumn("Score", min_value=0.0, max_value=1.0, format="%.2f"),
        "n_accounts": st.column_config.NumberColumn("Accounts", format="localized"),
        "n_keys": st.column_config.NumberColumn("Keys", format="localized"),
        "calls": st.column_config.NumberColumn("Calls", format="localized"),
        "output_tokens": st.column_config.NumberColumn("Output tokens", format="localized"),
        "campaign_id": "Campaign",
    },
)
rows = event.selection.rows if hasattr(event, "selection") else []
if rows:
    selected = str(table["cluster_id"][rows[0]])
state.show_truncated(ranked, "Clusters")
if not selected:
    selected = str(table["cluster_id"][0])
state.set_url_value("cluster", selected)

summary = state.query(clusters.cluster_summary, run_id=run_id, cluster_id=selected).frame
if summary.is_empty():
    st.warning(f"Cluster {state.md(selected)} is not in the latest detection run; pick one from the table.")
    st.stop()
s = summary.row(0, named=True)
st.header(f"Cluster {state.md(selected)}")
head = st.columns([1, 1, 1, 2])
head[0].metric("Accounts", f"{s['n_accounts']:,}")
head[1].metric("Keys", f"{s['n_keys'] or 0:,}")
head[2].metric("Calls", f"{s['calls'] or 0:,}")
with head[3]:
    if s["campaign_id"]:
        state.page_link(
            "pages/campaign.py", f"Open campaign {state.md(s['campaign_id'])}", icon=":material/crisis_alert:", campaign=s["campaign_id"]
        )
    st.markdown("\n".join(f"- {state.md(r)}" for r in decode_reasons(s["reasons"])))

kinds = state.query(clusters.cluster_edge_types, run_id=run_id, cluster_id=selected).frame


@st.fragment
def graph_section(run: str, cluster_id: str, n_accounts: int) -> None:
    """The edge-type choice and the graph: ticking a kind reruns this section only; each graph is built once and cached."""
    all_types = [str(t) for t in kinds["edge_type"].to_list()]
    url_types = [t for t in (state.url_value("edges") or "").split(",") if t in all_types]
    chosen = st.multiselect(
        "Shared attributes to draw",
        all_types,
        default=url_types or all_types,
        key=f"edges_{cluster_id}",
        help="Each kind of shared attribute is an edge type; untick one to see what the others alone connect.",
    )
    state.set_url_value("edges", ",".join(chosen) if chosen and set(chosen) != set(all_types) else None)
    if not chosen:
        st.info("Pick at least one attribute kind to draw the graph.")
        return
    if n_accounts <= MAX_ACCOUNTS_DRAWN:
        st.markdown(f"**Accounts, keys and the attributes they share** · {legend_markdown(list(chosen))}", unsafe_allow_html=True)
    else:
        st.markdown(
            f"**{n_accounts:,} accounts, aggregated: the most shared attributes** (node size = accounts sharing it; "
            f"edge width = accounts sharing both) · {legend_markdown(list(chosen))}",
            unsafe_allow_html=True,
        )
    render_graph(graph_html(state.settings().warehouse, run, cluster_id, tuple(sorted(chosen)), n_accounts))


graph_col, table_col = st.columns([3, 2])
with graph_col:
    graph_section(run_id, selected, int(s["n_accounts"]))
    st.dataframe(
        kinds,
        hide_index=True,
        column_config={"edge_type": "Attribute kind", "accounts": "Accounts sharing", "values": "Distinct values"},
        key="cluster_kinds",
    )
with table_col:
    members = state.query(clusters.cluster_members, run_id=run_id, cluster_id=selected)
    st.markdown(f"**Member accounts** ({members.frame.height:,})")
    st.dataframe(
        members.frame.drop("reasons", "campaign_id"),
        hide_index=True,
        height=560,
        lazy=True,
        column_config={
            "account_id": "Account",
            "score": st.column_config.ProgressColumn("Score", min_value=0.0, max_value=1.0, format="%.2f"),
            "n_keys": "Keys",
            "calls": st.column_config.NumberColumn("Calls", format="localized"),
            "output_tokens": st.column_config.NumberColumn("Output tokens", format="localized"),
            "allowlisted": "Allowlisted",
        },
        key="cluster_members",
    )
    state.show_truncated(members, "Members")
    keys_of = state.query(clusters.cluster_keys, run_id=run_id, cluster_id=selected).frame
    if keys_of.height:
        top_key = str(keys_of.sort("score", descending=True)["api_key_id"][0])
        state.page_link("pages/keys.py", f"Open its top key {state.md(top_key)}", icon=":material/key:", key=top_key)
