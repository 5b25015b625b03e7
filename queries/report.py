"""What does a case report read beyond the campaign page's questions? The actions taken on the campaign's keys."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from queries import schema
from queries.catalog import Bound, question


@question(bound=Bound.RUN)
def campaign_revocations(*, run_id: str, campaign_id: str) -> Select:
    """When were the campaign's keys revoked: how many keys of how many accounts at each time, oldest first?

    Grouped by time in the warehouse: a revocation is usually one action over many keys, and a large campaign has
    thousands of them."""
    k, a = schema.api_keys, schema.account_scores
    members = select(a.c.account_id).where(a.c.run_id == run_id, a.c.campaign_id == campaign_id)
    return (
        select(
            k.c.revoked_at,
            func.count().label("keys"),
            func.count(func.distinct(k.c.account_id)).label("accounts"),
            func.min(k.c.api_key_id).label("first_key"),
        )
        .where(k.c.account_id.in_(members), k.c.revoked_at.is_not(None))
        .group_by(k.c.revoked_at)
        .order_by(k.c.revoked_at)
    )
