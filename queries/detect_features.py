"""Detection inputs, aggregated in the warehouse: per-account and per-key behaviour over a time window."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Select, and_, case, cast, func, literal, or_, select

from queries import dialect, schema
from queries.catalog import Bound, question

# finish reasons that mean the model declined: probing refusals is part of capability extraction
REFUSALS = ("refusal", "content_filter")
# address classes that hide who is calling (hosted proxies, VPNs, Tor); server-side integrations also call
# from datacenters, which is why this is one weak signal among several and never links accounts
ANONYMISING = ("datacenter", "vpn", "tor")


def _window(start: datetime, end: datetime) -> Any:
    r = schema.requests
    return and_(r.c.ts >= start, r.c.ts < end)


@question(bound=Bound.SUMMARY)
def window_bounds() -> Select:
    """What time span do the requests in the warehouse cover?"""
    r = schema.requests
    return select(func.min(r.c.ts).label("first_ts"), func.max(r.c.ts).label("last_ts"), func.count().label("calls"))


def _share(cond: Any) -> Any:
    return func.avg(case((cond, 1.0), else_=0.0))


def _count(cond: Any) -> Any:
    return func.sum(case((cond, 1), else_=0))


@question(bound=Bound.WINDOW)
def template_reach(start: datetime, end: datetime, *, min_accounts: int, max_accounts: int) -> Select:
    """Which prompt templates are used by at least `min_accounts` and at most `max_accounts` distinct accounts?

    A template shared across accounts is coordinated prompting; one shared by a large share of all
    accounts is a commons (a popular framework's default prompt) and links nobody.
    """
    r = schema.requests
    n = func.count(func.distinct(r.c.account_id))
    return (
        select(r.c.template_fp.label("template_fp"))
        .where(_window(start, end), r.c.template_fp.is_not(None))
        .group_by(r.c.template_fp)
        .having(and_(n >= min_accounts, n <= max_accounts))
    )


@question(bound=Bound.WINDOW)
def key_features(start: datetime, end: datetime, *, min_accounts: int = 3, max_accounts: int) -> Select:
    """How did each API key behave in the window, and what share of its calls look like extraction?

    extraction_share counts calls that elicit step-by-step reasoning or use a template shared across
    accounts, so a reseller key is judged by the extraction it carries, not diluted by its cover traffic;
    the comp_* columns are the shared-template component's own counts and token sums.
    Account figures are sums and call-weighted means of their keys' (one scan of the requests).
    """
    r = schema.requests
    shared = template_reach(start, end, min_accounts=min_accounts, max_accounts=max_accounts).subquery("shared_tpl")
    is_shared = shared.c.template_fp.is_not(None)
    is_cot = r.c.cot.is_(True)
    return (
        select(
            r.c.api_key_id,
            func.min(r.c.account_id).label("account_id"),
            func.count().label("calls"),
            func.sum(r.c.input_tokens).label("input_tokens"),
            func.sum(r.c.output_tokens).label("output_tokens"),
            func.count(func.distinct(dialect.hour_of_day(r.c.ts))).label("hours_of_day"),
            func.count(func.distinct(r.c.template_fp)).label("n_templates"),
            _share(is_cot).label("cot_share"),
            _share(r.c.finish_reason.in_(REFUSALS)).label("refusal_share"),
            _share(is_shared).label("shared_template_share"),
            _share(or_(is_cot, is_shared)).label("extraction_share"),
            _share(func.coalesce(r.c.turn, 0) > 0).label("followup_share"),
            _share(func.coalesce(r.c.tool_count, 0) > 0).label("tool_share"),
            _share(r.c.ip_class.in_(ANONYMISING)).label("anon_ip_share"),
            func.avg(cast(r.c.prompt_chars, Float)).label("prompt_chars_mean"),
            # the scripted component: calls on templates shared across accounts, summed apart so that it is scored
            # on its own and a proxy's cover traffic cannot dilute it
            _count(is_shared).label("comp_calls"),
            _count(and_(is_shared, is_cot)).label("comp_cot"),
            _count(and_(is_shared, r.c.finish_reason.in_(REFUSALS))).label("comp_refusals"),
            _count(and_(is_shared, r.c.ip_class.in_(ANONYMISING))).label("comp_anon"),
            func.sum(case((is_shared, r.c.input_tokens), else_=0)).label("comp_input_tokens"),
            func.sum(case((is_shared, r.c.output_tokens), else_=0)).label("comp_output_tokens"),
            func.min(r.c.ts).label("first_ts"),
            func.max(r.c.ts).label("last_ts"),
        )
        .select_from(r.outerjoin(shared, shared.c.template_fp == r.c.template_fp))
        .where(_window(start, end))
        .group_by(r.c.api_key_id)
    )


@question(bound=Bound.WINDOW)
def account_capabilities(start: datetime, end: datetime) -> Select:
    """How many calls did each account make per capability (reasoning, coding, agentic...) in the window?"""
    r = schema.requests
    cap = func.coalesce(r.c.capability, literal("other"))
    return (
        select(r.c.account_id, cap.label("capability"), func.count().label("calls"))
        .where(_window(start, end))
        .group_by(r.c.account_id, cap)
    )


@question(bound=Bound.WINDOW)
def account_hour_profile(start: datetime, end: datetime) -> Select:
    """How many calls did each account make in each hour bucket of the window (for timing synchrony)?"""
    r = schema.requests
    h = dialect.trunc_hour(r.c.ts)
    return select(r.c.account_id, h.label("hour"), func.count().label("calls")).where(_window(start, end)).group_by(r.c.account_id, h)


@question(bound=Bound.SUMMARY)
def account_profiles() -> Select:
    """What did each account declare at sign-up (time, verification tier, organisation, payment, sign-up IP)?"""
    a = schema.accounts
    return select(
        a.c.account_id,
        a.c.created_at,
        a.c.verification,
        a.c.org_id,
        a.c.email_domain,
        a.c.payment_fingerprint,
        a.c.signup_ip,
        a.c.signup_prefix,
    )


@question(bound=Bound.SUMMARY)
def key_profiles() -> Select:
    """When was each key created and revoked (for key rotation)?"""
    k = schema.api_keys
    return select(k.c.api_key_id, k.c.account_id, k.c.created_at, k.c.revoked_at)


@question(bound=Bound.WINDOW)
def window_accounts(start: datetime, end: datetime) -> Select:
    """How many distinct accounts made calls in the window?"""
    r = schema.requests
    return select(func.count(func.distinct(r.c.account_id)).label("n")).where(_window(start, end))


@question(bound=Bound.WINDOW)
def template_usage(start: datetime, end: datetime, *, templates: list[str]) -> Select:
    """How many calls did each key make in the window with each of these templates (a campaign's)?"""
    r = schema.requests
    return (
        select(r.c.api_key_id, r.c.template_fp, func.min(r.c.account_id).label("account_id"), func.count().label("campaign_calls"))
        .where(_window(start, end), r.c.template_fp.in_(templates))
        .group_by(r.c.api_key_id, r.c.template_fp)
    )
