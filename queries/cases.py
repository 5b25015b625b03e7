"""Which detection results does triage rank, and who belongs to a campaign? Builders over the warehouse's result tables.

Detection results are bounded by their run (one run covers one time window), so these builders take the run id
where telemetry builders take a window.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, select

from queries import schema
from queries.dialect import trunc_day


def latest_done_run() -> Select:
    """Which detection run finished last?"""
    s = schema.score_runs
    return (
        select(s.c.run_id, s.c.window_start, s.c.window_end, s.c.finished_at)
        .where(s.c.status == "done")
        .order_by(s.c.finished_at.desc(), s.c.run_id.desc())
        .limit(1)
    )


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


def triage_clusters(run_id: str, *, min_score: float | None = None) -> Select:
    """Which account clusters did this run find, riskiest first?"""
    c = schema.clusters
    q = (
        select(c.c.cluster_id.label("entity_id"), c.c.score, c.c.n_accounts, c.c.n_keys, c.c.calls, c.c.output_tokens, c.c.reasons)
        .where(c.c.run_id == run_id)
        .order_by(c.c.score.desc(), c.c.cluster_id)
    )
    return q.where(c.c.score >= min_score) if min_score is not None else q


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


def campaign_accounts(run_id: str, *, campaign_id: str) -> Select:
    """Which accounts belong to this campaign in this run?"""
    a = schema.account_scores
    return select(a.c.account_id).where(a.c.run_id == run_id, a.c.campaign_id == campaign_id).order_by(a.c.account_id)


def campaign_keys(run_id: str, *, campaign_id: str) -> Select:
    """Which API keys belong to this campaign's accounts in this run?"""
    k, a = schema.key_scores, schema.account_scores
    return (
        select(k.c.api_key_id, k.c.account_id)
        .select_from(k.join(a, (a.c.run_id == k.c.run_id) & (a.c.account_id == k.c.account_id)))
        .where(k.c.run_id == run_id, a.c.campaign_id == campaign_id)
        .order_by(k.c.api_key_id)
    )


def campaign_details(run_id: str, *, campaign_ids: Sequence[str]) -> Select:
    """What did this run record about these campaigns (indicators, profile, reasons)?"""
    c = schema.campaigns
    return select(c).where(c.c.run_id == run_id, c.c.campaign_id.in_(list(campaign_ids))).order_by(c.c.campaign_id)


def entity_activity(start: datetime, end: datetime, *, run_id: str, entity_type: str, entity_id: str) -> Select:
    """How many calls and output tokens did this campaign, cluster, account or key make per day in the window?"""
    r, a = schema.requests, schema.account_scores
    day = trunc_day(r.c.ts).label("day")
    q = select(day, func.count().label("calls"), func.sum(r.c.output_tokens).label("output_tokens")).where(r.c.ts >= start, r.c.ts < end)
    if entity_type == "account":
        q = q.where(r.c.account_id == entity_id)
    elif entity_type == "api_key":
        q = q.where(r.c.api_key_id == entity_id)
    else:
        member_col = a.c.campaign_id if entity_type == "campaign" else a.c.cluster_id
        q = q.where(r.c.account_id.in_(select(a.c.account_id).where(a.c.run_id == run_id, member_col == entity_id)))
    return q.group_by(day).order_by(day)


def entity_run(*, entity_type: str, entity_id: str) -> Select:
    """Which finished detection run most recently found this campaign or cluster (its membership comes from there)?"""
    a, s = schema.account_scores, schema.score_runs
    member_col = a.c.campaign_id if entity_type == "campaign" else a.c.cluster_id
    return (
        select(a.c.run_id)
        .select_from(a.join(s, s.c.run_id == a.c.run_id))
        .where(s.c.status == "done", member_col == entity_id)
        .group_by(a.c.run_id, s.c.started_at)
        .order_by(s.c.started_at.desc(), a.c.run_id.desc())
        .limit(1)
    )


def campaign_indicators(*, campaign_ids: Sequence[str]) -> Select:
    """Which indicators did finished runs record for these campaigns, newest run first?

    Not bounded to one run: a campaign confirmed on an earlier run keeps feeding detection after later runs.
    """
    c, s = schema.campaigns, schema.score_runs
    return (
        select(c.c.campaign_id, c.c.indicators, c.c.run_id)
        .select_from(c.join(s, s.c.run_id == c.c.run_id))
        .where(s.c.status == "done", c.c.campaign_id.in_(list(campaign_ids)))
        .order_by(c.c.campaign_id, s.c.finished_at.desc())
    )
