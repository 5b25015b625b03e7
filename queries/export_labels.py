"""Which rows does a labeled-data export read? The run's scored accounts, their features, and the requests of chosen accounts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, select

from queries import schema
from queries.catalog import Bound, question
from queries.dialect import trunc_day

REQUEST_COLUMNS = (
    "request_id",
    "ts",
    "account_id",
    "api_key_id",
    "model",
    "operation",
    "input_tokens",
    "output_tokens",
    "latency_ms",
    "status",
    "finish_reason",
    "tool_count",
    "has_image",
    "turn",
    "capability",
    "cot",
    "template_fp",
    "prompt_chars",
    "ip_prefix",
    "asn",
    "ip_class",
)


@question(bound=Bound.RUN)
def export_run(run_id: str) -> Select:
    """Which window did this detection run cover (no row when there is no such run)?"""
    s = schema.score_runs
    return select(s.c.run_id, s.c.window_start, s.c.window_end).where(s.c.run_id == run_id)


@question(bound=Bound.WINDOW)
def export_population(start: datetime, end: datetime, *, run_id: str) -> Select:
    """Which accounts did the run score, how did it judge them, how active were they and when were they first and last seen?

    One slim row per scored account: what an export chooses its positives, negatives and sample from.
    """
    a, r = schema.account_scores, schema.requests
    seen = (
        select(r.c.account_id, func.min(r.c.ts).label("first_seen"), func.max(r.c.ts).label("last_seen"))
        .where(r.c.ts >= start, r.c.ts < end)
        .group_by(r.c.account_id)
        .subquery("seen")
    )
    return (
        select(
            a.c.account_id,
            a.c.campaign_id,
            a.c.score,
            a.c.alerting,
            a.c.allowlisted,
            a.c.calls,
            seen.c.first_seen,
            seen.c.last_seen,
        )
        .select_from(a.outerjoin(seen, seen.c.account_id == a.c.account_id))
        .where(a.c.run_id == run_id)
        .order_by(a.c.account_id)
    )


@question(bound=Bound.RUN)
def export_accounts(run_id: str) -> Select:
    """What did the run compute for each account: its judgement, activity, key aggregates and feature values?"""
    a, k = schema.account_scores, schema.key_scores
    keys = (
        select(
            k.c.account_id,
            func.max(k.c.score).label("max_key_score"),
            func.avg(k.c.extraction_share).label("mean_key_extraction_share"),
        )
        .where(k.c.run_id == run_id)
        .group_by(k.c.account_id)
        .subquery("keys")
    )
    return (
        select(
            a.c.account_id,
            a.c.cluster_id,
            a.c.score,
            a.c.alerting,
            a.c.allowlisted,
            a.c.calls,
            a.c.output_tokens,
            a.c.n_keys,
            keys.c.max_key_score,
            keys.c.mean_key_extraction_share,
            a.c.features,
        )
        .select_from(a.outerjoin(keys, keys.c.account_id == a.c.account_id))
        .where(a.c.run_id == run_id)
        .order_by(a.c.account_id)
    )


@question(bound=Bound.WINDOW)
def export_requests(start: datetime, end: datetime, *, account_ids: Sequence[str], with_prompts: bool = False) -> Select:
    """Which requests did these accounts make in the window (prompt text only when asked for)?"""
    r = schema.requests
    cols = [r.c[name] for name in REQUEST_COLUMNS] + ([r.c.prompt] if with_prompts else [])
    return (
        select(*cols)
        .where(r.c.ts >= start, r.c.ts < end, r.c.account_id.in_(list(account_ids)))
        .order_by(r.c.account_id, r.c.ts, r.c.request_id)
    )


@question(bound=Bound.WINDOW)
def export_campaign_activity(start: datetime, end: datetime, *, run_id: str, campaign_id: str) -> Select:
    """How many calls and output tokens did the campaign's accounts make per day in the window?"""
    a, r = schema.account_scores, schema.requests
    members = select(a.c.account_id).where(a.c.run_id == run_id, a.c.campaign_id == campaign_id)
    day = trunc_day(r.c.ts).label("day")
    return (
        select(
            day,
            func.count().label("calls"),
            func.sum(r.c.output_tokens).label("output_tokens"),
            func.count(func.distinct(r.c.account_id)).label("accounts"),
        )
        .where(r.c.ts >= start, r.c.ts < end, r.c.account_id.in_(members))
        .group_by(day)
        .order_by(day)
    )
