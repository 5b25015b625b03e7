"""Campaigns: what did one extraction campaign do, from where, to which models, and how much did it take?"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, case, cast, func, literal, select, union_all

from queries import dialect, schema
from queries.catalog import Bound, question

#: sample prompts come from this many of the campaign's busiest accounts
SAMPLE_ACCOUNTS = 50


def _members(run_id: str, campaign_id: str, busiest: int | None = None) -> Select:
    a = schema.account_scores
    q = select(a.c.account_id).where(a.c.run_id == run_id, a.c.campaign_id == campaign_id)
    return q.order_by(a.c.calls.desc(), a.c.account_id).limit(busiest) if busiest else q


def _window(start: datetime, end: datetime, model: str | None) -> list[Any]:
    r = schema.requests
    conds: list[Any] = [r.c.ts >= start, r.c.ts < end]
    if model:
        conds.append(r.c.model == model)
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
    """How many calls per hour did each of the campaign's busiest `top` accounts make?"""
    r = schema.requests
    busiest = (
        select(r.c.account_id)
        .where(*_window(start, end, model), r.c.account_id.in_(_members(run_id, campaign_id)))
        .group_by(r.c.account_id)
        .order_by(func.count().desc(), r.c.account_id)
        .limit(top)
    )
    hour = dialect.trunc_hour(r.c.ts)
    return (
        select(r.c.account_id, hour.label("hour"), func.count().label("calls"))
        .where(*_window(start, end, model), r.c.account_id.in_(busiest))
        .group_by(r.c.account_id, hour)
        .order_by(r.c.account_id, hour)
    )


@question(bound=Bound.WINDOW, pages=("campaign",))
def campaign_capability_profile(start: datetime, end: datetime, *, run_id: str, campaign_id: str, model: str | None = None) -> Select:
    """Which capabilities does the campaign target, against the benign (unclustered, uncampaigned) baseline?"""
    r, a = schema.requests, schema.account_scores
    side = case(
        (a.c.campaign_id == campaign_id, literal("campaign")),
        (a.c.campaign_id.is_(None), literal("benign baseline")),
        else_=literal("other campaigns"),
    ).label("population")
    cap = func.coalesce(r.c.capability, literal("other")).label("capability")
    return (
        select(side, cap, func.count().label("calls"), func.count(case((r.c.cot.is_(True), 1))).label("cot_calls"))
        .select_from(r.outerjoin(a, (a.c.account_id == r.c.account_id) & (a.c.run_id == run_id)))
        .where(*_window(start, end, model))
        .group_by(side, cap)
        .order_by(side, cap)
    )


#: Infrastructure facets the campaign page ranks (name -> requests column).
INFRA_FACETS = ("ip_prefix", "asn", "ip_class", "country", "user_agent", "system_prompt_hash")


@question(bound=Bound.WINDOW, pages=("campaign",))
def campaign_infrastructure(
    start: datetime, end: datetime, *, run_id: str, campaign_id: str, model: str | None = None, top: int = 8
) -> Select:
    """From which prefixes, ASNs, IP classes, countries, user agents and system prompts did the campaign call?"""
    r = schema.requests
    where = [*_window(start, end, model), r.c.account_id.in_(_members(run_id, campaign_id))]
    parts = [
        select(
            literal(facet).label("facet"),
            cast(r.c[facet], String).label("value"),
            func.count().label("calls"),
            func.count(func.distinct(r.c.account_id)).label("accounts"),
        )
        .where(*where, r.c[facet].is_not(None))
        .group_by(r.c[facet])
        for facet in INFRA_FACETS
    ]
    u = union_all(*parts).subquery("facets")
    ranked = select(u, func.row_number().over(partition_by=u.c.facet, order_by=(u.c.calls.desc(), u.c.value)).label("rank")).subquery(
        "ranked"
    )
    return (
        select(ranked.c.facet, ranked.c.value, ranked.c.calls, ranked.c.accounts)
        .where(ranked.c.rank <= top)
        .order_by(ranked.c.facet, ranked.c.calls.desc())
    )


