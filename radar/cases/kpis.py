"""How is the SOC doing? Open campaigns, time to first triage and to decision, decisions per analyst, false positives by reason.

Every figure comes from the case store's audit trail (who changed what, when) and the warehouse's record of when a
finished detection run first found each campaign. `soc_kpis` is pure (frames in, figures out) so it is tested on
known timestamps; `load_kpis` reads the two stores.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import polars as pl
from sqlalchemy import Engine

from queries.kpis import campaign_detections
from queries.run import run_all
from radar.cases.bulk import DECIDED_STATUSES
from radar.cases.store import audit_trail, case_table

#: Audit actions that are an analyst's own work on an item (a campaign resolving its members is one decision, not many).
OWN_ACTIONS = ("case.create", "case.save", "label.set")
CASE_ACTIONS = ("case.create", "case.save")
# Numbers in a reason sentence ("4 accounts share 2 payment instruments") differ per campaign; the sentence with its
# numbers taken out is the detector reason that fired, the unit a false-positive rate is about.
_NUMBER = re.compile(r"\d[\d,.]*%?")


@dataclass(frozen=True)
class Kpis:
    """The SOC's figures: open campaigns, median seconds to first triage and to decision, decisions per analyst, FP by reason."""

    open_campaigns: int
    campaigns_found: int
    median_to_first_triage_s: float | None
    median_to_decision_s: float | None
    decisions_per_analyst: pl.DataFrame
    fp_by_reason: pl.DataFrame


def reason_kind(sentence: str) -> str:
    """Which detector reason is this sentence, its numbers replaced by # ("# accounts share # payment instruments")?"""
    return _NUMBER.sub("#", sentence).strip()


def _reasons(raw: object) -> list[str]:
    try:
        value = json.loads(str(raw)) if raw else []
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def _median_seconds(frame: pl.DataFrame, start: str, end: str) -> float | None:
    if frame.is_empty():
        return None
    value = frame.select((pl.col(end) - pl.col(start)).dt.total_seconds(fractional=True).median()).item()
    return None if value is None else float(value)


def soc_kpis(detections: pl.DataFrame, cases: pl.DataFrame, trail: pl.DataFrame) -> Kpis:
    """The SOC figures from detections (campaign_id, run_id, finished_at, reasons), every case, and the audit trail.

    A campaign is found at the finish of the first run that found it and open until its case is confirmed or
    dismissed. First triage: the first analyst change on its case or label; decision: the first change that set a
    closing status. Decisions per analyst count case changes into a closing status on any item (a campaign's
    member resolutions are its one decision). The FP rate of a reason: decided campaigns it fired on whose
    disposition is a false positive, over decided campaigns it fired on.
    """
    found = detections.group_by("campaign_id").agg(pl.col("finished_at").min().alias("found_at"))
    latest = detections.sort("finished_at").group_by("campaign_id").agg(pl.col("reasons").last())
    camp_cases = cases.filter(pl.col("entity_type") == "campaign").select("entity_id", "status", "disposition")
    closed = set(camp_cases.filter(pl.col("status").is_in(DECIDED_STATUSES))["entity_id"].to_list())
    open_n = found.filter(~pl.col("campaign_id").is_in(list(closed))).height

    rows = trail.with_columns(
        pl.col("before").str.json_path_match("$.status").alias("s_before"), pl.col("after").str.json_path_match("$.status").alias("s_after")
    )
    decisions = rows.filter(
        pl.col("action").is_in(CASE_ACTIONS),
        pl.col("s_after").is_in(DECIDED_STATUSES),
        pl.col("s_before").fill_null("") != pl.col("s_after"),
    )
    camp = rows.filter(pl.col("entity_type") == "campaign")
    first_touch = camp.filter(pl.col("action").is_in(OWN_ACTIONS)).group_by("entity_id").agg(pl.col("at").min().alias("first_at"))
    first_decision = decisions.filter(pl.col("entity_type") == "campaign").group_by("entity_id").agg(pl.col("at").min().alias("decided_at"))
    f = found.rename({"campaign_id": "entity_id"})
    to_triage = f.join(first_touch, on="entity_id", how="inner")
    to_decision = f.join(first_decision, on="entity_id", how="inner")

    per_analyst = (
        decisions.group_by("who").agg(pl.len().cast(pl.Int64).alias("decisions")).sort(["decisions", "who"], descending=[True, False])
    )
    decided = camp_cases.filter(pl.col("disposition").is_not_null()).join(
        latest.rename({"campaign_id": "entity_id"}), on="entity_id", how="inner"
    )
    exploded = [
        (reason_kind(r), str(d).startswith("false_positive"))
        for d, raw in decided.select("disposition", "reasons").iter_rows()
        for r in dict.fromkeys(reason_kind(x) for x in _reasons(raw))
    ]
    fp = (
        pl.DataFrame(exploded, schema={"reason": pl.String, "fp": pl.Boolean}, orient="row")
        .group_by("reason")
        .agg(pl.len().cast(pl.Int64).alias("decided"), pl.col("fp").sum().cast(pl.Int64).alias("false_positives"))
        .with_columns((pl.col("false_positives") / pl.col("decided")).alias("fp_rate"))
        .sort(["fp_rate", "decided", "reason"], descending=[True, True, False])
    )
    return Kpis(
        open_campaigns=open_n,
        campaigns_found=found.height,
        median_to_first_triage_s=_median_seconds(to_triage, "found_at", "first_at"),
        median_to_decision_s=_median_seconds(to_decision, "found_at", "decided_at"),
        decisions_per_analyst=per_analyst,
        fp_by_reason=fp,
    )


def load_kpis(cases: Engine, warehouse: Engine, *, audit_limit: int = 1_000_000) -> Kpis:
    """The SOC figures over the whole case store and every finished detection run."""
    detections = run_all(warehouse, campaign_detections())
    finished = detections.schema["finished_at"]
    # Every warehouse time is UTC; a driver may hand it back naive (attach UTC) or in its session's zone (convert).
    utc = (
        pl.col("finished_at").dt.convert_time_zone("UTC")
        if isinstance(finished, pl.Datetime) and finished.time_zone
        else pl.col("finished_at").cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    )
    detections = detections.with_columns(pl.col("campaign_id").cast(pl.String), pl.col("reasons").cast(pl.String), utc)
    return soc_kpis(detections, case_table(cases), audit_trail(cases, limit=audit_limit))
