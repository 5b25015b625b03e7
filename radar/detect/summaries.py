"""What did each campaign and cluster of a run do? Summaries aggregated once at score time, stored with the run.

`write_summaries` runs in the transaction that stores the run's results, after they are inserted: the summaries
join the run's own account_scores and cluster_links, so a run is stored with its summaries or not at all. The
campaign and cluster pages read only these tables (queries/campaign.py, queries/clusters.py).
"""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import Connection, Select

from queries import schema, summaries
from queries.detect_store import bulk_insert
from radar.redact import redact_expr
from radar.warehouse import tune_session

#: DuckDB buffer-pool cap while the summaries aggregate the window's requests (the same budget scoring reads with)
DUCKDB_SUMMARY_MEMORY = "2GB"


class SummaryError(RuntimeError):
    """The run's summaries cannot be written; the message says what to do."""


def write_summaries(conn: Connection, run_id: str) -> dict[str, int]:
    """Which summary rows does this run get? Aggregates them from requests over the run's window, inserts them on
    `conn` (the run's write transaction) and returns the row count per summary table."""
    window = conn.execute(summaries.run_window(run_id)).first()
    if window is None:
        raise SummaryError(f"No scoring run {run_id} is recorded; summaries are written only for a stored run.")
    start, end = window
    tune_session(conn, memory_limit=DUCKDB_SUMMARY_MEMORY)
    counts: dict[str, int] = {}
    # campaign_actions first: the usage split before/after the first revocation reads it
    counts["campaign_actions"] = _rows(conn.execute(summaries.campaign_actions(run_id=run_id)).rowcount)
    counts["campaign_usage_hours"] = _rows(conn.execute(summaries.campaign_usage_hours(start, end, run_id=run_id)).rowcount)
    counts["campaign_timeline_hours"] = _rows(conn.execute(summaries.campaign_timeline_hours(start, end, run_id=run_id)).rowcount)
    counts["capability_days"] = _rows(conn.execute(summaries.capability_days(start, end, run_id=run_id)).rowcount)
    counts["campaign_infrastructure_top"] = _rows(conn.execute(summaries.campaign_infrastructure_top(start, end, run_id=run_id)).rowcount)
    prompts = redacted_prompts(_frame(conn, summaries.campaign_prompt_candidates(start, end, run_id=run_id)))
    bulk_insert(conn, schema.campaign_prompt_samples, prompts.with_columns(pl.lit(run_id).alias("run_id")))
    counts["campaign_prompt_samples"] = prompts.height
    counts["cluster_attribute_counts"] = _rows(conn.execute(summaries.cluster_attribute_counts(run_id=run_id)).rowcount)
    counts["peer_band_hours"] = _rows(conn.execute(summaries.peer_band_hours(start, end, run_id=run_id)).rowcount)
    return counts


def redacted_prompts(candidates: pl.DataFrame) -> pl.DataFrame:
    """The sample prompts as they may be stored: e-mails, phone numbers, keys and secrets masked (radar/redact.py)."""
    if candidates.is_empty():
        return candidates
    # vectorised: the masking is a polars expression, never a per-row Python function
    return candidates.with_columns(redact_expr("prompt"))


def _frame(conn: Connection, stmt: Select[Any]) -> pl.DataFrame:
    """A few rows as a frame, read without the batch executor: it switches the connection to streaming results, and a
    PostgreSQL connection left so would run the next INSERT as a server-side cursor."""
    res = conn.execute(stmt)
    cols = list(res.keys())
    rows = [tuple(r) for r in res.fetchall()]
    if not rows:
        return pl.DataFrame(schema={c: pl.String for c in cols})
    return pl.DataFrame(rows, schema=cols, orient="row", infer_schema_length=None)


def _rows(rowcount: int | None) -> int:
    """A driver's rowcount for an INSERT ... SELECT (-1 or None where the driver does not say)."""
    return int(rowcount) if rowcount is not None and rowcount >= 0 else -1
