"""Overview questions: how much traffic is there, how much of it is flagged, and which campaigns matter most?

Traffic figures read the rollups (queries/rollups.py), never the request table: hour x account when every model
counts, hour x key x model when one model is chosen. Windows count whole hours, as the rollups do.

"Flagged" has one meaning: an account whose stored `account_scores.alerting` is true for the run (score at
or above `schema.ALERT_SCORE`, neither allowlisted nor dismissed); a flagged key is a key of a flagged
account (unless the key itself is allowlisted); flagged traffic is the traffic of flagged accounts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, and_, case, distinct, false, func, literal, or_, select, true

from queries import rollups, schema
from queries.catalog import Bound, question
from queries.rollups import total


@question(bound=Bound.SUMMARY, pages=("sidebar",))
def data_extent() -> Select:
    """Which time span does the telemetry cover, and how many requests does it hold?"""
    a = schema.rollup_account_hours
    return select(func.min(a.c.first_ts).label("first_ts"), func.max(a.c.last_ts).label("last_ts"), total(a.c.calls).label("requests"))


@question(bound=Bound.SUMMARY, pages=("sidebar",))
def model_list() -> Select:
    """Which models does the telemetry mention, busiest first?"""
    k = schema.rollup_key_hours
    return select(k.c.model, total(k.c.calls).label("calls")).group_by(k.c.model).order_by(total(k.c.calls).desc(), k.c.model)


def _rollup(model: str | None) -> Table:
    """The rollup that answers a window's traffic: per account when every model counts, per key and model otherwise."""
    return schema.rollup_key_hours if model else schema.rollup_account_hours


def _window(rollup: Table, start: datetime, end: datetime, model: str | None) -> list[Any]:
    return rollups.model_window(rollup, start, end, model) if model else rollups.window(rollup, start, end)


def _flagged_accounts(run_id: str) -> Select:
    """Which accounts does the run flag (stored alerting true)?"""
    a = schema.account_scores
    return select(a.c.account_id).where(a.c.run_id == run_id, a.c.alerting.is_(true()))


@question(bound=Bound.WINDOW, pages=("overview",))
def traffic_kpis(start: datetime, end: datetime, *, run_id: str | None = None, model: str | None = None) -> Select:
    """How many requests, keys, accounts and output tokens in the window, and how much of it came from flagged accounts?

    Keys and accounts are exact distinct counts over the key-grained rollup."""
    k = schema.rollup_key_hours
    if run_id is None:
        flagged_calls: Any = literal(0)
        flagged_tokens: Any = literal(0)
        src: Any = k
    else:
        f = _flagged_accounts(run_id).subquery("f")
        src = k.outerjoin(f, f.c.account_id == k.c.account_id)
        flagged_calls = total(case((f.c.account_id.is_not(None), k.c.calls), else_=0))
        flagged_tokens = total(case((f.c.account_id.is_not(None), k.c.output_tokens), else_=0))
    return (
        select(
            total(k.c.calls).label("requests"),
            func.count(distinct(k.c.api_key_id)).label("active_keys"),
            func.count(distinct(k.c.account_id)).label("active_accounts"),
            total(k.c.output_tokens).label("output_tokens"),
            flagged_calls.label("flagged_requests"),
            flagged_tokens.label("flagged_output_tokens"),
        )
        .select_from(src)
        .where(*_window(k, start, end, model))
    )


@question(bound=Bound.WINDOW, pages=("overview",))
def flagged_counts(start: datetime, end: datetime, *, run_id: str) -> Select:
    """How many campaigns overlap the window, and how many keys does the run flag (keys of flagged accounts)?"""
    c, k = schema.campaigns, schema.key_scores
    n_campaigns = (
        select(func.count())
        .where(
            c.c.run_id == run_id, or_(c.c.last_seen.is_(None), c.c.last_seen >= start), or_(c.c.first_seen.is_(None), c.c.first_seen < end)
        )
        .scalar_subquery()
    )
    n_keys = (
        select(func.count())
        # An analyst's allowlisting of a key outranks its account's alert, as it does in scoring.
        .where(k.c.run_id == run_id, k.c.allowlisted.is_(False), k.c.account_id.in_(_flagged_accounts(run_id)))
        .scalar_subquery()
    )
    return select(n_campaigns.label("campaigns"), n_keys.label("flagged_keys"))


@question(bound=Bound.WINDOW, pages=("overview",))
def traffic_over_time(start: datetime, end: datetime, *, run_id: str | None = None, model: str | None = None) -> Select:
    """How many calls per hour, split into traffic from flagged accounts and the rest?"""
    t = _rollup(model)
    if run_id is None:
        flagged: Any = false()
        src: Any = t
    else:
        f = _flagged_accounts(run_id).subquery("f")
        src = t.outerjoin(f, f.c.account_id == t.c.account_id)
        flagged = f.c.account_id.is_not(None)
    return (
        select(t.c.hour, flagged.label("flagged"), total(t.c.calls).label("calls"), total(t.c.output_tokens).label("output_tokens"))
        .select_from(src)
        .where(*_window(t, start, end, model))
        .group_by(*([t.c.hour] if run_id is None else [t.c.hour, flagged]))  # a constant cannot be grouped on in PostgreSQL
        .order_by(t.c.hour)
    )


@question(bound=Bound.WINDOW, pages=("overview",))
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


@question(bound=Bound.SUMMARY, pages=("overview",))
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
