"""Which items wait for triage? Detection results joined with their case state, filtered as the analyst asks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from sqlalchemy import Engine

from queries import triage_queue as tq
from queries.catalog import Question
from queries.run import run_all
from radar.cases.bulk import DECIDED_STATUSES
from radar.cases.labels import effective_labels
from radar.cases.store import case_statuses

#: The question that ranks each entity type on the triage queue (the page caches it; bulk actions read it uncapped).
QUEUE_QUESTIONS: dict[str, Question[Any]] = {
    "campaign": tq.triage_campaigns,
    "cluster": tq.triage_clusters,
    "account": tq.triage_accounts,
    "api_key": tq.triage_keys,
}
#: Entity types the queue can narrow to one campaign's members (or to those in no campaign).
MEMBER_TYPES = ("account", "api_key")
#: The disposition filter's value for "no disposition yet".
NO_DISPOSITION = "none"


@dataclass(frozen=True)
class QueueFilter:
    """What the analyst filtered the triage queue by: entity type, run, risk range, campaign, status, assignee, decision."""

    entity_type: str
    run_id: str
    min_score: float | None = None
    campaign_id: str | None = None
    status: str | None = None
    assignee: str | None = None
    max_score: float | None = None
    undecided_only: bool = False
    without_campaign: bool = False
    disposition: str | None = None

    @property
    def question(self) -> Question[Any]:
        """The catalog question that ranks this entity type."""
        return QUEUE_QUESTIONS[self.entity_type]

    def arguments(self) -> dict[str, Any]:
        """The ranking question's arguments (the campaign filters only narrow accounts and keys)."""
        args: dict[str, Any] = {"run_id": self.run_id, "min_score": self.min_score or None, "max_score": self.max_score}
        if self.entity_type in MEMBER_TYPES:
            if self.campaign_id:
                args["campaign_id"] = self.campaign_id
            if self.without_campaign:
                args["without_campaign"] = True
        return args


def decision_state(cases: Engine, entity_type: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Every touched case of this type and the label in force on each labeled entity (none for clusters)."""
    labels = (
        pl.DataFrame(schema={"entity_id": pl.String, "label": pl.String})
        if entity_type == "cluster"
        else effective_labels(cases, entity_type).select("entity_id", "label")
    )
    return case_statuses(cases, entity_type), labels


def triage_queue(
    ranked: pl.DataFrame,
    statuses: pl.DataFrame,
    *,
    labels: pl.DataFrame | None = None,
    status: str | None = None,
    assignee: str | None = None,
    undecided_only: bool = False,
    disposition: str | None = None,
) -> pl.DataFrame:
    """Every ranked entity with its case status (untouched entities are `new`), its label in force and whether it is decided.

    Decided (`radar.cases.bulk`): a closing status, a disposition or a label in force. Filtered by status, assignee,
    disposition (NO_DISPOSITION: none yet) and "undecided only".
    """
    st = statuses.select("entity_id", "status", "assignee", "disposition", "version", "updated_by", "updated_at")
    lab = labels if labels is not None else pl.DataFrame(schema={"entity_id": pl.String, "label": pl.String})
    frame = (
        ranked.with_columns(pl.col("entity_id").cast(pl.String))
        .join(st, on="entity_id", how="left")
        .join(lab.select("entity_id", "label"), on="entity_id", how="left")
    )
    frame = frame.with_columns(pl.col("status").fill_null("new"), pl.col("version").fill_null(0))
    decided = pl.col("status").is_in(DECIDED_STATUSES) | pl.col("disposition").is_not_null() | pl.col("label").is_not_null()
    frame = frame.with_columns(decided.alias("decided"))
    if status:
        frame = frame.filter(pl.col("status") == status)
    if assignee:
        frame = frame.filter(pl.col("assignee") == assignee)
    if disposition == NO_DISPOSITION:
        frame = frame.filter(pl.col("disposition").is_null())
    elif disposition:
        frame = frame.filter(pl.col("disposition") == disposition)
    if undecided_only:
        frame = frame.filter(~pl.col("decided"))
    first = ["entity_id", "status", "score", "assignee", "disposition", "label"]
    return frame.select(first + [c for c in frame.columns if c not in first])


def queue_of(ranked: pl.DataFrame, cases: Engine, f: QueueFilter) -> pl.DataFrame:
    """The ranked items joined with their decisions and filtered as `f` asks."""
    statuses, labels = decision_state(cases, f.entity_type)
    return triage_queue(
        ranked,
        statuses,
        labels=labels,
        status=f.status,
        assignee=f.assignee,
        undecided_only=f.undecided_only,
        disposition=f.disposition,
    )


def matching_ids(cases: Engine, warehouse: Engine, f: QueueFilter) -> list[str]:
    """Which items match the filter, every one of them (the queue read uncapped, for a bulk action)?"""
    return queue_of(run_all(warehouse, f.question(**f.arguments())), cases, f)["entity_id"].to_list()


def progress_by_assignee(queue: pl.DataFrame) -> pl.DataFrame:
    """How far is each assignee through the items assigned to them (decided, left, total), unassigned items last?"""
    if queue.is_empty():
        return pl.DataFrame(schema={"assignee": pl.String, "decided": pl.UInt32, "left": pl.UInt32, "total": pl.UInt32})
    return (
        queue.group_by(pl.col("assignee"))
        .agg(pl.col("decided").sum().cast(pl.UInt32).alias("decided"), pl.len().cast(pl.UInt32).alias("total"))
        .with_columns((pl.col("total") - pl.col("decided")).alias("left"))
        .sort([pl.col("assignee").is_null(), "assignee"])
        .select("assignee", "decided", "left", "total")
    )
