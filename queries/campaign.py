"""Campaigns: what did one extraction campaign do, from where, to which models, and how much did it take?

Everything a campaign did is read from the summaries its scoring run stored (queries/summaries.py), never from
the requests table: hourly and daily buckets filtered by the page's day-aligned window and model.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, Table, case, func, literal, select

from queries import dialect, schema
from queries.catalog import Bound, question


def _members(run_id: str, campaign_id: str) -> Select:
    a = schema.account_scores
    return select(a.c.account_id).where(a.c.run_id == run_id, a.c.campaign_id == campaign_id)


def _buckets(t: Table, time_col: str, start: datetime, end: datetime, run_id: str, model: str | None, **eq: str) -> list[Any]:
    """The rows of summary table `t` for the run, inside the window (buckets start on or after `start`, before `end`)."""
    conds: list[Any] = [t.c.run_id == run_id, t.c[time_col] >= start, t.c[time_col] < end]
    conds += [t.c[name] == value for name, value in eq.items()]
    if model:
        conds.append(t.c.model == model)
    return conds


@question(bound=Bound.RUN, pages=("campaign",))
def campaign_list(*, run_id: str, limit: int = 500) -> Select:
    """Which campaigns did the run find, riskiest first?"""
    c = schema.campaigns
    return (
        select(c.c.campaign_id, c.c.score, c.c.n_accounts, c.c.calls)
        .where(c.c.run_id == run_id)
        .order_by(c.c.score.desc(), c.c.campaign_id)
        .limit(limit)
    )


@question(bound=Bound.RUN, pages=("campaign",))
def campaign_summary(*, run_id: str, campaign_id: str) -> Select:
    """What does the run say about the campaign: size, volume, span, profile, indicators and reasons?"""
    c = schema.campaigns
    return select(c).where(c.c.run_id == run_id, c.c.campaign_id == campaign_id)


@question(bound=Bound.RUN, pages=("campaign",))
def campaign_members(*, run_id: str, campaign_id: str, limit: int = 5000) -> Select:
    """Which accounts make up the campaign, riskiest first?"""
    a, ac = schema.account_scores, schema.accounts
    return (
        select(
            a.c.account_id,
            a.c.score,
            a.c.n_keys,
            a.c.calls,
            a.c.output_tokens,
            ac.c.created_at,
            ac.c.country,
            ac.c.verification,
            ac.c.email_domain,
        )
        .select_from(a.outerjoin(ac, ac.c.account_id == a.c.account_id))
        .where(a.c.run_id == run_id, a.c.campaign_id == campaign_id)
        .order_by(a.c.score.desc(), a.c.account_id)
        .limit(limit)
    )


@question(bound=Bound.RUN, pages=("campaign",))
def campaign_keys(*, run_id: str, campaign_id: str, limit: int = 5000) -> Select:
    """Which keys did the campaign's accounts use, with their scores and revocation times?"""
    k, ak = schema.key_scores, schema.api_keys
    return (
        select(k.c.api_key_id, k.c.account_id, k.c.score, k.c.calls, k.c.output_tokens, ak.c.created_at, ak.c.revoked_at)
        .select_from(k.outerjoin(ak, ak.c.api_key_id == k.c.api_key_id))
        .where(k.c.run_id == run_id, k.c.account_id.in_(_members(run_id, campaign_id)))
        .order_by(k.c.score.desc(), k.c.api_key_id)
        .limit(limit)
    )


@question(bound=Bound.WINDOW, pages=("campaign",))
def campaign_timeline(start: datetime, end: datetime, *, run_id: str, campaign_id: str, model: str | None = None, top: int = 30) -> Select:
    """How many calls per hour did each of the campaign's busiest `top` accounts make (from the run's busiest 100)?"""
    t = schema.campaign_timeline_hours
    where = _buckets(t, "hour", start, end, run_id, model, campaign_id=campaign_id)
    busiest = select(t.c.account_id).where(*where).group_by(t.c.account_id).order_by(func.sum(t.c.calls).desc(), t.c.account_id).limit(top)
    return (
        select(t.c.account_id, t.c.hour, func.sum(t.c.calls).label("calls"))
        .where(*where, t.c.account_id.in_(busiest))
        .group_by(t.c.account_id, t.c.hour)
        .order_by(t.c.account_id, t.c.hour)
    )


