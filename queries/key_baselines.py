"""Per-key baselines: how does one key behave against its own history and against its peers?

Volumes, hours, prompt lengths and capabilities read the key rollup (hour x key x account x model); only one key's
drill-down (gaps between its calls, its templates) reads requests, by key and window: PostgreSQL finds them through
the (api_key_id, ts) index, DuckDB prunes row groups by their ts zone maps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, literal, or_, select, true, union_all

from queries import dialect, rollups, schema
from queries.catalog import Bound, question
from queries.rollups import total

#: Inter-arrival bins (seconds, upper bounds): scripted extraction fires sub-second to seconds apart,
#: people minutes to hours apart.
GAP_BINS_S = (0.5, 2.0, 5.0, 15.0, 60.0, 300.0, 3600.0)
#: Prompt-length bins (characters, upper bounds): the rollup's (changing them needs `radar rollup --rebuild`).
LENGTH_BINS = schema.PROMPT_LENGTH_BINS


def _names(values: Any, label: str) -> Any:
    """The values as a one-column table (a union of constant rows), to spread a one-row sums table into rows."""
    return union_all(*[select(literal(v).label(label)) for v in values]).subquery(f"{label}_names")


def _pick(name: Any, columns: dict[Any, Any]) -> Any:
    """The sums column that belongs to each name's row. Joined once with the sums, so every engine aggregates once (a
    sums CTE read once per name is aggregated once per name on ClickHouse, which inlines CTEs)."""
    return case(*[(name == v, col) for v, col in columns.items()], else_=0)


def _window(start: datetime, end: datetime, model: str | None) -> list[Any]:
    r = schema.requests
    conds: list[Any] = [r.c.ts >= start, r.c.ts < end]
    if model:
        conds.append(r.c.model == model)
    return conds


def _bin(value: Any, bounds: tuple[float, ...]) -> Any:
    """Index of the first bound the value stays under (len(bounds) past the last)."""
    return case(*[(value < b, i) for i, b in enumerate(bounds)], else_=len(bounds))


@question(bound=Bound.RUN, pages=("keys",))
def flagged_keys(*, run_id: str, search: str | None = None, include_allowlisted: bool = False, limit: int = 500) -> Select:
    """Which keys does the run rank highest (optionally those whose id or account contains `search`)?"""
    k, a = schema.key_scores, schema.account_scores
    q = (
        select(
            k.c.api_key_id,
            k.c.account_id,
            k.c.score,
            k.c.extraction_share,
            k.c.calls,
            k.c.output_tokens,
            a.c.cluster_id,
            a.c.campaign_id,
            k.c.allowlisted,
        )
        .select_from(k.outerjoin(a, (a.c.account_id == k.c.account_id) & (a.c.run_id == k.c.run_id)))
        .where(k.c.run_id == run_id)
        .order_by(k.c.score.desc(), k.c.api_key_id)
        .limit(limit)
    )
    if search:
        pattern = f"%{search}%"
        q = q.where(or_(k.c.api_key_id.ilike(pattern), k.c.account_id.ilike(pattern)))
    return q if include_allowlisted else q.where(k.c.allowlisted.is_(False))


@question(bound=Bound.RUN, pages=("keys",))
def key_profile(*, run_id: str, api_key_id: str) -> Select:
    """What does the run say about this key: score, reasons, features, account, cluster and campaign?"""
    k, a, ak = schema.key_scores, schema.account_scores, schema.api_keys
    return (
        select(
            k.c.api_key_id,
            k.c.account_id,
            k.c.score,
            k.c.extraction_share,
            k.c.allowlisted,
            k.c.reasons,
            k.c.features,
            k.c.calls,
            k.c.output_tokens,
            a.c.cluster_id,
            a.c.campaign_id,
            a.c.score.label("account_score"),
            ak.c.created_at,
            ak.c.revoked_at,
        )
        .select_from(
            k.outerjoin(a, (a.c.account_id == k.c.account_id) & (a.c.run_id == k.c.run_id)).outerjoin(ak, ak.c.api_key_id == k.c.api_key_id)
        )
        .where(k.c.run_id == run_id, k.c.api_key_id == api_key_id)
    )


@question(bound=Bound.WINDOW, pages=("keys",))
def key_baselines(start: datetime, end: datetime, *, api_key_id: str, model: str | None = None) -> Select:
    """How many calls and output tokens did the key make in each hour of the window?"""
    k = schema.rollup_key_hours
    return (
        select(k.c.hour, total(k.c.calls).label("calls"), total(k.c.output_tokens).label("output_tokens"))
        .where(*rollups.model_window(k, start, end, model), k.c.api_key_id == api_key_id)
        .group_by(k.c.hour)
        .order_by(k.c.hour)
    )


@question(bound=Bound.WINDOW, pages=("keys",))
def peer_hourly_band(start: datetime, end: datetime, *, run_id: str, model: str | None = None) -> Select:
    """For each hour, what is the median and 90th percentile of calls per active key (the peer baseline band)?

    Written with the run (queries/summaries.py, from the key rollup) for the hours of its window: hours outside it
    have no band."""
    b = schema.peer_band_hours
    chosen = b.c.model == model if model else b.c.model.is_(None)
    return (
        select(b.c.hour, b.c.p50, b.c.p90, b.c.p99, b.c.active_keys)
        .where(b.c.run_id == run_id, chosen, b.c.hour >= rollups.hour_of(start), b.c.hour < end)
        .order_by(b.c.hour)
    )


@question(bound=Bound.WINDOW, pages=("keys",))
def key_interarrival(start: datetime, end: datetime, *, api_key_id: str, model: str | None = None) -> Select:
    """How far apart are the key's consecutive calls (counts per gap bin, see GAP_BINS_S)?"""
    r = schema.requests
    t = dialect.epoch_s(r.c.ts)
    gaps = (
        select((t - func.lag(t).over(order_by=r.c.ts)).label("gap_s"))
        .where(*_window(start, end, model), r.c.api_key_id == api_key_id)
        .subquery("gaps")
    )
    b = _bin(gaps.c.gap_s, GAP_BINS_S).label("bin")
    return select(b, func.count().label("calls")).where(gaps.c.gap_s.is_not(None)).group_by(b).order_by(b)


