"""Summaries written with a scoring run: what each campaign and cluster did, aggregated once from requests at score time.

Every builder reads the run's own result rows (account_scores, cluster_links), so it runs inside the transaction
that stores them, after they are inserted. The inserts aggregate in the warehouse (INSERT ... SELECT); only the few
sample prompts travel through Python, to be redacted before they are stored. The campaign and cluster pages read
these tables and never the requests table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CompoundSelect,
    Double,
    Insert,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    tuple_,
    union_all,
)

from queries import dialect, rollups, schema
from queries.rollups import total

#: the campaign page draws the busiest 30 accounts' timelines; 100 leave room for a narrower window or one model
#: to rank a different 30 first
TIMELINE_ACCOUNTS = 100
#: values kept per campaign, model and infrastructure facet (the page shows the top 8)
INFRA_TOP = 8
#: sample prompts come from this many of each campaign's busiest accounts: a sample need not scan every member's traffic
SAMPLE_ACCOUNTS = 50
#: sample prompts kept per campaign: two per template (first and last use), busiest templates first
SAMPLE_PROMPTS = 15

#: Infrastructure facets the campaign page ranks (requests columns).
INFRA_FACETS = ("ip_prefix", "asn", "ip_class", "country", "user_agent", "system_prompt_hash")


def run_window(run_id: str) -> Select[Any]:
    """Which time window did this run score (window_start, window_end)?"""
    s = schema.score_runs
    return select(s.c.window_start, s.c.window_end).where(s.c.run_id == run_id)


def _members(run_id: str, busiest: int | None = None) -> Any:
    """The run's campaign members (account_id, campaign_id), or each campaign's `busiest` accounts by calls in the run."""
    a = schema.account_scores
    where = [a.c.run_id == run_id, a.c.campaign_id.is_not(None)]
    if busiest is None:
        return select(a.c.account_id, a.c.campaign_id).where(*where).subquery("members")
    rank = func.row_number().over(partition_by=a.c.campaign_id, order_by=(a.c.calls.desc(), a.c.account_id)).label("rank")
    ranked = select(a.c.account_id, a.c.campaign_id, rank).where(*where).subquery("ranked")
    return select(ranked.c.account_id, ranked.c.campaign_id).where(ranked.c.rank <= busiest).subquery("busiest")


def _in_window(start: datetime, end: datetime) -> list[Any]:
    r = schema.requests
    return [r.c.ts >= start, r.c.ts < end]


def _into(table: Any, query: Select[Any] | CompoundSelect[Any]) -> Insert:
    return insert(table).from_select([c.name for c in query.selected_columns], query)


def campaign_actions(*, run_id: str) -> Insert:
    """When was a key of each campaign first revoked (null: not yet)? One row per campaign of the run."""
    a, ak = schema.account_scores, schema.api_keys
    q = (
        select(literal(run_id).label("run_id"), a.c.campaign_id, func.min(ak.c.revoked_at).label("first_revocation"))
        .select_from(a.outerjoin(ak, ak.c.account_id == a.c.account_id))
        .where(a.c.run_id == run_id, a.c.campaign_id.is_not(None))
        .group_by(a.c.campaign_id)
    )
    return _into(schema.campaign_actions, q)


def campaign_usage_hours(start: datetime, end: datetime, *, run_id: str) -> Insert:
    """How many exchanges and tokens did each campaign take per hour and model, before and after its first revocation?

    Reads campaign_actions of the same run, so it runs after `campaign_actions`."""
    r, ca = schema.requests, schema.campaign_actions
    m = _members(run_id)
    hour = dialect.trunc_hour(r.c.ts)
    after = and_(ca.c.first_revocation.is_not(None), r.c.ts >= ca.c.first_revocation)
    phase = case((after, literal(schema.AFTER_ACTION)), else_=literal(schema.BEFORE_ACTION))
    q = (
        select(
            literal(run_id).label("run_id"),
            m.c.campaign_id,
            hour.label("hour"),
            r.c.model,
            phase.label("phase"),
            func.count().label("calls"),
            func.sum(r.c.input_tokens).label("input_tokens"),
            func.sum(r.c.output_tokens).label("output_tokens"),
        )
        .select_from(r.join(m, m.c.account_id == r.c.account_id).join(ca, (ca.c.campaign_id == m.c.campaign_id) & (ca.c.run_id == run_id)))
        .where(*_in_window(start, end))
        .group_by(m.c.campaign_id, hour, r.c.model, phase)
    )
    return _into(schema.campaign_usage_hours, q)


def campaign_timeline_hours(start: datetime, end: datetime, *, run_id: str, top: int = TIMELINE_ACCOUNTS) -> Insert:
    """How many calls per hour and model did each campaign's `top` busiest accounts make?"""
    r = schema.requests
    m = _members(run_id, busiest=top)
    hour = dialect.trunc_hour(r.c.ts)
    q = (
        select(literal(run_id).label("run_id"), m.c.campaign_id, r.c.account_id, hour.label("hour"), r.c.model, func.count().label("calls"))
        .select_from(r.join(m, m.c.account_id == r.c.account_id))
        .where(*_in_window(start, end))
        .group_by(m.c.campaign_id, r.c.account_id, hour, r.c.model)
    )
    return _into(schema.campaign_timeline_hours, q)


