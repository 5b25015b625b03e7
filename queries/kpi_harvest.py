"""How much did each campaign's accounts harvest, hour by hour? The warehouse side of "harvest before vs after action"."""

from __future__ import annotations

from sqlalchemy import Select, select

from queries import schema
from queries.catalog import Bound, question
from queries.rollups import total


@question(bound=Bound.RUN, pages=("kpis",))
def campaign_hourly_harvest(*, run_id: str) -> Select:
    """For each campaign of the run, how many calls and output tokens did its member accounts make in each hour?"""
    h, a = schema.rollup_key_hours, schema.account_scores
    return (
        select(a.c.campaign_id, h.c.hour, total(h.c.calls).label("calls"), total(h.c.output_tokens).label("output_tokens"))
        .select_from(h.join(a, a.c.account_id == h.c.account_id))
        .where(a.c.run_id == run_id, a.c.campaign_id.is_not(None))
        .group_by(a.c.campaign_id, h.c.hour)
        .order_by(a.c.campaign_id, h.c.hour)
    )
