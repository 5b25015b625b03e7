"""Detection inputs about timing, aggregated in the warehouse: in which hours each account was active, with how many calls."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Select, cast, func, select

from queries import dialect, schema
from queries.catalog import Bound, question

#: seconds in one activity bucket: an hour is long enough that a person's session and a script's both fill it, short
#: enough that 168 buckets a week tell a day-night cycle from round-the-clock work (SynchroTrap uses hour-scale
#: windows for the same reason)
BUCKET_S = 3600


@question(bound=Bound.WINDOW)
def account_buckets(start: datetime, end: datetime) -> Select:
    """In which hour buckets (hours since 1970, UTC) was each account active in the window, and with how many calls?"""
    r = schema.requests
    bucket = cast(func.floor(dialect.epoch_s(r.c.ts) / BUCKET_S), BigInteger)
    return (
        select(r.c.account_id, bucket.label("bucket"), func.count().label("calls"))
        .where(r.c.ts >= start, r.c.ts < end)
        .group_by(r.c.account_id, bucket)
    )
