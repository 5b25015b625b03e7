"""Which of a campaign's infrastructure values are its own? Per value: accounts inside and outside the campaign.

A value worth sharing with another provider is one that picks out the campaign's accounts and few others. Whether
it does is counted here, in the warehouse, over the detection run's window: for each value the campaign's accounts
used (an ASN, an IP prefix during the campaign's use of it, a user agent, a system-prompt hash, the two together) or
signed up with (an e-mail domain, a sign-up IP, a payment fingerprint), how many accounts of the campaign hold it and
how many outside it do. radar/export/indicators.py keeps the exclusive ones.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Select, String, and_, case, cast, func, literal, select, union_all

from queries import schema
from queries.catalog import Bound, question

#: request attributes the campaign sent, by indicator kind. "prefix" is special: counted only while the campaign used it.
REQUEST_KINDS = ("asn", "prefix", "user_agent", "system_prompt", "ua_sysprompt")
#: sign-up facts of the campaign's accounts, by indicator kind
ACCOUNT_KINDS = ("email_domain", "signup_ip", "payment")
#: address classes anyone can rent or exit from (docs/telemetry-format.md): a network mostly of these is shared infrastructure
SHARED_CLASSES = ("datacenter", "vpn", "tor")


def _request_value(kind: str) -> Any:
    r = schema.requests
    values = {
        "asn": cast(r.c.asn, String),
        "prefix": r.c.ip_prefix,
        "user_agent": r.c.user_agent,
        "system_prompt": r.c.system_prompt_hash,
        # the same "UA | hash" form the account graph links on (queries/detect_edges.py)
        "ua_sysprompt": r.c.user_agent + literal(" | ") + r.c.system_prompt_hash,
    }
    return values[kind]


def _account_value(kind: str) -> Any:
    a = schema.accounts
    return {"email_domain": a.c.email_domain, "signup_ip": a.c.signup_ip, "payment": a.c.payment_fingerprint}[kind]


def _members(run_id: str, campaign_id: str) -> Any:
    a = schema.account_scores
    return (
        select(a.c.account_id.label("member_id"), a.c.calls.label("member_calls"))
        .where(a.c.run_id == run_id, a.c.campaign_id == campaign_id)
        .subquery("members")
    )


def _tally(kind: str, per_account: Any, members: Any, *, exchanges: Any, min_inside: int) -> Select:
    """One row per value: accounts inside and outside the campaign, the campaign's exchanges and its first and last use."""
    p = per_account.c
    inside = members.c.member_id.is_not(None)
    n_inside = func.sum(case((inside, 1), else_=0))
    return (
        select(
            literal(kind).label("kind"),
            p.value,
            n_inside.label("inside_accounts"),
            func.sum(case((inside, 0), else_=1)).label("outside_accounts"),
            func.sum(case((inside, exchanges), else_=0)).label("exchanges"),
            func.min(case((inside, p.first_seen))).label("first_seen"),
            func.max(case((inside, p.last_seen))).label("last_seen"),
            (cast(func.sum(p.hosted), Float) / func.nullif(cast(func.sum(p.calls), Float), 0)).label("hosting_share"),
        )
        .select_from(per_account.outerjoin(members, members.c.member_id == p.account_id))
        .group_by(p.value)
        .having(n_inside >= min_inside)
    )


def _request_part(kind: str, start: datetime, end: datetime, members: Any, min_inside: int) -> Select:
    r = schema.requests
    value = _request_value(kind)
    window = [r.c.ts >= start, r.c.ts < end, value.is_not(None)]
    hosted = func.sum(case((r.c.ip_class.in_(SHARED_CLASSES), 1), else_=0))
    if kind == "prefix":
        # A prefix is the campaign's only while it used it: addresses change hands, so the outside accounts that count
        # are those on the prefix between the campaign's first and last call from it (the STIX START/STOP window).
        span = (
            select(value.label("value"), func.min(r.c.ts).label("span_start"), func.max(r.c.ts).label("span_stop"))
            .where(*window, r.c.account_id.in_(select(members.c.member_id)))
            .group_by(value)
            .subquery("span_prefix")
        )
        source: Any = r.join(span, and_(span.c.value == value, r.c.ts >= span.c.span_start, r.c.ts <= span.c.span_stop))
        where = window
    else:
        source = r
        used = select(value).where(*window, r.c.account_id.in_(select(members.c.member_id)))
        where = [*window, value.in_(used)]
    per_account = (
        select(
            value.label("value"),
            r.c.account_id,
            func.count().label("calls"),
            hosted.label("hosted"),
            func.min(r.c.ts).label("first_seen"),
            func.max(r.c.ts).label("last_seen"),
        )
        .select_from(source)
        .where(*where)
        .group_by(value, r.c.account_id)
        .subquery(f"per_account_{kind}")
    )
    return _tally(kind, per_account, members, exchanges=per_account.c.calls, min_inside=min_inside)


def _account_part(kind: str, end: datetime, members: Any, min_inside: int) -> Select:
    a = schema.accounts
    value = _account_value(kind)
    # the accounts that existed by the end of the window: the population the account graph links
    where = [a.c.created_at < end, value.is_not(None)]
    used = select(value).where(*where, a.c.account_id.in_(select(members.c.member_id)))
    per_account = (
        select(
            value.label("value"),
            a.c.account_id,
            literal(0).label("calls"),
            literal(0).label("hosted"),
            a.c.created_at.label("first_seen"),
            a.c.created_at.label("last_seen"),
        )
        .where(*where, value.in_(used))
        .subquery(f"per_account_{kind}")
    )
    # a sign-up fact's exchanges are the calls its campaign accounts made in the run
    return _tally(kind, per_account, members, exchanges=members.c.member_calls, min_inside=min_inside)


@question(bound=Bound.WINDOW)
def indicator_exclusivity(start: datetime, end: datetime, *, run_id: str, campaign_id: str, min_inside: int = 2) -> Select:
    """For each value at least `min_inside` of the campaign's accounts used or signed up with, how many accounts inside
    and outside the campaign held it in the window, how many exchanges the campaign made with it, and when?"""
    members = _members(run_id, campaign_id)
    parts = [_request_part(kind, start, end, members, min_inside) for kind in REQUEST_KINDS]
    parts += [_account_part(kind, end, members, min_inside) for kind in ACCOUNT_KINDS]
    u = union_all(*parts).subquery("exclusivity")
    return select(*u.c).order_by(u.c.kind, u.c.inside_accounts.desc(), u.c.value)
