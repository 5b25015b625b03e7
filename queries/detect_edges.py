"""Account-graph inputs: which accounts share an attribute value (infrastructure, payment, templates)?

Each builder returns distinct (edge_type, value, account_id) memberships, already limited in the
warehouse to values held by at least two accounts and at most `max_accounts` (a commons such as a
big consumer ISP, a webmail domain or the most popular SDK links nobody).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, Select, String, and_, cast, func, literal, select, union_all

from queries import dialect, schema
from queries.catalog import Bound, question

#: edge types read from requests in the window; value expressions are built per type below
REQUEST_EDGES = ("prefix", "asn", "ua_sysprompt", "template", "near_dup")
#: edge types read from the accounts table (sign-up facts)
ACCOUNT_EDGES = ("payment", "signup_ip", "email_burst")


def _request_value(edge_type: str) -> Any:
    r = schema.requests
    if edge_type == "prefix":
        return r.c.ip_prefix
    if edge_type == "asn":
        return cast(r.c.asn, String)
    if edge_type == "ua_sysprompt":
        return r.c.user_agent + literal(" | ") + r.c.system_prompt_hash
    if edge_type == "template":
        return r.c.template_fp
    if edge_type == "near_dup":
        return cast(r.c.near_dup_a, String)
    raise ValueError(f"unknown request edge type {edge_type!r}")


def _account_value(edge_type: str) -> Any:
    a = schema.accounts
    if edge_type == "payment":
        return a.c.payment_fingerprint
    if edge_type == "signup_ip":
        return a.c.signup_ip
    if edge_type == "email_burst":
        # the same e-mail domain on the same sign-up day (kept for the domain's burst days only)
        return a.c.email_domain + literal(" @ ") + cast(dialect.trunc_day(a.c.created_at), String)
    raise ValueError(f"unknown account edge type {edge_type!r}")


def _limited(edge_type: str, value: Any, account: Any, source: Any, where: Any, max_accounts: int) -> Select:
    pairs = select(value.label("value"), account.label("account_id")).select_from(source).where(where, value.is_not(None)).distinct()
    p = pairs.subquery(f"p_{edge_type}")
    n = func.count().over(partition_by=p.c.value)
    counted = select(p.c.value, p.c.account_id, n.label("n_accounts")).subquery(f"c_{edge_type}")
    return select(literal(edge_type).label("edge_type"), counted.c.value, counted.c.account_id, counted.c.n_accounts).where(
        and_(counted.c.n_accounts >= 2, counted.c.n_accounts <= max_accounts)
    )


#: prompt-shape edge types keep only each account's most used values: an account's few main templates say
#: what it does; its long tail of one-off prompts is noise and, at scale, tens of millions of rows
TOP_PER_ACCOUNT = {"template": 5, "near_dup": 3}


@question(bound=Bound.WINDOW)
def request_memberships(start: datetime, end: datetime, edge_type: str, *, max_accounts: int) -> Select:
    """Which accounts used each value of one request attribute (prefix, ASN, UA+system prompt, template) in the window?"""
    r = schema.requests
    where = and_(r.c.ts >= start, r.c.ts < end)
    if edge_type not in TOP_PER_ACCOUNT:
        return _limited(edge_type, _request_value(edge_type), r.c.account_id, r, where, max_accounts)
    value = _request_value(edge_type)
    used = (
        select(value.label("value"), r.c.account_id, func.count().label("uses"))
        .where(where, value.is_not(None))
        .group_by(value, r.c.account_id)
        .subquery(f"u_{edge_type}")
    )
    rank = func.row_number().over(partition_by=used.c.account_id, order_by=(used.c.uses.desc(), used.c.value))
    ranked = select(used.c.value, used.c.account_id, rank.label("rank")).subquery(f"r_{edge_type}")
    top = select(ranked.c.value, ranked.c.account_id).where(ranked.c.rank <= TOP_PER_ACCOUNT[edge_type]).subquery(f"t_{edge_type}")
    n = func.count().over(partition_by=top.c.value)
    counted = select(top.c.value, top.c.account_id, n.label("n_accounts")).subquery(f"c_{edge_type}")
    return select(literal(edge_type).label("edge_type"), counted.c.value, counted.c.account_id, counted.c.n_accounts).where(
        and_(counted.c.n_accounts >= 2, counted.c.n_accounts <= max_accounts)
    )


#: a busy domain's sign-ups on one day are a burst when they are at least this many times what its usual share of
#: that day's sign-ups would give...
BURST_FACTOR = 3.0
#: ...and this many Poisson standard deviations above it (a domain expecting half a sign-up a day has two now and then)
BURST_SIGMAS = 4.0


def _burst_days(where: Any) -> Any:
    """On which days did each e-mail domain sign up accounts in a burst? Two or more sign-ups in a day are a burst
    for a domain silent on most sign-up days (a disposable or a small organisation's domain). A domain signing up
    accounts most days (webmail) bursts only far above its usual share of that day's sign-ups: expected = the
    domain's sign-ups x the day's share of all sign-ups, so growth over the years and weekly cycles raise every
    domain alike and make no burst; a burst needs BURST_FACTOR times expected and BURST_SIGMAS Poisson deviations
    above it."""
    a = schema.accounts
    day = dialect.trunc_day(a.c.created_at)
    daily = (
        select(a.c.email_domain.label("domain"), day.label("day"), func.count().label("n"))
        .where(where, a.c.email_domain.is_not(None))
        .group_by(a.c.email_domain, day)
        .subquery("daily")
    )
    per_domain = (
        select(daily.c.domain, func.sum(daily.c.n).label("total"), func.count().label("active_days"))
        .group_by(daily.c.domain)
        .subquery("per_domain")
    )
    per_day = select(daily.c.day, func.sum(daily.c.n).label("total")).group_by(daily.c.day).subquery("per_day")
    grand = select(func.sum(daily.c.n)).scalar_subquery()
    n_days = select(func.count()).select_from(per_day).scalar_subquery()
    mostly_silent = per_domain.c.active_days * 2 < n_days
    expected = cast(per_domain.c.total, Float) * cast(per_day.c.total, Float) / cast(grand, Float)
    surge = and_(
        cast(daily.c.n, Float) >= BURST_FACTOR * expected,
        cast(daily.c.n, Float) >= expected + BURST_SIGMAS * func.sqrt(expected),
    )
    return (
        select(daily.c.domain, daily.c.day)
        .select_from(daily.join(per_domain, per_domain.c.domain == daily.c.domain).join(per_day, per_day.c.day == daily.c.day))
        .where(daily.c.n >= 2, mostly_silent | surge)
        .subquery("bursts")
    )


@question(bound=Bound.SUMMARY)
def account_memberships(edge_type: str, *, accounts_created_before: datetime, max_accounts: int) -> Select:
    """Which accounts share each value of one sign-up attribute (payment instrument, sign-up IP, domain+burst day)?"""
    a = schema.accounts
    where = a.c.created_at < accounts_created_before
    if edge_type == "email_burst":
        # a domain signing up accounts every day is ordinary; only its burst days count
        bursts = _burst_days(where)
        day = dialect.trunc_day(a.c.created_at)
        source = a.join(bursts, and_(bursts.c.domain == a.c.email_domain, bursts.c.day == day))
        return _limited(edge_type, _account_value(edge_type), a.c.account_id, source, where, max_accounts)
    return _limited(edge_type, _account_value(edge_type), a.c.account_id, a, where, max_accounts)


@question(bound=Bound.WINDOW)
def memberships(start: datetime, end: datetime, *, max_accounts: int) -> Select:
    """Every shared-attribute membership the account graph is built from, in one statement."""
    parts = [request_memberships(start, end, t, max_accounts=max_accounts) for t in REQUEST_EDGES]
    parts += [account_memberships(t, accounts_created_before=end, max_accounts=max_accounts) for t in ACCOUNT_EDGES]
    u = union_all(*parts).subquery("memberships")
    return select(u.c.edge_type, u.c.value, u.c.account_id, u.c.n_accounts)