def capability_days(start: datetime, end: datetime, *, run_id: str) -> Insert:
    """How many calls (and chain-of-thought calls) per day, model and capability did each campaign, and everyone else, make?"""
    r, a = schema.requests, schema.account_scores
    day = dialect.trunc_day(r.c.ts)
    cap = func.coalesce(r.c.capability, literal("other"))
    q = (
        select(
            literal(run_id).label("run_id"),
            a.c.campaign_id,
            day.label("day"),
            r.c.model,
            cap.label("capability"),
            func.count().label("calls"),
            func.count(case((r.c.cot.is_(True), 1))).label("cot_calls"),
        )
        .select_from(r.outerjoin(a, (a.c.account_id == r.c.account_id) & (a.c.run_id == run_id)))
        .where(*_in_window(start, end))
        .group_by(a.c.campaign_id, day, r.c.model, cap)
    )
    return _into(schema.capability_days, q)


def campaign_infrastructure_top(start: datetime, end: datetime, *, run_id: str, top: int = INFRA_TOP) -> Insert:
    """From which prefixes, ASNs, IP classes, countries, user agents and system prompts did each campaign call, per model
    and over every model (model null), with the exact number of member accounts behind each value?"""
    r = schema.requests
    m = _members(run_id)
    parts = []
    for facet in INFRA_FACETS:
        value = cast(r.c[facet], String)
        parts.append(
            select(
                m.c.campaign_id,
                r.c.model,
                literal(facet).label("facet"),
                value.label("value"),
                func.count().label("calls"),
                func.count(func.distinct(r.c.account_id)).label("accounts"),
            )
            .select_from(r.join(m, m.c.account_id == r.c.account_id))
            .where(*_in_window(start, end), r.c[facet].is_not(None))
            # one scan per facet answers both the per-model and the every-model rows
            .group_by(func.grouping_sets(tuple_(m.c.campaign_id, r.c.model, value), tuple_(m.c.campaign_id, value)))
        )
    u = union_all(*parts).subquery("facets")
    rank = func.row_number().over(partition_by=(u.c.campaign_id, u.c.model, u.c.facet), order_by=(u.c.calls.desc(), u.c.value))
    ranked = select(u, rank.label("rank")).subquery("ranked")
    q = select(
        literal(run_id).label("run_id"),
        ranked.c.campaign_id,
        ranked.c.model,
        ranked.c.facet,
        ranked.c.value,
        ranked.c.calls,
        ranked.c.accounts,
    ).where(ranked.c.rank <= top)
    return _into(schema.campaign_infrastructure_top, q)


