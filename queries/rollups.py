"""How are the rollups computed? One definition of each rollup's aggregates, applied to a chunk's newly inserted rows
at ingest (the staging table) and to the request table on `python -m radar rollup --rebuild`.

The rollups are `schema.rollup_key_hours` (hour x key x account x model) and `schema.rollup_account_hours`
(hour x account). Their measures are sums, counts and min/max only: a load appends one row per grain and chunk,
and every reader aggregates again, so rows of the same grain merge by adding.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Delete,
    FromClause,
    Insert,
    Select,
    Table,
    and_,
    case,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    true,
)

from queries import dialect, schema
from queries.load import staged

#: Finish reasons that mean the model declined (the contract's enum): counted as refusals.
REFUSAL_REASONS = ("refusal", "content_filter")
#: HTTP status from which a call counts as an error (client and server errors alike).
ERROR_STATUS = 400


def _when(cond: Any) -> Any:
    """How many rows of the group meet `cond`? (a plain conditional count: every engine compiles it alike)"""
    return func.count(case((cond, 1)))


def length_bin(prompt_chars: Any) -> Any:
    """Index of the first PROMPT_LENGTH_BINS bound the length stays under (len(bounds) past the last)."""
    bounds = schema.PROMPT_LENGTH_BINS
    return case(*[(prompt_chars < b, i) for i, b in enumerate(bounds)], else_=len(bounds))


def capability_of(capability: Any) -> Any:
    """The rollup's capability of a row: the enrichment's value, "other" when missing or unknown."""
    named = [c for c in schema.ROLLUP_CAPABILITIES if c != "other"]
    return case((capability.in_(named), capability), else_=literal("other"))


def _measures(src: FromClause) -> list[Any]:
    c = src.c
    return [
        func.count().label("calls"),
        func.coalesce(func.sum(c.input_tokens), 0).label("input_tokens"),
        func.coalesce(func.sum(c.output_tokens), 0).label("output_tokens"),
        _when(c.cot.is_(True)).label("cot_calls"),
        _when(c.tool_count > 0).label("tool_calls"),
        _when(c.finish_reason.in_(REFUSAL_REASONS)).label("refusals"),
        _when(c.status >= ERROR_STATUS).label("error_calls"),
        func.min(c.ts).label("first_ts"),
        func.max(c.ts).label("last_ts"),
    ]


def key_hours_of(src: FromClause) -> Select[Any]:
    """Per hour, key, account and model of the rows in `src`: the measures of `schema.rollup_key_hours`."""
    c = src.c
    hour = dialect.trunc_hour(c.ts)
    cap = capability_of(c.capability)
    has_len = c.prompt_chars.is_not(None)
    bins = [_when(and_(has_len, length_bin(c.prompt_chars) == i)).label(f"len_{i}") for i in range(len(schema.PROMPT_LENGTH_BINS) + 1)]
    caps = [_when(cap == literal(name)).label(f"cap_{name}") for name in schema.ROLLUP_CAPABILITIES]
    cots = [_when(and_(cap == literal(name), c.cot.is_(True))).label(f"cot_{name}") for name in schema.ROLLUP_CAPABILITIES]
    return select(
        hour.label("hour"),
        c.api_key_id,
        c.account_id,
        c.model,
        *_measures(src),
        _when(c.has_image.is_(True)).label("image_calls"),
        _when(has_len).label("prompts_logged"),
        *bins,
        *caps,
        *cots,
    ).group_by(hour, c.api_key_id, c.account_id, c.model)


def account_hours_of(src: FromClause) -> Select[Any]:
    """Per hour and account of the rows in `src`: the measures of `schema.rollup_account_hours`."""
    c = src.c
    hour = dialect.trunc_hour(c.ts)
    return select(hour.label("hour"), c.account_id, *_measures(src)).group_by(hour, c.account_id)


BUILDERS = {schema.rollup_key_hours.name: key_hours_of, schema.rollup_account_hours.name: account_hours_of}


def _insert_from(rollup: Table, src: FromClause) -> Insert:
    query = BUILDERS[rollup.name](src)
    return insert(rollup).from_select([c.name for c in rollup.columns], query)


def add_staged(rollup: Table) -> Insert:
    """Append the rollup rows of the staged chunk (the rows a load has just inserted into requests)."""
    return _insert_from(rollup, staged(schema.requests))


def add_requests(rollup: Table, start: datetime, end: datetime) -> Insert:
    """Append the rollup rows of the stored requests with start <= ts < end (a rebuild goes day by day)."""
    r = schema.requests
    window = select(r).where(r.c.ts >= start, r.c.ts < end).subquery("r")
    return _insert_from(rollup, window)


def clear(rollup: Table) -> Delete:
    """Delete every row of the rollup (a rebuild's first step, in the rebuild's transaction)."""
    return delete(rollup).where(true())  # a WHERE clause: ClickHouse's DELETE requires one


def request_days() -> Select[Any]:
    """Which days do the stored requests cover, and how many requests each? (a rebuild's steps and progress)"""
    r = schema.requests
    day = dialect.trunc_day(r.c.ts)
    return select(day.label("day"), func.count().label("requests")).group_by(day).order_by(day)


def holds_rows(table: Table) -> Select[Any]:
    """Does the table hold any row? (stops at the first: cheap on any engine, unlike a count)"""
    return select(exists(select(literal(1)).select_from(table)).label("any"))


def totals(rollup: Table) -> Select[Any]:
    """How many rollup rows, and how many requests do they count? (what a rebuild reports)"""
    return select(func.count().label("rows"), func.coalesce(func.sum(rollup.c.calls), 0).label("calls"))


def window(rollup: Table, start: datetime, end: datetime) -> list[Any]:
    """The rollup rows of the hours that start inside [start, end): whole hours, as the pages' windows are."""
    return [rollup.c.hour >= hour_of(start), rollup.c.hour < end]


def hour_of(ts: datetime) -> datetime:
    """The start of the UTC hour `ts` falls in (a naive ts is taken as UTC, as the warehouse stores it)."""
    utc = ts.astimezone(UTC) if ts.tzinfo else ts.replace(tzinfo=UTC)
    return utc.replace(minute=0, second=0, microsecond=0)


def model_window(rollup: Table, start: datetime, end: datetime, model: str | None) -> list[Any]:
    """The window's rollup rows, of one model when `model` is given (key rollup only)."""
    conds = window(rollup, start, end)
    return [*conds, rollup.c.model == model] if model else conds


def total(col: Any) -> Any:
    """Sum of a rollup count over the rows read, as an integer on every engine (0 over no rows)."""
    return cast(func.coalesce(func.sum(col), 0), BigInteger)
