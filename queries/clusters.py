"""Account clusters: which groups of accounts share infrastructure, and what exactly do they share?"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, case, func, literal, select

from queries import schema
from queries.catalog import Bound, question


@question(bound=Bound.RUN, pages=("clusters",))
def cluster_ranking(*, run_id: str, include_allowlisted: bool = False, limit: int = 500) -> Select:
    """Which clusters does the run rank highest, and which campaign (if any) did each become?"""
    c, cp = schema.clusters, schema.campaigns
    q = (
        select(
            c.c.cluster_id,
            c.c.score,
            c.c.n_accounts,
            c.c.n_keys,
            c.c.calls,
            c.c.output_tokens,
            cp.c.campaign_id,
            c.c.reasons,
        )
        .select_from(c.outerjoin(cp, (cp.c.cluster_id == c.c.cluster_id) & (cp.c.run_id == c.c.run_id)))
        .where(c.c.run_id == run_id)
        .order_by(c.c.score.desc(), c.c.cluster_id)
        .limit(limit)
    )
    if not include_allowlisted:
        a = schema.account_scores
        allowlisted_only = (
            select(a.c.cluster_id)
            .where(a.c.run_id == run_id, a.c.cluster_id.is_not(None))
            .group_by(a.c.cluster_id)
            .having(func.min(case((a.c.allowlisted.is_(True), 1), else_=0)) == 1)
        )
        q = q.where(c.c.cluster_id.not_in(allowlisted_only))
    return q


@question(bound=Bound.RUN, pages=("clusters",))
def cluster_summary(*, run_id: str, cluster_id: str) -> Select:
    """What does the run say about this cluster (size, volume, reasons, campaign)?"""
    c, cp = schema.clusters, schema.campaigns
    return (
        select(c.c.cluster_id, c.c.score, c.c.n_accounts, c.c.n_keys, c.c.calls, c.c.output_tokens, c.c.reasons, cp.c.campaign_id)
        .select_from(c.outerjoin(cp, (cp.c.cluster_id == c.c.cluster_id) & (cp.c.run_id == c.c.run_id)))
        .where(c.c.run_id == run_id, c.c.cluster_id == cluster_id)
    )


@question(bound=Bound.RUN, pages=("clusters",))
def cluster_members(*, run_id: str, cluster_id: str, limit: int = 5000) -> Select:
    """Which accounts belong to the cluster, riskiest first, with their volume?"""
    a = schema.account_scores
    return (
        select(a.c.account_id, a.c.score, a.c.n_keys, a.c.calls, a.c.output_tokens, a.c.campaign_id, a.c.allowlisted, a.c.reasons)
        .where(a.c.run_id == run_id, a.c.cluster_id == cluster_id)
        .order_by(a.c.score.desc(), a.c.account_id)
        .limit(limit)
    )


def _links(run_id: str, cluster_id: str, edge_types: tuple[str, ...] | None) -> list[Any]:
    lk = schema.cluster_links
    conds: list[Any] = [lk.c.run_id == run_id, lk.c.cluster_id == cluster_id]
    if edge_types:
        conds.append(lk.c.edge_type.in_(edge_types))
    return conds


@question(bound=Bound.RUN, pages=("clusters",))
def cluster_edge_types(*, run_id: str, cluster_id: str) -> Select:
    """Which kinds of shared attribute tie the cluster together, and how many accounts share each kind?"""
    lk = schema.cluster_links
    return (
        select(
            lk.c.edge_type,
            func.count(func.distinct(lk.c.account_id)).label("accounts"),
            func.count(func.distinct(lk.c.value)).label("values"),
        )
        .where(*_links(run_id, cluster_id, None))
        .group_by(lk.c.edge_type)
        .order_by(func.count(func.distinct(lk.c.account_id)).desc(), lk.c.edge_type)
    )


@question(bound=Bound.RUN, pages=("clusters",))
def cluster_links(*, run_id: str, cluster_id: str, edge_types: tuple[str, ...] | None = None, limit: int = 2000) -> Select:
    """Which account shares which attribute (the graph's edges, for clusters small enough to draw whole)?"""
    lk = schema.cluster_links
    return (
        select(lk.c.account_id, lk.c.edge_type, lk.c.value, lk.c.weight)
        .where(*_links(run_id, cluster_id, edge_types))
        .order_by(lk.c.account_id, lk.c.edge_type, lk.c.value)
        .limit(limit)
    )


@question(bound=Bound.RUN, pages=("clusters",))
def cluster_keys(*, run_id: str, cluster_id: str, limit: int = 2000) -> Select:
    """Which API keys do the cluster's accounts hold, with their scores?"""
    k, a = schema.key_scores, schema.account_scores
    members = select(a.c.account_id).where(a.c.run_id == run_id, a.c.cluster_id == cluster_id)
    return (
        select(k.c.api_key_id, k.c.account_id, k.c.score, k.c.calls)
        .where(k.c.run_id == run_id, k.c.account_id.in_(members))
        .order_by(k.c.account_id, k.c.api_key_id)
        .limit(limit)
    )


@question(bound=Bound.RUN, pages=("clusters",))
def cluster_attributes(*, run_id: str, cluster_id: str, edge_types: tuple[str, ...] | None = None, limit: int = 40) -> Select:
    """Which shared attributes cover the most accounts of the cluster (the aggregated graph's nodes)? Counted at score time."""
    t = schema.cluster_attribute_counts
    q = select(t.c.edge_type, t.c.value, t.c.accounts).where(t.c.run_id == run_id, t.c.cluster_id == cluster_id)
    if edge_types:
        q = q.where(t.c.edge_type.in_(edge_types))
    return q.order_by(t.c.accounts.desc(), t.c.edge_type, t.c.value).limit(limit)


@question(bound=Bound.RUN, pages=("clusters",))
def attribute_overlap(*, run_id: str, cluster_id: str, edge_types: tuple[str, ...] | None = None, top: int = 40) -> Select:
    """How many accounts share each pair of the top attributes (the aggregated graph's edges)?"""
    lk = schema.cluster_links
    top_attrs = cluster_attributes(run_id=run_id, cluster_id=cluster_id, edge_types=edge_types, limit=top).subquery("top_attrs")
    picked = (
        select(lk.c.account_id, lk.c.edge_type, lk.c.value)
        .join(top_attrs, (top_attrs.c.edge_type == lk.c.edge_type) & (top_attrs.c.value == lk.c.value))
        .where(*_links(run_id, cluster_id, edge_types))
        .distinct()
        .subquery("picked")
    )
    x, y = picked.alias("x"), picked.alias("y")
    pair_a = x.c.edge_type + literal("|") + x.c.value
    pair_b = y.c.edge_type + literal("|") + y.c.value
    return (
        select(
            x.c.edge_type.label("type_a"),
            x.c.value.label("value_a"),
            y.c.edge_type.label("type_b"),
            y.c.value.label("value_b"),
            func.count().label("accounts"),
        )
        .select_from(x.join(y, x.c.account_id == y.c.account_id))
        .where(pair_a < pair_b)
        .group_by(x.c.edge_type, x.c.value, y.c.edge_type, y.c.value)
        .order_by(func.count().desc())
    )