def campaign_prompt_candidates(
    start: datetime, end: datetime, *, run_id: str, accounts: int = SAMPLE_ACCOUNTS, limit: int = SAMPLE_PROMPTS
) -> Select[Any]:
    """Which prompts show what each campaign asked? Two per template (its first and last use), busiest templates first,
    at most `limit` per campaign, from each campaign's `accounts` busiest accounts. Raw text: the caller redacts it.

    The sample is picked by aggregate (first and last request time per template), so no prompt text is sorted or
    carried until the few chosen rows are fetched."""
    r = schema.requests
    m = _members(run_id, busiest=accounts)
    # prompt_chars is set exactly when a prompt was logged; testing it avoids reading every prompt's text.
    where = [*_in_window(start, end), r.c.prompt_chars.is_not(None)]
    n = func.count()
    tpl_rank = func.row_number().over(partition_by=m.c.campaign_id, order_by=(n.desc(), r.c.template_fp))
    per_tpl_all = (
        select(
            m.c.campaign_id,
            r.c.template_fp,
            func.min(r.c.ts).label("first_ts"),
            func.max(r.c.ts).label("last_ts"),
            n.label("n"),
            tpl_rank.label("tpl_rank"),
        )
        .select_from(r.join(m, m.c.account_id == r.c.account_id))
        .where(*where)
        .group_by(m.c.campaign_id, r.c.template_fp)
        .subquery("per_tpl_all")
    )
    per_tpl = select(per_tpl_all).where(per_tpl_all.c.tpl_rank <= (limit + 1) // 2).cte("per_tpl")
    # one request per (campaign, template, time): several can share a timestamp
    k = func.row_number().over(partition_by=(per_tpl.c.campaign_id, r.c.template_fp, r.c.ts), order_by=r.c.request_id).label("k")
    picked = (
        select(per_tpl.c.campaign_id, r.c.ts, r.c.account_id, r.c.model, r.c.capability, r.c.template_fp, r.c.prompt, per_tpl.c.n, k)
        .select_from(
            r.join(m, m.c.account_id == r.c.account_id).join(
                per_tpl, (per_tpl.c.campaign_id == m.c.campaign_id) & (per_tpl.c.template_fp == r.c.template_fp)
            )
        )
        .where(*where, or_(r.c.ts == per_tpl.c.first_ts, r.c.ts == per_tpl.c.last_ts), r.c.prompt.is_not(None))
        .subquery("picked")
    )
    p = picked.c
    keep = func.row_number().over(partition_by=p.campaign_id, order_by=(p.n.desc(), p.template_fp, p.ts)).label("keep")
    one = select(p.campaign_id, p.ts, p.account_id, p.model, p.capability, p.template_fp, p.n.label("template_calls"), p.prompt, keep)
    chosen = one.where(p.k == 1).subquery("chosen")
    c = chosen.c
    return (
        select(c.campaign_id, c.ts, c.account_id, c.model, c.capability, c.template_fp, c.template_calls, c.prompt)
        .where(c.keep <= limit)
        .order_by(c.campaign_id, c.keep)
    )


def cluster_attribute_counts(*, run_id: str) -> Insert:
    """How many of each cluster's accounts share each stored attribute value (the aggregated graph's nodes)?"""
    lk = schema.cluster_links
    q = (
        select(
            literal(run_id).label("run_id"),
            lk.c.cluster_id,
            lk.c.edge_type,
            lk.c.value,
            func.count(func.distinct(lk.c.account_id)).label("accounts"),
        )
        .where(lk.c.run_id == run_id)
        .group_by(lk.c.cluster_id, lk.c.edge_type, lk.c.value)
    )
    return _into(schema.cluster_attribute_counts, q)


def peer_band_hours(start: datetime, end: datetime, *, run_id: str) -> Insert:
    """Per hour of the run's window, the median, 90th and 99th percentile of calls per active key and how many keys
    were active: per model, and over every model (model null). Read from the key rollup, so the keys page draws its
    peer band without aggregating millions of key-hours each time it opens."""
    k = schema.rollup_key_hours

    def band(per_model: bool) -> Select[Any]:
        grain = [k.c.model] if per_model else []
        per_key = (
            select(k.c.hour, *grain, k.c.api_key_id, total(k.c.calls).label("calls"))
            .where(*rollups.window(k, start, end))
            .group_by(k.c.hour, *grain, k.c.api_key_id)
            .subquery("per_key")
        )
        model = per_key.c.model if per_model else cast(null(), String)
        return select(
            literal(run_id).label("run_id"),
            per_key.c.hour,
            model.label("model"),
            cast(dialect.quantile(per_key.c.calls, 0.5), Double).label("p50"),
            cast(dialect.quantile(per_key.c.calls, 0.9), Double).label("p90"),
            cast(dialect.quantile(per_key.c.calls, 0.99), Double).label("p99"),
            func.count().label("active_keys"),
        ).group_by(per_key.c.hour, *([model] if per_model else []))

    return _into(schema.peer_band_hours, union_all(band(True), band(False)))


#: The page bench's reference per page: the summary tables the page reads, read directly with hand-written SQL
#: (bound values :run_id, :campaign_id, :cluster_id, :start, :end), the floor a page's own questions are measured against.
REFERENCE_SQL: dict[str, tuple[str, ...]] = {
    "campaign": (
        "SELECT * FROM campaigns WHERE run_id = :run_id ORDER BY score DESC",
        "SELECT campaign_id, first_revocation FROM campaign_actions WHERE run_id = :run_id AND campaign_id = :campaign_id",
        "SELECT account_id, hour, model, calls FROM campaign_timeline_hours"
        " WHERE run_id = :run_id AND campaign_id = :campaign_id AND hour >= :start AND hour < :end",
        "SELECT campaign_id, model, capability, calls, cot_calls FROM capability_days WHERE run_id = :run_id AND day >= :start AND day < :end",
        "SELECT hour, model, phase, calls, input_tokens, output_tokens FROM campaign_usage_hours"
        " WHERE run_id = :run_id AND campaign_id = :campaign_id AND hour >= :start AND hour < :end",
        "SELECT facet, value, calls, accounts FROM campaign_infrastructure_top"
        " WHERE run_id = :run_id AND campaign_id = :campaign_id AND model IS NULL",
        "SELECT ts, account_id, model, capability, template_fp, prompt FROM campaign_prompt_samples"
        " WHERE run_id = :run_id AND campaign_id = :campaign_id",
        "SELECT account_id, score, n_keys, calls, output_tokens FROM account_scores WHERE run_id = :run_id AND campaign_id = :campaign_id",
        "SELECT k.api_key_id, k.account_id, k.score, k.calls FROM key_scores k JOIN account_scores a"
        " ON a.account_id = k.account_id AND a.run_id = k.run_id WHERE k.run_id = :run_id AND a.campaign_id = :campaign_id",
    ),
    "keys": (
        "SELECT hour, p50, p90, p99, active_keys FROM peer_band_hours"
        " WHERE run_id = :run_id AND model IS NULL AND hour >= :start AND hour < :end",
        "SELECT hour, model, calls, cot_calls, tool_calls FROM rollup_key_hours"
        " WHERE api_key_id = :api_key_id AND hour >= :start AND hour < :end",
    ),
    "clusters": (
        "SELECT cluster_id, score, n_accounts, n_keys, calls, output_tokens, reasons FROM clusters WHERE run_id = :run_id ORDER BY score DESC",
        "SELECT edge_type, value, accounts FROM cluster_attribute_counts WHERE run_id = :run_id AND cluster_id = :cluster_id",
        "SELECT account_id, edge_type, value FROM cluster_links WHERE run_id = :run_id AND cluster_id = :cluster_id",
        "SELECT account_id, score, n_keys, calls, output_tokens FROM account_scores WHERE run_id = :run_id AND cluster_id = :cluster_id",
    ),
}