@question(bound=Bound.WINDOW, pages=("campaign",))
def campaign_capability_profile(start: datetime, end: datetime, *, run_id: str, campaign_id: str, model: str | None = None) -> Select:
    """Which capabilities does the campaign target, against the benign (uncampaigned) baseline and the other campaigns?"""
    t = schema.capability_days
    side = case(
        (t.c.campaign_id == campaign_id, literal("campaign")),
        (t.c.campaign_id.is_(None), literal("benign baseline")),
        else_=literal("other campaigns"),
    ).label("population")
    return (
        select(side, t.c.capability, func.sum(t.c.calls).label("calls"), func.sum(t.c.cot_calls).label("cot_calls"))
        .where(*_buckets(t, "day", start, end, run_id, model))
        .group_by(side, t.c.capability)
        .order_by(side, t.c.capability)
    )


@question(bound=Bound.RUN, pages=("campaign",))
def campaign_infrastructure(*, run_id: str, campaign_id: str, model: str | None = None, top: int = 8) -> Select:
    """From which prefixes, ASNs, IP classes, countries, user agents and system prompts did the campaign call over the
    run's window (one model's calls, or every model's), with how many member accounts behind each value?"""
    t = schema.campaign_infrastructure_top
    by_model = t.c.model == model if model else t.c.model.is_(None)
    rank = func.row_number().over(partition_by=t.c.facet, order_by=(t.c.calls.desc(), t.c.value)).label("rank")
    ranked = (
        select(t.c.facet, t.c.value, t.c.calls, t.c.accounts, rank)
        .where(t.c.run_id == run_id, t.c.campaign_id == campaign_id, by_model)
        .subquery("ranked")
    )
    return (
        select(ranked.c.facet, ranked.c.value, ranked.c.calls, ranked.c.accounts)
        .where(ranked.c.rank <= top)
        .order_by(ranked.c.facet, ranked.c.calls.desc(), ranked.c.value)
    )


@question(bound=Bound.RUN, pages=("campaign",))
def campaign_sample_prompts(*, run_id: str, campaign_id: str, model: str | None = None, limit: int = 15) -> Select:
    """Which prompts show what the campaign asked? Two per template (first and last use in the run's window), busiest
    templates first, from its busiest accounts, redacted before they were stored (radar/detect/summaries.py)."""
    t = schema.campaign_prompt_samples
    q = select(t.c.ts, t.c.account_id, t.c.model, t.c.capability, t.c.template_fp, t.c.prompt).where(
        t.c.run_id == run_id, t.c.campaign_id == campaign_id
    )
    if model:
        q = q.where(t.c.model == model)
    return q.order_by(t.c.template_calls.desc(), t.c.template_fp, t.c.ts).limit(limit)


@question(bound=Bound.WINDOW, pages=("campaign",))
def campaign_harvest(start: datetime, end: datetime, *, run_id: str, campaign_id: str, model: str | None = None) -> Select:
    """How many exchanges and tokens did the campaign take per model, before and after its first key revocation
    (as known when the run was scored)?"""
    t, ca = schema.campaign_usage_hours, schema.campaign_actions
    first_action = select(ca.c.first_revocation).where(ca.c.run_id == run_id, ca.c.campaign_id == campaign_id).limit(1).scalar_subquery()
    return (
        select(
            t.c.model,
            t.c.phase,
            func.sum(t.c.calls).label("exchanges"),
            func.sum(t.c.input_tokens).label("input_tokens"),
            func.sum(t.c.output_tokens).label("output_tokens"),
            first_action.label("first_action"),
        )
        .where(*_buckets(t, "hour", start, end, run_id, model, campaign_id=campaign_id))
        .group_by(t.c.model, t.c.phase)
        .order_by(t.c.model, t.c.phase)
    )


@question(bound=Bound.WINDOW, pages=("campaign",))
def campaign_model_mix(start: datetime, end: datetime, *, run_id: str, campaign_id: str, model: str | None = None) -> Select:
    """Which models did the campaign call each day (does it pivot to a newly released model)?"""
    t = schema.campaign_usage_hours
    day = dialect.trunc_day(t.c.hour)
    return (
        select(day.label("day"), t.c.model, func.sum(t.c.calls).label("calls"))
        .where(*_buckets(t, "hour", start, end, run_id, model, campaign_id=campaign_id))
        .group_by(day, t.c.model)
        .order_by(day, t.c.model)
    )


@question(bound=Bound.RUN, pages=("campaign",))
def campaign_summarised(*, run_id: str, campaign_id: str) -> Select:
    """Did the run store summaries for the campaign (a run scored before summaries were kept has none)?"""
    ca = schema.campaign_actions
    return select(ca.c.campaign_id, ca.c.first_revocation).where(ca.c.run_id == run_id, ca.c.campaign_id == campaign_id)
