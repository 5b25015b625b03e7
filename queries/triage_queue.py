"""Which detection results does triage rank? The queue's builders, riskiest first, over one run's result tables.

Detection results are bounded by their run (one run covers one time window), so these builders take the run id
where telemetry builders take a window.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, select

from queries import schema
from queries.catalog import Bound, question


def _risk(q: Select, score: ColumnElement[Any], min_score: float | None, max_score: float | None) -> Select:
    """The query narrowed to a risk range (both ends included)."""
    if min_score is not None:
        q = q.where(score >= min_score)
    return q.where(score <= max_score) if max_score is not None else q


@question(bound=Bound.RUN, pages=("triage",))
def triage_campaigns(run_id: str, *, min_score: float | None = None, max_score: float | None = None) -> Select:
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
    return _risk(q, c.c.score, min_score, max_score)


@question(bound=Bound.RUN, pages=("triage",))
def triage_clusters(run_id: str, *, min_score: float | None = None, max_score: float | None = None) -> Select:
    """Which account clusters did this run find, riskiest first?"""
    c = schema.clusters
    q = (
        select(c.c.cluster_id.label("entity_id"), c.c.score, c.c.n_accounts, c.c.n_keys, c.c.calls, c.c.output_tokens, c.c.reasons)
        .where(c.c.run_id == run_id)
        .order_by(c.c.score.desc(), c.c.cluster_id)
    )
    return _risk(q, c.c.score, min_score, max_score)


@question(bound=Bound.RUN, pages=("triage",))
def triage_accounts(
    run_id: str,
    *,
    min_score: float | None = None,
    max_score: float | None = None,
    campaign_id: str | None = None,
    without_campaign: bool = False,
) -> Select:
    """Which accounts did this run score in a risk range, riskiest first (optionally one campaign's members, or those in none)?"""
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
    q = _risk(q, a.c.score, min_score, max_score)
    if without_campaign:
        q = q.where(a.c.campaign_id.is_(None))
    return q.where(a.c.campaign_id == campaign_id) if campaign_id is not None else q


@question(bound=Bound.RUN, pages=("triage",))
def triage_keys(
    run_id: str,
    *,
    min_score: float | None = None,
    max_score: float | None = None,
    campaign_id: str | None = None,
    without_campaign: bool = False,
) -> Select:
    """Which API keys did this run score in a risk range, riskiest first (optionally one campaign's keys, or those in none)?"""
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
    q = _risk(q, k.c.score, min_score, max_score)
    if without_campaign:
        q = q.where(a.c.campaign_id.is_(None))
    return q.where(a.c.campaign_id == campaign_id) if campaign_id is not None else q
