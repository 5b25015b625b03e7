"""When did detection first find each campaign, and why? The warehouse side of the SOC figures (the rest is the case store's)."""

from __future__ import annotations

from sqlalchemy import Select, select

from queries import schema
from queries.catalog import Bound, question


@question(bound=Bound.SUMMARY, pages=("kpis",))
def campaign_detections() -> Select:
    """Which campaigns has any finished detection run found, when did that run finish, and with which reasons?"""
    c, r = schema.campaigns, schema.score_runs
    return (
        select(c.c.campaign_id, c.c.run_id, r.c.finished_at, c.c.reasons)
        .select_from(c.join(r, r.c.run_id == c.c.run_id))
        .where(r.c.status == "done", r.c.finished_at.is_not(None))
        .order_by(c.c.campaign_id, r.c.finished_at)
    )