@question(bound=Bound.WINDOW, pages=("campaign",))
def campaign_sample_prompts(
    start: datetime, end: datetime, *, run_id: str, campaign_id: str, model: str | None = None, limit: int = 15
) -> Select:
    """Which prompts show what the campaign asked? Two per template, busiest templates first, at most `limit`,
    from the campaign's SAMPLE_ACCOUNTS busiest accounts (a sample need not scan every member's traffic).

    The sample is picked by aggregate (first and last request time per template), so no prompt text is
    sorted or carried until the few chosen rows are fetched.
    """
    r = schema.requests
    # prompt_chars is set exactly when a prompt was logged; testing it avoids reading every prompt's text.
    members = _members(run_id, campaign_id, busiest=SAMPLE_ACCOUNTS)
    where = [*_window(start, end, model), r.c.account_id.in_(members), r.c.prompt_chars.is_not(None)]
    per_tpl = (
        select(r.c.template_fp, func.min(r.c.ts).label("first_ts"), func.max(r.c.ts).label("last_ts"), func.count().label("n"))
        .where(*where)
        .group_by(r.c.template_fp)
        .order_by(func.count().desc(), r.c.template_fp)
        .limit((limit + 1) // 2)
        .cte("per_tpl")
    )
    # one request per (template, time): several can share a timestamp
    k = func.row_number().over(partition_by=(r.c.template_fp, r.c.ts), order_by=r.c.request_id).label("k")
    picked = (
        select(r.c.ts, r.c.account_id, r.c.model, r.c.capability, r.c.template_fp, r.c.prompt, per_tpl.c.n, k)
        .join(per_tpl, per_tpl.c.template_fp == r.c.template_fp)
        .where(*where, r.c.ts.in_([per_tpl.c.first_ts, per_tpl.c.last_ts]), r.c.prompt.is_not(None))
        .subquery("picked")
    )
    p = picked.c
    return (
        select(p.ts, p.account_id, p.model, p.capability, p.template_fp, p.prompt)
        .where(p.k == 1)
        .order_by(p.n.desc(), p.template_fp, p.ts)
        .limit(limit)
    )


@question(bound=Bound.WINDOW, pages=("campaign",))
def campaign_harvest(start: datetime, end: datetime, *, run_id: str, campaign_id: str, model: str | None = None) -> Select:
    """How many exchanges and tokens did the campaign take per model, before and after its first key revocation?"""
    r, ak = schema.requests, schema.api_keys
    members = _members(run_id, campaign_id)
    first_action = select(func.min(ak.c.revoked_at)).where(ak.c.account_id.in_(members)).scalar_subquery()
    phase = case((r.c.ts >= first_action, literal("after first revocation")), else_=literal("before any action")).label("phase")
    return (
        select(
            r.c.model,
            phase,
            func.count().label("exchanges"),
            func.sum(r.c.input_tokens).label("input_tokens"),
            func.sum(r.c.output_tokens).label("output_tokens"),
            first_action.label("first_action"),
        )
        .where(*_window(start, end, model), r.c.account_id.in_(members))
        .group_by(r.c.model, phase)
        .order_by(r.c.model, phase)
    )


@question(bound=Bound.WINDOW, pages=("campaign",))
def campaign_model_mix(start: datetime, end: datetime, *, run_id: str, campaign_id: str, model: str | None = None) -> Select:
    """Which models did the campaign call each day (does it pivot to a newly released model)?"""
    r = schema.requests
    day = dialect.trunc_day(r.c.ts)
    return (
        select(day.label("day"), r.c.model, func.count().label("calls"))
        .where(*_window(start, end, model), r.c.account_id.in_(_members(run_id, campaign_id)))
        .group_by(day, r.c.model)
        .order_by(day, r.c.model)
    )
