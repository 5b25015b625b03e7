"""Who belongs to a campaign, what did a run record about it, and what did an entity do? Builders over result tables.

Membership comes from one run's result tables (one run covers one time window), so membership builders take the
run id; an entity's activity reads the rollups and takes a window.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, select

from queries import rollups, schema
from queries.catalog import Bound, question
from queries.dialect import trunc_day
from queries.rollups import total


@question(bound=Bound.RUN)
def campaign_accounts(run_id: str, *, campaign_id: str) -> Select:
    """Which accounts belong to this campaign in this run?"""
    a = schema.account_scores
    return select(a.c.account_id).where(a.c.run_id == run_id, a.c.campaign_id == campaign_id).order_by(a.c.account_id)


@question(bound=Bound.RUN)
def campaign_keys(run_id: str, *, campaign_id: str) -> Select:
    """Which API keys belong to this campaign's accounts in this run?"""
    k, a = schema.key_scores, schema.account_scores
    return (
        select(k.c.api_key_id, k.c.account_id)
        .select_from(k.join(a, (a.c.run_id == k.c.run_id) & (a.c.account_id == k.c.account_id)))
        .where(k.c.run_id == run_id, a.c.campaign_id == campaign_id)
        .order_by(k.c.api_key_id)
    )


@question(bound=Bound.RUN)
def campaign_details(run_id: str, *, campaign_ids: Sequence[str]) -> Select:
    """What did this run record about these campaigns (indicators, profile, reasons)?"""
    c = schema.campaigns
    return select(c).where(c.c.run_id == run_id, c.c.campaign_id.in_(list(campaign_ids))).order_by(c.c.campaign_id)


@question(bound=Bound.WINDOW, pages=("case",))
def entity_activity(start: datetime, end: datetime, *, run_id: str, entity_type: str, entity_id: str) -> Select:
    """How many calls and output tokens did this campaign, cluster, account or key make per day in the window?

    Read from the rollups (a key from the key rollup, everything else from the account rollup), whole hours."""
    a = schema.account_scores
    r = schema.rollup_key_hours if entity_type == "api_key" else schema.rollup_account_hours
    day = trunc_day(r.c.hour).label("day")
    q = select(day, total(r.c.calls).label("calls"), total(r.c.output_tokens).label("output_tokens")).where(*rollups.window(r, start, end))
    if entity_type == "account":
        q = q.where(r.c.account_id == entity_id)
    elif entity_type == "api_key":
        q = q.where(r.c.api_key_id == entity_id)
    else:
        member_col = a.c.campaign_id if entity_type == "campaign" else a.c.cluster_id
        q = q.where(r.c.account_id.in_(select(a.c.account_id).where(a.c.run_id == run_id, member_col == entity_id)))
    return q.group_by(day).order_by(day)


@question(bound=Bound.SUMMARY, pages=("case",))
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


@question(bound=Bound.SUMMARY)
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