@question(bound=Bound.WINDOW, pages=("keys",))
def key_active_hours(start: datetime, end: datetime, *, api_key_id: str, model: str | None = None) -> Select:
    """On which days and at which hours of day (UTC) was the key active, and how much?"""
    k = schema.rollup_key_hours
    day, hod = dialect.trunc_day(k.c.hour), dialect.hour_of_day(k.c.hour)
    return (
        select(day.label("day"), hod.label("hour_of_day"), total(k.c.calls).label("calls"))
        .where(*rollups.model_window(k, start, end, model), k.c.api_key_id == api_key_id)
        .group_by(day, hod)
        .order_by(day, hod)
    )


@question(bound=Bound.WINDOW, pages=("keys",))
def prompt_lengths(start: datetime, end: datetime, *, api_key_id: str | None = None, model: str | None = None) -> Select:
    """How long are the prompts (counts per length bin, see LENGTH_BINS), for one key or for all traffic?"""
    k = schema.rollup_key_hours
    cols = [f"len_{i}" for i in range(len(LENGTH_BINS) + 1)]
    q = select(*[total(k.c[n]).label(n) for n in cols]).where(*rollups.model_window(k, start, end, model))
    sums = (q.where(k.c.api_key_id == api_key_id) if api_key_id else q).subquery("sums")
    # One row per bin from the one row of sums (the rollup keeps a column per bin).
    bins = _names(list(range(len(cols))), "bin")
    calls = _pick(bins.c.bin, {i: sums.c[n] for i, n in enumerate(cols)}).label("calls")
    rows = select(bins.c.bin, calls).select_from(sums.join(bins, true())).subquery("bins_calls")
    return select(rows.c.bin, rows.c.calls).where(rows.c.calls > 0).order_by(rows.c.bin)


@question(bound=Bound.WINDOW, pages=("keys",))
def capability_mix(start: datetime, end: datetime, *, api_key_id: str | None = None, model: str | None = None) -> Select:
    """Which capabilities do the calls target (reasoning, coding, ...), for one key or for all traffic?"""
    k = schema.rollup_key_hours
    caps = schema.ROLLUP_CAPABILITIES
    q = select(*[total(k.c[f"{p}_{c}"]).label(f"{p}_{c}") for c in caps for p in ("cap", "cot")])
    q = q.where(*rollups.model_window(k, start, end, model))
    sums = (q.where(k.c.api_key_id == api_key_id) if api_key_id else q).subquery("sums")
    # One row per capability from the one row of sums (the rollup keeps a column per capability).
    names = _names(caps, "capability")
    calls = _pick(names.c.capability, {c: sums.c[f"cap_{c}"] for c in caps}).label("calls")
    cot = _pick(names.c.capability, {c: sums.c[f"cot_{c}"] for c in caps}).label("cot_calls")
    rows = select(names.c.capability, calls, cot).select_from(sums.join(names, true())).subquery("caps")
    return (
        select(rows.c.capability, rows.c.calls, rows.c.cot_calls).where(rows.c.calls > 0).order_by(rows.c.calls.desc(), rows.c.capability)
    )


@question(bound=Bound.WINDOW, pages=("keys",))
def template_concentration(start: datetime, end: datetime, *, api_key_id: str, model: str | None = None, limit: int = 10) -> Select:
    """Which prompt templates does the key reuse most, and what share of its calls does each take?"""
    r = schema.requests
    where = [*_window(start, end, model), r.c.api_key_id == api_key_id]
    total = select(func.count()).where(*where).scalar_subquery()
    tpl = func.coalesce(r.c.template_fp, literal("(no prompt logged)")).label("template_fp")
    return (
        select(tpl, func.count().label("calls"), (func.count() * 1.0 / func.nullif(total, 0)).label("share"))
        .where(*where)
        .group_by(tpl)
        .order_by(func.count().desc(), tpl)
        .limit(limit)
    )
