"""Which detection results does triage rank? The queue's builders, riskiest first, over one run's result tables.

Detection results are bounded by their run (one run covers one time window), so these builders take the run id
where telemetry builders take a window.
"""

from __future__ import annotations

from sqlalchemy import Select, select

from queries import schema
from queries.catalog import Bound, question


@question(bound=Bound.RUN, pages=("triage",))
def triage_campaigns(run_id: str, *, min_score: float | None = None) -> Select:
    """Which campaigns did this run find, riskiest first?"""
    c = schema.campaigns
    q = (
        select(
            c.c.campaign_id.label("entity_id"),
            c.c.score,
            c.c.cluster_id,
            c.c.n_accounts,
            c.c.n_keys,
            c.c.calls,
            c.c.output_tokens,
            c.c.first_seen,
            c.c.last_seen,
            c.c.reasons,
        )
        .where(c.c.run_id == run_id)
        .order_by(c.c.score.desc(), c.c.campaign_id)
    )
    return q.where(c.c.score >= min_score) if min_score is not None else q


@question(bound=Bound.RUN, pages=("triage",))
def triage_clusters(run_id: str, *, min_score: float | None = None) -> Select:
    """Which account clusters did this run find, riskiest first?"""
    c = schema.clusters
    q = (
        select(c.c.cluster_id.label("entity_id"), c.c.score, c.c.n_accounts, c.c.n_keys, c.c.calls, c.c.output_tokens, c.c.reasons)
        .where(c.c.run_id == run_id)
        .order_by(c.c.score.desc(), c.c.cluster_id)
    )
    return q.where(c.c.score >= min_score) if min_score is not None else q


@question(bound=Bound.RUN, pages=("triage",))
def triage_accounts(run_id: str, *, min_score: float | None = None, campaign_id: str | None = None) -> Select:
    """Which accounts did this run score, riskiest first (optionally one campaign's members)?"""
    a = schema.account_scores
    q = (
        select(
            a.c.account_id.label("entity_id"),
            a.c.score,
            a.c.campaign_id,
            a.c.cluster_id,
            a.c.allowlisted,
            a.c.calls,
            a.c.output_tokens,
            a.c.n_keys,
            a.c.reasons,
        )
        .where(a.c.run_id == run_id)
        .order_by(a.c.score.desc(), a.c.account_id)
    )
    if min_score is not None:
        q = q.where(a.c.score >= min_score)
    return q.where(a.c.campaign_id == campaign_id) if campaign_id is not None else q


@question(bound=Bound.RUN, pages=("triage",))
def triage_keys(run_id: str, *, min_score: float | None = None, campaign_id: str | None = None) -> Select:
    """Which API keys did this run score, riskiest first (optionally the keys of one campaign's accounts)?"""
    k, a = schema.key_scores, schema.account_scores
    q = (
        select(
            k.c.api_key_id.label("entity_id"),
            k.c.score,
            k.c.account_id,
            a.c.campaign_id,
            k.c.extraction_share,
            k.c.allowlisted,
            k.c.calls,
            k.c.output_tokens,
            k.c.reasons,
        )
        .select_from(k.outerjoin(a, (a.c.run_id == k.c.run_id) & (a.c.account_id == k.c.account_id)))
        .where(k.c.run_id == run_id)
        .order_by(k.c.score.desc(), k.c.api_key_id)
    )
    if min_score is not None:
        q = q.where(k.c.score >= min_score)
    return q.where(a.c.campaign_id == campaign_id) if campaign_id is not None else q
