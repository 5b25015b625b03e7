"""Account-graph input: which accounts send prompts of one similar-prompt family (an LSH bucket of reworded prompts)?

Ingest writes each request's buckets (similar_1..similar_4, one per band; see radar/ingest/enrich.py). Here the
warehouse counts, per bucket, the accounts whose prompts fall in it, keeps the buckets reached by a bounded number
of accounts and, per account, only its most used such buckets, so the answer is a few rows per account.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, String, and_, cast, func, literal, select, union_all

from queries import schema
from queries.catalog import Bound, question

#: the bucket columns of the requests table, one per LSH band
BAND_COLUMNS = ("similar_1", "similar_2", "similar_3", "similar_4")


@question(bound=Bound.WINDOW)
def similar_memberships(start: datetime, end: datetime, *, min_accounts: int, max_accounts: int, top_per_account: int) -> Select:
    """Which similar-prompt buckets did each account use in the window, among those reached by `min_accounts` to
    `max_accounts` accounts? band, value (the bucket, as text), account_id, uses, n_accounts; at most
    `top_per_account` buckets per account, its most used first."""
    r = schema.requests
    window = and_(r.c.ts >= start, r.c.ts < end)
    per_band = []
    for band, name in enumerate(BAND_COLUMNS, start=1):
        col = r.c[name]
        per_band.append(
            select(literal(band).label("band"), col.label("bucket"), r.c.account_id, func.count().label("uses"))
            .where(window, col.is_not(None))
            .group_by(col, r.c.account_id)
        )
    used = union_all(*per_band).subquery("s_used")
    reach = func.count().over(partition_by=(used.c.band, used.c.bucket))
    counted = select(used.c.band, used.c.bucket, used.c.account_id, used.c.uses, reach.label("n_accounts")).subquery("s_counted")
    kept = select(counted).where(and_(counted.c.n_accounts >= min_accounts, counted.c.n_accounts <= max_accounts)).subquery("s_kept")
    rank = func.row_number().over(partition_by=kept.c.account_id, order_by=(kept.c.uses.desc(), kept.c.band, kept.c.bucket))
    ranked = select(kept, rank.label("rank")).subquery("s_ranked")
    return select(
        ranked.c.band,
        cast(ranked.c.bucket, String).label("value"),
        ranked.c.account_id,
        ranked.c.uses,
        ranked.c.n_accounts,
    ).where(ranked.c.rank <= top_per_account)
