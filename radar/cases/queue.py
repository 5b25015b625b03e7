"""Which items wait for triage? Detection results joined with their case state, filtered as the analyst asks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import Engine

from queries import triage_queue as tq
from queries.catalog import Question
from queries.run import run_all
from radar.cases.store import case_statuses

#: The question that ranks each entity type on the triage queue (the page caches it; bulk actions read it uncapped).
QUEUE_QUESTIONS: dict[str, Question[Any]] = {
    "campaign": tq.triage_campaigns,
    "cluster": tq.triage_clusters,
    "account": tq.triage_accounts,
    "api_key": tq.triage_keys,
}
#: Entity types the queue can narrow to one campaign's members.
MEMBER_TYPES = ("account", "api_key")


@dataclass(frozen=True)
class QueueFilter:
    """What the analyst filtered the triage queue by: entity type, run, minimum risk, campaign, status, assignee."""

    entity_type: str
    run_id: str
    min_score: float | None = None
    campaign_id: str | None = None
    status: str | None = None
    assignee: str | None = None

    @property
    def question(self) -> Question[Any]:
        """The catalog question that ranks this entity type."""
        return QUEUE_QUESTIONS[self.entity_type]

    def arguments(self) -> dict[str, Any]:
        """The ranking question's arguments (the campaign only narrows accounts and keys)."""
        args: dict[str, Any] = {"run_id": self.run_id, "min_score": self.min_score or None}
        if self.entity_type in MEMBER_TYPES and self.campaign_id:
            args["campaign_id"] = self.campaign_id
        return args


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


def matching_ids(cases: Engine, warehouse: Engine, f: QueueFilter) -> list[str]:
    """Which items match the filter, every one of them (the queue read uncapped, for a bulk action)?"""
    ranked = run_all(warehouse, f.question(**f.arguments()))
    return triage_queue(ranked, case_statuses(cases, f.entity_type), status=f.status, assignee=f.assignee)["entity_id"].to_list()
