"""Clusters: which groups of accounts share infrastructure, and what exactly ties each group together?"""

from __future__ import annotations

import polars as pl
import streamlit as st

import app_state as state
from components.case_panel import render_case_panel
from components.display import fmt_int
from components.graph import MAX_ACCOUNTS_DRAWN, aggregate_graph_html, edge_label, legend_markdown, member_graph_html, render_graph
from components.row_links import open_selected
from queries import clusters
from radar.stored import decode_reasons


@st.cache_data(ttl=state.CACHE_TTL_S, show_spinner=False, max_entries=64)
def graph_html(
    warehouse: str,
    run_id: str,
    cluster_id: str,
    edge_types: tuple[str, ...] | None,
    n_accounts: int,
    show_keys: bool = False,
    search: str = "",
    asn_names: str = "",
) -> str:
    """The cluster's graph page, built once per warehouse, run, cluster, edge-type choice, key toggle, search and
    version of the ASN names file (state.names_version: an updated file relabels the graph)."""
    if n_accounts <= MAX_ACCOUNTS_DRAWN:
        links = state.query(clusters.cluster_links, run_id=run_id, cluster_id=cluster_id, edge_types=edge_types).frame
        keys = state.query(clusters.cluster_keys, run_id=run_id, cluster_id=cluster_id).frame
        return member_graph_html(state.label_asns(links, warn=False), keys, show_keys=show_keys, search=search)
    attrs = state.label_asns(
        state.query(clusters.cluster_attributes, run_id=run_id, cluster_id=cluster_id, edge_types=edge_types).frame, warn=False
    )
    overlap = state.query(clusters.attribute_overlap, run_id=run_id, cluster_id=cluster_id, edge_types=edge_types).frame
    for side in ("a", "b"):
        overlap = state.label_asns(overlap, value=f"value_{side}", kind=f"type_{side}", warn=False)
    return aggregate_graph_html(attrs, overlap, n_accounts)


st.title("Clusters")
filters = state.sidebar_filters()
run_id = state.require_data()
state.asn_names()  # warns here, once, when the names file is unreadable: the cached graph builder stays quiet
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
    placeholder="",
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
render_case_panel("cluster", selected)

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
        format_func=edge_label,
        key=f"edges_{cluster_id}",
        help="Each kind of shared attribute is an edge type; untick one to see what the others alone connect.",
    )
    state.set_url_value("edges", ",".join(chosen) if chosen and set(chosen) != set(all_types) else None)
    if not chosen:
        st.info("Pick at least one attribute kind to draw the graph.")
        return
    show_keys, search = False, ""
    if n_accounts <= MAX_ACCOUNTS_DRAWN:
        opts = st.columns([1, 2])
        show_keys = opts[0].toggle("Show keys", value=state.url_value("graphkeys") == "1", key=f"graph_keys_{cluster_id}")
        search = (
            opts[1]
            .text_input(
                "Highlight accounts",
                value=state.url_value("find") or "",
                placeholder="part of an account id",
                key=f"graph_find_{cluster_id}",
            )
            .strip()
        )
        state.set_url_value("graphkeys", "1" if show_keys else None)
        state.set_url_value("find", search or None)
        what = "Accounts, keys and the attributes they share" if show_keys else "Accounts and the attributes they share"
        st.markdown(
            f"**{what}** (click an account or key to open it in a new tab) · {legend_markdown(list(chosen), show_keys=show_keys)}",
            unsafe_allow_html=True,
        )
    else:
        st.markdown(
            f"**{n_accounts:,} accounts, aggregated: the most shared attributes** (node size = accounts sharing it; "
            f"edge width = accounts sharing both) · {legend_markdown(list(chosen), show_keys=False)}",
            unsafe_allow_html=True,
        )
    render_graph(
        graph_html(state.settings().warehouse, run, cluster_id, tuple(sorted(chosen)), n_accounts, show_keys, search, state.names_version())
    )


graph_col, table_col = st.columns([3, 2])
with graph_col:
    graph_section(run_id, selected, int(s["n_accounts"]))
    st.dataframe(
        kinds.with_columns(pl.Series("edge_type", [edge_label(str(t)) for t in kinds["edge_type"].to_list()], dtype=pl.String)),
        hide_index=True,
        column_config={
            "edge_type": "Attribute kind",
            "accounts": st.column_config.NumberColumn("Accounts sharing", format="localized"),
            "values": st.column_config.NumberColumn("Distinct values", format="localized"),
        },
        key="cluster_kinds",
    )
with table_col:
    members = state.query(clusters.cluster_members, run_id=run_id, cluster_id=selected)
    st.markdown(f"**Member accounts** ({fmt_int(members.frame.height)}) · click a row to open the account")
    member_rows = members.frame.drop("reasons", "campaign_id")
    picked = st.dataframe(
        member_rows,
        hide_index=True,
        height=560,
        on_select="rerun",
        selection_mode="single-row",
        placeholder="",
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
    open_selected(picked, member_rows, "account_id", "pages/keys.py", "q")
    state.show_truncated(members, "Members")
    keys_of = state.query(clusters.cluster_keys, run_id=run_id, cluster_id=selected).frame
    if keys_of.height:
        top_key = str(keys_of.sort("score", descending=True)["api_key_id"][0])
        state.page_link("pages/keys.py", f"Open its top key {state.md(top_key)}", icon=":material/key:", key=top_key)
