"""Overview questions: how much traffic is there, how much of it is flagged, and which campaigns matter most?"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, false, func, literal, or_, select

from queries import dialect, schema

#: A key counts as flagged when its score reaches this level or its account belongs to a campaign.
FLAG_SCORE = 0.5


def data_extent() -> Select:
    """Which time span does the telemetry cover, and how many requests does it hold?"""
    r = schema.requests
    return select(func.min(r.c.ts).label("first_ts"), func.max(r.c.ts).label("last_ts"), func.count().label("requests"))


def model_list() -> Select:
    """Which models does the telemetry mention, busiest first?"""
    r = schema.requests
    return select(r.c.model, func.count().label("calls")).group_by(r.c.model).order_by(func.count().desc(), r.c.model)


def latest_run() -> Select:
    """Which detection run finished last?"""
    s = schema.score_runs
    return (
        select(s.c.run_id, s.c.started_at, s.c.finished_at, s.c.window_start, s.c.window_end)
        .where(s.c.status == "done")
        .order_by(s.c.finished_at.desc(), s.c.run_id.desc())
        .limit(1)
    )


def _window(start: datetime, end: datetime, model: str | None) -> list[Any]:
    r = schema.requests
    conds: list[Any] = [r.c.ts >= start, r.c.ts < end]
    if model:
        conds.append(r.c.model == model)
    return conds


def _flagged_accounts(run_id: str, include_allowlisted: bool = False) -> Select:
    """Accounts the run placed in a campaign (the flagged population)."""
    a = schema.account_scores
    q = select(a.c.account_id, a.c.campaign_id).where(a.c.run_id == run_id, a.c.campaign_id.is_not(None))
    return q if include_allowlisted else q.where(a.c.allowlisted.is_(False))


def traffic_kpis(start: datetime, end: datetime, *, run_id: str | None = None, model: str | None = None) -> Select:
    """How many requests, keys, accounts and output tokens in the window, and how much of it came from campaigns?"""
    r = schema.requests
    if run_id is None:
        flagged_calls: Any = literal(0)
        harvested: Any = literal(0)
        src: Any = r
    else:
        f = _flagged_accounts(run_id).subquery("f")
        src = r.outerjoin(f, f.c.account_id == r.c.account_id)
        flagged_calls = func.count(f.c.account_id)
        harvested = func.coalesce(func.sum(case((f.c.account_id.is_not(None), r.c.output_tokens), else_=0)), 0)
    return (
        select(
            func.count().label("requests"),
            dialect.approx_distinct(r.c.api_key_id).label("active_keys"),
            dialect.approx_distinct(r.c.account_id).label("active_accounts"),
            func.coalesce(func.sum(r.c.output_tokens), 0).label("output_tokens"),
            flagged_calls.label("flagged_requests"),
            harvested.label("harvested_output_tokens"),
        )
        .select_from(src)
        .where(*_window(start, end, model))
    )


def flagged_counts(start: datetime, end: datetime, *, run_id: str) -> Select:
    """How many campaigns overlap the window, and how many keys does the run flag?"""
    c, k = schema.campaigns, schema.key_scores
    f = _flagged_accounts(run_id).subquery("f")
    n_campaigns = (
        select(func.count())
        .where(
            c.c.run_id == run_id, or_(c.c.last_seen.is_(None), c.c.last_seen >= start), or_(c.c.first_seen.is_(None), c.c.first_seen < end)
        )
        .scalar_subquery()
    )
    n_keys = (
        select(func.count())
        .select_from(k.outerjoin(f, f.c.account_id == k.c.account_id))
        .where(k.c.run_id == run_id, k.c.allowlisted.is_(False), or_(k.c.score >= FLAG_SCORE, f.c.account_id.is_not(None)))
        .scalar_subquery()
    )
    return select(n_campaigns.label("campaigns"), n_keys.label("flagged_keys"))


def traffic_over_time(start: datetime, end: datetime, *, run_id: str | None = None, model: str | None = None) -> Select:
    """How many calls per hour, split into traffic from flagged (campaign) accounts and the rest?"""
    r = schema.requests
    hour = dialect.trunc_hour(r.c.ts)
    if run_id is None:
        flagged: Any = false()
        src: Any = r
    else:
        f = _flagged_accounts(run_id).subquery("f")
        src = r.outerjoin(f, f.c.account_id == r.c.account_id)
        flagged = f.c.account_id.is_not(None)
    return (
        select(
            hour.label("hour"), flagged.label("flagged"), func.count().label("calls"), func.sum(r.c.output_tokens).label("output_tokens")
        )
        .select_from(src)
        .where(*_window(start, end, model))
        .group_by(*([hour] if run_id is None else [hour, flagged]))  # a constant cannot be grouped on in PostgreSQL
        .order_by(hour)
    )


def top_campaigns(start: datetime, end: datetime, *, run_id: str, limit: int = 20) -> Select:
    """Which campaigns active in the window carry the most risk?"""
    c = schema.campaigns
    return (
        select(
            c.c.campaign_id,
            c.c.cluster_id,
            c.c.score,
            c.c.n_accounts,
            c.c.n_keys,
            c.c.calls,
            c.c.output_tokens,
            c.c.first_seen,
            c.c.last_seen,
            c.c.reasons,
        )
        .where(
            c.c.run_id == run_id, or_(c.c.last_seen.is_(None), c.c.last_seen >= start), or_(c.c.first_seen.is_(None), c.c.first_seen < end)
        )
        .order_by(c.c.score.desc(), c.c.campaign_id)
        .limit(limit)
    )


def load_status() -> Select:
    """When did the last load finish, how many files has the warehouse loaded, and how many rows sit in quarantine?"""
    lg, q = schema.load_log, schema.quarantine
    n_quarantined = select(func.count()).select_from(q).scalar_subquery()
    return select(
        func.max(lg.c.finished_at).label("last_load"),
        func.count().label("files"),
        func.count(case((lg.c.status == "failed", 1))).label("failed_files"),
        func.coalesce(func.sum(lg.c.rows_loaded), 0).label("rows_loaded"),
        n_quarantined.label("quarantined"),
    ).where(and_(lg.c.load_id.is_not(None)))
