"""Which items wait for triage? Detection results joined with their case state, filtered as the analyst asks."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import polars as pl
from sqlalchemy import Select

QUEUE_BUILDERS = {
    "campaign": "cases.triage_campaigns",
    "cluster": "cases.triage_clusters",
    "account": "cases.triage_accounts",
    "api_key": "cases.triage_keys",
}


def builder_of(entity_type: str) -> Callable[..., Select]:
    """The query builder that ranks this entity type (for running it outside the page cache, uncapped)."""
    module, _, name = QUEUE_BUILDERS[entity_type].rpartition(".")
    return getattr(importlib.import_module(f"queries.{module}"), name)  # type: ignore[no-any-return]


def triage_queue(ranked: pl.DataFrame, statuses: pl.DataFrame, *, status: str | None = None, assignee: str | None = None) -> pl.DataFrame:
    """Every ranked entity with its case status (untouched entities are `new`), filtered by status and assignee."""
    st = statuses.select("entity_id", "status", "assignee", "disposition", "version", "updated_by", "updated_at")
    frame = ranked.with_columns(pl.col("entity_id").cast(pl.String)).join(st, on="entity_id", how="left")
    frame = frame.with_columns(pl.col("status").fill_null("new"), pl.col("version").fill_null(0))
    if status:
        frame = frame.filter(pl.col("status") == status)
    if assignee:
        frame = frame.filter(pl.col("assignee") == assignee)
    first = ["entity_id", "status", "score", "assignee", "disposition"]
    return frame.select(first + [c for c in frame.columns if c not in first])
