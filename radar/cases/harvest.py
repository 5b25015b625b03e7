"""How much did a campaign harvest before the SOC acted on it, and how much after? A KPI from the audit trail and rollups.

The action is the first change that confirmed or dismissed the campaign's case (the audit trail's time). Harvest is
its member accounts' calls and output tokens from the hourly rollup. The rollup does not split an hour, so the hour
in which the action fell counts as before it: the figure never credits an action with traffic it may not have stopped.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import Engine

from queries.kpi_harvest import campaign_hourly_harvest
from queries.run import run_all
from radar.cases.bulk import DECIDED_STATUSES
from radar.cases.store import audit_trail

SCHEMA: dict[str, Any] = {
    "campaign_id": pl.String,
    "acted_at": pl.Datetime("us", "UTC"),
    "calls_before": pl.Int64,
    "calls_after": pl.Int64,
    "output_tokens_before": pl.Int64,
    "output_tokens_after": pl.Int64,
}


def first_actions(trail: pl.DataFrame) -> pl.DataFrame:
    """When was each campaign first confirmed or dismissed (campaign_id, acted_at), from the audit trail?"""
    rows = trail.filter(pl.col("entity_type") == "campaign", pl.col("action").is_in(("case.create", "case.save"))).with_columns(
        pl.col("after").str.json_path_match("$.status").alias("status")
    )
    return (
        rows.filter(pl.col("status").is_in(DECIDED_STATUSES))
        .group_by("entity_id")
        .agg(pl.col("at").min().alias("acted_at"))
        .rename({"entity_id": "campaign_id"})
    )


def harvest_around_action(hourly: pl.DataFrame, actions: pl.DataFrame) -> pl.DataFrame:
    """Per acted-on campaign: calls and output tokens in the hours before its first decision and in those after it.

    `hourly` holds campaign_id, hour (UTC), calls, output_tokens; `actions` campaign_id, acted_at. An hour counts as
    after only when it began after the action's hour (see the module's note); campaigns never acted on are left out.
    """
    if actions.is_empty():
        return pl.DataFrame(schema=SCHEMA)
    joined = hourly.join(actions, on="campaign_id", how="right").with_columns(
        (pl.col("hour") > pl.col("acted_at").dt.truncate("1h")).alias("after")
    )
    return (
        joined.group_by("campaign_id", "acted_at")
        .agg(
            pl.col("calls").filter(~pl.col("after")).sum().alias("calls_before"),
            pl.col("calls").filter(pl.col("after")).sum().alias("calls_after"),
            pl.col("output_tokens").filter(~pl.col("after")).sum().alias("output_tokens_before"),
            pl.col("output_tokens").filter(pl.col("after")).sum().alias("output_tokens_after"),
        )
        .select(list(SCHEMA))
        .cast(pl.Schema(SCHEMA))
        .sort("acted_at")
    )


def load_harvest(cases: Engine, warehouse: Engine, run_id: str, *, audit_limit: int = 1_000_000) -> pl.DataFrame:
    """Harvest before vs after action for every campaign of `run_id` an analyst has confirmed or dismissed."""
    hourly = run_all(warehouse, campaign_hourly_harvest(run_id=run_id))
    if hourly.height:
        hour = hourly.schema["hour"]
        utc = (
            pl.col("hour").dt.convert_time_zone("UTC")
            if isinstance(hour, pl.Datetime) and hour.time_zone
            else pl.col("hour").cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
        )
        hourly = hourly.with_columns(pl.col("campaign_id").cast(pl.String), utc)
    else:
        hourly = pl.DataFrame(
            schema={"campaign_id": pl.String, "hour": pl.Datetime("us", "UTC"), "calls": pl.Int64, "output_tokens": pl.Int64}
        )
    actions = first_actions(audit_trail(cases, "campaign", limit=audit_limit)).with_columns(
        pl.col("acted_at").cast(pl.Datetime("us", "UTC"))
    )
    return harvest_around_action(hourly, actions)
